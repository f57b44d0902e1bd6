# A real docker-registry with docker token auth (auth: token; realm,
# service, issuer, rootcertbundle) and tests/oci/token_server.py issuing
# RS256 tokens: push with credentials; a wrong password and no
# credentials fail with exit 10 and "authentication failed for <registry>"
# carrying the token server's words (never "HTTP 400").
source "$(dirname "$0")/registry_lib.sh"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=funcp test token issuer" \
    -keyout "$T/token.key" -out "$T/token.pem" 2>/dev/null
TOKEN_USER=tok-user TOKEN_PASSWORD='tok-Pa55-s3cret'
printf '{"%s":"%s"}' "$TOKEN_USER" "$TOKEN_PASSWORD" > "$T/users.json"
TP=$(free_port)
TEV=$T/token.events
python3 "$(dirname "$0")/token_server.py" "$TP" "$T/token.key" "$T/token.pem" funcp-issuer funcp-registry \
    "$T/users.json" "$TEV" &
PIDS+=($!)
wait_port "$TP"
REG_TOKEN_AUTH="http://127.0.0.1:$TP/token funcp-registry funcp-issuer $T/token.pem" start_registry tokreg
make_component "$T/fn.wasm" 4096 21
export HOME=$T/home DOCKER_CONFIG=$T/no-docker
unset REGISTRY_AUTH_FILE XDG_RUNTIME_DIR XDG_CONFIG_HOME || true
mkdir -p "$HOME"

# 1. the right credentials: a token per scope, the push lands.
out=$("$OCI_TOOL" -u "$TOKEN_USER" -p "$TOKEN_PASSWORD" push "$T/fn.wasm" "$REG/fn/tok:latest" 2> "$T/log1") ||
    fail "push with a token failed: $(cat "$T/log1")"
grep -q "^token user=$TOKEN_USER service=funcp-registry scope=repository:fn/tok:push,pull" "$TEV" ||
    fail "no token for the push scope: $(cat "$TEV")"
skopeo inspect --raw --tls-verify=false --creds "$TOKEN_USER:$TOKEN_PASSWORD" "docker://$REG/fn/tok:latest" > "$T/raw.json"
[ "sha256:$(sha256sum < "$T/raw.json" | cut -d' ' -f1)" = "$(field digest "$out")" ] || fail "skopeo sees another manifest"
pass "token auth: push with credentials"

# 2. a wrong password: the token server's refusal, exit 10.
rc=0; "$OCI_TOOL" -u "$TOKEN_USER" -p wrong-pass push "$T/fn.wasm" "$REG/fn/tok:bad" > /dev/null 2> "$T/e2" || rc=$?
[ "$rc" -eq 10 ] || fail "wrong password: exit $rc, want 10: $(cat "$T/e2")"
grep -qF "authentication failed for $REG (user $TOKEN_USER): token server 127.0.0.1:$TP refused the credentials (HTTP 401): incorrect username or password" "$T/e2" ||
    fail "wrong password message: $(cat "$T/e2")"
grep -q "^refused user=$TOKEN_USER" "$TEV" || fail "the token server did not refuse anything: $(cat "$TEV")"
if grep -q "HTTP 400\|wrong-pass" "$T/e2"; then fail "misleading or leaking error: $(cat "$T/e2")"; fi
pass "token auth: a wrong password is an authentication failure naming the user and the server's words"

# 3. no credentials: the anonymous token grants nothing; the registry's
#    refusal names where funcp looked and how to log in.
rc=0; "$OCI_TOOL" push "$T/fn.wasm" "$REG/fn/tok:anon" > /dev/null 2> "$T/e3" || rc=$?
[ "$rc" -eq 10 ] || fail "no credentials: exit $rc, want 10: $(cat "$T/e3")"
for want in "authentication failed for $REG (no credentials): " "no credentials for $REG were given (--username) or found in" \
            "$HOME/.config/containers/auth.json" "$DOCKER_CONFIG/config.json" "docker login $REG"; do
    grep -qF -- "$want" "$T/e3" || fail "no-credentials error lacks '$want': $(cat "$T/e3")"
done
grep -q "^token user=- " "$TEV" || fail "no anonymous token asked: $(cat "$TEV")"
pass "token auth: no credentials is an authentication failure saying where funcp looked"
