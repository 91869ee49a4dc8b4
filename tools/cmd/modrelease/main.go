// Command modrelease releases the repository's Go modules together, at one
// version, so that go install pkg@version works for each of them. See
// docs/releasing.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/execref/execref/tools/internal/modrelease"
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

const usage = `modrelease: release the Go modules of a repository together, at one version.

Usage:
  modrelease [-C dir] [-skip dirs] prepare VERSION
  modrelease [-C dir] [-skip dirs] tag VERSION
  modrelease [-C dir] [-skip dirs] proxy VERSION DIR
  modrelease [-C dir] snapshot DIR
  modrelease [-C dir] [-skip dirs] check [-work dir] [-modcache dir] VERSION PACKAGE...
  modrelease [-C dir] [-skip dirs] tidy [DIR...]

The released modules are those go.work uses, less -skip.

prepare   make every go.mod require the released modules at VERSION and every
          go.sum hold their hashes, computed in dependency order from the work
          tree as it will be committed; go.work replaces VERSION of each by
          its directory. The work tree must be clean. Commit the result.
tag       check that HEAD is prepared for VERSION (every go.sum against the
          modules hashed from HEAD), then tag it: <dir>/VERSION per module and
          an annotated VERSION for the release. Nothing is pushed.
proxy     write the tagged modules into DIR as a file-based GOPROXY, checking
          every go.sum at the tags against the modules as served.
snapshot  make DIR a new repository with one commit of the work tree as
          "git add -A" would commit it.
check     rehearse the release of the work tree in a scratch directory
          (-work: new, empty, or marked by an earlier check as its own):
          snapshot, prepare, commit, tag, proxy, then go install each PACKAGE
          (at VERSION unless it says @...) with GOWORK=off from outside any
          module, and check what each binary's build information records.
tidy      go mod tidy in each DIR (default: every released module) with the
          other modules as the work tree has them, then require them at the
          version go.work replaces again, with their go.sum lines.

Flags:
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("modrelease", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("C", ".", "the repository's root `dir`")
	skip := fs.String("skip", "", "comma-separated module `dirs` of go.work that are never released")
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	var skips []string
	if *skip != "" {
		skips = strings.Split(*skip, ",")
	}
	cmd, rest := fs.Arg(0), fs.Args()[min(1, fs.NArg()):]
	err := errUsage
	switch {
	case cmd == "prepare" && len(rest) == 1:
		err = prepare(*dir, skips, rest[0], stdout)
	case cmd == "tag" && len(rest) == 1:
		err = tag(*dir, skips, rest[0], stdout)
	case cmd == "proxy" && len(rest) == 2:
		err = proxy(*dir, skips, rest[0], rest[1], stdout)
	case cmd == "snapshot" && len(rest) == 1:
		err = modrelease.Snapshot(*dir, rest[0])
	case cmd == "check":
		err = check(*dir, skips, rest, stdout, stderr)
	case cmd == "tidy":
		err = tidy(*dir, skips, rest)
	}
	switch {
	case errors.Is(err, errHelp):
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "modrelease: usage: see modrelease -h")
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "modrelease: %v\n", err)
		return exitFail
	}
	return exitOK
}

var (
	errUsage = errors.New("usage")
	errHelp  = errors.New("help asked for") // -h: the usage is printed, and it is no failure
)

func prepare(dir string, skip []string, v string, stdout io.Writer) error {
	ws, err := modrelease.Load(dir, skip)
	if err != nil {
		return err
	}
	changed, err := modrelease.Prepare(ws, v)
	if err != nil {
		return err
	}
	for _, f := range changed {
		fmt.Fprintln(stdout, f)
	}
	return nil
}

func tag(dir string, skip []string, v string, stdout io.Writer) error {
	ws, err := modrelease.Load(dir, skip)
	if err != nil {
		return err
	}
	tags, err := modrelease.Tag(ws, v)
	if err != nil {
		return err
	}
	for _, t := range tags {
		fmt.Fprintln(stdout, t)
	}
	return nil
}

func proxy(dir string, skip []string, v, out string, stdout io.Writer) error {
	ws, err := modrelease.Load(dir, skip)
	if err != nil {
		return err
	}
	if err := modrelease.WriteProxy(ws, v, out); err != nil {
		return err
	}
	fmt.Fprintln(stdout, out)
	return nil
}

func tidy(dir string, skip, dirs []string) error {
	ws, err := modrelease.Load(dir, skip)
	if err != nil {
		return err
	}
	return modrelease.Tidy(ws, dirs)
}

func check(dir string, skip, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("modrelease check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := modrelease.CheckOptions{Source: dir, Skip: skip, Log: stderr}
	fs.StringVar(&o.Work, "work", "", "scratch `dir`: new, empty, or one an earlier check used (it holds "+modrelease.ScratchMarker+"); its repo/, proxy/, bin/ and outside/ are made anew (default: a temporary directory, removed)")
	fs.StringVar(&o.ModCache, "modcache", "", "GOMODCACHE `dir` for the installs (default: go env GOMODCACHE, the usual module cache)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: modrelease [-C dir] [-skip dirs] check [-work dir] [-modcache dir] VERSION PACKAGE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return errUsage
	}
	if fs.NArg() < 2 {
		return errUsage
	}
	o.Version, o.Install = fs.Arg(0), fs.Args()[1:]
	if o.Work == "" {
		tmp, err := os.MkdirTemp("", "modrelease-check-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		o.Work = tmp
	}
	installed, err := modrelease.Check(o)
	if err != nil {
		return err
	}
	for _, i := range installed {
		fmt.Fprintf(stdout, "%s\t%s\n", i.Binary, i.Package)
	}
	return nil
}
