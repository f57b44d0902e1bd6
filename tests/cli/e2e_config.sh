#!/usr/bin/env bash
# funcp config envs|labels|volumes [list|add|remove], as func's
# non-interactive config commands: what is written to func.yaml, func's
# list texts and JSON, and refusals (exit 2, func.yaml untouched).
. "$FUNCP_TEST_SOURCE_DIR/tests/cli/lib.sh"
export FUNCP_PLUGIN_PATH="$FUNCP_TEST_BUILD_DIR/plugins"
FN="$TMP/fn"
mkdir -p "$FN"
printf 'specVersion: 0.36.0\nname: hello\nruntime: go-wasi\n' > "$FN/func.yaml"
cfg() { "$FUNCP" config -p "$FN" "$@"; }

# unchanged CMD...: the command fails with exit 2 and func.yaml is byte-identical.
refused() {
    cp "$FN/func.yaml" "$TMP/before"
    expect_exit 2 cfg "$@" || return 1
    cmp -s "$FN/func.yaml" "$TMP/before" || fail "refused 'config $*' changed func.yaml"
}

expect_exit 0 cfg envs && assert_contains "$OUT" "There aren't any configured Environment variables" && pass "empty envs"
expect_exit 0 cfg envs add --name GREETING --value hi || true
expect_exit 0 cfg envs add --value '{{ secret:db }}' || true
expect_exit 0 cfg envs add --name TOKEN --value '{{ secret:api:token }}' || true
expect_exit 0 cfg envs add --name HOME_DIR --value '{{ env:HOME }}' || true
expect_exit 0 cfg envs list
assert_eq "$(cat "$OUT")" 'Configured Environment variables:
 -  Env "GREETING" with value "hi"
 -  All key=value pairs from Secret "db"
 -  Env "TOKEN" with value set from key "token" from Secret "api"
 -  Env "HOME_DIR" with value set from local env variable "HOME"' "envs list"
expect_exit 0 cfg envs -o json
assert_eq "$(json_eval "$OUT" "[e.get('name') for e in d]")" "['GREETING', None, 'TOKEN', 'HOME_DIR']" "envs -o json"
assert_eq "$(json_eval "$OUT" "d[1]['value']")" "{{ secret:db }}" "name-less env"
refused envs add --name 9LIVES --value x && assert_contains "$ERR" '--name "9LIVES"' && pass "bad env name refused"
refused envs add --name X --value '{{ nope:y }}' && assert_contains "$ERR" "allowed is only '{{ env:MY_ENV }}'" && pass "bad template refused"
refused envs add --name GREETING --value again && assert_contains "$ERR" 'env "GREETING" is already set' && pass "duplicate env refused"
refused envs add && assert_contains "$ERR" "give --name and --value" && pass "add without flags names them"
refused envs add --value '{{ secret:api:token }}' && pass "name-less env must take a whole Secret"
expect_exit 0 cfg envs remove --name TOKEN && pass "env removed"
expect_exit 0 cfg envs rm --name NOT_THERE && assert_contains "$ERR" "Nothing to remove" && pass "absent env: nothing removed, as func"
expect_exit 0 cfg envs -o json
assert_eq "$(json_eval "$OUT" "[e.get('name') for e in d]")" "['GREETING', None, 'HOME_DIR']" "envs after remove"

expect_exit 0 cfg labels add --name app.kubernetes.io/part-of --value shop || true
expect_exit 0 cfg label add --name team || true
expect_exit 0 cfg labels
assert_eq "$(cat "$OUT")" 'Labels:
 -  Label with key "app.kubernetes.io/part-of" and value "shop"
 -  Label with key "team"' "labels list"
refused labels add --name 'bad key!' --value x && pass "bad label key refused"
refused labels add --name ok --value 'not valid!' && pass "bad label value refused"
expect_exit 0 cfg labels remove --name team
expect_exit 0 cfg labels -o json
assert_eq "$(json_eval "$OUT" "d")" "[{'key': 'app.kubernetes.io/part-of', 'value': 'shop'}]" "labels -o json"

expect_exit 0 cfg volumes add -t secret -s certs -m /etc/certs && assert_contains "$OUT" 'Added: Secret "certs" at path: "/etc/certs"'
expect_exit 0 cfg volumes add -t pvc -s data -m /data -r && assert_contains "$ERR" "read-only"
expect_exit 0 cfg volumes add --type emptydir --mount-path /cache --size 1Gi --medium Memory
expect_exit 0 cfg volumes add -t configmap -s settings -m /etc/settings
refused volumes add -t pvc -m /x && assert_contains "$ERR" "--source is required for pvc volumes" && pass "pvc needs a source"
refused volumes add -t secret -s s -m relative && assert_contains "$ERR" "absolute path" && pass "relative mount path refused"
refused volumes add -t nfs -s s -m /n && assert_contains "$ERR" "invalid volume type: nfs" && pass "unknown volume type refused"
refused volumes add -t emptydir -m /e --medium Disk && assert_contains "$ERR" "invalid medium" && pass "bad medium refused"
refused volumes add && assert_contains "$ERR" "-t/--type" && pass "volumes add names its flags"
expect_exit 6 cfg volumes remove -m /nowhere && assert_contains "$ERR" "no volume found with mount path: /nowhere"
expect_exit 0 cfg volumes remove -m /etc/settings
expect_exit 0 cfg volumes
assert_eq "$(cat "$OUT")" 'Configured Volumes mounts:
 -  Secret "certs" at path: "/etc/certs"
 -  PersistentVolumeClaim "data" at path: "/data"
 -  EmptyDir in memory with size limit "1Gi" at path: "/cache"' "volumes list"

# What func.yaml holds, read back with the layout func writes.
python3 - "$FN/func.yaml" > "$TMP/check" <<'PY' || fail "func.yaml layout: $(cat "$TMP/check")"
import sys
text = open(sys.argv[1]).read()
want = ["run:\n  envs:\n  - name: GREETING\n    value: hi\n  - value: '{{ secret:db }}'",
        "  volumes:\n  - secret: certs\n    path: /etc/certs\n  - persistentVolumeClaim:\n      claimName: data\n      readOnly: true\n    path: /data",
        "  - emptyDir:\n      medium: Memory\n      sizeLimit: 1Gi\n    path: /cache",
        "deploy:\n  labels:\n  - key: app.kubernetes.io/part-of\n    value: shop"]
missing = [w for w in want if w not in text]
print(text if missing else "ok")
sys.exit(1 if missing else 0)
PY
expect_exit 2 "$FUNCP" config -p "$FN" && assert_contains "$ERR" "envs|labels|volumes" && pass "bare config says what to choose"
expect_exit 2 cfg secrets && assert_contains "$ERR" 'unknown config section "secrets"'
expect_exit 2 cfg envs frobnicate && assert_contains "$ERR" 'unknown action "frobnicate"'
expect_exit 6 "$FUNCP" config envs -p "$TMP/nowhere" && pass "no function: not found"
fp_done
