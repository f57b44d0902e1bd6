#!/usr/bin/env python3
"""A docker token-auth server for tests, in front of a real docker-registry
configured with `auth: token` (distribution docs/spec/auth/token.md).

token_server.py <port> <key.pem> <cert.pem> <issuer> <service> <users.json> <events.log> [tokens.log]

GET /token?service=<s>&scope=repository:<name>:<actions> with Basic
credentials from users.json ({"user": "password"}) answers {"token",
"access_token", "expires_in", "issued_at"}: a JWT signed RS256 (with the
openssl command) whose x5c header carries cert.pem, granting the scope's
actions. No credentials: an anonymous token granting nothing, as docker's
auth servers give for a private repository. Wrong ones: 401
{"details": "incorrect username or password"}. Each request is logged to
events.log (user and scope, never a password or a token); the tokens
themselves go to tokens.log when given, for tests that check no output
shows them."""
import base64
import http.server
import json
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

PORT, KEY, CERT, ISSUER, SERVICE, USERS, EVENTS = sys.argv[1:8]
PORT = int(PORT)
TOKENS = sys.argv[8] if len(sys.argv) > 8 else None
users = json.load(open(USERS))
lock = threading.Lock()
der = subprocess.run(["openssl", "x509", "-in", CERT, "-outform", "DER"], check=True, capture_output=True).stdout


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def event(text):
    with lock:
        with open(EVENTS, "a") as f:
            f.write(text + "\n")


def jwt(subject, access):
    now = int(time.time())
    header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
    claims = {"iss": ISSUER, "sub": subject, "aud": SERVICE, "exp": now + 300, "nbf": now - 10, "iat": now,
              "jti": uuid.uuid4().hex, "access": access}
    signing = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", KEY], input=signing.encode(), check=True,
                         capture_output=True).stdout
    return signing + "." + b64url(sig)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query)
        if url.path != "/token":
            return self.reply(404, {"details": "not found"})
        scopes = q.get("scope", [])
        auth = self.headers.get("Authorization", "")
        user = None
        if auth.startswith("Basic "):
            name, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            if users.get(name) != password:
                event(f"refused user={name} scope={','.join(scopes)}")
                return self.reply(401, {"details": "incorrect username or password"})
            user = name
        access = []
        for scope in scopes if user else []:
            kind, name, actions = scope.split(":", 2) if scope.count(":") >= 2 else ("", "", "")
            if kind == "repository":
                access.append({"type": kind, "name": name, "actions": actions.split(",")})
        event(f"token user={user or '-'} service={q.get('service', [''])[0]} scope={','.join(scopes)}")
        token = jwt(user or "", access)
        if TOKENS:
            with lock:
                with open(TOKENS, "a") as f:
                    f.write(token + "\n")
        self.reply(200, {"token": token, "access_token": token, "expires_in": 300,
                         "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})


server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
server.daemon_threads = True
server.serve_forever()
