/* Files compiled into the plugin by cmake/embed.cmake. */
#ifndef JSWASI_EMBEDDED_H
#define JSWASI_EMBEDDED_H

#include <stddef.h>

typedef struct jswasi_file {
    const char *name;            /* "http/index.js", "data/package.json" */
    const unsigned char *data;   /* NUL-terminated                        */
    size_t size;
} jswasi_file;

/* Terminated by an entry whose name is NULL. */
extern const jswasi_file jswasi_files[];

#endif
