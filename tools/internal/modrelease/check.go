package modrelease

import (
	"debug/buildinfo"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// CheckOptions describe a release rehearsal.
type CheckOptions struct {
	Source   string   // repository whose work tree is rehearsed
	Work     string   // scratch directory, new, empty or marked (ScratchMarker): repo/, proxy/, bin/ and outside/ are made anew
	ModCache string   // GOMODCACHE for the installs; go env GOMODCACHE when empty
	Skip     []string // go.work modules that are never released
	Version  string   // the rehearsed version
	Install  []string // packages to go install, at Version unless they say "@…"
	Log      io.Writer
}

// Installed is a binary go install built from the rehearsal's proxy.
type Installed struct {
	Package string // as given to go install
	Binary  string // its path
}

// checkDirs are the scratch directories of a rehearsal.
type checkDirs struct{ repo, proxy, bin, outside string }

// Check rehearses release o.Version of o.Source's work tree, as a user
// would receive it, without touching o.Source: it snapshots the work tree
// into a scratch repository, prepares, commits and tags the release there,
// serves the tagged modules from a file-based GOPROXY, checks that each
// tagged module resolves everything without go.work, and go installs each
// package from a directory outside any module with GOWORK=off, as
// docs/releasing.md tells users to. Every binary must carry the released
// modules at the version, none replaced.
func Check(o CheckOptions) (installed []Installed, err error) {
	work, err := filepath.Abs(o.Work)
	if err != nil {
		return nil, err
	}
	if err := claimScratch(work); err != nil {
		return nil, err
	}
	d := checkDirs{filepath.Join(work, "repo"), filepath.Join(work, "proxy"), filepath.Join(work, "bin"), filepath.Join(work, "outside")}
	for _, dir := range []string{d.repo, d.proxy, d.bin, d.outside} {
		if err := removeAll(dir); err != nil {
			return nil, err
		}
	}
	for _, dir := range []string{d.bin, d.outside} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	ws, err := o.rehearse(d)
	if err != nil {
		return nil, err
	}
	env, modcache, err := installEnv(ws, d.proxy, d.bin, o.ModCache)
	if err != nil {
		return nil, err
	}
	// The rehearsed version never stays in the module cache: a later
	// rehearsal at the same version with other contents must not find it.
	if err := purgeModules(ws, modcache, o.Version); err != nil {
		return nil, err
	}
	defer func() {
		if perr := purgeModules(ws, modcache, o.Version); err == nil {
			err = perr
		}
	}()
	// Each tagged module, as the source of its tag, must resolve every
	// package and test it builds from its own go.mod and go.sum, its
	// siblings coming from the proxy: what a packager building from the
	// release's source without go.work needs (go install itself does not
	// read the module's go.sum). go list loads without compiling.
	for _, m := range ws.Released {
		o.logf("GOWORK=off go list -deps -test ./... in %s", m.Dir)
		if err := goCmd(filepath.Join(d.repo, filepath.FromSlash(m.Dir)), env, "list", "-deps", "-test", "./..."); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Dir, err)
		}
	}
	for _, pkg := range o.Install {
		spec := pkg
		if !strings.Contains(spec, "@") {
			spec += "@" + o.Version
		}
		o.logf("go install %s", spec)
		if err := goCmd(d.outside, env, "install", spec); err != nil {
			return nil, err
		}
		binary := filepath.Join(d.bin, path.Base(strings.SplitN(spec, "@", 2)[0]))
		if err := ws.verifyBinary(binary, o.Version); err != nil {
			return nil, err
		}
		installed = append(installed, Installed{Package: spec, Binary: binary})
	}
	return installed, nil
}

// rehearse releases the work tree in d.repo, a snapshot, and serves the
// release from d.proxy.
func (o CheckOptions) rehearse(d checkDirs) (*Workspace, error) {
	o.logf("snapshot of %s in %s", o.Source, d.repo)
	if err := Snapshot(o.Source, d.repo); err != nil {
		return nil, err
	}
	ws, err := Load(d.repo, o.Skip)
	if err != nil {
		return nil, err
	}
	ws.GitEnv = scratchGit
	changed, err := Prepare(ws, o.Version)
	if err != nil {
		return nil, err
	}
	o.logf("prepared %s: %s", o.Version, strings.Join(changed, " "))
	if err := Commit(d.repo, "release "+o.Version); err != nil {
		return nil, err
	}
	tags, err := Tag(ws, o.Version)
	if err != nil {
		return nil, err
	}
	o.logf("tagged %s", strings.Join(tags, " "))
	if err := WriteProxy(ws, o.Version, d.proxy); err != nil {
		return nil, err
	}
	o.logf("proxy in %s", d.proxy)
	return ws, nil
}

func (o CheckOptions) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, "modrelease: "+format+"\n", args...)
	}
}

// verifyBinary checks what go install recorded in the binary: built from
// a released module at v, every released module it links at v, none
// replaced.
func (ws *Workspace) verifyBinary(binary, v string) error {
	bi, err := buildinfo.ReadFile(binary)
	if err != nil {
		return err
	}
	if !ws.released(bi.Main.Path) || bi.Main.Version != v {
		return fmt.Errorf("%w: %s is %s %s", ErrInstalled, binary, bi.Main.Path, bi.Main.Version)
	}
	for _, d := range bi.Deps {
		if ws.released(d.Path) && (d.Version != v || d.Replace != nil) {
			return fmt.Errorf("%w: %s links %s %s (replaced: %t)", ErrInstalled, binary, d.Path, d.Version, d.Replace != nil)
		}
	}
	return nil
}
