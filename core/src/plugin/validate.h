/* Checks a plugin descriptor before funcp trusts anything in it. */
#ifndef FUNCP_PLUGIN_VALIDATE_H
#define FUNCP_PLUGIN_VALIDATE_H

#include <stddef.h>

#include "funcp/plugin.h"
#include "plugin/loader.h"

/* 0 when `plugin` is usable by this funcp. Otherwise the refusal kind
 * (FP_REFUSED_ABI or FP_REFUSED_INVALID) with the reason written to `why`
 * ("incompatible ABI: plugin built for ABI 2, funcp speaks ABI 1"). */
fp_refusal fp_plugin_validate(const funcp_plugin *plugin, char *why, size_t why_len);

/* Non-zero when `name` is a non-empty [a-z0-9-]+. */
int fp_valid_name(const char *name);

#endif
