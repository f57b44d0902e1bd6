/* Placeholder until the Kubernetes client lands: the kube engineer replaces
 * this file with the real fp_kube_api_get(). NULL means "no kube client". */
#include <stddef.h>

#include "net/apis.h"

const struct fp_kube_api *fp_kube_api_get(void)
{
    return NULL;
}
