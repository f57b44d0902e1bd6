/* runtime-go-wasi: Go functions compiled by TinyGo to wasip2 components. */
#ifndef GOWASI_H
#define GOWASI_H

#include <stddef.h>
#include <funcp/plugin.h>
#include "pcom/embedded.h"

#define GOWASI_RUNTIME "go-wasi"

/* The template files, compiled in from templates/ at build time. */
extern const pcom_embedded_file gowasi_templates[];
extern const size_t gowasi_templates_count;

int gowasi_create(const funcp_host *host, funcp_call *call, const char *template_name,
                  const char *dir);
int gowasi_build(const funcp_host *host, funcp_call *call);

#endif
