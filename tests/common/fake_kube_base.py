"""HTTP plumbing shared by the fake Kubernetes API servers of the tests
(tests/kube/fake_apiserver.py, tests/knative/fake_knative.py).

Only what both fakes do the same way lives here: JSON replies, chunked
watch streams, the threaded server and how it announces its port. What
each fake answers (Status bodies, selectors, watch semantics) stays in
the fake, because the two deliberately model different API surfaces.
"""

import json
import os
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def api_resource_list(group_version, resources):
    """The discovery document GET /apis/<group>/<version> (or /api/v1)
    answers: an APIResourceList naming each served resource. `resources`
    maps plural name -> (kind, namespaced)."""
    verbs = ["create", "delete", "get", "list", "patch", "update", "watch"]
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version,
            "resources": [{"name": name, "singularName": kind.lower(), "namespaced": namespaced,
                           "kind": kind, "verbs": verbs} for name, (kind, namespaced) in resources.items()]}


def now_rfc3339():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class JsonHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def send_json(self, code, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def start_chunked_json(self):
        """Starts a 200 reply streamed as chunks (a watch)."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def write_chunk(self, data):
        """One chunk of a chunked reply; b"" ends the reply."""
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def write_event(self, etype, obj):
        """One watch event, a JSON line in its own chunk."""
        self.write_chunk(json.dumps({"type": etype, "object": obj}).encode() + b"\n")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(srv, port_file=None):
    """Announces the port (stdout, and port_file written whole by rename so
    a reader never sees half of it), then serves until interrupted."""
    port = srv.server_address[1]
    if port_file:
        with open(port_file + ".tmp", "w") as f:
            f.write(f"{port}\n")
        os.replace(port_file + ".tmp", port_file)
    print(port, flush=True)
    try:
        srv.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
