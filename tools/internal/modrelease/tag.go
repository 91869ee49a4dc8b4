package modrelease

import (
	"fmt"
	"slices"
	"strings"
)

// Tag tags HEAD as release v: "<dir>/v" for every released module (how Go
// finds a module in a subdirectory of a repository) and "v" for the
// release as a whole. The release tag is annotated, the module tags are
// not, so that git describe --tags, which prefers annotated tags, names
// the release and not one of its modules. HEAD must be prepared for v:
// every go.sum is checked against the modules hashed from HEAD before any
// tag is made. Nothing is pushed.
func Tag(ws *Workspace, v string) ([]string, error) {
	if err := ws.checkVersion(v); err != nil {
		return nil, err
	}
	if err := requireClean(ws.Root); err != nil {
		return nil, err
	}
	out, err := git(ws.Root, nil, "rev-parse", "--verify", "HEAD^{commit}")
	if err != nil {
		return nil, err
	}
	head := strings.TrimSpace(out)
	hashes := map[string]sums{}
	var at []moduleAt
	for _, m := range ws.Released {
		if hashes[m.Path], err = hashModule(ws.Root, m, v, "HEAD", ""); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Dir, err)
		}
		at = append(at, moduleAt{m, "HEAD"})
	}
	for _, m := range ws.Others {
		at = append(at, moduleAt{m, "HEAD"})
	}
	if err := ws.verifySums(v, at, hashes); err != nil {
		return nil, err
	}
	tags := ws.tags(v)
	for _, t := range tags {
		if _, err := git(ws.Root, nil, "rev-parse", "--verify", "--quiet", "refs/tags/"+t); err == nil {
			return nil, fmt.Errorf("%w: %s", ErrTagExists, t)
		}
	}
	for _, t := range tags {
		args := []string{"tag", t, head}
		if t == v {
			args = []string{"tag", "-a", "-m", "release " + v, t, head}
		}
		if _, err := git(ws.Root, ws.GitEnv, args...); err != nil {
			return nil, err
		}
	}
	return tags, nil
}

// tags are release v's tags: each module's, then the release's own.
func (ws *Workspace) tags(v string) []string {
	var tags []string
	for _, m := range ws.Released {
		tags = append(tags, m.Tag(v))
	}
	if !slices.Contains(tags, v) {
		tags = append(tags, v)
	}
	return tags
}
