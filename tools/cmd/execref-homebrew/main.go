// Command execref-homebrew writes the Homebrew formulae of a release from
// the archives goreleaser built and dist/checksums.txt, as a tap's
// Formula/ directory, and checks formulae against a release:
//
//	execref-homebrew [-dist dist] [-tap dist/homebrew] -version 1.2.3 -tag v1.2.3 BIN...
//	execref-homebrew check [-dist dist] [-tap dist/homebrew] -version 1.2.3 -tag v1.2.3 BIN...
//
// BIN are the shipped binaries (tools/internal/homebrew/programs.go); version is
// the archives' version, tag the git tag they are released under, which the
// binaries print with --version.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/execref/execref/tools/internal/homebrew"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "execref-homebrew: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	check := len(args) > 0 && args[0] == "check"
	if check {
		args = args[1:]
	}
	fs := flag.NewFlagSet("execref-homebrew", flag.ContinueOnError)
	dist := fs.String("dist", "dist", "goreleaser's output `dir`, with checksums.txt")
	tap := fs.String("tap", "", "the tap `dir` whose Formula/ to write or check (default DIST/homebrew)")
	version := fs.String("version", "", "the archives' `version`")
	tag := fs.String("tag", "", "the release's git `tag`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *version == "" || *tag == "" {
		return errors.New("-version and -tag are required")
	}
	if *tap == "" {
		*tap = filepath.Join(*dist, "homebrew")
	}
	if fs.NArg() == 0 {
		return errors.New("no binaries named")
	}
	var programs []homebrew.Program
	for _, name := range fs.Args() {
		p, err := homebrew.LookupProgram(name)
		if err != nil {
			return err
		}
		programs = append(programs, p)
	}
	if check {
		return homebrew.Check(*tap, *dist, programs, *version, *tag)
	}
	sums, err := homebrew.ReadChecksums(filepath.Join(*dist, "checksums.txt"))
	if err != nil {
		return err
	}
	return homebrew.WriteTap(*tap, programs, homebrew.Release{Version: *version, Tag: *tag, Checksums: sums})
}
