#include "pcom/kube_volumes.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcom/json.h"

/* resource.Quantity syntax: number, optional binary/decimal suffix or exponent. */
int pcom_kube_quantity_ok(const char *q)
{
    const char *p = q;
    if (*p == '+' || *p == '-')
        p++;
    int digits = 0;
    while (isdigit((unsigned char)*p)) { p++; digits++; }
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) { p++; digits++; }
    }
    if (!digits)
        return 0;
    static const char *const suffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u",
                                           "m", "k", "M", "G", "T", "P", "E"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (strcmp(p, suffixes[i]) == 0)
            return 1;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return 0;
        while (isdigit((unsigned char)*p))
            p++;
        return *p == '\0';
    }
    return 0;
}

static void random_name(char out[8])
{
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    unsigned char raw[7] = {0};
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(raw, 1, sizeof raw, f) : 0;
    if (f)
        fclose(f);
    for (int i = 0; i < 7; i++)
        out[i] = alphabet[(got == sizeof raw ? raw[i] : (unsigned)rand()) % (sizeof alphabet - 1)];
    out[7] = '\0';
}

static int has_volume(json_object *vols, const char *name)
{
    for (size_t i = 0; i < pcom_jlen(vols); i++)
        if (strcmp(pcom_jstr(pcom_jidx(vols, i), "name"), name) == 0)
            return 1;
    return 0;
}

static const char *scalar(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null) ||
        json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array))
        return NULL;
    return json_object_get_string(v);
}

static void add_unique(json_object *arr, const char *name)
{
    if (!arr)
        return;
    for (size_t i = 0; i < pcom_jlen(arr); i++)
        if (strcmp(json_object_get_string(pcom_jidx(arr, i)), name) == 0)
            return;
    json_object_array_add(arr, json_object_new_string(name));
}

int pcom_kube_volumes(json_object *list, void (*random7)(char out[8]), const pcom_volume_refs *refs,
                      json_object **volumes, json_object **mounts_out, char *err, size_t err_size)
{
    json_object *vols = json_object_new_array(), *mounts = json_object_new_array();
    json_object *paths = json_object_new_array();
    char vname[300];
    int failed = 0;
    *volumes = *mounts_out = NULL;
    size_t n = list && json_object_is_type(list, json_type_array) ? pcom_jlen(list) : 0;
    for (size_t i = 0; i < n && !failed; i++) {
        json_object *e = pcom_jidx(list, i);
        const char *path = scalar(e, "path");
        const char *secret = scalar(e, "secret"), *cm = scalar(e, "configMap");
        json_object *pvc = pcom_jget(e, "persistentVolumeClaim"), *ed = pcom_jget(e, "emptyDir");
        json_object *vol = json_object_new_object(), *src = json_object_new_object();
        const char *kind = NULL;
        if (secret) {
            snprintf(vname, sizeof vname, "secret-%s", secret);
            kind = "secret";
            pcom_jset_str(src, "secretName", secret);
            if (refs)
                add_unique(refs->secrets, secret);
        } else if (cm) {
            snprintf(vname, sizeof vname, "config-map-%s", cm);
            kind = "configMap";
            pcom_jset_str(src, "name", cm);
            if (refs)
                add_unique(refs->config_maps, cm);
        } else if (pvc && scalar(pvc, "claimName")) {
            const char *claim = scalar(pvc, "claimName");
            snprintf(vname, sizeof vname, "pvc-%s", claim);
            kind = "persistentVolumeClaim";
            pcom_jset_str(src, "claimName", claim);
            json_object *ro;
            if (json_object_object_get_ex(pvc, "readOnly", &ro) && json_object_get_boolean(ro))
                json_object_object_add(src, "readOnly", json_object_new_boolean(1));
            if (refs)
                add_unique(refs->pvcs, claim);
        } else if (ed) {
            char r[8];
            (random7 ? random7 : random_name)(r);
            snprintf(vname, sizeof vname, "empty-dir-%s", r);
            kind = "emptyDir";
            const char *medium = scalar(ed, "medium"), *size = scalar(ed, "sizeLimit");
            if (medium && *medium)
                pcom_jset_str(src, "medium", medium);
            if (size) {
                if (!pcom_kube_quantity_ok(size) && !failed++)
                    snprintf(err, err_size, "invalid quantity for sizeLimit: \"%s\" (run.volumes[%zu])", size, i);
                pcom_jset_str(src, "sizeLimit", size);
            }
        }
        if (!kind) { /* an entry with no source is skipped, as func does */
            json_object_put(vol);
            json_object_put(src);
            continue;
        }
        if (!path || !*path) {
            if (!failed++)
                snprintf(err, err_size, "run.volumes[%zu]: a volume needs a path", i);
        } else {
            for (size_t j = 0; j < pcom_jlen(paths); j++)
                if (strcmp(json_object_get_string(pcom_jidx(paths, j)), path) == 0 && !failed++)
                    snprintf(err, err_size, "mount path %s is defined multiple times", path);
            json_object_array_add(paths, json_object_new_string(path));
        }
        pcom_jset_str(vol, "name", vname);
        json_object_object_add(vol, kind, src);
        if (!has_volume(vols, vname))
            json_object_array_add(vols, vol);
        else
            json_object_put(vol);
        json_object *mount = json_object_new_object();
        pcom_jset_str(mount, "name", vname);
        pcom_jset_str(mount, "mountPath", path ? path : "");
        json_object_array_add(mounts, mount);
    }
    json_object_put(paths);
    if (!failed && pcom_jlen(mounts) > 0) {
        *volumes = vols;
        *mounts_out = mounts;
    } else {
        json_object_put(mounts);
        json_object_put(vols);
    }
    return failed ? -1 : 0;
}

