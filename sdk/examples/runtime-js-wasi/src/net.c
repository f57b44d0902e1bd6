/* Addresses: is the port free before we start a server, and does the
 * server answer yet. */
#include "jswasi.h"

#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

int jswasi_split_address(const char *address, char **host, char **port)
{
    const char *colon = strrchr(address, ':');
    if (!colon || colon == address || !colon[1])
        return -1;
    const char *h = address;
    size_t hlen = (size_t)(colon - address);
    if (h[0] == '[' && hlen >= 2 && h[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    }
    for (const char *p = colon + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    long n = strtol(colon + 1, NULL, 10);
    if (n < 1 || n > 65535)
        return -1;
    *host = strndup(h, hlen);
    *port = strdup(colon + 1);
    if (!*host || !*port) {
        free(*host);
        free(*port);
        return -1;
    }
    return 0;
}

static struct addrinfo *resolve(const char *host, const char *port, int passive)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = passive ? AI_PASSIVE : 0;
    return getaddrinfo(host, port, &hints, &res) == 0 ? res : NULL;
}

int jswasi_address_bind_error(const char *host, const char *port)
{
    struct addrinfo *res = resolve(host, port, 1);
    if (!res)
        return EADDRNOTAVAIL;
    int err = 0;
    for (struct addrinfo *a = res; a && !err; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        /* As servers do: a port in TIME_WAIT from the last run is free. */
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) != 0)
            err = errno;
        close(fd);
    }
    freeaddrinfo(res);
    return err;
}

int jswasi_address_answers(const char *host, const char *port)
{
    struct addrinfo *res = resolve(host, port, 0);
    if (!res)
        return 0;
    int ok = 0;
    for (struct addrinfo *a = res; a && !ok; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        ok = connect(fd, a->ai_addr, a->ai_addrlen) == 0;
        close(fd);
    }
    freeaddrinfo(res);
    return ok;
}
