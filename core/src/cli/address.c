#include "cli/address.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

static int only(const char *s, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, s[i]))
            return 0;
    return 1;
}

int fp_cli_check_address(const char *flag, const char *value)
{
    const char *colon = value ? strrchr(value, ':') : NULL;
    if (!colon || colon == value || !colon[1])
        return fp_error_set(FUNCP_EUSAGE, "--%s \"%s\": expected host:port, e.g. 127.0.0.1:8080",
                            flag, value ? value : "");
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535 || !only(colon + 1, strlen(colon + 1), "0123456789"))
        return fp_error_set(FUNCP_EUSAGE, "--%s \"%s\": port \"%s\" is not a number from 1 to 65535",
                            flag, value, colon + 1);
    size_t hlen = (size_t)(colon - value);
    char host[256];
    if (hlen >= sizeof host)
        return fp_error_set(FUNCP_EUSAGE, "--%s: host name too long", flag);
    memcpy(host, value, hlen);
    host[hlen] = '\0';
    unsigned char addr[16];
    if (host[0] == '[') {
        /* [::1]:8080: the brackets hold a numeric IPv6 address. */
        if (hlen < 3 || host[hlen - 1] != ']')
            return fp_error_set(FUNCP_EUSAGE, "--%s \"%s\": unbalanced '[' in the host", flag,
                                value);
        host[hlen - 1] = '\0';
        if (inet_pton(AF_INET6, host + 1, addr) != 1)
            return fp_error_set(FUNCP_EUSAGE, "--%s \"%s\": \"%s\" is not an IPv6 address", flag,
                                value, host + 1);
        return FUNCP_OK;
    }
    /* All digits and dots means an IPv4 address, so 999.1.1.1 is a typo,
     * not a host name to look up. */
    if (only(host, hlen, "0123456789.")) {
        if (inet_pton(AF_INET, host, addr) != 1)
            return fp_error_set(FUNCP_EUSAGE, "--%s \"%s\": \"%s\" is not an IPv4 address", flag,
                                value, host);
        return FUNCP_OK;
    }
    if (!only(host, hlen, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ||
        host[0] == '-' || host[0] == '.')
        return fp_error_set(FUNCP_EUSAGE, "--%s \"%s\": \"%s\" is not a host name or IP address",
                            flag, value, host);
    return FUNCP_OK;
}
