/* runtime-js-wasi: JavaScript functions compiled to wasi:http/proxy
 * components by componentize-js, served locally by jco or wasmtime. */
#ifndef JSWASI_H
#define JSWASI_H

#include <funcp/plugin.h>

#include "embedded.h"

#define JSWASI_RUNTIME "js-wasi"
#define JSWASI_ARTIFACT "module.wasm"
#define JSWASI_SOURCE "index.js"
#define JSWASI_WORLD "function"

/* -- callbacks (plugin.c wires them into the descriptor) ------------ */
int jswasi_create(const funcp_host *host, funcp_call *call, const char *template_name,
                  const char *dir);
int jswasi_build(const funcp_host *host, funcp_call *call);
int jswasi_jco_available(const funcp_host *host, funcp_call *call);
int jswasi_jco_run(const funcp_host *host, funcp_call *call, const char *artifact,
                   const char *address);
int jswasi_wasmtime_available(const funcp_host *host, funcp_call *call);
int jswasi_wasmtime_run(const funcp_host *host, funcp_call *call, const char *artifact,
                        const char *address);

/* -- the npm toolchain cache (cache.c) ------------------------------- */
/* The toolchain directory, installed on first use: node_modules with the
 * pinned packages, the helper scripts and wit/. *dir is malloc'ed. */
int jswasi_toolchain(const funcp_host *host, funcp_call *call, char **dir);

/* -- the jco runner's transpile cache (serve_cache.c) ---------------- */
/* The helper script and the directory holding artifact transpiled for node,
 * keyed by the artifact's sha256: reused when present, else transpiled, which
 * refuses a file that is not a component exporting wasi:http/incoming-handler
 * (FUNCP_EINCOMPATIBLE). Both strings are malloc'ed. */
int jswasi_serve_cache(const funcp_host *host, funcp_call *call, const char *toolchain,
                       const char *artifact, char **script, char **entry);

/* -- files (files.c) -------------------------------------------------- */
char *jswasi_strf(const char *fmt, ...) FUNCP_PRINTF(1, 2);
const jswasi_file *jswasi_embedded(const char *name);
/* mkdir -p. Returns 0 or -1 with errno set. */
int jswasi_mkdirs(const char *path);
/* Write path atomically (temp file in the same directory + rename). */
int jswasi_write_file(const char *path, const void *data, size_t len);
/* rm -rf; a missing path is fine. Returns 0 or -1 with errno set. */
int jswasi_rmtree(const char *path);
/* Non-zero when path exists. */
int jswasi_exists(const char *path);

/* -- addresses (net.c) ------------------------------------------------ */
/* Split "host:port" ("[::1]:8080" too). host is malloc'ed. */
int jswasi_split_address(const char *address, char **host, char **port);
/* 0 when host:port can be bound now, else the errno of the failed bind
 * (EADDRINUSE: something listens there; EADDRNOTAVAIL: unknown host). */
int jswasi_address_bind_error(const char *host, const char *port);
/* Non-zero when a TCP connect to host:port succeeds. */
int jswasi_address_answers(const char *host, const char *port);

#endif
