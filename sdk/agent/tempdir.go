package agent

import "os"

// TempDir makes a fresh directory for an agent's socket: private (0700,
// as the agent requires of its socket's directory) and with a short path
// (in os.TempDir, not in a test's or a benchmark's deeper temporary
// directory: a unix socket's path is limited to about 100 bytes). The
// caller removes it.
func TempDir() (string, error) {
	return os.MkdirTemp("", "execref-agent-")
}
