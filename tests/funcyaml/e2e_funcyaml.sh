# func.yaml as the funcp binary reads and writes it, with the cli-test
# plugin: an old-layout file is migrated when a command writes func.yaml
# anyway and left byte-identical otherwise; comments survive; unknown keys
# are warned about once with file:line and a suggestion; a bad env stops a
# build before it starts; create refuses a name func refuses.
. "$FUNCP_TEST_SOURCE_DIR/tests/cli/lib.sh"

export FUNCP_PLUGIN_PATH=${FUNCP_CLI_TEST_PLUGIN_DIR:?set by ctest}
export XDG_CONFIG_HOME="$TMP/config"
cd "$TMP" || exit 1

# new_function DIR: a directory the cli-test builder can build, func.yaml from stdin
new_function() {
    mkdir -p "$1" && echo "hello from clitest" >"$1/src.txt" && cat >"$1/func.yaml"
}

OLD_LAYOUT='# $schema: https://raw.githubusercontent.com/knative/func/main/schema/func_yaml-schema.json
specVersion: 0.25.0
name: old
runtime: sh-clitest
# set for every run
envs:
- name: GREETING
  value: hello # trailing
invocation:
  format: http
'

# --- a command that does not write func.yaml leaves an old file as it was ------
printf '%s' "$OLD_LAYOUT" | new_function "$TMP/old"
cp "$TMP/old/func.yaml" "$TMP/old.before"
expect_exit 0 "$FUNCP" build -p "$TMP/old" &&
    cmp -s "$TMP/old/func.yaml" "$TMP/old.before" && [ -f "$TMP/old/module.wasm" ] &&
    assert_not_contains "$ERR" "unknown key" && pass "build of an old layout leaves func.yaml byte-identical"

# --- a command that writes func.yaml writes it migrated ----------------------------
expect_exit 0 "$FUNCP" build -p "$TMP/old" --registry example.invalid/me &&
    assert_contains "$TMP/old/func.yaml" "specVersion: 0.36.0" &&
    assert_contains "$TMP/old/func.yaml" "registry: example.invalid/me" &&
    assert_not_contains "$TMP/old/func.yaml" "invocation" &&
    python3 - "$TMP/old/func.yaml" <<'EOF' && pass "build --registry writes the migrated file, comments kept"
import sys
text = open(sys.argv[1]).read()
want = """# $schema: https://raw.githubusercontent.com/knative/func/main/schema/func_yaml-schema.json
specVersion: 0.36.0
name: old
runtime: sh-clitest
run:
  # set for every run
  envs:
  - name: GREETING
    value: hello # trailing
registry: example.invalid/me
"""
if text != want:
    sys.exit("migrated func.yaml:\n" + text)
EOF
[ $? -eq 0 ] || fail "migrated func.yaml differs"

# --- unknown keys: one warning each, with file:line:col and the nearest key -------
new_function "$TMP/typo" <<'EOF'
specVersion: 0.36.0
name: typo
runtime: sh-clitest
run:
  envz:
  - name: A
    value: b
x-team: platform
EOF
expect_exit 0 "$FUNCP" build -p "$TMP/typo" &&
    assert_contains "$ERR" "Warning: $TMP/typo/func.yaml:5:3: unknown key \"envz\" in run; did you mean \"envs\"?" &&
    assert_contains "$ERR" "$TMP/typo/func.yaml:8:1: unknown key \"x-team\"; the nearest known key is" &&
    assert_eq "$(grep -c 'unknown key "envz"' "$ERR")" "1" "warnings for envz" &&
    assert_contains "$TMP/typo/func.yaml" "x-team: platform" && pass "unknown keys warned once, kept"

# --- a bad env entry stops the command before any build ---------------------------
new_function "$TMP/badenv" <<'EOF'
specVersion: 0.36.0
name: badenv
runtime: sh-clitest
run:
  envs:
  - name: ONLY_NAME
build:
  buildEnvs:
  - value: only-value
EOF
cp "$TMP/badenv/func.yaml" "$TMP/badenv.before"
expect_exit 5 "$FUNCP" build -p "$TMP/badenv" &&
    assert_contains "$ERR" "$TMP/badenv/func.yaml:6:5: run.envs: env entry #0 is missing value field, only name 'ONLY_NAME' is set" &&
    assert_contains "$ERR" "$TMP/badenv/func.yaml:9:5: build.buildEnvs: env entry #0 is missing name field, only value 'only-value' is set" &&
    [ ! -e "$TMP/badenv/module.wasm" ] && [ ! -e "$TMP/badenv/.funcp/builds" ] &&
    cmp -s "$TMP/badenv/func.yaml" "$TMP/badenv.before" && pass "bad env refused before the build (exit 5)"
expect_exit 5 "$FUNCP" build -p "$TMP/badenv" --registry example.invalid/me &&
    cmp -s "$TMP/badenv/func.yaml" "$TMP/badenv.before" && pass "an invalid function is not written"

# --- create refuses names func refuses, writing nothing -------------------------
long=$(printf 'a%.0s' $(seq 70))
expect_exit 2 "$FUNCP" create -l sh-clitest 1abc &&
    assert_contains "$ERR" "Function name '1abc' must consist of lower case alphanumeric characters or '-', start with an alphabetic character" &&
    [ ! -e "$TMP/1abc" ] && pass "create 1abc refused (exit 2)"
expect_exit 2 "$FUNCP" create 1abc && assert_contains "$ERR" "Function name '1abc'" &&
    pass "the name is checked before the language"
expect_exit 2 "$FUNCP" create -l sh-clitest "$long" &&
    assert_contains "$ERR" "Function name '$long' must be no more than 63 characters" &&
    [ ! -e "$TMP/$long" ] && pass "create of a 70-character name refused (exit 2)"
[ -z "$(ls -A "$TMP" | grep -v -e '^old' -e '^typo' -e '^badenv' -e '^\.out' -e '^\.err')" ] ||
    fail "create left something behind: $(ls -A "$TMP")"

fp_done
