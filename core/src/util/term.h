/* Terminal facts: is a stream a terminal, may we use colour. */
#ifndef FUNCP_UTIL_TERM_H
#define FUNCP_UTIL_TERM_H

#include <stdio.h>

/* 1 when `f` is a terminal. */
int fp_term_is_tty(FILE *f);
/* 1 when colour may be written to `f`: a terminal, NO_COLOR unset, TERM not "dumb". */
int fp_term_color(FILE *f);
/* `code` ("1;31") wrapped around nothing: the escape or "" when no colour. */
const char *fp_term_sgr(FILE *f, const char *code);

#endif
