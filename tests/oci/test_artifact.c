/* Config blob, manifest and OCI layout of a Wasm artifact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "net/apis.h"
#include "oci/artifact.h"
#include "oci/config_blob.h"
#include "oci/digest.h"
#include "oci/layout.h"
#include "oci/oci_api.h"
#include "util/error.h"
#include "wasm_fixture.h"

static char dir[256];

static void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/funcp-artifact-XXXXXX");
    setenv("SOURCE_DATE_EPOCH", "86400", 1);
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static json_object *get(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v))
        fail_msg("no \"%s\" in %s", key, json_object_to_json_string(o));
    return v;
}

static void test_digest_vector(void **state)
{
    (void)state;
    char d[FP_DIGEST_LEN + 1];
    assert_int_equal(fp_digest_buffer("abc", 3, d), 0);
    /* FIPS 180-2 test vector for "abc" */
    assert_string_equal(d, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_component_config(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/c.wasm", dir);
    write_bytes(path, fixture_component, sizeof fixture_component);
    fp_artifact a;
    assert_int_equal(fp_artifact_from_wasm(path, &a), 0);
    char layer[FP_DIGEST_LEN + 1], cfg[FP_DIGEST_LEN + 1];
    fp_digest_buffer(fixture_component, sizeof fixture_component, layer);
    assert_string_equal(a.layer.digest, layer);
    assert_int_equal(a.layer.size, sizeof fixture_component);

    json_object *c = json_tokener_parse(a.config_json);
    assert_non_null(c);
    assert_string_equal(json_object_get_string(get(c, "architecture")), "wasm");
    assert_string_equal(json_object_get_string(get(c, "os")), "wasip2");
    assert_string_equal(json_object_get_string(get(c, "created")), "1970-01-02T00:00:00Z");
    json_object *ld = get(c, "layerDigests");
    assert_int_equal(json_object_array_length(ld), 1);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(ld, 0)), layer);
    json_object *comp = get(c, "component");
    assert_string_equal(json_object_get_string(json_object_array_get_idx(get(comp, "imports"), 0)),
                        "wasi:cli/environment@0.2.3");
    assert_string_equal(json_object_get_string(json_object_array_get_idx(get(comp, "exports"), 0)),
                        "wasi:http/incoming-handler@0.2.3");
    json_object_put(c);

    fp_digest_buffer(a.config_json, a.config_len, cfg);
    json_object *m = json_tokener_parse(a.manifest);
    assert_int_equal(json_object_get_int(get(m, "schemaVersion")), 2);
    assert_string_equal(json_object_get_string(get(m, "mediaType")), "application/vnd.oci.image.manifest.v1+json");
    json_object *mc = get(m, "config");
    assert_string_equal(json_object_get_string(get(mc, "mediaType")), "application/vnd.wasm.config.v0+json");
    assert_string_equal(json_object_get_string(get(mc, "digest")), cfg);
    assert_int_equal(json_object_get_int64(get(mc, "size")), (int64_t)a.config_len);
    json_object *l0 = json_object_array_get_idx(get(m, "layers"), 0);
    assert_string_equal(json_object_get_string(get(l0, "mediaType")), "application/wasm");
    assert_string_equal(json_object_get_string(get(l0, "digest")), layer);
    json_object_put(m);
    /* our own parser reads it back */
    fp_descriptor dc, dl;
    assert_int_equal(fp_manifest_parse(a.manifest, a.manifest_len, "m", &dc, &dl), 0);
    assert_string_equal(dl.digest, layer);
    assert_int_equal(dc.size, a.config_len);
    fp_artifact_free(&a);
}

static void test_module_config(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/m.wasm", dir);
    write_bytes(path, fixture_module, sizeof fixture_module);
    fp_artifact a;
    assert_int_equal(fp_artifact_from_wasm(path, &a), 0);
    json_object *c = json_tokener_parse(a.config_json);
    assert_string_equal(json_object_get_string(get(c, "os")), "wasip1");
    assert_false(json_object_object_get_ex(c, "component", NULL));
    json_object_put(c);
    fp_artifact_free(&a);
}

static void test_not_wasm_refused(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/x.txt", dir);
    write_bytes(path, "hello world", 11);
    fp_artifact a;
    assert_int_equal(fp_artifact_from_wasm(path, &a), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "not a WebAssembly file"));
}

static void test_manifest_checks(void **state)
{
    (void)state;
    fp_descriptor c, l;
    static const char two_layers[] =
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.wasm.config.v0+json\",\"size\":2,"
        "\"digest\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"},\"layers\":["
        "{\"mediaType\":\"application/wasm\",\"size\":1,\"digest\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"},"
        "{\"mediaType\":\"application/wasm\",\"size\":1,\"digest\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"}]}";
    assert_int_equal(fp_manifest_parse(two_layers, strlen(two_layers), "r/x", &c, &l), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "exactly one layer"));
    static const char image[] =
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":2,"
        "\"digest\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"},\"layers\":[]}";
    assert_int_equal(fp_manifest_parse(image, strlen(image), "r/x", &c, &l), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "application/vnd.oci.image.config.v1+json"));
}

static void test_layout(void **state)
{
    (void)state;
    const fp_oci_api *api = fp_oci_api_get();
    char wasm[512], layout[512], path[700];
    snprintf(wasm, sizeof wasm, "%s/c.wasm", dir);
    snprintf(layout, sizeof layout, "%s/layout", dir);
    write_bytes(wasm, fixture_component, sizeof fixture_component);
    funcp_oci_result r = {.struct_size = sizeof r};
    assert_int_equal(api->layout_write(NULL, layout, wasm, "latest", &r), 0);
    assert_int_equal(r.size, sizeof fixture_component);
    char first[FP_DIGEST_LEN + 1];
    strcpy(first, r.digest);
    assert_int_equal(api->layout_write(NULL, layout, wasm, "latest", &r), 0);
    assert_string_equal(r.digest, first); /* same input, same artifact */
    write_bytes(wasm, fixture_module, sizeof fixture_module);
    assert_int_equal(api->layout_write(NULL, layout, wasm, "v1", &r), 0);
    assert_string_not_equal(r.digest, first);

    snprintf(path, sizeof path, "%s/oci-layout", layout);
    json_object *ol = json_object_from_file(path);
    assert_string_equal(json_object_get_string(get(ol, "imageLayoutVersion")), "1.0.0");
    json_object_put(ol);
    snprintf(path, sizeof path, "%s/index.json", layout);
    json_object *index = json_object_from_file(path);
    json_object *ms = get(index, "manifests");
    assert_int_equal(json_object_array_length(ms), 2); /* "latest" replaced, "v1" added */
    int seen = 0;
    for (size_t i = 0; i < 2; i++) {
        json_object *e = json_object_array_get_idx(ms, i);
        const char *tag = json_object_get_string(get(get(e, "annotations"), "org.opencontainers.image.ref.name"));
        if (!strcmp(tag, "latest")) {
            assert_string_equal(json_object_get_string(get(e, "digest")), first);
            seen++;
        }
    }
    assert_int_equal(seen, 1);
    json_object_put(index);

    char found[FP_DIGEST_LEN + 1];
    assert_int_equal(fp_layout_find(layout, "latest", found), 0);
    assert_string_equal(found, first);
    assert_int_equal(fp_layout_find(layout, "nope", found), FUNCP_ENOTFOUND);
    assert_non_null(strstr(fp_error_message(), "nope"));
    /* every blob is stored under its own digest */
    char *data;
    size_t len;
    fp_descriptor c, l;
    assert_int_equal(fp_layout_read_blob(layout, first, &data, &len), 0);
    assert_int_equal(fp_manifest_parse(data, len, "m", &c, &l), 0);
    free(data);
    assert_int_equal(fp_layout_read_blob(layout, c.digest, &data, &len), 0);
    free(data);
    assert_int_equal(fp_layout_read_blob(layout, l.digest, &data, &len), 0);
    assert_int_equal(len, sizeof fixture_component);
    assert_memory_equal(data, fixture_component, len);
    free(data);
    /* a corrupted blob is detected */
    fp_layout_blob_path(layout, l.digest, path, sizeof path);
    write_bytes(path, "tampered", 8);
    assert_int_equal(fp_layout_read_blob(layout, l.digest, &data, &len), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "does not match"));
    /* no temporary file is left behind */
    char cmd[800];
    snprintf(cmd, sizeof cmd, "find '%s' -name '*.tmp-*' | grep -q .", layout);
    assert_int_not_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest_vector),
        cmocka_unit_test(test_component_config),
        cmocka_unit_test(test_module_config),
        cmocka_unit_test(test_not_wasm_refused),
        cmocka_unit_test(test_manifest_checks),
        cmocka_unit_test(test_layout),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
