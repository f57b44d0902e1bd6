#!/bin/bash
# The completion scripts, loaded in their own shells: each one completes
# every command and every flag of every command (flags read from each
# command's --help, so a flag added to the table is checked too). A shell
# that is not installed is skipped with a reason; none installed: skip (77).
. "${FUNCP_TEST_SOURCE_DIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

cd "$TMP" || exit 1
commands=$("$FUNCP" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF>1 && $1 != "Commands:" {print $1}')
[ "$(echo "$commands" | wc -w)" -ge 14 ] || { echo "FAIL: commands from --help: $commands"; exit 1; }
# flags_of CMD: every long flag of the command and the global ones.
flags_of() {
    "$FUNCP" "$1" --help | sed -n 's/^ \{1,\}\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u
}
tested=0

# --- bash: the completion function itself --------------------------------------
"$FUNCP" completion bash >"$TMP/funcp.bash"
bash_words() { bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _funcp; echo "${COMPREPLY[*]}"' _ "$TMP/funcp.bash" "$@"; }
got=$(bash_words funcp "")
for c in $commands; do [[ " $got " == *" $c "* ]] || fail "bash: command $c not completed"; done
for c in $commands; do
    got=$(bash_words funcp "$c" --)
    for fl in $(flags_of "$c"); do [[ " $got " == *" $fl "* ]] || fail "bash: funcp $c $fl not completed"; done
done
[ "$FP_FAILS" -eq 0 ] && pass "bash completes every command and flag"
tested=$((tested + 1))

# --- zsh: autoloaded through compinit, then every command's branch -------------
if command -v zsh >/dev/null; then
    mkdir -p "$TMP/zfunc"
    "$FUNCP" completion zsh >"$TMP/zfunc/_funcp"
    before=$FP_FAILS
    zsh -n "$TMP/zfunc/_funcp" || fail "zsh: syntax error in the script"
    # compinit finds _funcp in fpath through its #compdef line; sourced
    # after compinit, the script registers itself the same way.
    reg=$(ZDOTDIR="$TMP" zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -d "$2/zcd"; print -r -- $_comps[funcp]' _ "$TMP/zfunc" "$TMP")
    assert_eq "$reg" "_funcp" "zsh: compinit registers funcp"
    reg=$(zsh -f -c 'autoload -Uz compinit; compinit -u -D; source "$1"; print -r -- $_comps[funcp]' _ "$TMP/zfunc/_funcp")
    assert_eq "$reg" "_funcp" "zsh: sourcing registers funcp"
    for c in $commands; do
        grep -q "^        '$c:" "$TMP/zfunc/_funcp" || fail "zsh: command $c not in the command list"
        # the command's branch of the case: from "<cmd>[|alias...])" to ";;"
        sed -n "/^        $c[|)]/,/;;\$/p" "$TMP/zfunc/_funcp" >"$TMP/branch"
        [ -s "$TMP/branch" ] || { fail "zsh: no branch for $c"; continue; }
        for fl in $(flags_of "$c"); do
            grep -qF -- "'$fl[" "$TMP/branch" || grep -qF -- "'*$fl[" "$TMP/branch" ||
                fail "zsh: funcp $c $fl not completed"
        done
    done
    [ "$FP_FAILS" -eq "$before" ] && pass "zsh loads the script and it completes every command and flag"
    tested=$((tested + 1))
else
    echo "skipped: zsh not found (zsh completion not loaded)"
fi

# --- fish: fish's own completion engine (complete -C) ---------------------------
if command -v fish >/dev/null; then
    "$FUNCP" completion fish >"$TMP/funcp.fish"
    before=$FP_FAILS
    fish_complete() { HOME="$TMP" fish --no-config -c 'source $argv[1]; complete -C"$argv[2]"' "$TMP/funcp.fish" "$1" | cut -f1; }
    got=$(fish_complete "funcp ")
    for c in $commands; do grep -qx -- "$c" <<<"$got" || fail "fish: command $c not completed"; done
    for c in $commands; do
        got=$(fish_complete "funcp $c --")
        for fl in $(flags_of "$c"); do grep -qx -- "$fl" <<<"$got" || fail "fish: funcp $c $fl not completed"; done
    done
    got=$(fish_complete "funcp describe -o ")
    grep -qx url <<<"$got" || fail "fish: describe -o url not completed: $got"
    got=$(fish_complete "funcp list -o ")
    grep -qx url <<<"$got" && fail "fish: list -o offers url"
    [ "$FP_FAILS" -eq "$before" ] && pass "fish completes every command and flag, -o values per command"
    tested=$((tested + 1))
else
    echo "skipped: fish not found (fish completion not loaded)"
fi

[ "$FP_FAILS" -eq 0 ] && [ "$tested" -lt 3 ] && { echo "skipped: zsh or fish not installed (bash checked)"; exit 77; }
fp_done
