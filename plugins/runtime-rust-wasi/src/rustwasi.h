/* runtime-rust-wasi: Rust functions compiled by cargo to wasip2 components. */
#ifndef RUSTWASI_H
#define RUSTWASI_H

#include <stddef.h>
#include <funcp/plugin.h>
#include "pcom/embedded.h"

#define RUSTWASI_RUNTIME "rust-wasi"
#define RUSTWASI_TARGET "wasm32-wasip2"

extern const pcom_embedded_file rustwasi_templates[];
extern const size_t rustwasi_templates_count;

int rustwasi_create(const funcp_host *host, funcp_call *call, const char *template_name,
                    const char *dir);
int rustwasi_build(const funcp_host *host, funcp_call *call);

#endif
