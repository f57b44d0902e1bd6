#include "util/term.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int fp_term_is_tty(FILE *f)
{
    return isatty(fileno(f));
}

int fp_term_color(FILE *f)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color)
        return 0;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    return fp_term_is_tty(f);
}

const char *fp_term_sgr(FILE *f, const char *code)
{
    static char buf[4][32];
    static unsigned next;
    if (!fp_term_color(f))
        return "";
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "\033[%sm", code);
    return b;
}
