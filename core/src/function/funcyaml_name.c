/* The name rule knative func applies at create: a DNS-1035 label (the name
 * becomes a Kubernetes Service's). Loading is laxer, as func's is: the
 * schema pattern in funcyaml_schema.c. */
#include <string.h>

#include "function/funcyaml.h"
#include "util/error.h"

enum { DNS1035_MAX = 63 };

static int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

int fp_funcyaml_check_new_name(const char *name)
{
    const char *n = name ? name : "";
    size_t len = strlen(n);
    int pattern_ok = len > 0 && is_lower(n[0]) && (is_lower(n[len - 1]) || is_digit(n[len - 1]));
    for (size_t i = 0; pattern_ok && i < len; i++)
        pattern_ok = is_lower(n[i]) || is_digit(n[i]) || n[i] == '-';
    /* func's wording (k8s IsDNS1035Label with "a DNS-1035 label" replaced
     * by the name), both problems when both apply. */
    const char *too_long = len > DNS1035_MAX ? "must be no more than 63 characters" : NULL;
    const char *rule = pattern_ok ? NULL
                                  : "must consist of lower case alphanumeric characters or '-', "
                                    "start with an alphabetic character, and end with an "
                                    "alphanumeric character (e.g. 'my-name',  or 'abc-123', "
                                    "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    if (!too_long && !rule)
        return FUNCP_OK;
    return fp_error_set(FUNCP_EUSAGE, "Function name '%s' %s%s%s", n, too_long ? too_long : "",
                        too_long && rule ? "; and " : "", rule ? rule : "");
}
