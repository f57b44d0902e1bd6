#!/usr/bin/env python3
"""A small Kubernetes API server for funcp's tests (standard library only).

It follows what a real kube-apiserver does (see the project's kube API
facts): a global resourceVersion, Status objects for 401/404/409/415/422,
plain-text "404 page not found" for resource types it does not serve,
list paging with limit/continue, chunked watch streams with bookmarks,
replay from a resourceVersion, and an ERROR event with code 410 when the
resourceVersion is older than what it still remembers.

It can also play the knative-serving-wasm controller (--scenario): make a
WasmModule Ready after a delay, report transient reasons first, put its pod
into CrashLoopBackOff/ImagePullBackOff/ErrImagePull, cause one 409 Conflict,
or drop a watch connection once.

Test-only endpoints live under /fake/ (compact, requests, seed, stop).
Listens on 127.0.0.1 only; the port goes to stdout and --port-file.
"""
import argparse
import base64
import copy
import io
import json
import os
import random
import re
import ssl
import sys
import threading
import time
import uuid
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from fake_kube_base import JsonHandler, Server, api_resource_list, serve, now_rfc3339  # noqa: E402

WASM_GROUP = "wasm.serving.knative.dev"
WASM_VERSION = "v1alpha1"
# resource -> (group, version, kind); group "" is the core API.
RESOURCES = {
    "pods": ("", "v1", "Pod"),
    "events": ("", "v1", "Event"),
    "configmaps": ("", "v1", "ConfigMap"),
    "wasmmodules": (WASM_GROUP, WASM_VERSION, "WasmModule"),
}


def qualified(resource):
    group = RESOURCES[resource][0]
    return f"{resource}.{group}" if group else resource


def status_obj(code, reason, message, name=None, resource=None, causes=None):
    details = {}
    if name is not None:
        details["name"] = name
    if resource is not None:
        group = RESOURCES[resource][0]
        if group:
            details["group"] = group
        details["kind"] = resource
    if causes:
        details["causes"] = causes
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}
    if details:
        body["details"] = details
    return body


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if not isinstance(target, dict):
        target = {}
    out = dict(target)
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def parse_label_selector(sel):
    reqs = []
    for part in filter(None, (p.strip() for p in (sel or "").split(","))):
        if "!=" in part:
            k, v = part.split("!=", 1)
            reqs.append((k.strip(), "!=", v.strip()))
        elif "==" in part:
            k, v = part.split("==", 1)
            reqs.append((k.strip(), "=", v.strip()))
        elif "=" in part:
            k, v = part.split("=", 1)
            reqs.append((k.strip(), "=", v.strip()))
        else:
            reqs.append((part, "exists", None))
    return reqs


def labels_match(obj, reqs):
    labels = obj.get("metadata", {}).get("labels") or {}
    for k, op, v in reqs:
        if op == "=" and labels.get(k) != v:
            return False
        if op == "!=" and labels.get(k) == v:
            return False
        if op == "exists" and k not in labels:
            return False
    return True


def field_value(obj, path):
    cur = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def parse_field_selector(sel):
    reqs = []
    for part in filter(None, (p.strip() for p in (sel or "").split(","))):
        neg = "!=" in part
        k, v = re.split(r"!=|==|=", part, maxsplit=1)
        reqs.append((k.strip(), v.strip(), neg))
    return reqs


def fields_match(obj, reqs):
    for k, v, neg in reqs:
        actual = field_value(obj, k)
        actual = "" if actual is None else str(actual)
        if (actual == v) == neg:
            return False
    return True


class Store:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Condition()
        self.rv = 100
        self.objects = {}   # (resource, ns, name) -> object
        self.log = []       # (rv, type, resource, object)
        self.floor = 0      # watches from below this resourceVersion get 410
        self.namespaces = set(["default", "kube-system"] + (args.namespace or []))
        self.requests = []
        self.conflicts_left = 1 if "conflict" in args.scenario else 0
        self.drops_left = 1 if "drop-watch" in args.scenario else 0
        self.gone_left = 1 if "gone-once" in args.scenario else 0
        self.cut_headers_left = 1 if "cut-headers-once" in args.scenario else 0
        self.lose_reply_left = 1 if "lose-reply-once" in args.scenario else 0
        self.stopped = False

    def next_rv(self):
        self.rv += 1
        return str(self.rv)

    def record(self, etype, resource, obj):
        self.log.append((int(obj["metadata"]["resourceVersion"]), etype, resource, copy.deepcopy(obj)))
        if len(self.log) > 20000:
            self.floor = self.log[1000][0]
            del self.log[:1000]
        self.lock.notify_all()

    def compact(self):
        with self.lock:
            self.floor = self.rv
            self.log = []

    # -- writes, all under the lock --------------------------------------
    def create(self, resource, ns, obj, by_controller=False):
        md = obj.setdefault("metadata", {})
        md["namespace"] = ns
        md["uid"] = str(uuid.uuid4())
        md["creationTimestamp"] = now_rfc3339()
        md["generation"] = 1
        md["resourceVersion"] = self.next_rv()
        group, version, kind = RESOURCES[resource]
        obj["apiVersion"] = f"{group}/{version}" if group else version
        obj["kind"] = kind
        if resource == "wasmmodules" and not by_controller:
            obj.pop("status", None)  # status subresource: ignored on create
        self.objects[(resource, ns, md["name"])] = obj
        self.record("ADDED", resource, obj)
        return obj

    def update(self, resource, ns, name, obj, status_only=False):
        old = self.objects[(resource, ns, name)]
        new = copy.deepcopy(old)
        if status_only:
            new["status"] = copy.deepcopy(obj.get("status", {}))
        else:
            keep_status = old.get("status")
            new = copy.deepcopy(obj)
            new["apiVersion"], new["kind"] = old["apiVersion"], old["kind"]
            md = new.setdefault("metadata", {})
            for k in ("uid", "creationTimestamp", "namespace", "name", "generation"):
                if k in old["metadata"]:
                    md[k] = old["metadata"][k]
            if resource == "wasmmodules":
                new.pop("status", None)
                if keep_status is not None:
                    new["status"] = keep_status
            if obj.get("spec") != old.get("spec"):
                md["generation"] = old["metadata"].get("generation", 1) + 1
        new["metadata"]["resourceVersion"] = self.next_rv()
        self.objects[(resource, ns, name)] = new
        self.record("MODIFIED", resource, new)
        return new

    def delete(self, resource, ns, name):
        obj = self.objects.pop((resource, ns, name))
        obj = copy.deepcopy(obj)
        obj["metadata"]["resourceVersion"] = self.next_rv()
        self.record("DELETED", resource, obj)
        return obj

    def add_event(self, ns, involved, reason, message, etype="Normal"):
        name = f"{involved['metadata']['name']}.{uuid.uuid4().hex[:16]}"
        ev = {"metadata": {"name": name},
              "involvedObject": {"kind": involved.get("kind"), "name": involved["metadata"]["name"],
                                 "namespace": ns, "apiVersion": involved.get("apiVersion"),
                                 "uid": involved["metadata"].get("uid")},
              "reason": reason, "message": message, "type": etype, "count": 1,
              "firstTimestamp": now_rfc3339(), "lastTimestamp": now_rfc3339(),
              "source": {"component": "wasmmodule-controller"}}
        self.create("events", ns, ev, by_controller=True)


class Controller:
    """Plays knative-serving-wasm: reacts to WasmModule writes."""

    def __init__(self, store, args):
        self.store = store
        self.args = args
        self.scenario = set(args.scenario)

    def on_write(self, ns, name):
        threading.Thread(target=self.reconcile, args=(ns, name), daemon=True).start()

    def set_ready(self, ns, name, status, reason=None, message=None, url=None):
        s = self.store
        with s.lock:
            obj = s.objects.get(("wasmmodules", ns, name))
            if obj is None:
                return
            cond = {"type": "Ready", "status": status, "lastTransitionTime": now_rfc3339()}
            if reason:
                cond["reason"] = reason
            if message:
                cond["message"] = message
            st = {"observedGeneration": obj["metadata"].get("generation", 1), "conditions": [cond]}
            if url:
                st["address"] = {"url": url}
            s.update("wasmmodules", ns, name, {"status": st}, status_only=True)

    def make_pod(self, ns, name, state, restarts=0):
        s = self.store
        pod_name = f"{name}-00001-deployment-7c9f8d6b5-x2x4q"
        runner = "ghcr.io/cardil/knative-serving-wasm/runner"
        running = "running" in state
        cs = {"name": "user-container", "ready": running, "restartCount": restarts,
              "image": runner, "state": state}
        status = {"phase": "Running" if running else "Pending", "containerStatuses": [cs]}
        with s.lock:
            # The runner finds the module through its IMAGE env (spec.image).
            module = s.objects.get(("wasmmodules", ns, name)) or {}
            spec = {"containers": [{"name": "user-container", "image": runner,
                                    "env": [{"name": "IMAGE", "value": (module.get("spec") or {}).get("image", "")}]}]}
            key = ("pods", ns, pod_name)
            if key in s.objects:
                pod = copy.deepcopy(s.objects[key])
                pod["spec"], pod["status"] = spec, status
                s.update("pods", ns, pod_name, pod)
                return
            pod = {"metadata": {"name": pod_name,
                                "labels": {"serving.knative.dev/service": name,
                                           "serving.knative.dev/revision": f"{name}-00001"}},
                   "spec": spec, "status": status}
            s.create("pods", ns, pod, by_controller=True)

    def reconcile(self, ns, name):
        delay = self.args.ready_delay / 1000.0
        if self.args.ready_jitter:  # bench/deploy: spread Ready over the client's timers
            delay += random.uniform(0, self.args.ready_jitter / 1000.0)
        sc = self.scenario
        url = f"http://{name}.{ns}.example.com"
        with self.store.lock:
            obj = self.store.objects.get(("wasmmodules", ns, name))
            if obj is not None:
                self.store.add_event(ns, obj, "Created", f"Created Service \"{name}\"")
        if "none" in sc:
            return
        self.set_ready(ns, name, "False", "ServiceUnavailable", f"Service \"{name}\" wasn't found.")
        if "crashloop" in sc:
            time.sleep(delay)
            self.make_pod(ns, name, {"waiting": {"reason": "ContainerCreating"}})
            time.sleep(delay / 2)
            self.make_pod(ns, name, {"waiting": {"reason": "CrashLoopBackOff",
                                                 "message": "back-off 10s restarting failed container"}}, restarts=2)
            return
        for reason in ("ImagePullBackOff", "ErrImagePull"):
            if reason.lower() in sc:
                time.sleep(delay)
                self.make_pod(ns, name, {"waiting": {"reason": reason,
                                                     "message": "Back-off pulling image"}})
                return
        if "failed" in sc:
            time.sleep(delay)
            self.set_ready(ns, name, "False", "RevisionFailed", "Revision \"x-00001\" failed with message: boom.")
            return
        if "transient" in sc:
            time.sleep(delay / 3)
            self.set_ready(ns, name, "False", "RevisionMissing", "Configuration is waiting for a Revision to become ready.")
            time.sleep(delay / 3)
            self.set_ready(ns, name, "False", "ServiceUnavailable", f"Service \"{name}\" wasn't found.")
            time.sleep(delay / 3)
        else:
            time.sleep(delay)
        self.make_pod(ns, name, {"running": {"startedAt": now_rfc3339()}})
        # bench/deploy: the wall-clock time just before Ready is written
        # (so a measured Ready -> client exit never leaves out our own work).
        marked = time.time()
        self.set_ready(ns, name, "True", url=url)
        if self.args.ready_file:
            with open(self.args.ready_file, "a") as f:
                f.write(f"{marked:.6f} {ns}/{name}\n")


class Handler(JsonHandler):
    server_version = "fake-apiserver"

    def log_message(self, fmt, *a):
        if self.server.args.verbose:
            sys.stderr.write("fake-apiserver: " + (fmt % a) + "\n")

    # -- plumbing ----------------------------------------------------------
    def send_status(self, code, reason, message, **kw):
        self.send_json(code, status_obj(code, reason, message, **kw))

    def not_served(self):
        data = b"404 page not found\n"
        self.send_response(404)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def authorized(self):
        token = self.server.args.token
        if not token:
            return True
        if self.headers.get("Authorization", "") == f"Bearer {token}":
            return True
        self.send_status(401, "Unauthorized", "Unauthorized")
        return False

    def route(self):
        """(resource, namespace or None, name or None, subresource or None),
        or None when the path is not served."""
        parts = [p for p in urlsplit(self.path).path.split("/") if p]
        if parts[:2] == ["api", "v1"]:
            rest = parts[2:]
            group = ""
        elif len(parts) >= 3 and parts[0] == "apis":
            group, version, rest = parts[1], parts[2], parts[3:]
            if group != WASM_GROUP or version != WASM_VERSION or self.server.args.no_crd:
                return None
        else:
            return None
        ns = None
        if len(rest) >= 2 and rest[0] == "namespaces":
            ns, rest = rest[1], rest[2:]
        if not rest or rest[0] not in RESOURCES or RESOURCES[rest[0]][0] != group:
            return None
        resource = rest[0]
        name = rest[1] if len(rest) > 1 else None
        sub = rest[2] if len(rest) > 2 else None
        if len(rest) > 3 or (sub and sub != "status") or (ns is None and name is not None):
            return None
        return resource, ns, name, sub

    def discovery(self, path):
        """GET /api/v1 or /apis/<group>/<version>: the resources served there
        (no WasmModule group without its CRD, as on a real server)."""
        parts = [p for p in path.split("/") if p]
        if parts == ["api", "v1"]:
            gv, group = "v1", ""
        elif len(parts) == 3 and parts[0] == "apis" and parts[1:] == [WASM_GROUP, WASM_VERSION] \
                and not self.server.args.no_crd:
            gv, group = f"{WASM_GROUP}/{WASM_VERSION}", WASM_GROUP
        else:
            return False
        served = {name: (kind, True) for name, (g, _, kind) in RESOURCES.items() if g == group}
        if group == "":
            served["namespaces"] = ("Namespace", False)
        self.send_json(200, api_resource_list(gv, served))
        return True

    def namespace_get(self, path):
        """GET /api/v1/namespaces/<name>: the namespaces this server knows."""
        parts = [p for p in path.split("/") if p]
        if len(parts) != 4 or parts[:3] != ["api", "v1", "namespaces"]:
            return False
        s = self.server.store
        with s.lock:
            known = parts[3] in s.namespaces
        if known:
            self.send_json(200, {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": parts[3]},
                                 "status": {"phase": "Active"}})
        else:
            self.send_status(404, "NotFound", f'namespaces "{parts[3]}" not found', name=parts[3])
        return True

    def handle_any(self, method):
        """The network faults of --scenario around the real handling:
        cut-headers-once answers the first WasmModule list with half a
        header block; lose-reply-once carries out the first WasmModule
        POST and drops its answer. Both then cut the connection."""
        s = self.server.store
        wm = "/wasmmodules" in self.path and not self.path.startswith("/fake/")
        with s.lock:
            cut = wm and method == "GET" and "watch=" not in self.path and s.cut_headers_left > 0
            lose = wm and method == "POST" and s.lose_reply_left > 0
            s.cut_headers_left -= 1 if cut else 0
            s.lose_reply_left -= 1 if lose else 0
        if cut:
            with s.lock:
                s.requests.append({"method": method, "path": urlsplit(self.path).path,
                                   "query": urlsplit(self.path).query, "contentType": ""})
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: applica")
            self.wfile.flush()
        elif lose:
            real, self.wfile = self.wfile, io.BytesIO()
            try:
                self.handle_request(method)
            finally:
                self.wfile = real
        else:
            return self.handle_request(method)
        self.close_connection = True
        self.connection.shutdown(2)

    def handle_request(self, method):
        s = self.server.store
        split = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(split.query).items()}
        with s.lock:
            s.requests.append({"method": method, "path": split.path, "query": split.query,
                               "contentType": self.headers.get("Content-Type", "")})
        if split.path.startswith("/fake/"):
            return self.fake_admin(method, split.path, q)
        if not self.authorized():
            return
        if method == "GET" and self.discovery(split.path):
            return
        if method == "GET" and self.namespace_get(split.path):
            return
        r = self.route()
        if r is None:
            return self.not_served()
        resource, ns, name, sub = r
        if method == "GET" and name is None:
            if q.get("watch") in ("1", "true"):
                return self.watch(resource, ns, q)
            return self.list(resource, ns, q)
        if name is None and method != "POST":
            return self.send_status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
        if method == "GET":
            return self.get(resource, ns, name)
        if method == "POST":
            return self.create(resource, ns, name)
        if method == "PUT":
            return self.replace(resource, ns, name, sub)
        if method == "PATCH":
            return self.patch(resource, ns, name, sub)
        if method == "DELETE":
            return self.delete(resource, ns, name)
        self.send_status(405, "MethodNotAllowed", "method not allowed")

    do_GET = lambda self: self.handle_any("GET")
    do_POST = lambda self: self.handle_any("POST")
    do_PUT = lambda self: self.handle_any("PUT")
    do_PATCH = lambda self: self.handle_any("PATCH")
    do_DELETE = lambda self: self.handle_any("DELETE")

    def not_found(self, resource, name):
        self.send_status(404, "NotFound", f'{qualified(resource)} "{name}" not found', name=name, resource=resource)

    def parse_json_body(self):
        try:
            body = json.loads(self.read_body() or b"null")
        except ValueError as e:
            self.send_status(400, "BadRequest", f"the body of the request was in an unknown format: {e}")
            return None
        if not isinstance(body, dict):
            self.send_status(400, "BadRequest", "the body of the request must be a JSON object")
            return None
        return body

    def invalid(self, resource, name, causes):
        kind = RESOURCES[resource][2]
        group = RESOURCES[resource][0]
        qkind = f"{kind}.{group}" if group else kind
        text = ", ".join(f"{c['field']}: {c['message']}" for c in causes)
        if len(causes) > 1:
            text = "[" + text + "]"
        self.send_json(422, status_obj(422, "Invalid", f'{qkind} "{name}" is invalid: {text}',
                                       name=name, resource=resource, causes=causes))

    def validate(self, resource, obj, name):
        causes = []
        if not name:
            causes.append({"reason": "FieldValueRequired", "message": "Required value: name or generateName is required",
                           "field": "metadata.name"})
        elif not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", name) or len(name) > 253:
            causes.append({"reason": "FieldValueInvalid",
                           "message": f'Invalid value: "{name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\'',
                           "field": "metadata.name"})
        if resource == "wasmmodules" and not (obj.get("spec") or {}).get("image"):
            causes.append({"reason": "FieldValueRequired", "message": "Required value", "field": "spec.image"})
        if causes:
            self.invalid(resource, name or "", causes)
            return False
        return True

    # -- verbs ---------------------------------------------------------
    def get(self, resource, ns, name):
        s = self.server.store
        with s.lock:
            obj = s.objects.get((resource, ns, name))
            if obj is None:
                return self.not_found(resource, name)
            out = copy.deepcopy(obj)
            # "conflict": someone (the controller) writes status right
            # after our GET, so a PUT based on it is stale.
            if resource == "wasmmodules" and s.conflicts_left > 0:
                s.conflicts_left -= 1
                st = copy.deepcopy(obj.get("status") or {})
                st["observedGeneration"] = obj["metadata"].get("generation", 1)
                s.update(resource, ns, name, {"status": st}, status_only=True)
        self.send_json(200, out)

    def list(self, resource, ns, q):
        s = self.server.store
        lsel = parse_label_selector(q.get("labelSelector"))
        fsel = parse_field_selector(q.get("fieldSelector"))
        try:
            limit = int(q.get("limit") or 0)
        except ValueError:
            return self.send_status(400, "BadRequest", "invalid limit")
        start = ""
        with s.lock:
            list_rv = str(s.rv)
            if q.get("continue"):
                try:
                    tok = json.loads(base64.b64decode(q["continue"], validate=True))
                    start, list_rv = tok["start"], str(tok["rv"])
                except (ValueError, KeyError, TypeError):
                    return self.send_status(400, "BadRequest", "invalid continue token: malformed")
            items = [copy.deepcopy(o) for (r, n, nm), o in sorted(s.objects.items())
                     if r == resource and (ns is None or n == ns)
                     and f"{n}/{nm}" > start and labels_match(o, lsel) and fields_match(o, fsel)]
        md = {"resourceVersion": list_rv}
        if limit and len(items) > limit:
            last = items[limit - 1]["metadata"]
            md["continue"] = base64.b64encode(json.dumps(
                {"rv": int(list_rv), "start": f"{last['namespace']}/{last['name']}"}).encode()).decode()
            md["remainingItemCount"] = len(items) - limit
            items = items[:limit]
        group, version, kind = RESOURCES[resource]
        self.send_json(200, {"kind": kind + "List", "apiVersion": f"{group}/{version}" if group else version,
                             "metadata": md, "items": items})

    def create(self, resource, ns, name_in_path):
        s = self.server.store
        if name_in_path:
            return self.send_status(405, "MethodNotAllowed", "POST to a named object is not allowed")
        obj = self.parse_json_body()
        if obj is None:
            return
        name = (obj.get("metadata") or {}).get("name")
        if not self.validate(resource, obj, name):
            return
        with s.lock:
            if ns not in s.namespaces:
                return self.send_status(404, "NotFound", f'namespaces "{ns}" not found', name=ns)
            if (resource, ns, name) in s.objects:
                return self.send_status(409, "AlreadyExists", f'{qualified(resource)} "{name}" already exists',
                                        name=name, resource=resource)
            out = copy.deepcopy(s.create(resource, ns, obj))
        if resource == "wasmmodules":
            self.server.controller.on_write(ns, name)
        self.send_json(201, out)

    def replace(self, resource, ns, name, sub):
        s = self.server.store
        obj = self.parse_json_body()
        if obj is None:
            return
        md = obj.get("metadata") or {}
        if md.get("name") not in (None, name):
            return self.send_status(400, "BadRequest", "the name of the object does not match the name on the URL")
        if not self.validate(resource, obj, name):
            return
        with s.lock:
            cur = s.objects.get((resource, ns, name))
            if cur is None:
                return self.not_found(resource, name)
            rv = md.get("resourceVersion")
            if not rv:
                return self.invalid(resource, name, [{"reason": "FieldValueInvalid",
                                                      "message": "Invalid value: 0x0: must be specified for an update",
                                                      "field": "metadata.resourceVersion"}])
            if rv != cur["metadata"]["resourceVersion"]:
                return self.send_status(409, "Conflict",
                                        f'Operation cannot be fulfilled on {qualified(resource)} "{name}": the object has been modified; please apply your changes to the latest version and try again',
                                        name=name, resource=resource)
            out = copy.deepcopy(s.update(resource, ns, name, obj, status_only=(sub == "status")))
        if resource == "wasmmodules" and sub is None:
            self.server.controller.on_write(ns, name)
        self.send_json(200, out)

    def patch(self, resource, ns, name, sub):
        s = self.server.store
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip()
        if ctype != "application/merge-patch+json":
            self.read_body()
            return self.send_status(415, "UnsupportedMediaType",
                                    f'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml')
        patch = self.parse_json_body()
        if patch is None:
            return
        with s.lock:
            cur = s.objects.get((resource, ns, name))
            if cur is None:
                return self.not_found(resource, name)
            new = merge_patch(cur, patch)
            if sub != "status" and resource == "wasmmodules":
                new["status"] = cur.get("status")  # status only via /status
                if new["status"] is None:
                    new.pop("status")
            out = copy.deepcopy(s.update(resource, ns, name, new, status_only=(sub == "status")))
        self.send_json(200, out)

    def delete(self, resource, ns, name):
        s = self.server.store
        self.read_body()
        with s.lock:
            if (resource, ns, name) not in s.objects:
                return self.not_found(resource, name)
            out = s.delete(resource, ns, name)
            for key in [k for k, o in s.objects.items() if k[0] == "pods" and k[1] == ns and
                        (o["metadata"].get("labels") or {}).get("serving.knative.dev/service") == name]:
                s.delete(*key)
        self.send_json(200, out)

    # -- watch ---------------------------------------------------------
    def watch(self, resource, ns, q):
        s = self.server.store
        args = self.server.args
        lsel = parse_label_selector(q.get("labelSelector"))
        fsel = parse_field_selector(q.get("fieldSelector"))
        timeout = float(q.get("timeoutSeconds") or 1800)
        bookmarks = q.get("allowWatchBookmarks") in ("true", "1")
        rv_param = q.get("resourceVersion") or ""
        self.start_chunked_json()
        end = time.time() + timeout
        next_bookmark = time.time() + args.bookmark_interval
        sent = 0

        def matches(r, o):
            return (r == resource and (ns is None or o["metadata"].get("namespace") == ns)
                    and labels_match(o, lsel) and fields_match(o, fsel))

        event = self.write_event

        try:
            with s.lock:
                if rv_param in ("", "0"):
                    pos_rv = s.rv
                    initial = [copy.deepcopy(o) for (r, n, nm), o in sorted(s.objects.items()) if matches(r, o)]
                else:
                    try:
                        pos_rv = int(rv_param)
                    except ValueError:
                        pos_rv = -1
                    initial = []
                    gone_once = s.gone_left > 0 and resource == "wasmmodules"
                    if gone_once:
                        s.gone_left -= 1
                    if pos_rv < s.floor or gone_once:
                        gone = status_obj(410, "Expired",
                                          f"too old resource version: {rv_param} ({s.floor})")
                        event("ERROR", gone)
                        self.write_chunk(b"")
                        return
            for o in initial:
                event("ADDED", o)
            while time.time() < end and not s.stopped:
                with s.lock:
                    pending = [(rv, t, o) for rv, t, r, o in s.log if rv > pos_rv and matches(r, o)]
                    pos_rv = max(pos_rv, s.rv)  # everything up to here is scanned
                    if not pending:
                        s.lock.wait(timeout=0.05)
                for rv, t, o in pending:
                    event(t, o)
                    sent += 1
                    with s.lock:
                        drop = s.drops_left > 0 and resource == "wasmmodules"
                        if drop:
                            s.drops_left -= 1
                    if drop:
                        # Cut the connection without the final chunk.
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                if bookmarks and time.time() >= next_bookmark:
                    next_bookmark = time.time() + args.bookmark_interval
                    group, version, kind = RESOURCES[resource]
                    event("BOOKMARK", {"kind": kind, "apiVersion": f"{group}/{version}" if group else version,
                                       "metadata": {"resourceVersion": str(pos_rv)}})
            self.write_chunk(b"")
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True

    # -- test endpoints ------------------------------------------------
    def fake_admin(self, method, path, q):
        s = self.server.store
        if path == "/fake/compact":
            s.compact()
            return self.send_json(200, {"floor": s.floor})
        if path == "/fake/requests":
            with s.lock:
                return self.send_json(200, {"requests": list(s.requests)})
        if path == "/fake/seed":
            count, ns = int(q.get("count", "10")), q.get("namespace", "default")
            with s.lock:
                s.namespaces.add(ns)
                for i in range(count):
                    name = f"{q.get('prefix', 'fn')}-{i:05d}"
                    s.create("wasmmodules", ns, {
                        "metadata": {"name": name, "labels": {"function.knative.dev/name": name,
                                                              "function.knative.dev/runtime": "go-wasi"},
                                     "annotations": {"function.knative.dev/deployer": "wasm"}},
                        "spec": {"image": f"registry.example.com/{name}@sha256:" + "0" * 64}})
                    s.update("wasmmodules", ns, name, {"status": {"conditions": [{"type": "Ready", "status": "True"}],
                                                                  "address": {"url": f"http://{name}.{ns}.example.com"}}},
                             status_only=True)
            return self.send_json(200, {"seeded": count})
        if path == "/fake/object":
            with s.lock:
                obj = s.objects.get((q["resource"], q["namespace"], q["name"]))
            return self.send_json(200 if obj else 404, obj or {})
        self.send_json(404, {})


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port-file")
    p.add_argument("--token", help="require this bearer token")
    p.add_argument("--namespace", action="append", help="extra namespace that exists")
    p.add_argument("--no-crd", action="store_true", help="WasmModule CRD not installed")
    p.add_argument("--scenario", default="ready",
                   help="comma list: ready, transient, crashloop, imagepullbackoff, errimagepull, failed, none, "
                        "conflict, drop-watch, gone-once, cut-headers-once, lose-reply-once")
    p.add_argument("--ready-delay", type=int, default=300, help="ms before the controller decides")
    p.add_argument("--ready-file", help="append the time each module became Ready")
    p.add_argument("--ready-jitter", type=int, default=0, help="add up to this many random ms to --ready-delay")
    p.add_argument("--bookmark-interval", type=float, default=1.0)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--client-ca", help="require client certificates signed by this CA")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    args.scenario = [x.strip().lower() for x in args.scenario.split(",") if x.strip()]
    srv = Server(("127.0.0.1", 0), Handler)
    srv.args = args
    srv.store = Store(args)
    srv.controller = Controller(srv.store, args)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        if args.client_ca:
            ctx.load_verify_locations(args.client_ca)
            ctx.verify_mode = ssl.CERT_REQUIRED
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    try:
        serve(srv, args.port_file)
    finally:
        srv.store.stopped = True


if __name__ == "__main__":
    main()
