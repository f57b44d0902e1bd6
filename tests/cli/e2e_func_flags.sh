#!/usr/bin/env bash
# funcp's flags against knative func's (tests/cli/fixtures/func-flags.txt):
# every func flag funcp has is listed by `funcp <command> --help` with
# func's short form, and every one it lacks is refused as unknown (so the
# fixture cannot claim a flag funcp does not have, or hide one it has).
. "$FUNCP_TEST_SOURCE_DIR/tests/cli/lib.sh"
export FUNCP_PLUGIN_PATH="$FUNCP_TEST_BUILD_DIR/plugins"
FIXTURE="$FUNCP_TEST_SOURCE_DIR/tests/cli/fixtures/func-flags.txt"
checked=0
while read -r cmd flag short has reason; do
    case "$cmd" in ''|'#'*) continue ;; esac
    words=(${cmd/_/ })
    "$FUNCP" "${words[@]}" --help > "$TMP/help" 2>&1 || { fail "funcp ${words[*]} --help failed"; continue; }
    if [ "$short" = "-" ]; then want="--$flag"; else want="-$short, --$flag"; fi
    if [ "$has" = yes ]; then
        grep -qE -- "(^|[[:space:]])$want( |$)" "$TMP/help" ||
            fail "funcp ${words[*]} --help lacks func's $want"
    else
        [ -n "$reason" ] || fail "fixture: ${words[*]} --$flag is 'no' without a reason"
        if grep -qE -- "--$flag( |$)" "$TMP/help"; then
            fail "fixture says funcp lacks ${words[*]} --$flag, but --help lists it"
        fi
        "$FUNCP" "${words[@]}" "--$flag" > "$OUT" 2> "$ERR"
        [ $? -eq 2 ] && grep -q "unknown flag: --$flag" "$ERR" ||
            fail "funcp ${words[*]} --$flag is not refused as unknown"
    fi
    checked=$((checked + 1))
done < "$FIXTURE"
[ "$checked" -gt 100 ] || fail "only $checked fixture lines read"
echo "checked $checked func flags"
fp_done
