/* Runs the go-wasi plugin's //go:generate scan on a directory, for
 * bench/build (built with the tests, not registered as one).
 *
 *   gogen_scan_driver DIR [THREADS]
 *
 * Prints "found" or "none" and exits 0; exits 2 when DIR cannot be read. */
#include "gogen_scan.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s DIR [THREADS]\n", argv[0]);
        return 2;
    }
    int threads = argc == 3 ? atoi(argv[2]) : 0;
    int rc = gogen_scan(argv[1], threads, NULL, NULL);
    if (rc < 0) {
        fprintf(stderr, "%s: cannot scan %s\n", argv[0], argv[1]);
        return 2;
    }
    puts(rc == 1 ? "found" : "none");
    return 0;
}
