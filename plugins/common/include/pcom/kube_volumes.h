/* func's ProcessVolumes: func.yaml run.volumes as pod volumes and container
 * mounts, for both deployers (a WasmModule takes the same two lists). */
#ifndef PCOM_KUBE_VOLUMES_H
#define PCOM_KUBE_VOLUMES_H

#include <json-c/json.h>
#include <stddef.h>

/* Arrays that collect each referenced name once (any may be NULL). */
typedef struct pcom_volume_refs {
    json_object *secrets, *config_maps, *pvcs;
} pcom_volume_refs;

/* resource.Quantity syntax: a number with an optional binary or decimal
 * suffix or exponent ("64Mi", "100m", "1e3"). */
int pcom_kube_quantity_ok(const char *q);

/* Volumes named as func names them (secret-S, config-map-C, pvc-P,
 * empty-dir-<7 random>), one per source, one mount per entry; an entry with
 * no source is skipped, as func does. *volumes and *mounts are NULL when
 * there is no mount. random7: NULL for random names. On a bad entry returns
 * -1 with the reason in err (and nothing allocated). */
int pcom_kube_volumes(json_object *list, void (*random7)(char out[8]), const pcom_volume_refs *refs,
                      json_object **volumes, json_object **mounts, char *err, size_t err_size);

#endif
