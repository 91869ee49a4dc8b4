package host

import (
	"strings"

	"github.com/execref/execref/sdk/lazyregexp"
)

// Reasons that name one precise change. The texts are sdk/policy's, which
// our resolvers use for the files they read, so a reason ends with the
// path.
var (
	// A secret file readable by others: "SOPS_AGE_KEY_FILE permissions
	// are too open (0644; want 0600 or stricter): /path".
	tooOpenFor = lazyregexp.New(`^(?:.*: )?(.+?) permissions are too open \((\d{4}); want (\d{4}) or stricter\): (.+)$`)
	// The gateway's own rule, a file writable by others.
	tooOpen = lazyregexp.New(`permissions are too open: (.+)$`)
)

// reasonHint is the precise change a resolver's reason calls for, or ""
// when the reason names none (the status's hint then applies).
func reasonHint(reason string) string {
	if m := tooOpenFor().FindStringSubmatch(reason); m != nil {
		return "chmod " + m[3] + " " + shellQuote(m[4]) + " (" + m[1] + " is " + m[2] + ")"
	}
	if m := tooOpen().FindStringSubmatch(reason); m != nil {
		return "chmod go-w " + shellQuote(m[1])
	}
	return ""
}

// shellSafe are the characters a path may hold and still be pasted into a
// shell unquoted.
var shellSafe = lazyregexp.New(`^[A-Za-z0-9_./+@%:,=~-]+$`)

// shellQuote makes a path safe to paste into a shell command.
func shellQuote(s string) string {
	if shellSafe().MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
