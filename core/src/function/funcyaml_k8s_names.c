/* The Kubernetes name rules knative func checks func.yaml values with
 * (k8s.io/apimachinery validation: IsEnvVarName, IsQualifiedName,
 * IsValidLabelValue), with their messages, so an error reads as func's. */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "function/funcyaml_k8s_names.h"

static int matches(const char *pattern, const char *s)
{
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return 0;
    int ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

/* Append "; "-joined problems to out (func joins them with nothing). */
static void add(char *out, size_t size, const char *prefix, const char *what)
{
    size_t n = strlen(out);
    snprintf(out + n, size - n, "%s%s%s", n ? "; " : "", prefix, what);
}

#define QNAME_FMT "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
#define QNAME_MSG                                                                               \
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " \
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "      \
    "validation is '" QNAME_FMT "')"
#define DNS1123_LABEL "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
#define SUBDOMAIN_FMT DNS1123_LABEL "(\\." DNS1123_LABEL ")*"

int fy_k8s_env_var_name(const char *name, char *why, size_t size)
{
    why[0] = '\0';
    if (!matches("^[-._a-zA-Z][-._a-zA-Z0-9]*$", name))
        add(why, size, "",
            "a valid environment variable name must consist of alphabetic characters, digits, "
            "'_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or "
            "'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is "
            "'[-._a-zA-Z][-._a-zA-Z0-9]*')");
    if (!strcmp(name, "."))
        add(why, size, "", "must not be '.'");
    else if (!strcmp(name, ".."))
        add(why, size, "", "must not be '..'");
    else if (!strncmp(name, "..", 2))
        add(why, size, "", "must not start with '..'");
    return why[0] == '\0';
}

static void dns1123_subdomain(const char *s, const char *part, char *why, size_t size)
{
    if (strlen(s) > 253)
        add(why, size, part, "must be no more than 253 characters");
    if (!matches("^" SUBDOMAIN_FMT "$", s))
        add(why, size, part,
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
            "'-' or '.', and must start and end with an alphanumeric character (e.g. "
            "'example.com', regex used for validation is '" SUBDOMAIN_FMT "')");
}

int fy_k8s_subdomain(const char *s, char *why, size_t size)
{
    why[0] = '\0';
    dns1123_subdomain(s, "", why, size);
    return why[0] == '\0';
}

int fy_k8s_label_key(const char *key, char *why, size_t size)
{
    why[0] = '\0';
    const char *slash = strchr(key, '/');
    const char *name = key;
    if (slash && strchr(slash + 1, '/')) {
        add(why, size, "a qualified name ",
            QNAME_MSG " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        return 0;
    }
    if (slash) {
        char prefix[512];
        snprintf(prefix, sizeof prefix, "%.*s", (int)(slash - key), key);
        if (!*prefix)
            add(why, size, "prefix part ", "must be non-empty");
        else
            dns1123_subdomain(prefix, "prefix part ", why, size);
        name = slash + 1;
    }
    if (!*name)
        add(why, size, "name part ", "must be non-empty");
    else if (strlen(name) > 63)
        add(why, size, "name part ", "must be no more than 63 characters");
    if (!matches("^" QNAME_FMT "$", name))
        add(why, size, "name part ", QNAME_MSG);
    return why[0] == '\0';
}

int fy_k8s_label_value(const char *value, char *why, size_t size)
{
    why[0] = '\0';
    if (strlen(value) > 63)
        add(why, size, "", "must be no more than 63 characters");
    if (!matches("^(" QNAME_FMT ")?$", value))
        add(why, size, "",
            "a valid label must be an empty string or consist of alphanumeric characters, '-', "
            "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  "
            "or 'my_value',  or '12345', regex used for validation is '(" QNAME_FMT ")?')");
    return why[0] == '\0';
}
