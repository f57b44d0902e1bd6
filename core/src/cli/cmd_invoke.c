/* funcp invoke: one HTTP request to the running function, like func invoke. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "cli/address.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/compat_flags.h"
#include "cli/invoke_event.h"
#include "net/http_api.h"
#include "util/error.h"
#include "util/log.h"
#include "util/module.h"
#include "util/output.h"

/* The URL of the deployed function, as its deployer describes it. */
static int remote_url(funcp_call *call, char *url, size_t size)
{
    const char *name;
    fp_instances set;
    int rc = fp_cli_describe_named(call, &name, &set);
    if (!set.items)
        return rc;
    json_object *first = json_object_array_get_idx(set.items, 0);
    json_object *u = first ? json_object_object_get(first, "url") : NULL;
    if (rc == FUNCP_OK && (!u || !*json_object_get_string(u)))
        rc = fp_error_set(FUNCP_ENOTFOUND, "function \"%s\" has no URL yet (is it deployed?)",
                          name);
    if (rc == FUNCP_OK)
        snprintf(url, size, "%s", json_object_get_string(u));
    json_object_put(set.items);
    return rc;
}

/* -f/--format, else func.yaml `invoke:` (when there is a function here),
 * else http, as func chooses; func's warning when the two disagree. */
static int invoke_format(funcp_call *call, const char **format)
{
    const char *flag = fp_args_get(&call->args, "format");
    if (flag && *flag && !(*format = fp_invoke_format(flag)))
        return fp_error_set(FUNCP_EUSAGE,
                            "invalid --format \"%s\": use http or cloudevent (cloudevents)", flag);
    const char *declared = NULL;
    int rc = fp_call_load_function(call);
    if (rc == FUNCP_ENOTFOUND)
        fp_error_clear(); /* a URL or an address needs no function here */
    else if (rc != FUNCP_OK)
        return rc;
    else if ((declared = fp_funcyaml_get(call->fy, "invoke")) && *declared &&
             !fp_invoke_format(declared))
        return fp_error_set(FUNCP_EPARSE, "%s: invoke: \"%s\" is not http or cloudevent",
                            call->funcyaml_path, declared);
    if (declared && !*declared)
        declared = NULL;
    if (!flag || !*flag) {
        *format = declared ? fp_invoke_format(declared) : "http";
        return FUNCP_OK;
    }
    if (declared && strcmp(*format, fp_invoke_format(declared)))
        fp_log(FUNCP_LOG_WARN,
               "invoking as \"%s\", but the function declares \"%s\" in func.yaml; this may "
               "fail unless you update func.yaml with `invoke: %s`",
               *format, declared, *format);
    return FUNCP_OK;
}

static int run_invoke(funcp_call *call)
{
    if (fp_cli_note_unapplied(call) != FUNCP_OK)
        return fp_error_code();
    const char *target = fp_args_get(&call->args, "target");
    const char *address = fp_args_get(&call->args, "address");
    char url[2048];
    if (target && !strcmp(target, "remote")) {
        int rc = remote_url(call, url, sizeof url);
        if (rc != FUNCP_OK)
            return rc;
    } else if (!target || !strcmp(target, "local")) {
        int rc = fp_cli_check_address("address", address);
        if (rc != FUNCP_OK)
            return rc;
        snprintf(url, sizeof url, "http://%s/", address);
    }
    else if (!strncmp(target, "http://", 7) || !strncmp(target, "https://", 8))
        snprintf(url, sizeof url, "%s", target);
    else
        return fp_error_set(FUNCP_EUSAGE,
                            "invalid --target \"%s\": use local, remote or an http(s):// URL", target);
    const char *method = fp_args_get(&call->args, "request-type");
    const char *data = fp_args_get(&call->args, "data");
    const char *file = fp_args_get(&call->args, "file");
    const char *format = "http";
    int rc = invoke_format(call, &format);
    if (rc != FUNCP_OK)
        return rc;
    int cloudevent = !strcmp(format, "cloudevent");
    int post = !strcmp(method, "POST");
    size_t n_ext;
    char *const *ext = fp_args_list(&call->args, "extension", &n_ext);
    if (n_ext > 0 && !cloudevent)
        return fp_error_set(FUNCP_EUSAGE, "--extension (-e) is only valid with cloudevents");
    char **ce = NULL;
    if (cloudevent) {
        rc = fp_invoke_event_headers(fp_args_get(&call->args, "id"),
                                     fp_args_get(&call->args, "source"),
                                     fp_args_get(&call->args, "type"), ext, n_ext, &ce);
        if (rc != FUNCP_OK)
            return rc;
    }
    char *file_body = NULL;
    size_t file_len = 0;
    if (file && *file) {
        rc = fp_invoke_read_body(file, &file_body, &file_len);
        if (rc != FUNCP_OK) {
            fp_invoke_event_free(ce);
            return rc;
        }
    }
    const fp_net_module *net = fp_net();
    if (!net)
        rc = fp_error_code();
    else if (!net->http || !net->http->request)
        rc = fp_error_set(FUNCP_ENOPLUGIN, "the network module has no HTTP client");
    if (rc != FUNCP_OK) {
        free(file_body);
        fp_invoke_event_free(ce);
        return rc;
    }
    fp_http_request req;
    memset(&req, 0, sizeof req);
    req.struct_size = sizeof req;
    req.hooks = &call->hooks;
    req.method = method;
    req.url = url;
    req.content_type = post ? fp_args_get(&call->args, "content-type") : NULL;
    req.body = !post ? NULL : file_body ? file_body : data;
    req.body_len = !post ? 0 : file_body ? file_len : strlen(data);
    req.headers = cloudevent ? (const char *const *)ce : NULL;
    req.insecure = fp_args_bool(&call->args, "insecure");
    fp_http_response resp;
    memset(&resp, 0, sizeof resp);
    fp_log(FUNCP_LOG_DEBUG, "invoke: %s %s (%s)", method, url, cloudevent ? "cloudevent" : "http");
    rc = net->http->request(&req, &resp);
    free(file_body);
    fp_invoke_event_free(ce);
    if (rc != FUNCP_OK) {
        /* The HTTP client's message already starts with the URL. */
        rc = fp_error_wrap("invoke");
        if (rc == FUNCP_ENETWORK && (!target || !strcmp(target, "local")))
            fp_error_hint("is the function running? Start it with 'funcp run', or invoke the "
                          "deployed one with --target remote");
        return rc;
    }
    if (call->format == FP_FORMAT_TEXT) {
        fwrite(resp.body ? resp.body : "", 1, resp.body ? resp.body_len : 0, stdout);
        if (resp.body_len > 0 && resp.body[resp.body_len - 1] != '\n')
            fputc('\n', stdout);
    } else {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "status", json_object_new_int64(resp.status));
        json_object *headers = json_object_new_object();
        json_object_object_add(headers, "content-type",
                               resp.content_type ? json_object_new_string(resp.content_type)
                                                 : NULL);
        json_object_object_add(o, "headers", headers);
        json_object_object_add(o, "body", json_object_new_string_len(
                                              resp.body ? resp.body : "", (int)resp.body_len));
        rc = fp_output_data(stdout, call->format, o);
        json_object_put(o);
    }
    if (rc == FUNCP_OK && (resp.status < 200 || resp.status > 299))
        rc = fp_error_set(FUNCP_ERROR, "invoke %s: HTTP %ld", url, resp.status);
    net->http->response_free(&resp);
    return rc;
}

static const fp_flag invoke_flags[] = {
    {"target", 't', FP_FLAG_STRING, "local", "Function to invoke: local, remote (the deployed function) or a URL",
     NULL, NULL, NULL},
    {"data", 0, FP_FLAG_STRING, "{\"message\":\"Hello World\"}", "Data to send in the request",
     NULL, NULL, NULL},
    {"content-type", 0, FP_FLAG_STRING, "application/json", "Content type of the data", NULL,
     NULL, NULL},
    {"request-type", 0, FP_FLAG_STRING, "POST", "HTTP method: GET or POST", "GET|POST", NULL,
     NULL},
    {"format", 'f', FP_FLAG_STRING, NULL,
     "Format of message to send, 'http' or 'cloudevent(s)' (CloudEvents 1.0 binary mode). "
     "Default: func.yaml's invoke, else http", NULL, NULL, NULL},
    {"extension", 'e', FP_FLAG_ARRAY, NULL,
     "CloudEvent extension attribute name=value, sent as a ce-<name> header. Can be repeated. "
     "cloudevents only", NULL, NULL, NULL},
    {"file", 0, FP_FLAG_STRING, NULL, "Send the contents of this file instead of --data", NULL,
     NULL, NULL},
    {"id", 0, FP_FLAG_STRING, NULL, "CloudEvent id (default: a random UUID)", NULL, NULL, NULL},
    {"source", 0, FP_FLAG_STRING, "/boson/fn", "CloudEvent source", NULL, NULL, NULL},
    {"type", 0, FP_FLAG_STRING, "boson.fn", "CloudEvent type", NULL, NULL, NULL},
    {"address", 0, FP_FLAG_STRING, "127.0.0.1:8080", "Address of the local function (host:port)",
     NULL, NULL, NULL},
    {"insecure", 'i', FP_FLAG_BOOL, "false", "Skip TLS verification for an https URL", NULL,
     NULL, NULL},
    FP_COMPAT_CONFIRM,
    {0},
};

const fp_command fp_cmd_invoke = {
    .name = "invoke",
    .usage = "invoke",
    .summary = "Invoke a local or remote function",
    .description = "Send a request to the function running locally ('funcp run'), or to a\n"
                   "deployed function given its URL, and print the response body. A status\n"
                   "other than 2xx is an error. With --format cloudevent (the default when\n"
                   "func.yaml says `invoke: cloudevent`) the request is a CloudEvents 1.0\n"
                   "event in binary mode: ce-* headers (-e adds extensions), the data as body.",
    .examples = "  funcp invoke\n"
                "  funcp invoke --data '{\"name\":\"me\"}'\n"
                "  funcp invoke --target remote\n"
                "  funcp invoke -f cloudevent --type com.example.order --file order.json\n"
                "  funcp invoke -f cloudevents -e traceparent=00-abc-def-01 -e tenant=acme\n"
                "  funcp invoke --request-type GET --target https://hello.example.com",
    .flags = invoke_flags,
    .min_args = 0,
    .max_args = 0,
    .run = run_invoke,
};
