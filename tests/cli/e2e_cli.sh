# funcp's command line: help for every command, usage errors and exit
# codes, version, plugins -o json with a refused file, languages/templates,
# create refusing a non-empty directory or an unknown runtime, JSON errors,
# and the completion script.
. "$(dirname "$0")/lib.sh"

PLUGIN_DIR=${FUNCP_CLI_TEST_PLUGIN_DIR:?set by ctest: the cli-test plugin directory}
export FUNCP_PLUGIN_PATH="$PLUGIN_DIR"
cd "$TMP" || exit 1

# --- help -------------------------------------------------------------
expect_exit 0 "$FUNCP" --help && assert_contains "$OUT" "Usage:" && pass "funcp --help"
commands=$(sed -n '/^Commands:/,/^$/p' "$OUT" | awk 'NF>1 && $1 != "Commands:" {print $1}')
[ "$(echo "$commands" | wc -w)" -ge 14 ] || fail "expected 14 commands in --help, got: $commands"
for cmd in $commands; do
    if expect_exit 0 "$FUNCP" "$cmd" --help; then
        assert_contains "$OUT" "funcp $cmd" && assert_contains "$OUT" "Global Flags:" &&
            assert_contains "$OUT" "Examples:" && pass "$cmd --help"
    fi
    expect_exit 0 "$FUNCP" "$cmd" -h && assert_contains "$OUT" "Usage:"
done
expect_exit 0 "$FUNCP" deploy --help && assert_contains "$OUT" '--timeout duration' &&
    assert_contains "$OUT" '(default "2m")' && assert_contains "$OUT" '$FUNC_DEPLOY_TYPE' &&
    pass "deploy --help shows defaults and env names"
expect_exit 0 "$FUNCP" init --help && assert_contains "$OUT" "create, init" && pass "alias help"
expect_exit 0 "$FUNCP" -v --help && assert_contains "$OUT" "Commands:" && pass "global flag before --help"

# --- usage errors: exit 2, the command named, a pointer to --help --------
expect_exit 2 "$FUNCP" build --nope && assert_contains "$ERR" "funcp build: unknown flag: --nope" &&
    assert_contains "$ERR" "Run 'funcp build --help'" && pass "unknown flag"
expect_exit 2 "$FUNCP" nosuch && assert_contains "$ERR" 'unknown command "nosuch"' && pass "unknown command"
expect_exit 2 "$FUNCP" deploy -n && assert_contains "$ERR" "flag needs an argument: -n" && pass "missing flag value"
expect_exit 2 "$FUNCP" deploy --timeout soon && assert_contains "$ERR" 'invalid duration "soon"' && pass "bad duration"
expect_exit 2 "$FUNCP" deploy --build=maybe && assert_contains "$ERR" "auto,true,false" && pass "bad choice"
expect_exit 2 "$FUNCP" describe one two && assert_contains "$ERR" 'unexpected argument "two"' && pass "extra argument"
FUNC_TIMEOUT=forever expect_exit 2 "$FUNCP" deploy && assert_contains "$ERR" "FUNC_TIMEOUT" && pass "bad env value"
expect_exit 2 "$FUNCP" list -o xml && assert_contains "$ERR" 'invalid value "xml"' && pass "bad output format"
# each command lists exactly the formats it takes: url is describe's alone
expect_exit 2 "$FUNCP" list -o xml && assert_contains "$ERR" '(one of: text,json,yaml,human,plain)' &&
    expect_exit 2 "$FUNCP" list -o url && assert_contains "$ERR" 'invalid value "url"' &&
    expect_exit 2 "$FUNCP" info -o xml && assert_contains "$ERR" '(one of: text,json,yaml,human,plain,url)' &&
    expect_exit 0 "$FUNCP" describe --help && assert_contains "$OUT" 'or url (the URL alone)' &&
    expect_exit 0 "$FUNCP" list --help && assert_not_contains "$OUT" 'url (the URL alone)' &&
    expect_exit 0 "$FUNCP" languages -o human && pass "-o formats per command"
expect_exit 2 "$FUNCP" completion powershell &&
    assert_contains "$ERR" 'unsupported shell "powershell" (supported: bash, zsh, fish)' &&
    pass "completion of an unknown shell"

expect_exit 2 "$FUNCP" -x build && assert_contains "$ERR" "unknown flag: -x" && pass "unknown global flag"

# "funcp help [command]", as func has it
expect_exit 0 "$FUNCP" help && assert_contains "$OUT" "Commands:" && pass "funcp help"
expect_exit 0 "$FUNCP" help deploy && assert_contains "$OUT" "funcp deploy [flags]" &&
    assert_contains "$OUT" "--timeout duration" && pass "funcp help deploy"
expect_exit 0 "$FUNCP" help ls && assert_contains "$OUT" "funcp list" && pass "funcp help <alias>"
expect_exit 2 "$FUNCP" help nope && assert_contains "$ERR" 'unknown help topic "nope"' && pass "help of an unknown command"

# a misspelled key gets a "did you mean" when the runtime is missing; the key stays
mkdir -p "$TMP/typo" && printf 'name: typo\nruntme: sh-clitest\nx-tool: 1\n' >"$TMP/typo/func.yaml"
cp "$TMP/typo/func.yaml" "$TMP/typo.yaml"
expect_exit 5 "$FUNCP" build -p "$TMP/typo" && assert_contains "$ERR" "no runtime is set" &&
    assert_contains "$ERR" "typo/func.yaml:2:1: unknown key \"runtme\"; did you mean \"runtime\"?" &&
    assert_contains "$ERR" 'typo/func.yaml:3:1: unknown key "x-tool"; the nearest known key is' && cmp -s "$TMP/typo/func.yaml" "$TMP/typo.yaml" &&
    printf 'name: typo\n' >"$TMP/typo/func.yaml" && expect_exit 5 "$FUNCP" build -p "$TMP/typo" &&
    assert_not_contains "$ERR" "did you mean" && pass "typo hint for a missing runtime"

# create with a path argument and a different -p names both; the same one is fine
expect_exit 2 "$FUNCP" create -l sh-clitest -p "$TMP/pboth/p1" "$TMP/pboth/p2" &&
    assert_contains "$ERR" "path argument \"$TMP/pboth/p2\" and --path \"$TMP/pboth/p1\"" &&
    assert_contains "$ERR" "Run 'funcp create --help'" && [ ! -e "$TMP/pboth/p1" ] && [ ! -e "$TMP/pboth/p2" ] &&
    expect_exit 0 "$FUNCP" create -l sh-clitest -p "$TMP/pboth/same" "$TMP/pboth/./same/" &&
    [ -f "$TMP/pboth/same/func.yaml" ] && pass "create: path argument and a different -p"

# -n is a DNS-1123 label for every command taking it, checked before anything else
long=$(printf 'n%.0s' $(seq 64))
for verb in deploy list "describe fn" "delete fn"; do
    for bad in Bad_NS -ns ns- "$long" "a.b"; do
        expect_exit 2 "$FUNCP" $verb -p "$TMP/addr-none" -n "$bad" &&
            assert_contains "$ERR" "invalid namespace \"$bad\" (-n/--namespace)" &&
            assert_contains "$ERR" 'DNS-1123 label' || fail "$verb -n $bad"
    done
done
FUNC_NAMESPACE=Nope expect_exit 2 "$FUNCP" list && assert_contains "$ERR" '"Nope" (FUNC_NAMESPACE)' &&
    FUNC_NAMESPACE=Nope expect_exit 0 "$FUNCP" languages &&
    expect_exit 2 "$FUNCP" deploy -n "${long%n}X" && assert_contains "$ERR" "Run 'funcp deploy --help'" &&
    pass "namespace checked as a DNS-1123 label"

# --address is checked before anything is built or started; func.yaml is untouched
mkdir -p "$TMP/addr" && printf 'name: addr\nruntime: sh-clitest\n' >"$TMP/addr/func.yaml"
cp "$TMP/addr/func.yaml" "$TMP/addr.yaml"
for bad in 999.1.1.1:80 127.0.0.1 127.0.0.1:99999 "local host:80" "[::1:80"; do
    expect_exit 2 "$FUNCP" run -p "$TMP/addr" --address "$bad" &&
        assert_contains "$ERR" "--address \"$bad\"" && assert_contains "$ERR" "Run 'funcp run --help'"
done
expect_exit 2 "$FUNCP" run -p "$TMP/addr" --address 999.1.1.1:80 &&
    assert_contains "$ERR" '"999.1.1.1" is not an IPv4 address'
expect_exit 2 "$FUNCP" invoke -p "$TMP/addr" --address 1.2.3:80 &&
    assert_contains "$ERR" '"1.2.3" is not an IPv4 address'
cmp -s "$TMP/addr/func.yaml" "$TMP/addr.yaml" || fail "func.yaml changed by a bad --address"
[ ! -e "$TMP/addr/.funcp" ] || fail "a bad --address built the function"
pass "bad --address is a usage error"
expect_exit 2 "$FUNCP" push -p "$TMP/addr" --password s3cret --password-stdin </dev/null &&
    assert_contains "$ERR" "--password and --password-stdin are mutually exclusive" &&
    assert_not_contains "$ERR" "s3cret" && pass "--password with --password-stdin"

# describe/delete of an absent function with no Kubernetes configuration say
# the cluster was not checked, not only "not found"
mkdir -p "$TMP/nokube"
for verb in describe delete; do
    expect_exit 6 env -u KUBECONFIG -u KUBERNETES_SERVICE_HOST HOME="$TMP/nokube" "$FUNCP" $verb missing &&
        assert_contains "$ERR" 'function "missing" not found by any deployer' &&
        assert_contains "$ERR" "not checked: no Kubernetes configuration" && pass "$verb with no kubeconfig"
done

# --- start-up: help and version load no plugin and no network module --------
if LD_DEBUG=files "$FUNCP" plugins >/dev/null 2>"$TMP/ld.plugins"; then
    assert_contains "$TMP/ld.plugins" "cli-test.so"
    for args in "--help" "version" "--version" "deploy --help"; do
        LD_DEBUG=files "$FUNCP" $args >/dev/null 2>"$TMP/ld.out"
        assert_not_contains "$TMP/ld.out" "cli-test.so"
        assert_not_contains "$TMP/ld.out" "funcp-net"
        assert_not_contains "$TMP/ld.out" "libcurl"
    done
    pass "help and version load no plugin or network module"
fi

# --- version --------------------------------------------------------------
expect_exit 0 "$FUNCP" --version && assert_contains "$OUT" "funcp version " && pass "--version"
expect_exit 0 "$FUNCP" version -o json &&
    assert_eq "$(json_eval "$OUT" 'd["pluginAbi"].split(".")[0]')" "1" "version pluginAbi" && pass "version -o json"

# --- plugins -o json: loaded plugins and the refused junk file ------------
mkdir -p "$TMP/junk"
printf 'This is a text file named like a plugin, long enough to hold an ELF header.\n' >"$TMP/junk/junk.so"
if FUNCP_PLUGIN_PATH="$TMP/junk:$PLUGIN_DIR" expect_exit 0 "$FUNCP" plugins -o json; then
    python3 -m json.tool "$OUT" >/dev/null || fail "plugins -o json is not JSON"
    assert_eq "$(json_eval "$OUT" '[r["reason"] for r in d["refused"] if r["path"].endswith("/junk.so")]')" \
        "['not-loadable']" "junk.so refusal"
    assert_eq "$(json_eval "$OUT" '[(p["runtimes"][0]["name"], p["runtimes"][0]["suffix"], p["runtimes"][0]["templates"], p["deployers"][0]["artifacts"], p["deployers"][0]["default"]) for p in d["plugins"] if p["name"] == "cli-test"]')" \
        "[('sh-clitest', '-clitest', ['http', 'fail'], ['wasm'], False)]" "cli-test plugin entry"
    assert_eq "$(json_eval "$OUT" 'd["searchPath"][:2]')" "['$(realpath "$TMP/junk")', '$(realpath "$PLUGIN_DIR")']" "search path"
    assert_eq "$(json_eval "$OUT" 'sorted(d.keys())')" "['plugins', 'refused', 'searchPath', 'warnings']" \
        "top-level keys (docs/plugins-json.md)"
    assert_eq "$(json_eval "$OUT" 'sorted(d["refused"][0].keys())')" "['message', 'path', 'reason']" "refused keys"
    assert_eq "$(json_eval "$OUT" '[(sorted(p["runners"][0].keys()), p["runners"][0]["artifacts"]) for p in d["plugins"] if p["name"] == "cli-test"]')" \
        "[(['artifacts', 'name', 'priority'], ['wasm'])]" "runner keys (docs/plugins-json.md)"
    assert_eq "$(json_eval "$OUT" 'sorted(d["plugins"][0].keys())')" \
        "['builders', 'deployers', 'description', 'license', 'name', 'path', 'runners', 'runtimes', 'version']" "plugin keys"
    pass "plugins -o json"
fi
FUNCP_PLUGIN_PATH="$TMP/no-such-dir:$PLUGIN_DIR" expect_exit 0 "$FUNCP" plugins &&
    assert_contains "$OUT" "$TMP/no-such-dir (does not exist)" &&
    assert_not_contains "$OUT" "$PLUGIN_DIR (does not exist)" && pass "plugins text flags a missing directory"
FUNCP_PLUGIN_PATH="$TMP/junk:$PLUGIN_DIR" expect_exit 0 "$FUNCP" plugins &&
    assert_contains "$OUT" "cli-test" && assert_contains "$OUT" "junk.so: not-loadable" && pass "plugins text"
expect_exit 0 "$FUNCP" plugins -o yaml && assert_contains "$OUT" "- name: cli-test" && pass "plugins -o yaml"

# --- a second plugin: NULL callbacks and a clashing runtime name ------------------
PARTIAL_DIR=${FUNCP_CLI_PARTIAL_PLUGIN_DIR:?set by ctest: the cli-partial plugin directory}
if FUNCP_PLUGIN_PATH="$PLUGIN_DIR:$PARTIAL_DIR" expect_exit 0 "$FUNCP" plugins -o json; then
    assert_eq "$(json_eval "$OUT" '[w.split(": ", 1)[1] for w in d["warnings"]]')" \
        "['plugin \"cli-partial\": runtime \"sh-clitest\" is already provided by plugin \"cli-test\"; skipped']" \
        "plugins -o json warnings"
    assert_eq "$(json_eval "$OUT" '[p["name"] for p in d["plugins"] if p["name"].startswith("cli-")]')" \
        "['cli-test', 'cli-partial']" "both plugins loaded"
    pass "plugins -o json lists a skipped clash under warnings"
fi
FUNCP_PLUGIN_PATH="$PLUGIN_DIR:$PARTIAL_DIR" expect_exit 0 "$FUNCP" plugins &&
    assert_contains "$OUT" "Warnings:" &&
    assert_contains "$OUT" 'runtime "sh-clitest" is already provided by plugin "cli-test"; skipped' &&
    pass "plugins text lists warnings"
expect_exit 0 "$FUNCP" plugins -o json &&
    assert_eq "$(json_eval "$OUT" 'd["warnings"]')" "[]" "no warnings with one plugin"

# NULL callbacks: "not supported" naming the plugin (exit 4), never a crash.
export FUNCP_PLUGIN_PATH="$PLUGIN_DIR:$PARTIAL_DIR"
expect_exit 4 "$FUNCP" create -l sh-partial "$TMP/partial-new" &&
    assert_contains "$ERR" 'plugin "cli-partial" does not support create' &&
    assert_eq "$(ls -A "$TMP")" "$(ls -A "$TMP" | grep -vx partial-new)" "nothing created" &&
    pass "NULL create reported"
mkdir -p "$TMP/partial"
printf 'specVersion: 0.36.0\nname: partial\nruntime: sh-partial\n' >"$TMP/partial/func.yaml"
cp "$TMP/partial/func.yaml" "$TMP/partial.before"
expect_exit 4 "$FUNCP" build -p "$TMP/partial" && assert_contains "$ERR" 'plugin "cli-partial" does not support build' &&
    pass "NULL build reported"
expect_exit 4 "$FUNCP" deploy -p "$TMP/partial" --image example.invalid/p:1 --build=false &&
    assert_contains "$ERR" 'plugin "cli-partial" does not support deploy' && pass "NULL deploy reported"
expect_exit 4 "$FUNCP" describe -p "$TMP/partial" &&
    assert_contains "$ERR" 'plugin "cli-partial" does not support describe' && pass "NULL describe reported"
expect_exit 4 "$FUNCP" delete -p "$TMP/partial" &&
    assert_contains "$ERR" 'plugin "cli-partial" does not support delete' && pass "NULL delete reported"
cmp -s "$TMP/partial/func.yaml" "$TMP/partial.before" || fail "a refused command changed func.yaml"
export FUNCP_PLUGIN_PATH="$PLUGIN_DIR"

# --- languages / templates --------------------------------------------------
expect_exit 0 "$FUNCP" languages && assert_contains "$OUT" "sh-clitest" && pass "languages"
expect_exit 0 "$FUNCP" languages --json &&
    assert_eq "$(json_eval "$OUT" '"sh-clitest" in d')" "True" "languages --json" && pass "languages --json"
expect_exit 0 "$FUNCP" templates --json &&
    assert_eq "$(json_eval "$OUT" 'd["sh-clitest"]')" "['http', 'fail']" "templates --json" && pass "templates --json"
expect_exit 0 "$FUNCP" templates sh-clitest && assert_contains "$OUT" "LANGUAGE" && pass "templates <lang>"

# --- create: refusals write nothing -----------------------------------------
mkdir -p "$TMP/ws/full" && echo keep >"$TMP/ws/full/x"
expect_exit 13 "$FUNCP" create -l sh-clitest "$TMP/ws/full" && assert_contains "$ERR" "not an empty directory" &&
    assert_eq "$(ls -A "$TMP/ws/full")" "x" "non-empty dir content" &&
    assert_eq "$(ls -A "$TMP/ws")" "full" "no temp dir left" && pass "create into a non-empty dir"
expect_exit 4 "$FUNCP" create -l cobol-wasi "$TMP/ws/new" && assert_contains "$ERR" 'unknown runtime "cobol-wasi"' &&
    assert_contains "$ERR" '"sh-clitest"' && assert_eq "$(ls -A "$TMP/ws")" "full" "nothing written" &&
    pass "create with an unknown runtime"
expect_exit 2 "$FUNCP" create "$TMP/ws/new" && assert_contains "$ERR" "-l/--language" && pass "create without -l"
expect_exit 2 "$FUNCP" create -l sh-clitest -t nosuch "$TMP/ws/new" && assert_contains "$ERR" 'unknown template "nosuch"' &&
    pass "create with an unknown template"
expect_exit 2 "$FUNCP" create -l sh-clitest "$TMP/ws/Bad_Name" && assert_contains "$ERR" "Bad_Name" && pass "create with a bad name"
expect_exit 5 "$FUNCP" create -l sh-clitest -t fail "$TMP/ws/failing" &&
    assert_contains "$ERR" 'template "fail" always fails' &&
    assert_eq "$(ls -A "$TMP/ws")" "full" "failed create leaves nothing" && pass "failed create leaves nothing"

# With no plugin anywhere (a copy of funcp outside the build tree, as an
# install of the core package alone), each verb names the plugin it needs.
mkdir -p "$TMP/bare/bin" "$TMP/empty-plugins" && cp "$FUNCP" "$TMP/bare/bin/funcp"
BARE="$TMP/bare/bin/funcp"
if FUNCP_PLUGIN_PATH="$TMP/empty-plugins" expect_exit 0 "$BARE" plugins -o json; then
    assert_eq "$(json_eval "$OUT" 'len(d["plugins"])')" "0" "the bare copy loads no plugin"
fi
if FUNCP_PLUGIN_PATH="$TMP/empty-plugins" expect_exit 4 "$BARE" create -l go-wasi "$TMP/ws/new"; then
    assert_contains "$ERR" 'runtime "go-wasi" is provided by the plugin runtime-go-wasi, which is not installed' &&
        pass "create with no runtime plugin names the plugin"
fi
# the plugin built apart from funcp: the hint says where and how to build it
if FUNCP_PLUGIN_PATH="$TMP/empty-plugins" expect_exit 4 "$BARE" create -l js-wasi "$TMP/ws/new"; then
    assert_contains "$ERR" 'runtime "js-wasi" is provided by the plugin runtime-js-wasi, which is not installed' &&
        assert_contains "$ERR" "cmake -S sdk/examples/runtime-js-wasi" &&
        assert_contains "$ERR" "(README.md, Install)" && pass "create -l js-wasi without its plugin says how to build it"
fi
[ -e "$TMP/ws/new" ] && fail "create of a missing runtime wrote $TMP/ws/new"
FUNCP_PLUGIN_PATH="$TMP/empty-plugins" expect_exit 4 "$BARE" create -l cobol-wasi "$TMP/ws/new" &&
    assert_contains "$ERR" 'unknown runtime "cobol-wasi": no runtime plugin is installed' &&
    pass "create of an unknown runtime with no plugin"
mkdir -p "$TMP/bare/fn" && printf 'name: fn\nruntime: rust-wasi\n' >"$TMP/bare/fn/func.yaml"
FUNCP_PLUGIN_PATH="$TMP/empty-plugins" expect_exit 4 "$BARE" build -p "$TMP/bare/fn" &&
    assert_contains "$ERR" 'no runtime "rust-wasi" is installed; it is provided by the plugin runtime-rust-wasi' &&
    pass "build with no runtime plugin names the plugin"
for verb in list "describe fn" "delete fn"; do
    FUNCP_PLUGIN_PATH="$TMP/empty-plugins" expect_exit 4 "$BARE" $verb &&
        assert_contains "$ERR" 'no deployer plugin is installed; install deployer-knative (deployer "knative") or deployer-wasmmodule (deployer "wasm")' &&
        pass "$verb with no deployer plugin names the plugins"
done
# a valid namespace (63 characters, digits and '-') passes on to the deployer lookup
FUNCP_PLUGIN_PATH="$TMP/empty-plugins" expect_exit 4 "$BARE" list -n "${long%n}" &&
    FUNCP_PLUGIN_PATH="$TMP/empty-plugins" expect_exit 4 "$BARE" describe fn -n a-1 &&
    assert_contains "$ERR" "no deployer plugin is installed" && pass "valid namespaces pass the check"
FUNCP_PLUGIN_PATH="$TMP/empty-plugins" expect_exit 4 "$BARE" templates js-wasi &&
    assert_contains "$ERR" 'it is provided by the plugin runtime-js-wasi' && pass "templates of a missing runtime"
FUNCP_PLUGIN_PATH="$TMP/empty-plugins" expect_exit 0 "$BARE" templates &&
    assert_contains "$ERR" "No runtime plugin is installed" && assert_eq "$(cat "$OUT")" "" "templates output" &&
    pass "templates with no plugin"

# --- errors as JSON with -o json -----------------------------------------------
mkdir -p "$TMP/nofn"
if expect_exit 6 "$FUNCP" build -p "$TMP/nofn" -o json; then
    assert_eq "$(json_eval "$ERR" 'd["error"]["code"]')" "not-found" "error code"
    assert_contains "$ERR" "func.yaml not found" && pass "JSON error on stderr"
fi
expect_exit 6 "$FUNCP" build -p "$TMP/nofn" && assert_contains "$ERR" "Error: no function in" &&
    assert_contains "$ERR" "funcp create" && pass "text error with hint"

# --- completion --------------------------------------------------------------
# The installed scripts are the generated ones (tests/cli/e2e_completion.sh
# loads each in its shell).
for shell_file in bash:funcp.bash zsh:_funcp fish:funcp.fish; do
    expect_exit 0 "$FUNCP" completion "${shell_file%%:*}" &&
        cmp -s "$OUT" "${FUNCP_TEST_SOURCE_DIR:-$(dirname "$0")/../..}/core/completion/${shell_file#*:}" ||
        fail "funcp completion ${shell_file%%:*} differs from core/completion/${shell_file#*:} (regenerate it)"
done
expect_exit 0 "$FUNCP" completion bash && bash -n "$OUT" || fail "bash completion syntax"
words=$(bash -c '. "$1"; COMP_WORDS=(funcp deploy --time); COMP_CWORD=2; _funcp; echo "${COMPREPLY[*]}"' _ "$OUT")
assert_eq "$words" "--timeout" "completion of deploy --time" && pass "completion"

fp_done
