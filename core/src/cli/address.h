/* Checks a --address value (host:port, [v6]:port) before anything is built
 * or started, so a typo is a usage error and not a failed runner. */
#ifndef FUNCP_CLI_ADDRESS_H
#define FUNCP_CLI_ADDRESS_H

/* FUNCP_OK, or FUNCP_EUSAGE naming `flag` and what is wrong with `value`. */
int fp_cli_check_address(const char *flag, const char *value);

#endif
