# A real docker-registry with htpasswd (Basic auth) over TLS signed by a CA
# made here: CA handling, credentials from flags, auth files and helpers,
# and no credential in any output, even verbose.
source "$(dirname "$0")/registry_lib.sh"

make_ca "$T/tls"
USER_NAME=funcp-user
PASSWORD='S3cret-Pa55:word'
htpasswd -Bbn "$USER_NAME" "$PASSWORD" > "$T/htpasswd"
start_registry secure "$T/tls" "$T/htpasswd"
make_component "$T/fn.wasm" 65536 3
B64=$(printf '%s:%s' "$USER_NAME" "$PASSWORD" | base64 -w0)
CA=(-c "$T/tls/ca.pem")

# 1. the CA is not trusted by default: the error names the host and why.
if "$OCI_TOOL" -u "$USER_NAME" -p "$PASSWORD" push "$T/fn.wasm" "$REG/fn/app:latest" 2> "$T/e"; then
    fail "pushed to an untrusted certificate"
fi
grep -qF "TLS certificate of $REG is not trusted: it is signed by an unknown authority" "$T/e" ||
    fail "certificate error: $(cat "$T/e")"
grep -qi "certificate" "$T/e" || fail "no curl reason in: $(cat "$T/e")"
grep -qF -- "--ca-file" "$T/e" && grep -qF -- "--registry-insecure" "$T/e" || fail "no fix named: $(cat "$T/e")"
if grep -q "plain HTTP\|HTTP 400" "$T/e"; then fail "a loopback TLS registry fell back to HTTP: $(cat "$T/e")"; fi
pass "untrusted certificate: clear error naming --ca-file and --registry-insecure, no HTTP fallback"

# 2. no credentials: refused, naming registry, repository, 401.
export HOME=$T/home DOCKER_CONFIG=$T/no-docker
unset REGISTRY_AUTH_FILE XDG_RUNTIME_DIR XDG_CONFIG_HOME || true
mkdir -p "$HOME"
rc=0; "$OCI_TOOL" "${CA[@]}" push "$T/fn.wasm" "$REG/fn/app:latest" 2> "$T/e" || rc=$?
[ "$rc" -eq 10 ] || fail "anonymous push: exit $rc, want 10 (auth): $(cat "$T/e")"
for want in "authentication failed for $REG (no credentials): authentication required" \
            "no credentials for $REG were given (--username) or found in" "$T/no-docker/config.json" \
            "$HOME/.config/containers/auth.json" "docker login $REG"; do
    grep -qF -- "$want" "$T/e" || fail "auth error lacks '$want': $(cat "$T/e")"
done
pass "anonymous push refused: where funcp looked and how to log in"

# 3. wrong password: refused.
rc=0; "$OCI_TOOL" "${CA[@]}" -u "$USER_NAME" -p wrong push "$T/fn.wasm" "$REG/fn/app:latest" 2> "$T/e" || rc=$?
[ "$rc" -eq 10 ] || fail "wrong password: exit $rc, want 10 (auth): $(cat "$T/e")"
grep -qF "authentication failed for $REG (user $USER_NAME): authentication required" "$T/e" ||
    fail "wrong password error: $(cat "$T/e")"
pass "wrong password refused: authentication failed, the user and the registry's words"

# 4. --username/--password with the CA, verbose: works, no secret leaks.
"$OCI_TOOL" -v -v -P "${CA[@]}" -u "$USER_NAME" -p "$PASSWORD" push "$T/fn.wasm" "$REG/fn/app:latest" > "$T/out" 2> "$T/log"
grep -q '^\[debug\] > PUT /v2/fn/app/manifests/latest' "$T/log" || fail "verbose log has no requests"
grep -qi '^\[debug\] > Authorization: <redacted>' "$T/log" || fail "Authorization header not shown redacted"
grep -q '^progress push ' "$T/log" || fail "no progress reported"
for secret in "$PASSWORD" "$B64"; do
    if grep -qF -- "$secret" "$T/out" "$T/log"; then fail "a credential appears in the output"; fi
done
skopeo inspect --raw --creds "$USER_NAME:$PASSWORD" --cert-dir "$T/tls" "docker://$REG/fn/app:latest" > "$T/raw.json" 2>/dev/null ||
    skopeo inspect --raw --creds "$USER_NAME:$PASSWORD" --tls-verify=false "docker://$REG/fn/app:latest" > "$T/raw.json"
[ "sha256:$(sha256sum < "$T/raw.json" | cut -d' ' -f1)" = "$(field digest "$(cat "$T/out")")" ] || fail "skopeo sees another manifest"
pass "basic auth over TLS with a custom CA; verbose output has no secret"

# 5. credentials from $DOCKER_CONFIG/config.json (base64 auth).
mkdir -p "$T/docker"
printf '{"auths":{"%s":{"auth":"%s"}}}' "$REG" "$B64" > "$T/docker/config.json"
DOCKER_CONFIG=$T/docker "$OCI_TOOL" "${CA[@]}" pull "$REG/fn/app:latest" "$T/pulled.wasm" > /dev/null
cmp "$T/pulled.wasm" "$T/fn.wasm" || fail "pulled bytes differ"
pass "docker config.json auths"

# 6. $REGISTRY_AUTH_FILE (containers auth.json) wins over docker's.
printf '{"auths":{"%s":{"auth":"%s"}}}' "$REG" "$(printf '%s:bad' "$USER_NAME" | base64 -w0)" > "$T/docker/config.json"
printf '{"auths":{"%s":{"username":"%s","password":"%s"}}}' "$REG" "$USER_NAME" "$PASSWORD" > "$T/auth.json"
REGISTRY_AUTH_FILE=$T/auth.json DOCKER_CONFIG=$T/docker "$OCI_TOOL" "${CA[@]}" push "$T/fn.wasm" "$REG/fn/app:v2" > /dev/null
if DOCKER_CONFIG=$T/docker "$OCI_TOOL" "${CA[@]}" push "$T/fn.wasm" "$REG/fn/app:v3" 2>/dev/null; then
    fail "bad docker credentials were accepted"
fi
pass "REGISTRY_AUTH_FILE precedence"

# 7. a credential helper (credHelpers) on PATH.
mkdir -p "$T/bin"
cat > "$T/bin/docker-credential-funcptest" <<SH
#!/bin/sh
read -r host
[ "\$host" = "$REG" ] || { echo "credentials not found in native keychain"; exit 1; }
printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}' "\$host" "$USER_NAME" "$PASSWORD"
SH
chmod +x "$T/bin/docker-credential-funcptest"
printf '{"credHelpers":{"%s":"funcptest"}}' "$REG" > "$T/docker/config.json"
PATH=$T/bin:$PATH DOCKER_CONFIG=$T/docker "$OCI_TOOL" -v "${CA[@]}" push "$T/fn.wasm" "$REG/fn/app:helper" > "$T/out" 2> "$T/log"
if grep -qF -- "$PASSWORD" "$T/out" "$T/log"; then fail "helper secret in output"; fi
pass "credential helper"

# 8. listed as insecure: the certificate is not verified, with a warning.
"$OCI_TOOL" -k "$REG" -u "$USER_NAME" -p "$PASSWORD" push "$T/fn.wasm" "$REG/fn/app:insecure" > /dev/null 2> "$T/log"
grep -q "listed as insecure" "$T/log" || fail "no insecure warning"
pass "insecure registry: skip-verify with a warning"

# 9. listed as insecure but no credentials: the HTTPS answer (401) is the
#    error; it is not hidden by a plain-HTTP retry of a TLS-only port.
rc=0; "$OCI_TOOL" -k "$REG" push "$T/fn.wasm" "$REG/fn/app:anon" 2> "$T/e" || rc=$?
[ "$rc" -eq 10 ] || fail "anonymous push with -k: exit $rc, want 10: $(cat "$T/e")"
grep -qF "authentication failed for $REG (no credentials)" "$T/e" || fail "401 hidden with -k: $(cat "$T/e")"
if grep -q "HTTP 400" "$T/e"; then fail "plain HTTP sent to the TLS port: $(cat "$T/e")"; fi
rc=0; "$OCI_TOOL" -k "$REG" -u "$USER_NAME" -p wrong push "$T/fn.wasm" "$REG/fn/app:anon" 2> "$T/e" || rc=$?
[ "$rc" -eq 10 ] || fail "wrong password with -k: exit $rc, want 10: $(cat "$T/e")"
grep -qF "authentication failed for $REG (user $USER_NAME)" "$T/e" || fail "wrong password with -k: $(cat "$T/e")"
if grep -q "speaks plain HTTP\|HTTP 400" "$T/e"; then fail "fell back to plain HTTP after a 401: $(cat "$T/e")"; fi
pass "insecure registry: a 401 over HTTPS is reported, no plain-HTTP fallback"
