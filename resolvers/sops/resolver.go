package sops

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	gosops "github.com/getsops/sops/v3"

	"github.com/execref/execref/sdk"
)

// Resolve answers a batch. Ids are grouped by file, and each file the
// batch refers to is decrypted once, in memory. An id with a file alias
// also makes the default file be read (not decrypted: its keys are in
// clear), to tell whether the id names a key there too; other files are
// not read at all. A file that cannot be read or decrypted fails the whole
// provider, naming the file and the reason.
func (r *Resolver) Resolve(ctx context.Context, b *sdk.Batch) error {
	files, err := r.configuredFiles()
	if err != nil {
		return fmt.Errorf("%w: %w", sdk.ErrConfig, err)
	}
	refs := parseAll(b, files)
	if len(refs) == 0 {
		return nil
	}
	if err := r.prepareKeys(b); err != nil {
		return err
	}
	trees, err := r.loadAll(ctx, b, files, needed(refs))
	if err != nil {
		return err
	}
	byFile := unambiguous(b, refs, trees, files)

	aliases := slices.Sorted(maps.Keys(byFile))
	failed := make([]error, len(aliases)) // by alias, so the reported one is always the same
	sdk.ForEach(ctx, b, aliases, func(ctx context.Context, alias string) {
		f, tree := files[alias], trees[alias]
		if tree == nil { // not loaded: the deadline passed first
			return
		}
		start := time.Now()
		if err := r.decrypt(f, tree); err != nil {
			failed[slices.Index(aliases, alias)] = err
			return
		}
		b.Sensitive(leaves(tree.Branches)...)
		b.Logf("decrypted %s (%s) in %s", f.describe(), f.format, time.Since(start).Round(time.Microsecond))
		for _, id := range byFile[alias] {
			if v, err := r.selectValue(tree.Branches, f, refs[id].path); err != nil {
				b.Fail(id, err)
			} else {
				b.Set(id, v)
			}
		}
	})
	return cmp.Or(failed...)
}

// parseAll parses every id of the batch, failing those that do not parse.
func parseAll(b *sdk.Batch, files map[string]file) map[string]ref {
	refs := map[string]ref{}
	for _, id := range b.IDs {
		ref, err := parseID(id, files)
		if err != nil {
			b.Fail(id, err)
			continue
		}
		refs[id] = ref
	}
	return refs
}

// prepareKeys checks the key files sops will read and hands it --gpg,
// before any file is decrypted.
func (r *Resolver) prepareKeys(b *sdk.Batch) error {
	if err := r.checkKeyFiles(); err != nil {
		return err
	}
	if err := r.useGPG(); err != nil {
		return fmt.Errorf("%w: --gpg: %w", sdk.ErrConfig, err)
	}
	if key, ok := r.lookupEnv("SOPS_AGE_KEY"); ok { // in case a parse error ever quotes it
		b.Sensitive(append(strings.Split(key, "\n"), key)...)
	}
	return nil
}

// needed lists the files a batch reads: every file an id names, and the
// default file when an id may read as a key of it too (see ambiguity).
func needed(refs map[string]ref) []string {
	set := map[string]bool{}
	for _, ref := range refs {
		set[ref.alias] = true
		if ref.shadow != "" {
			set[""] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// leaves lists every string in a decrypted document, so that none of them
// can be printed, whichever ids were asked.
func leaves(doc gosops.TreeBranches) []string {
	var out []string
	var walk func(any)
	walk = func(n any) {
		switch v := n.(type) {
		case gosops.TreeBranch:
			for _, item := range v {
				walk(item.Value)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case string:
			out = append(out, v)
		}
	}
	for _, b := range doc {
		walk(b)
	}
	return out
}
