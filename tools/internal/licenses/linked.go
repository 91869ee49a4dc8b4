package licenses

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"

	"github.com/execref/execref/tools/internal/goenv"
)

// Target is a GOOS/GOARCH pair, written linux_amd64 as goreleaser and the
// archive names do.
type Target struct{ GOOS, GOARCH string }

func (t Target) String() string { return t.GOOS + "_" + t.GOARCH }

// ParseTarget reads "linux_amd64".
func ParseTarget(s string) (Target, error) {
	goos, goarch, ok := strings.Cut(s, "_")
	if !ok || goos == "" || goarch == "" || strings.Contains(goarch, "_") {
		return Target{}, fmt.Errorf("target %q: want GOOS_GOARCH, e.g. linux_amd64", s)
	}
	return Target{goos, goarch}, nil
}

// Module is a module some of whose packages a binary links.
type Module struct {
	Path    string
	Version string
	Dir     string   // its root, in the module cache or a replacement directory
	PkgDirs []string // the directories of the packages linked from it
}

// Toolchain is the Go toolchain whose runtime and standard library every
// Go binary contains.
type Toolchain struct {
	Root    string // GOROOT
	Version string // GOVERSION, e.g. go1.26.8
}

// Linked lists what the main package in dir links when built for t with
// cgo off, as the release builds are: the modules outside ownPrefix, sorted
// by path, and the Go toolchain. It runs go list, which needs the
// modules in the module cache (it downloads missing ones unless
// GOFLAGS/GOPROXY say otherwise).
func Linked(dir string, t Target, ownPrefix string) (mods []Module, tc Toolchain, err error) {
	var out bytes.Buffer
	var stderr bytes.Buffer
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Dir,Standard,Module", ".")
	cmd.Dir = dir
	cmd.Env = goEnv(t)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, tc, fmt.Errorf("go list -deps in %s for %s: %w: %s", dir, t, err, strings.TrimSpace(stderr.String()))
	}

	byPath := map[string]*Module{}
	dec := json.NewDecoder(&out)
	for {
		var p listedPackage
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, tc, fmt.Errorf("reading go list output: %w", err)
		}
		if p.Standard || p.Module == nil || isOwn(p.Module.Path, ownPrefix) {
			continue
		}
		m := byPath[p.Module.Path]
		if m == nil {
			m = &Module{Path: p.Module.Path, Version: p.Module.Version, Dir: p.Module.Dir}
			if r := p.Module.Replace; r != nil {
				m.Version, m.Dir = r.Version, r.Dir
				if r.Version == "" {
					m.Version = r.Path // a directory replacement
				}
			}
			byPath[p.Module.Path] = m
		}
		m.PkgDirs = append(m.PkgDirs, p.Dir)
	}
	for _, m := range byPath {
		if m.Dir == "" {
			return nil, tc, fmt.Errorf("module %s@%s is not in the module cache (go mod download)", m.Path, m.Version)
		}
		sort.Strings(m.PkgDirs)
		mods = append(mods, *m)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })

	if tc.Root, err = goEnvValue(dir, t, "GOROOT"); err != nil {
		return nil, tc, err
	}
	tc.Version, err = goEnvValue(dir, t, "GOVERSION")
	return mods, tc, err
}

type listedPackage struct {
	ImportPath string
	Dir        string
	Standard   bool
	Module     *struct {
		Path    string
		Version string
		Dir     string
		Replace *struct {
			Path    string
			Version string
			Dir     string
		}
	}
}

func isOwn(path, prefix string) bool {
	return prefix != "" && (path == prefix || strings.HasPrefix(path, prefix+"/"))
}

// goEnv is this process's environment for a cross build with cgo off.
// GOWORK is dropped so that go list finds go.work as the release build
// (goreleaser, run from the repository) does, whatever the caller set.
func goEnv(t Target) []string {
	return goenv.With(goenv.Without(os.Environ(), "GOWORK"), "GOOS="+t.GOOS, "GOARCH="+t.GOARCH, "CGO_ENABLED=0")
}

func goEnvValue(dir string, t Target, name string) (string, error) {
	cmd := exec.Command("go", "env", name)
	cmd.Dir = dir
	cmd.Env = goEnv(t)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", name, err)
	}
	v := strings.TrimSpace(string(out))
	if v == "" {
		return "", fmt.Errorf("go env %s is empty", name)
	}
	return v, nil
}
