/* libfuncp is built with hidden visibility; FP_API marks what it exports
 * (the entry point of the funcp executable and what the lazily loaded
 * network module calls back into). */
#ifndef FUNCP_UTIL_API_H
#define FUNCP_UTIL_API_H

#if defined(__GNUC__)
#define FP_API __attribute__((visibility("default")))
#else
#define FP_API
#endif

#endif
