package clidoctest

import (
	"os"
	"path/filepath"
	"testing"
)

// zshrc sets up the interactive zsh that completes: the script as _NAME
// in $fpath, loaded by compinit as a package's would be; compadd wrapped
// to print each match it adds; and, once completion is done, the shell
// leaves. No prompt, so that only matches start with MATCH:.
const zshrc = `PROMPT='' RPROMPT=''
unsetopt prompt_sp prompt_cr
fpath=($COMPLETION_DIR $fpath)
autoload -U compinit && compinit -u -D
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return
	fi
	local -a hits
	builtin compadd -A hits "$@"
	local h
	for h in $hits; do print -r -- "MATCH:$h"; done
	builtin compadd "$@"
}
comppostfuncs=(completion-done)
completion-done() { print -r -- "COMPLETION-DONE"; exit }
bindkey '^I' complete-word
`

// zshDriver types the line and a tab into that zsh on a pseudo-terminal
// (zsh completes only in its line editor) and prints the matches.
const zshDriver = `zmodload zsh/zpty || exit 1
zpty z zsh -i
zpty -w -n z "$1"$'\t'
local line
while zpty -r z line; do
	[[ $line == *COMPLETION-DONE* ]] && break
	[[ $line == *MATCH:* ]] && print -r -- ${${line#*MATCH:}%%$'\r'*}
done
`

// completeZsh completes line with the real completion system.
func completeZsh(tb testing.TB, script []byte, name, line, dir string) string {
	path := need(tb, "zsh")
	fpath := tb.TempDir()
	if err := os.WriteFile(filepath.Join(fpath, "_"+name), script, 0o600); err != nil {
		tb.Fatal(err)
	}
	zdot := tb.TempDir()
	if err := os.WriteFile(filepath.Join(zdot, ".zshrc"), []byte(zshrc), 0o600); err != nil {
		tb.Fatal(err)
	}
	env := append(baseEnv(tb), "ZDOTDIR="+zdot, "COMPLETION_DIR="+fpath)
	return run(tb, dir, env, nil, path, "-f", "-c", zshDriver, "zsh", line)
}
