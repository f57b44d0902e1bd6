#include "cli/address.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

int fp_cli_address_free(const char *flag, const char *value)
{
    const char *colon = strrchr(value, ':');
    char host[256];
    size_t hlen = (size_t)(colon - value);
    if (hlen >= sizeof host)
        return FUNCP_OK;
    memcpy(host, value, hlen);
    host[hlen] = '\0';
    char *h = host;
    if (h[0] == '[' && hlen > 2) {
        h[hlen - 1] = '\0';
        h++;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    if (getaddrinfo(h, colon + 1, &hints, &res) != 0)
        return FUNCP_OK; /* the runner says what is wrong with the name */
    int err = 0;
    for (struct addrinfo *ai = res; ai && !err; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        /* As servers do: a port in TIME_WAIT is free to them. */
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 && (errno == EADDRINUSE || errno == EACCES))
            err = errno;
        close(fd);
    }
    freeaddrinfo(res);
    if (!err)
        return FUNCP_OK;
    if (err == EACCES)
        fp_error_set(FUNCP_ERROR, "--%s %s: port %s is privileged (permission denied)", flag,
                     value, colon + 1);
    else
        fp_error_set(FUNCP_ERROR, "--%s %s: the address is already in use", flag, value);
    fp_error_hint("choose another with --%s, e.g. --%s %.*s:%d", flag, flag, (int)hlen, value,
                  atoi(colon + 1) == 65535 ? 8080 : atoi(colon + 1) + 1);
    return FUNCP_ERROR;
}
