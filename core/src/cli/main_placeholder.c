#include <stdio.h>

#include "cli/cli.h"

int fp_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "funcp: the command line is being written\n");
    return 1;
}
