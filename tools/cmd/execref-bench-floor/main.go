// Command execref-bench-floor is the floor of `make bench-compare`: the
// least any resolver can cost. It reads its whole stdin, as a resolver
// must before it answers, discards it, writes its one argument (the
// answer, which the benchmark passes ready made) to stdout and exits 0.
//
//	execref-bench-floor ANSWER
//
// It imports only io and os, so what it takes is what starting a Go
// program, the process, its pipes and the exit take on the machine; a
// resolver's time over it is the resolver's own work. Without its one
// argument it says so on stderr and exits 2.
package main

import (
	"io"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		_, _ = os.Stderr.WriteString("usage: execref-bench-floor ANSWER (writes ANSWER to stdout after reading stdin)\n")
		os.Exit(2)
	}
	if _, err := io.Copy(io.Discard, os.Stdin); err != nil {
		_, _ = os.Stderr.WriteString("execref-bench-floor: reading stdin: " + err.Error() + "\n")
		os.Exit(1)
	}
	if _, err := io.WriteString(os.Stdout, os.Args[1]); err != nil {
		_, _ = os.Stderr.WriteString("execref-bench-floor: writing stdout: " + err.Error() + "\n")
		os.Exit(1)
	}
}
