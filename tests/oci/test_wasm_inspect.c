/* Core modules and components built byte by byte: os, imports, exports,
 * and malformed input (every truncation and byte flip of a component). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "oci/wasm_inspect.h"
#include "util/error.h"

typedef struct buf {
    uint8_t b[4096];
    size_t n;
} buf;

static void put(buf *o, const void *p, size_t n)
{
    assert_true(o->n + n <= sizeof o->b);
    memcpy(o->b + o->n, p, n);
    o->n += n;
}
static void byte(buf *o, uint8_t v) { put(o, &v, 1); }
static void leb(buf *o, uint32_t v)
{
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        byte(o, (uint8_t)(b | (v ? 0x80 : 0)));
    } while (v);
}
static void name(buf *o, const char *s) { leb(o, (uint32_t)strlen(s)); put(o, s, strlen(s)); }
static void section(buf *o, uint8_t id, const buf *body) { byte(o, id); leb(o, (uint32_t)body->n); put(o, body->b, body->n); }

static const uint8_t component_preamble[] = {0, 'a', 's', 'm', 0x0d, 0, 1, 0};
static const uint8_t module_preamble[] = {0, 'a', 's', 'm', 1, 0, 0, 0};

/* A component importing two instances and a versioned-name func, exporting
 * wasi:http/incoming-handler, with a nested core module and a custom
 * section in between whose bytes look like import sections. */
static void build_component(buf *o)
{
    memset(o, 0, sizeof *o);
    put(o, component_preamble, sizeof component_preamble);
    buf custom = {0};
    name(&custom, "producers");
    put(&custom, "\x0a\x05\x01\x00\x01x\x05", 7);
    section(o, 0, &custom);
    buf core = {0};
    put(&core, module_preamble, sizeof module_preamble);
    buf fake = {0};
    leb(&fake, 1);
    byte(&fake, 0);
    name(&fake, "nested:not/top-level");
    byte(&fake, 0x05);
    leb(&fake, 0);
    section(&core, 10, &fake);
    section(o, 1, &core);
    buf imports = {0};
    leb(&imports, 3);
    byte(&imports, 0x00);
    name(&imports, "wasi:cli/environment@0.2.3");
    byte(&imports, 0x05); /* instance */
    leb(&imports, 0);
    byte(&imports, 0x00);
    name(&imports, "wasi:io/streams@0.2.3");
    byte(&imports, 0x03); /* type, sub resource */
    byte(&imports, 0x01);
    byte(&imports, 0x01); /* name with a version suffix */
    name(&imports, "wasi:clocks/monotonic-clock");
    name(&imports, "0.2.3");
    byte(&imports, 0x02); /* value of valtype string */
    byte(&imports, 0x01);
    byte(&imports, 0x73);
    section(o, 10, &imports);
    buf exports = {0};
    leb(&exports, 2);
    byte(&exports, 0x00);
    name(&exports, "wasi:http/incoming-handler@0.2.3");
    byte(&exports, 0x05); /* sort instance */
    leb(&exports, 1);
    byte(&exports, 0x00); /* no type ascription */
    byte(&exports, 0x00);
    name(&exports, "run");
    byte(&exports, 0x00); /* core sort */
    byte(&exports, 0x00);
    leb(&exports, 200);
    byte(&exports, 0x01); /* with a func type */
    byte(&exports, 0x01);
    leb(&exports, 3);
    section(o, 11, &exports);
}

static void test_component(void **state)
{
    (void)state;
    buf o;
    build_component(&o);
    fp_wasm_info info;
    assert_int_equal(fp_wasm_inspect_buffer(o.b, o.n, "c.wasm", &info), 0);
    assert_true(info.is_component);
    assert_string_equal(info.os, "wasip2");
    assert_int_equal(info.n_imports, 3);
    assert_string_equal(info.imports[0], "wasi:cli/environment@0.2.3");
    assert_string_equal(info.imports[1], "wasi:io/streams@0.2.3");
    assert_string_equal(info.imports[2], "wasi:clocks/monotonic-clock");
    assert_int_equal(info.n_exports, 2);
    assert_string_equal(info.exports[0], "wasi:http/incoming-handler@0.2.3");
    assert_string_equal(info.exports[1], "run");
    fp_wasm_info_free(&info);

    /* The file reader gives the same answer. */
    char path[] = "/tmp/funcp-wasm-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, o.b, o.n), (ssize_t)o.n);
    close(fd);
    assert_int_equal(fp_wasm_inspect_file(path, &info), 0);
    assert_int_equal(info.n_imports, 3);
    assert_int_equal(info.n_exports, 2);
    assert_string_equal(info.exports[0], "wasi:http/incoming-handler@0.2.3");
    fp_wasm_info_free(&info);
    /* Truncated inside the export section: the file reader says so. */
    assert_int_equal(truncate(path, (off_t)o.n - 3), 0);
    assert_int_equal(fp_wasm_inspect_file(path, &info), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), path));
    unlink(path);
}

static void test_core_module(void **state)
{
    (void)state;
    buf o = {0};
    put(&o, module_preamble, sizeof module_preamble);
    buf types = {0};
    put(&types, "\x01\x60\x00\x00", 4);
    section(&o, 1, &types);
    fp_wasm_info info;
    assert_int_equal(fp_wasm_inspect_buffer(o.b, o.n, "m.wasm", &info), 0);
    assert_false(info.is_component);
    assert_string_equal(info.os, "wasip1");
    assert_int_equal(info.n_imports, 0);
}

static void test_not_wasm(void **state)
{
    (void)state;
    fp_wasm_info info;
    assert_int_equal(fp_wasm_inspect_buffer((const uint8_t *)"#!/bin/sh\n", 10, "script.sh", &info), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "script.sh"));
    assert_non_null(strstr(fp_error_message(), "not a WebAssembly file"));
    assert_int_equal(fp_wasm_inspect_buffer(component_preamble, 4, "short.wasm", &info), FUNCP_EPARSE);
    static const uint8_t layer2[] = {0, 'a', 's', 'm', 0x0d, 0, 2, 0};
    assert_int_equal(fp_wasm_inspect_buffer(layer2, sizeof layer2, "l2.wasm", &info), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "layer 2"));
    assert_int_equal(fp_wasm_inspect_file("/nonexistent/x.wasm", &info), FUNCP_ENOTFOUND);
}

static void test_malformed_sections(void **state)
{
    (void)state;
    fp_wasm_info info;
    buf o = {0};
    put(&o, component_preamble, sizeof component_preamble);
    byte(&o, 10);
    leb(&o, 100); /* claims 100 bytes, has 2 */
    put(&o, "\x01\x00", 2);
    assert_int_equal(fp_wasm_inspect_buffer(o.b, o.n, "x.wasm", &info), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "past the end"));
    assert_non_null(strstr(fp_error_message(), "byte"));

    memset(&o, 0, sizeof o);
    put(&o, component_preamble, sizeof component_preamble);
    buf imp = {0};
    leb(&imp, 1);
    byte(&imp, 0);
    leb(&imp, 50); /* name longer than the section */
    put(&imp, "abc", 3);
    section(&o, 10, &imp);
    assert_int_equal(fp_wasm_inspect_buffer(o.b, o.n, "x.wasm", &info), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "name runs past"));
}

/* Every prefix and every single-byte change of a valid component is either
 * accepted or refused with FUNCP_EPARSE; ASan/valgrind check the reads. */
static void test_mutations(void **state)
{
    (void)state;
    buf o;
    build_component(&o);
    fp_wasm_info info;
    size_t refused = 0;
    for (size_t n = 0; n < o.n; n++) {
        int rc = fp_wasm_inspect_buffer(o.b, n, "t.wasm", &info);
        assert_true(rc == 0 || rc == FUNCP_EPARSE);
        refused += rc != 0;
        if (!rc)
            fp_wasm_info_free(&info);
    }
    assert_true(refused > o.n / 2);
    for (size_t i = 8; i < o.n; i++) {
        for (int v = 0; v < 256; v += 17) {
            buf m = o;
            m.b[i] = (uint8_t)v;
            int rc = fp_wasm_inspect_buffer(m.b, m.n, "t.wasm", &info);
            assert_true(rc == 0 || rc == FUNCP_EPARSE);
            if (!rc)
                fp_wasm_info_free(&info);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_component),
        cmocka_unit_test(test_core_module),
        cmocka_unit_test(test_not_wasm),
        cmocka_unit_test(test_malformed_sections),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
