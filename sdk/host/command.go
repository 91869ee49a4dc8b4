package host

import (
	"path/filepath"

	"github.com/execref/execref/protocol"
)

// CommandPath is a configured command as the gateway runs it: trimmed the
// way JavaScript trims, and, when absolute, cleaned. Nothing else is done
// to it. A relative or "~" command is left for the policy to refuse (rule
// 1), as `openclaw config validate` refuses it; symlinks are not resolved,
// because the policy must see the link itself.
func CommandPath(command string) string {
	c := protocol.TrimSpace(command)
	if filepath.IsAbs(c) {
		return filepath.Clean(c)
	}
	return c
}
