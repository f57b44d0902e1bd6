/* runtime-js-wasi address helpers: parsing --address, and telling a taken
 * port from a free one with real sockets on 127.0.0.1. */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "jswasi.h"

static void split_ok(const char *address, const char *want_host, const char *want_port)
{
    char *host = NULL, *port = NULL;
    assert_int_equal(jswasi_split_address(address, &host, &port), 0);
    assert_string_equal(host, want_host);
    assert_string_equal(port, want_port);
    free(host);
    free(port);
}

static void test_split_valid(void **state)
{
    (void)state;
    split_ok("127.0.0.1:8080", "127.0.0.1", "8080");
    split_ok("localhost:1", "localhost", "1");
    split_ok("[::1]:65535", "::1", "65535");
}

static void test_split_invalid(void **state)
{
    (void)state;
    const char *bad[] = {"127.0.0.1", "127.0.0.1:", ":8080", "host:80a", "host:0",
                         "host:65536", "host:-1", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *host = (char *)"untouched", *port = (char *)"untouched";
        assert_int_equal(jswasi_split_address(bad[i], &host, &port), -1);
        assert_string_equal(host, "untouched");
    }
}

/* A listening socket on 127.0.0.1 at a kernel-chosen port. */
static int listen_any(char port[16])
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 4), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    snprintf(port, 16, "%u", (unsigned)ntohs(sa.sin_port));
    return fd;
}

static void test_taken_port(void **state)
{
    (void)state;
    char port[16];
    int fd = listen_any(port);
    assert_int_equal(jswasi_address_bind_error("127.0.0.1", port), EADDRINUSE);
    assert_true(jswasi_address_answers("127.0.0.1", port));
    close(fd);
    /* Free again once the listener is gone (SO_REUSEADDR, as servers do). */
    assert_int_equal(jswasi_address_bind_error("127.0.0.1", port), 0);
    assert_false(jswasi_address_answers("127.0.0.1", port));
}

static void test_unknown_host(void **state)
{
    (void)state;
    assert_int_equal(jswasi_address_bind_error("no-such-host.invalid", "8080"), EADDRNOTAVAIL);
    assert_false(jswasi_address_answers("no-such-host.invalid", "8080"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_valid),
        cmocka_unit_test(test_split_invalid),
        cmocka_unit_test(test_taken_port),
        cmocka_unit_test(test_unknown_host),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
