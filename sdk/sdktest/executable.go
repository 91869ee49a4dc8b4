package sdktest

import (
	"os"
	"syscall"
)

// WriteExecutable writes an executable file (0755) that this test process
// will run. It holds syscall.ForkLock for reading while the file is open
// for writing: a child forked by a parallel test in that window would
// inherit the write descriptor until its own exec, and running the new
// file then fails with ETXTBSY ("text file busy", golang/go#22315).
// Forks wait for the write to finish instead.
func WriteExecutable(path string, data []byte) error {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	return os.WriteFile(path, data, 0o755)
}
