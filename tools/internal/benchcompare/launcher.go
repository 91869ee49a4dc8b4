package benchcompare

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// gnuTime is GNU time (Debian's package time), which starts each process
// of a side when it is there, so that the peak resident set is the
// process's own: a child started by Go inherits the benchmark's
// high-water mark (see ownpeak_linux.go), but GNU time, a small C
// program, forks its child with a copy of its own memory of about a
// mebibyte, and reports the child's ru_maxrss. It adds its own start
// (a millisecond) to both sides of a pair alike.
const gnuTime = "/usr/bin/time"

// timeLauncher says whether gnuTime is GNU time, once.
var timeLauncher = sync.OnceValue(func() bool {
	out, err := exec.Command(gnuTime, "--version").CombinedOutput()
	return err == nil && strings.Contains(string(out), "GNU")
})

// launch makes cmd run abs with args under GNU time when it is there,
// writing the peak resident set to a file of its own; rss then reads it
// (in bytes; false when there is no such figure), and done removes the
// file.
func launch(cmd *exec.Cmd, abs string, args []string) (rss func() (int64, bool), done func()) {
	none := func() (int64, bool) { return 0, false }
	if !timeLauncher() {
		return none, func() {}
	}
	f, err := os.CreateTemp("", "execref-bench-rss-")
	if err != nil {
		return none, func() {}
	}
	name := f.Name()
	f.Close()
	cmd.Path = gnuTime
	// -q: no "Command exited with non-zero status" line in the file;
	// the exit status still comes back as time's own.
	cmd.Args = append([]string{gnuTime, "-q", "-f", "%M", "-o", name, abs}, args...)
	rss = func() (int64, bool) {
		data, err := os.ReadFile(name)
		if err != nil {
			return 0, false
		}
		kib, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		if err != nil || kib <= 0 {
			return 0, false
		}
		return kib << 10, true
	}
	return rss, func() { os.Remove(name) }
}
