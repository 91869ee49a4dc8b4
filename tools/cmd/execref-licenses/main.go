// Command execref-licenses collects, offline from the module cache, the
// licences of everything linked into each release binary for each target,
// for the release archives and the Debian packages:
//
//	execref-licenses -out build/licenses -targets linux_amd64,darwin_arm64 \
//	    openclaw-sops-resolver=resolvers/sops/cmd/openclaw-sops-resolver ...
//
// For each binary NAME (built from the main package in DIR) and target it
// writes OUT/<target>/NAME/licenses/, the licence files as their authors
// wrote them (go/LICENSE, <module path>/LICENSE, …), and
// OUT/<target>/NAME/copyright, a Debian machine-readable copyright file.
// It exits non-zero, naming every module at fault, if a linked module has no
// licence file or none it recognises.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/execref/execref/tools/internal/licenses"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "execref-licenses: %v\n", err)
		os.Exit(1)
	}
}

// job is one binary for one target.
type job struct {
	name, dir string
	target    licenses.Target
}

func run(args []string) error {
	fs := flag.NewFlagSet("execref-licenses", flag.ContinueOnError)
	out := fs.String("out", "build/licenses", "write under `dir`, which must not exist")
	targets := fs.String("targets", "linux_amd64,linux_arm64,darwin_amd64,darwin_arm64", "comma-separated GOOS_GOARCH `list`")
	own := fs.String("own", "github.com/execref/execref", "module path `prefix` of the project's own modules, covered by -license")
	license := fs.String("license", "LICENSE", "the project's own licence `file`, for its copyright notice")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("no binaries: give NAME=DIR for each")
	}
	up, err := upstream(*license)
	if err != nil {
		return err
	}
	var jobs []job
	for _, t := range strings.Split(*targets, ",") {
		target, err := licenses.ParseTarget(strings.TrimSpace(t))
		if err != nil {
			return err
		}
		for _, arg := range fs.Args() {
			name, dir, ok := strings.Cut(arg, "=")
			if !ok || name == "" || dir == "" || strings.ContainsAny(name, `/\`) {
				return fmt.Errorf("%q: want NAME=DIR", arg)
			}
			jobs = append(jobs, job{name, dir, target})
		}
	}
	if _, err := os.Lstat(*out); err == nil {
		return fmt.Errorf("%s exists; remove it first", *out)
	}

	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	limit := make(chan struct{}, runtime.NumCPU())
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			limit <- struct{}{}
			defer func() { <-limit }()
			errs[i] = j.write(*out, *own, up)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (j job) write(out, own string, up licenses.Upstream) error {
	b, err := licenses.Collect(j.name, j.dir, j.target, own)
	if err != nil {
		return err
	}
	dir := filepath.Join(out, j.target.String(), j.name)
	if err := licenses.WriteTree(filepath.Join(dir, "licenses"), b); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "copyright"))
	if err != nil {
		return err
	}
	if err := licenses.WriteCopyright(f, up, b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// upstream describes execref, its copyright notice taken from its LICENSE.
func upstream(licenseFile string) (licenses.Upstream, error) {
	text, err := os.ReadFile(licenseFile)
	if err != nil {
		return licenses.Upstream{}, err
	}
	notices := licenses.CopyrightNotices(string(text))
	if len(notices) != 1 {
		return licenses.Upstream{}, fmt.Errorf("%s: want one copyright notice, found %d", licenseFile, len(notices))
	}
	return licenses.Upstream{
		Name:      "execref",
		Source:    "https://github.com/execref/execref",
		Contact:   "https://github.com/execref/execref/issues",
		Copyright: notices[0],
		License:   "Apache-2.0",
	}, nil
}
