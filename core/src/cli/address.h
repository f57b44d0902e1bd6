/* Checks a --address value (host:port, [v6]:port) before anything is built
 * or started, so a typo is a usage error and not a failed runner. */
#ifndef FUNCP_CLI_ADDRESS_H
#define FUNCP_CLI_ADDRESS_H

/* FUNCP_OK, or FUNCP_EUSAGE naming `flag` and what is wrong with `value`. */
int fp_cli_check_address(const char *flag, const char *value);

/* Binds a socket to `value` (already checked) and lets it go: FUNCP_ERROR
 * naming `flag` when something else holds the port (or it is privileged),
 * so `funcp run` fails before building rather than with the runner's own
 * error, or worse, reports another server answering as its own. Other
 * failures are left for the runner to report. */
int fp_cli_address_free(const char *flag, const char *value);

#endif
