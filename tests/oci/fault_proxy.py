#!/usr/bin/env python3
"""A fault-injecting HTTP proxy in front of a real registry, for tests.

fault_proxy.py <listen-port> <upstream host:port> <plan.json> <events.log>

plan.json: {"rules": [{"match": "<regex on 'METHOD PATH'>", "action":
"503" | "429" | "drop" | "slow" | "status" | "cut-headers", "times": N, "retry_after": "1",
"after_bytes": N, "delay": seconds, "status": 400, "body": "..."}],
"random": {"seed": N, "rate": 0.1, "actions": ["503", ...], "match": "re"},
"bearer": {"user": u, "password": p, "refresh_token": t}}
Each rule fires at most `times` times. "random" injects one of `actions`
into a matching request with probability `rate`, from a seeded RNG, so a
run is repeatable. "status" replies `status` with `body` (a registry error
the registry itself did not send); "cut-headers" sends "HTTP/1.1 200 OK"
and half a header line, then closes the connection. With "bearer", the proxy plays a
registry using token auth: /v2/ requests need "Bearer <token>" from its
own /token endpoint (Basic credentials checked). Every fault, token
request and forwarded request is appended to events.log.
"""
import base64
import http.client
import http.server
import json
import random
import re
import sys
import threading
import time
import urllib.parse

PORT, UPSTREAM, PLAN, EVENTS = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
plan = json.load(open(PLAN))
lock = threading.Lock()
HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization"}
TOKEN = "tok-not-a-real-secret-42"
RANDOM = plan.get("random")
rng = random.Random(RANDOM.get("seed", 1)) if RANDOM else None


def event(text):
    with lock:
        with open(EVENTS, "a") as f:
            f.write(text + "\n")


def take_rule(line):
    with lock:
        for rule in plan.get("rules", []):
            if rule.get("times", 0) > 0 and re.search(rule["match"], line):
                rule["times"] -= 1
                return rule
        if RANDOM and re.search(RANDOM.get("match", ""), line) and rng.random() < RANDOM.get("rate", 0.1):
            action = rng.choice(RANDOM["actions"])
            return {"action": action, "retry_after": "1" if action == "429" else "0",
                    "after_bytes": rng.randint(0, 4096), "delay": rng.uniform(0.05, 0.4)}
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def body_length(self):
        return int(self.headers.get("Content-Length") or 0)

    def drain(self, n):
        while n > 0:
            chunk = self.rfile.read(min(n, 65536))
            if not chunk:
                break
            n -= len(chunk)

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def bearer(self):
        auth = plan.get("bearer")
        if not auth:
            return True
        if self.path.startswith("/token") and self.command == "POST":
            # OAuth2 refresh-token grant (docker's identity token)
            form = urllib.parse.parse_qs(self.rfile.read(self.body_length()).decode())
            event(f"token-post scope={form.get('scope', [''])[0]}")
            if form.get("grant_type") != ["refresh_token"] or form.get("refresh_token") != [auth.get("refresh_token")]:
                self.reply(401, b'{"details":"bad refresh token"}')
            else:
                self.reply(200, json.dumps({"access_token": TOKEN}).encode(), [("Content-Type", "application/json")])
            return False
        if self.path.startswith("/token"):
            self.drain(self.body_length())
            want = "Basic " + base64.b64encode(f"{auth['user']}:{auth['password']}".encode()).decode()
            event(f"token {self.path}")
            if self.headers.get("Authorization") != want:
                self.reply(401, b'{"details":"bad credentials"}')
            else:
                self.reply(200, json.dumps({"access_token": TOKEN, "expires_in": 300}).encode(),
                           [("Content-Type", "application/json")])
            return False
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            self.drain(self.body_length())
            m = re.match(r"/v2/(.+)/(blobs|manifests)/", self.path)
            scope = f',scope="repository:{m.group(1)}:pull,push"' if m else ""
            realm = f'Bearer realm="http://127.0.0.1:{PORT}/token",service="funcp-test"{scope}'
            self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
                       [("WWW-Authenticate", realm), ("Content-Type", "application/json")])
            return False
        return True

    def handle_any(self):
        line = f"{self.command} {self.path}"
        if not self.bearer():
            return
        rule = take_rule(line)
        if rule and rule["action"] == "503":
            event(f"503 {line}")
            self.drain(self.body_length())
            self.reply(503, b'{"errors":[{"code":"UNAVAILABLE","message":"injected fault"}]}',
                       [("Retry-After", rule.get("retry_after", "0")), ("Content-Type", "application/json")])
            return
        if rule and rule["action"] == "429":
            event(f"429 {line}")
            self.drain(self.body_length())
            self.reply(429, b'{"errors":[{"code":"TOOMANYREQUESTS","message":"injected fault"}]}',
                       [("Retry-After", rule.get("retry_after", "1")), ("Content-Type", "application/json")])
            return
        if rule and rule["action"] == "status":
            event(f"status {rule['status']} {line}")
            self.drain(self.body_length())
            self.reply(rule["status"], rule.get("body", "").encode(), [("Content-Type", "application/json")])
            return
        if rule and rule["action"] == "cut-headers":
            event(f"cut-headers {line}")
            self.drain(self.body_length())
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: applica")
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if rule and rule["action"] == "drop":
            event(f"drop {line}")
            self.drain(min(rule.get("after_bytes", 0), self.body_length()))
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if rule and rule["action"] == "slow":
            event(f"slow {line}")
            time.sleep(rule.get("delay", 1))
        event(f"forward {line}")
        self.forward()

    def forward(self):
        host, port = UPSTREAM.rsplit(":", 1)
        up = http.client.HTTPConnection(host, int(port), timeout=60)
        n = self.body_length()
        up.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for k, v in self.headers.items():
            if k.lower() not in HOP and not (plan.get("bearer") and k.lower() == "authorization"):
                up.putheader(k, v)
        up.endheaders()
        while n > 0:
            chunk = self.rfile.read(min(n, 65536))
            if not chunk:
                break
            up.send(chunk)
            n -= len(chunk)
        resp = up.getresponse()
        self.send_response(resp.status)
        length = resp.getheader("Content-Length")
        for k, v in resp.getheaders():
            if k.lower() not in HOP and k.lower() != "content-length":
                self.send_header(k, v)
        body = b"" if self.command == "HEAD" else None
        if length is None and self.command != "HEAD":
            body = resp.read()
            length = str(len(body))
        self.send_header("Content-Length", length or "0")
        self.end_headers()
        if self.command == "HEAD":
            pass
        elif body is not None:
            self.wfile.write(body)
        else:
            while True:
                chunk = resp.read(65536)
                if not chunk:
                    break
                self.wfile.write(chunk)
        up.close()

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
server.daemon_threads = True
server.serve_forever()
