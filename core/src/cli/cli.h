/* The funcp command line. */
#ifndef FUNCP_CLI_CLI_H
#define FUNCP_CLI_CLI_H

#include "util/api.h"

/* Run funcp with the given arguments; returns the process exit code. */
FP_API int fp_main(int argc, char **argv);

#endif
