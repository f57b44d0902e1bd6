/* The three API tables that make up the funcp-net module; net_module.c
 * gathers them into fp_net_module. */
#ifndef FUNCP_NET_APIS_H
#define FUNCP_NET_APIS_H

struct fp_oci_api;
struct fp_kube_api;
struct fp_http_api;

const struct fp_oci_api *fp_oci_api_get(void);   /* oci/oci_api.c  */
const struct fp_kube_api *fp_kube_api_get(void); /* kube/           */
const struct fp_http_api *fp_http_api_get(void); /* net/http.c      */

#endif
