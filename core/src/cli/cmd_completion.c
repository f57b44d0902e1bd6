/* funcp completion: print the completion script of a shell. */
#include <stdio.h>
#include <string.h>

#include "call.h"
#include "cli/commands.h"
#include "cli/completion.h"
#include "util/error.h"

static int run_completion(funcp_call *call)
{
    const char *shell = call->args.n_pos ? call->args.pos[0] : "bash";
    if (!strcmp(shell, "bash"))
        fp_completion_bash(stdout);
    else if (!strcmp(shell, "zsh"))
        fp_completion_zsh(stdout);
    else if (!strcmp(shell, "fish"))
        fp_completion_fish(stdout);
    else
        return fp_error_set(FUNCP_EUSAGE, "unsupported shell \"%s\" (supported: bash, zsh, fish)",
                            shell);
    return FUNCP_OK;
}

static const fp_flag completion_flags[] = {{0}};

const fp_command fp_cmd_completion = {
    .name = "completion",
    .usage = "completion [bash|zsh|fish]",
    .summary = "Print the shell completion script",
    .description = "Print the completion script of bash (the default), zsh or fish.\n\n"
                   "Installed packages put them where each shell looks:\n"
                   "  share/bash-completion/completions/funcp\n"
                   "  share/zsh/vendor-completions/_funcp\n"
                   "  share/fish/vendor_completions.d/funcp.fish\n"
                   "To use one in the current shell, source it.",
    .examples = "  source <(funcp completion bash)\n"
                "  source <(funcp completion zsh)       # after compinit\n"
                "  funcp completion fish | source",
    .flags = completion_flags,
    .min_args = 0,
    .max_args = 1,
    .run = run_completion,
};
