package modrelease

import (
	"fmt"

	"golang.org/x/mod/modfile"
)

// moduleAt is a module at a git revision.
type moduleAt struct {
	Module
	rev string
}

// verifySums checks, for each module at its revision, that its go.mod
// requires the released modules at v and that its go.sum holds exactly
// the hashes computed for them (hashes, by module path): what cmd/go
// checks when it installs from the tags.
func (ws *Workspace) verifySums(v string, mods []moduleAt, hashes map[string]sums) error {
	for _, m := range mods {
		rev := m.rev
		gomod, ok, err := gitBlob(ws.Root, rev, m.file("go.mod"))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: %s has no %s", ErrNotPrepared, rev, m.file("go.mod"))
		}
		f, err := modfile.Parse(m.file("go.mod"), gomod, nil)
		if err != nil {
			return err
		}
		replaced := map[string]bool{}
		for _, r := range f.Replace {
			replaced[r.Old.Path] = true
		}
		for _, r := range f.Require {
			if ws.released(r.Mod.Path) && r.Mod.Version != v {
				return fmt.Errorf("%w: %s at %s requires %s %s", ErrNotPrepared, m.file("go.mod"), rev, r.Mod.Path, r.Mod.Version)
			}
		}
		gosum, _, err := gitBlob(ws.Root, rev, m.file("go.sum"))
		if err != nil {
			return err
		}
		lines := parseGoSum(gosum)
		for _, p := range ws.closure(m.Module) {
			if replaced[p] {
				continue
			}
			want := hashes[p]
			for _, c := range []struct{ version, hash string }{{v, want.zip}, {v + "/go.mod", want.mod}} {
				switch got := lookupSum(lines, p, c.version); got {
				case c.hash:
				case "":
					return fmt.Errorf("%w: %s at %s has no line for %s %s", ErrNotPrepared, m.file("go.sum"), rev, p, c.version)
				default:
					return fmt.Errorf("%w: %s at %s says %s %s %s; the module is %s", ErrChecksum, m.file("go.sum"), rev, p, c.version, got, c.hash)
				}
			}
		}
	}
	return nil
}
