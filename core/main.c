/* The funcp executable: everything lives in libfuncp. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return fp_main(argc, argv);
}
