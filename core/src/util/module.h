/* The network stack (libcurl, OpenSSL) lives in the funcp-net module, loaded
 * with libltdl on first use, so that commands needing no network (help,
 * plugins, create) do not pay for mapping it at start-up. */
#ifndef FUNCP_UTIL_MODULE_H
#define FUNCP_UTIL_MODULE_H

#include "net/net_module.h"

/* The network module, loaded on first call; NULL with the error set
 * (FUNCP_ENOPLUGIN naming the file looked for) when it cannot be loaded.
 * Looks in $FUNCP_MODULE_PATH, the build tree, then the installed dir. */
const fp_net_module *fp_net(void);

#endif
