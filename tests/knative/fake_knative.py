#!/usr/bin/env python3
"""A fake Kubernetes API server with Knative Serving semantics, for the
deployer-knative tests (standard library only, 127.0.0.1, free port).

Behaves like kube-apiserver where the client can tell (global
resourceVersion, Status errors, plain-text 404 for resources not served,
409 Conflict on a stale resourceVersion, list paging, list-then-watch with
replay from a resourceVersion, foreground deletion with a finalizer) and
plays Knative Serving's controller: generation/observedGeneration, Ready /
ConfigurationsReady / RoutesReady, one Revision per generation with
ContainerHealthy / ResourcesAvailable, Routes, pods with waiting reasons.

--scenario picks what the controller does with a new revision:
  ready, revision-failed, container-missing, imagepullbackoff,
  errimagepull, crashloop, never (revision never ready), transient-false (Ready False for
  0.5 s, then True), revision-unreadable (Ready False, Revisions 403), stuck (generation
  never observed); "conflict" may be added (comma list):
  another writer changes the Service just before the client's first PUT.
  An image containing "broken" always gets revision-failed.
Test endpoints: /fake/object?resource=&namespace=&name=, /fake/requests,
/fake/seed?count=N (Ready function Services, plus plain ones (i%10==9) and
WasmModule-owned ones (i%100==98) that are not knative functions).
"""
import argparse
import base64
import copy
import json
import os
import sys
import threading
import time
import uuid
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from fake_kube_base import JsonHandler, Server, api_resource_list, serve, now_rfc3339 as now  # noqa: E402

SERVING = "serving.knative.dev"
EVENTING = "eventing.knative.dev"
RESOURCES = {  # resource -> (group, kind)
    "pods": ("", "Pod"), "secrets": ("", "Secret"), "configmaps": ("", "ConfigMap"),
    "persistentvolumeclaims": ("", "PersistentVolumeClaim"), "serviceaccounts": ("", "ServiceAccount"),
    "services": (SERVING, "Service"), "revisions": (SERVING, "Revision"), "routes": (SERVING, "Route"),
    "triggers": (EVENTING, "Trigger"),
}


def status_obj(code, reason, message, name=None, kind=None):
    d = {}
    if name:
        d["name"] = name
    if kind:
        d["kind"] = kind
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "details": d, "code": code}


def cond(t, status, reason=None, message=None):
    c = {"type": t, "status": status, "lastTransitionTime": now()}
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    return c


def labels_match(obj, sel):
    labels = obj["metadata"].get("labels") or {}
    for part in [p for p in (sel or "").split(",") if p]:
        if "=" in part:
            k, v = part.split("=", 1)
            if labels.get(k) != v:
                return False
        elif part not in labels:
            return False
    return True


def fields_match(obj, sel):
    for part in [p for p in (sel or "").split(",") if p]:
        k, v = part.split("=", 1)
        if k == "metadata.name" and obj["metadata"]["name"] != v:
            return False
        if k == "metadata.namespace" and obj["metadata"].get("namespace") != v:
            return False
    return True


class Store:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Condition()
        self.rv = 1000
        self.objects = {}
        self.log = []
        self.requests = []
        self.namespaces = ({"default", "prod"} | ({"dapr-system"} if args.dapr else set())
                           | set(args.namespace or []))
        self.conflicts_left = 1 if "conflict" in args.scenario else 0

    def record(self, t, resource, obj):
        self.log.append((int(obj["metadata"]["resourceVersion"]), t, resource, copy.deepcopy(obj)))
        self.lock.notify_all()

    def bump(self, obj):
        self.rv += 1
        obj["metadata"]["resourceVersion"] = str(self.rv)

    def create(self, resource, ns, obj):
        md = obj.setdefault("metadata", {})
        md.update(namespace=ns, uid=str(uuid.uuid4()), creationTimestamp=now(), generation=1)
        group, kind = RESOURCES[resource]
        obj["apiVersion"] = f"{group}/v1" if group else "v1"
        obj["kind"] = kind
        self.bump(obj)
        self.objects[(resource, ns, md["name"])] = obj
        self.record("ADDED", resource, obj)
        return obj

    def put(self, resource, ns, obj, spec_changed=False):
        if spec_changed:
            obj["metadata"]["generation"] = obj["metadata"].get("generation", 1) + 1
        self.bump(obj)
        self.objects[(resource, ns, obj["metadata"]["name"])] = obj
        self.record("MODIFIED", resource, obj)
        return obj

    def remove(self, resource, ns, name):
        obj = self.objects.pop((resource, ns, name), None)
        if obj is not None:
            self.bump(obj)
            self.record("DELETED", resource, obj)


class Controller:
    """Plays Knative Serving for Services."""

    def __init__(self, store, args):
        self.s, self.args = store, args
        self.sc = set(args.scenario)

    def on_spec(self, ns, name, gen):
        threading.Thread(target=self.reconcile, args=(ns, name, gen), daemon=True).start()

    def set_status(self, ns, name, gen, fn):
        with self.s.lock:
            svc = self.s.objects.get(("services", ns, name))
            if svc is None or svc["metadata"]["generation"] != gen:
                return False  # a newer spec took over
            svc = copy.deepcopy(svc)
            st = svc.setdefault("status", {})
            fn(st)
            self.s.put("services", ns, svc)
            return True

    def revision(self, ns, name, rev, svc_tmpl, conds):
        with self.s.lock:
            key = ("revisions", ns, rev)
            obj = copy.deepcopy(self.s.objects.get(key)) if key in self.s.objects else None
            if obj is None:
                obj = {"metadata": {"name": rev, "labels": {"serving.knative.dev/service": name,
                                                             "serving.knative.dev/configuration": name}},
                       "spec": copy.deepcopy(svc_tmpl.get("spec", {}))}
                obj["status"] = {"conditions": conds}
                self.s.create("revisions", ns, obj)
            else:
                obj["status"] = {"conditions": conds}
                if all(c["status"] == "True" for c in conds):
                    img = obj["spec"]["containers"][0]["image"]
                    obj["status"]["containerStatuses"] = [{"name": "user-container", "imageDigest": img}]
                self.s.put("revisions", ns, obj)

    def pod(self, ns, name, rev, state, last=None):
        pod_name = f"{rev}-deployment-5d7f9c-abcde"
        # Knative moves the readiness probe to queue-proxy: user-container is
        # "ready" once running, the pod only when queue-proxy is too.
        cs = {"name": "user-container", "ready": "running" in state, "restartCount": 3 if last else 0,
              "state": state}
        pod_ready = "running" in state and not last
        conds = [{"type": "Ready", "status": "True" if pod_ready else "False"}]
        if last:
            cs["lastState"] = last
        with self.s.lock:
            key = ("pods", ns, pod_name)
            if key in self.s.objects:
                obj = copy.deepcopy(self.s.objects[key])
                obj["status"]["containerStatuses"] = [cs]
                obj["status"]["conditions"] = conds
                self.s.put("pods", ns, obj)
            else:
                self.s.create("pods", ns, {
                    "metadata": {"name": pod_name, "labels": {"serving.knative.dev/service": name,
                                                              "serving.knative.dev/revision": rev,
                                                              "serving.knative.dev/configuration": name}},
                    "spec": {"containers": [{"name": "user-container"}]},
                    "status": {"phase": "Running" if pod_ready else "Pending", "containerStatuses": [cs],
                               "conditions": conds}})

    def reconcile(self, ns, name, gen):
        d = self.args.ready_delay / 1000.0
        rev = f"{name}-{gen:05d}"
        if "stuck" in self.sc:  # the controller never observes the new generation
            return
        with self.s.lock:
            svc = self.s.objects.get(("services", ns, name))
            if svc is None:
                return
            tmpl = copy.deepcopy(svc["spec"].get("template", {}))
        time.sleep(d / 4)

        def observed(st):
            st["observedGeneration"] = gen
            st["latestCreatedRevisionName"] = rev
            st["conditions"] = [cond("ConfigurationsReady", "Unknown", "RevisionMissing", "waiting for a Revision"),
                                cond("Ready", "Unknown", "RevisionMissing", "waiting for a Revision"),
                                cond("RoutesReady", "Unknown", "RevisionMissing", "waiting for a Revision")]
        if not self.set_status(ns, name, gen, observed):
            return
        self.revision(ns, name, rev, tmpl, [cond("Ready", "Unknown", "Deploying"),
                                            cond("ContainerHealthy", "Unknown", "Deploying")])
        sc = self.sc
        image = tmpl["spec"]["containers"][0]["image"]
        if "broken" in image:  # lets one server hold a good and a failed revision
            sc = {"revision-failed"}
        if "never" in sc:
            self.pod(ns, name, rev, {"waiting": {"reason": "ContainerCreating"}})
            return
        for reason in ("ImagePullBackOff", "ErrImagePull"):
            if reason.lower() in sc:
                time.sleep(d / 2)
                self.pod(ns, name, rev, {"waiting": {"reason": reason, "message":
                         f'Back-off pulling image "{image}": failed to pull and unpack image: '
                         f'{image.split("@")[0]}: not found'}})
                return
        if "crashloop" in sc:  # starts, so user-container is "ready" for a moment, then crashes
            self.pod(ns, name, rev, {"running": {"startedAt": now()}}, last={"terminated": {"exitCode": 2}})
            time.sleep(d / 2)
            self.pod(ns, name, rev, {"waiting": {"reason": "CrashLoopBackOff",
                     "message": f"back-off 10s restarting failed container=user-container pod={rev}-deployment-5d7f9c-abcde"}},
                     last={"terminated": {"exitCode": 2, "reason": "Error",
                                          "message": "listen tcp :8080: bind: address already in use"}})
            return
        if "revision-unreadable" in sc:  # the Service says why, the Revision cannot be read
            def masked(st):
                st["conditions"] = [
                    cond("ConfigurationsReady", "False", "RevisionFailed", f'Revision "{rev}" failed with message: quota exceeded.'),
                    cond("Ready", "False", "RevisionMissing", f'Configuration "{name}" does not have any ready Revision.')]
            time.sleep(d / 2)
            self.set_status(ns, name, gen, masked)
            return
        if "revision-failed" in sc or "container-missing" in sc:
            time.sleep(d / 2)
            if "revision-failed" in sc:
                self.pod(ns, name, rev, {"terminated": {"exitCode": 1, "reason": "Error"}})
                reason, msg = "ExitCode1", "Container failed with: panic: DATABASE_URL is not set"
            else:
                reason = "ContainerMissing"
                msg = f'Unable to fetch image "{image}": failed to resolve image to digest: GET https://registry.example.com/v2/: MANIFEST_UNKNOWN'
            self.revision(ns, name, rev, tmpl, [cond("Ready", "False", reason, msg),
                                                cond("ContainerHealthy", "False", reason, msg)])

            def failed(st):  # Ready copies the Route's masking reason
                st["conditions"] = [
                    cond("ConfigurationsReady", "False", "RevisionFailed", f'Revision "{rev}" failed with message: {msg}.'),
                    cond("Ready", "False", "RevisionMissing", f'Configuration "{name}" does not have any ready Revision.'),
                    cond("RoutesReady", "False", "RevisionMissing", f'Configuration "{name}" does not have any ready Revision.')]
            self.set_status(ns, name, gen, failed)
            return
        self.pod(ns, name, rev, {"running": {"startedAt": now()}})
        if "transient-false" in sc:  # a False that Serving takes back: not terminal
            def flap(st):
                st["conditions"] = [cond("Ready", "False", "RevisionMissing",
                                         f'Configuration "{name}" does not have any ready Revision.')]
            self.set_status(ns, name, gen, flap)
            time.sleep(0.5)
        time.sleep(d)
        self.revision(ns, name, rev, tmpl, [cond("Ready", "True"), cond("ContainerHealthy", "True"),
                                            cond("ResourcesAvailable", "True")])
        url = f"http://{name}.{ns}.example.com"

        def ready(st):
            st["conditions"] = [cond("ConfigurationsReady", "True"), cond("Ready", "True"), cond("RoutesReady", "True")]
            st["url"] = url
            st["address"] = {"url": f"http://{name}.{ns}.svc.cluster.local"}
            st["latestReadyRevisionName"] = rev
            st["traffic"] = [{"revisionName": rev, "percent": 100, "latestRevision": True}]
        if self.set_status(ns, name, gen, ready) and self.args.ready_file:
            with open(self.args.ready_file, "a") as f:
                f.write(f"{time.time():.6f} {ns}/{name}\n")


class Handler(JsonHandler):
    def log_message(self, fmt, *a):
        if self.server.args.verbose:
            sys.stderr.write("fake-knative: " + (fmt % a) + "\n")

    def send_text(self, code, text):
        data = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def not_found(self, resource, name):
        kind = RESOURCES[resource][0]
        q = f"{resource}.{kind}" if kind else resource
        self.send_json(404, status_obj(404, "NotFound", f'{q} "{name}" not found', name, resource))

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def discovery(self, path):
        """GET /api/v1 or /apis/<group>/v1: the resources served there (an
        uninstalled group answers the plain-text 404, as on a real server)."""
        parts = [p for p in path.split("/") if p]
        if parts == ["api", "v1"]:
            gv, group = "v1", ""
        elif parts == ["apis", SERVING, "v1"] and not self.server.args.no_serving:
            gv, group = f"{SERVING}/v1", SERVING
        elif parts == ["apis", EVENTING, "v1"] and not self.server.args.no_eventing:
            gv, group = f"{EVENTING}/v1", EVENTING
        else:
            return False
        served = {name: (kind, True) for name, (g, kind) in RESOURCES.items() if g == group}
        if group == "":
            served["namespaces"] = ("Namespace", False)
        self.send_json(200, api_resource_list(gv, served))
        return True

    def route(self, path):
        parts = [p for p in path.split("/") if p]
        if parts[:2] == ["api", "v1"]:
            group, rest = "", parts[2:]
        elif parts[:3] == ["apis", SERVING, "v1"] and not self.server.args.no_serving:
            group, rest = SERVING, parts[3:]
        elif parts[:3] == ["apis", EVENTING, "v1"] and not self.server.args.no_eventing:
            group, rest = EVENTING, parts[3:]
        else:
            return None
        if group == "" and len(rest) == 2 and rest[0] == "namespaces":
            return ("namespaces", None, rest[1], None)
        ns = None
        if len(rest) >= 2 and rest[0] == "namespaces":
            ns, rest = rest[1], rest[2:]
        if not rest or rest[0] not in RESOURCES or RESOURCES[rest[0]][0] != group or len(rest) > 3:
            return None
        return (rest[0], ns, rest[1] if len(rest) > 1 else None, rest[2] if len(rest) > 2 else None)

    def handle_any(self, method):
        s = self.server.store
        sp = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(sp.query).items()}
        body = self.body() if method in ("POST", "PUT", "DELETE") else None
        with s.lock:
            s.requests.append({"method": method, "path": sp.path, "query": sp.query, "body": body})
        if sp.path.startswith("/fake/"):
            return self.admin(sp.path, q)
        if method == "GET" and self.discovery(sp.path):
            return
        r = self.route(sp.path)
        if r is None:
            return self.send_text(404, "404 page not found\n")
        resource, ns, name, sub = r
        if resource in self.server.args.forbid:
            return self.send_json(403, status_obj(403, "Forbidden",
                f'{resource} "{name}" is forbidden: User "dev" cannot get resource "{resource}" in API group "" '
                f'in the namespace "{ns}"', name, resource))
        if resource == "namespaces":
            if name in s.namespaces:
                return self.send_json(200, {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": name}})
            return self.send_json(404, status_obj(404, "NotFound", f'namespaces "{name}" not found', name, "namespaces"))
        if method == "GET" and name is None:
            return (self.watch if q.get("watch") in ("1", "true") else self.list)(resource, ns, q)
        if method == "GET" and sub == "log":
            return self.log_of(ns, name, q)
        if method == "GET":
            with s.lock:
                obj = copy.deepcopy(s.objects.get((resource, ns, name)))
            return self.send_json(200, obj) if obj is not None else self.not_found(resource, name)
        if method == "POST":
            return self.create(resource, ns, body)
        if method == "PUT":
            return self.replace(resource, ns, name, body)
        if method == "DELETE":
            return self.delete(resource, ns, name, body)
        self.send_json(405, status_obj(405, "MethodNotAllowed", "method not allowed"))

    do_GET = lambda self: self.handle_any("GET")
    do_POST = lambda self: self.handle_any("POST")
    do_PUT = lambda self: self.handle_any("PUT")
    do_DELETE = lambda self: self.handle_any("DELETE")

    def create(self, resource, ns, obj):
        s = self.server.store
        if not isinstance(obj, dict) or not (obj.get("metadata") or {}).get("name"):
            return self.send_json(422, status_obj(422, "Invalid", "metadata.name: Required value"))
        name = obj["metadata"]["name"]
        if resource == "services":
            ann = (obj["metadata"].get("annotations") or {})
            bad = [k for k in ann if k.startswith("autoscaling.knative.dev/")]
            if bad:
                return self.send_json(422, status_obj(422, "Invalid", f"invalid key name \"{bad[0]}\": metadata.annotations"))
        with s.lock:
            if ns not in s.namespaces:
                return self.send_json(404, status_obj(404, "NotFound", f'namespaces "{ns}" not found', ns))
            if (resource, ns, name) in s.objects:
                return self.send_json(409, status_obj(409, "AlreadyExists", f'{resource}.{SERVING} "{name}" already exists', name))
            obj.pop("status", None)
            out = copy.deepcopy(s.create(resource, ns, obj))
        if resource == "services":
            self.server.controller.on_spec(ns, name, 1)
        self.send_json(201, out)

    def replace(self, resource, ns, name, obj):
        s = self.server.store
        if not isinstance(obj, dict):
            return self.send_json(400, status_obj(400, "BadRequest", "bad body"))
        with s.lock:
            cur = s.objects.get((resource, ns, name))
            if cur is None:
                return self.not_found(resource, name)
            if resource == "services" and s.conflicts_left > 0:
                s.conflicts_left -= 1  # another writer got in between our GET and PUT
                other = copy.deepcopy(cur)
                other["metadata"].setdefault("annotations", {})["other.example.com/touched"] = "yes"
                cur = s.put(resource, ns, other)
            rv = (obj.get("metadata") or {}).get("resourceVersion")
            if not rv:
                return self.send_json(422, status_obj(422, "Invalid",
                                      "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"))
            if rv != cur["metadata"]["resourceVersion"]:
                return self.send_json(409, status_obj(409, "Conflict",
                    f'Operation cannot be fulfilled on {resource}.{SERVING} "{name}": the object has been modified; '
                    'please apply your changes to the latest version and try again', name))
            new = copy.deepcopy(obj)
            for k in ("uid", "creationTimestamp", "namespace", "generation", "deletionTimestamp", "finalizers"):
                if k in cur["metadata"]:
                    new["metadata"][k] = cur["metadata"][k]
            new["apiVersion"], new["kind"] = cur["apiVersion"], cur["kind"]
            new.pop("status", None)
            if "status" in cur:
                new["status"] = cur["status"]
            changed = new.get("spec") != cur.get("spec")
            out = copy.deepcopy(s.put(resource, ns, new, spec_changed=changed))
        if resource == "services" and changed:
            self.server.controller.on_spec(ns, name, out["metadata"]["generation"])
        self.send_json(200, out)

    def delete(self, resource, ns, name, body):
        s = self.server.store
        with s.lock:
            cur = s.objects.get((resource, ns, name))
            if cur is None:
                return self.not_found(resource, name)
            if (body or {}).get("propagationPolicy") != "Foreground":
                s.remove(resource, ns, name)
                return self.send_json(200, cur)
            obj = copy.deepcopy(cur)
            if "deletionTimestamp" not in obj["metadata"]:
                obj["metadata"]["deletionTimestamp"] = now()
                obj["metadata"]["finalizers"] = ["foregroundDeletion"]
                obj = s.put(resource, ns, obj, spec_changed=True)
                threading.Thread(target=self.collect, args=(resource, ns, name), daemon=True).start()
            out = copy.deepcopy(obj)
        self.send_json(200, out)

    def collect(self, resource, ns, name):
        """The garbage collector: dependents first, then the owner."""
        time.sleep(self.server.args.gc_delay / 1000.0)
        s = self.server.store
        with s.lock:
            uid = (s.objects.get((resource, ns, name)) or {}).get("metadata", {}).get("uid")
            for key in [k for k, o in s.objects.items() if k[1] == ns and (
                    (k[0] in ("pods", "revisions", "routes")
                     and (o["metadata"].get("labels") or {}).get("serving.knative.dev/service") == name)
                    or any(r.get("uid") == uid for r in o["metadata"].get("ownerReferences") or []))]:
                s.remove(*key)
            s.remove(resource, ns, name)

    def log_of(self, ns, name, q):
        s = self.server.store
        with s.lock:
            pod = s.objects.get(("pods", ns, name))
        if pod is None:
            return self.not_found("pods", name)
        lines = ["Starting function", "connecting to database", "panic: DATABASE_URL is not set"]
        tail = int(q.get("tailLines") or 0)
        if tail:
            lines = lines[-tail:]
        self.send_text(200, "\n".join(lines) + "\n")

    def list(self, resource, ns, q):
        s = self.server.store
        limit = int(q.get("limit") or 0)
        start = ""
        with s.lock:
            rv = str(s.rv)
            if q.get("continue"):
                tok = json.loads(base64.b64decode(q["continue"]))
                start, rv = tok["start"], tok["rv"]
            items = [copy.deepcopy(o) for (r, n, nm), o in sorted(s.objects.items())
                     if r == resource and (ns is None or n == ns) and f"{n}/{nm}" > start
                     and labels_match(o, q.get("labelSelector")) and fields_match(o, q.get("fieldSelector"))]
        md = {"resourceVersion": rv}
        if limit and len(items) > limit:
            last = items[limit - 1]["metadata"]
            md["continue"] = base64.b64encode(json.dumps({"rv": rv, "start": f"{last['namespace']}/{last['name']}"}).encode()).decode()
            items = items[:limit]
        self.send_json(200, {"kind": RESOURCES[resource][1] + "List", "apiVersion": "v1", "metadata": md, "items": items})

    def watch(self, resource, ns, q):
        s = self.server.store
        end = time.time() + float(q.get("timeoutSeconds") or 1800)

        def match(r, o):
            return (r == resource and (ns is None or o["metadata"].get("namespace") == ns)
                    and labels_match(o, q.get("labelSelector")) and fields_match(o, q.get("fieldSelector")))
        self.start_chunked_json()
        try:
            with s.lock:
                rvp = q.get("resourceVersion") or ""
                if rvp in ("", "0"):
                    pos = s.rv
                    initial = [copy.deepcopy(o) for (r, n, nm), o in sorted(s.objects.items()) if match(r, o)]
                else:
                    pos, initial = int(rvp), []
            for o in initial:
                self.write_event("ADDED", o)
            while time.time() < end:
                with s.lock:
                    pending = [(t, o) for rv, t, r, o in s.log if rv > pos and match(r, o)]
                    pos = s.rv
                    if not pending:
                        s.lock.wait(timeout=0.05)
                for t, o in pending:
                    self.write_event(t, o)
            self.write_chunk(b"")
        except OSError:
            self.close_connection = True

    def admin(self, path, q):
        s = self.server.store
        if path == "/fake/object":
            with s.lock:
                obj = s.objects.get((q["resource"], q["namespace"], q["name"]))
            return self.send_json(200 if obj else 404, obj or {})
        if path == "/fake/requests":
            with s.lock:
                return self.send_json(200, {"requests": list(s.requests)})
        if path == "/fake/seed":
            n = int(q.get("count", "10"))
            with s.lock:
                for i in range(n):
                    name = f"fn-{i:05d}"
                    fn = i % 10 != 9  # every tenth one is a plain Knative Service
                    if i % 100 == 98:  # and one in a hundred belongs to a WasmModule
                        md_owner = [{"apiVersion": "wasm.serving.knative.dev/v1alpha1", "kind": "WasmModule",
                                     "name": name, "uid": str(uuid.uuid4()), "controller": True}]
                    else:
                        md_owner = None
                    md = {"name": name, "labels": {"function.knative.dev/name": name,
                                                   "function.knative.dev/runtime": "go"} if fn else {"app": name},
                          "annotations": {"function.knative.dev/deployer": "knative"} if fn else {}}
                    if md_owner:
                        md["ownerReferences"] = md_owner
                        md["annotations"] = {"function.knative.dev/deployer": "wasm"}
                    obj = s.create("services", "default", {"metadata": md, "spec": {"template": {"spec": {
                        "containers": [{"image": f"registry.example.com/{name}@sha256:" + "0" * 64}]}}}})
                    obj["status"] = {"observedGeneration": 1, "url": f"http://{name}.default.example.com",
                                     "conditions": [cond("Ready", "True")]}
            return self.send_json(200, {"seeded": n})
        self.send_json(404, {})


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port-file")
    p.add_argument("--scenario", default="ready")
    p.add_argument("--ready-delay", type=int, default=200, help="ms the controller takes")
    p.add_argument("--gc-delay", type=int, default=200, help="ms before a foreground delete completes")
    p.add_argument("--ready-file", help="append the time each Service became Ready")
    p.add_argument("--preload", help="JSON file: [{resource, namespace, object}] to start with")
    p.add_argument("--no-serving", action="store_true", help="Knative Serving is not installed")
    p.add_argument("--dapr", action="store_true", help="the dapr-system namespace exists")
    p.add_argument("--no-eventing", action="store_true", help="Knative Eventing is not installed")
    p.add_argument("--namespace", action="append", help="another namespace that exists (default and prod do)")
    p.add_argument("--forbid", default="", help="comma list of resources that answer 403")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    args.scenario = [x.strip().lower() for x in args.scenario.split(",") if x.strip()]
    args.forbid = [x for x in args.forbid.split(",") if x]
    srv = Server(("127.0.0.1", 0), Handler)
    srv.args = args
    srv.store = Store(args)
    srv.controller = Controller(srv.store, args)
    if args.preload:
        with open(args.preload) as f, srv.store.lock:
            for item in json.load(f):
                srv.store.create(item["resource"], item.get("namespace", "default"), item["object"])
    serve(srv, args.port_file)


if __name__ == "__main__":
    main()
