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

// Resolve answers a batch: ids are grouped by file, and each file the
// batch refers to is decrypted once, in memory; files it does not refer to
// are not read at all. A file that cannot be decrypted fails the whole
// provider, naming the file and the reason.
func (r *Resolver) Resolve(ctx context.Context, b *sdk.Batch) error {
	files, err := r.configuredFiles()
	if err != nil {
		return fmt.Errorf("%w: %w", sdk.ErrConfig, err)
	}
	refs := map[string]ref{}
	byFile := map[string][]string{}
	for _, id := range b.IDs {
		ref, err := parseID(id, files)
		if err != nil {
			b.Fail(id, err)
			continue
		}
		refs[id] = ref
		byFile[ref.alias] = append(byFile[ref.alias], id)
	}
	if len(byFile) == 0 {
		return nil
	}
	if err := r.checkKeyFiles(); err != nil {
		return err
	}
	if key, ok := r.lookupEnv("SOPS_AGE_KEY"); ok { // in case a parse error ever quotes it
		b.Sensitive(append(strings.Split(key, "\n"), key)...)
	}

	aliases := slices.Sorted(maps.Keys(byFile))
	failed := make([]error, len(aliases)) // by alias, so the reported one is always the same
	sdk.ForEach(ctx, b, aliases, func(ctx context.Context, alias string) {
		f := files[alias]
		start := time.Now()
		doc, err := r.decrypt(f)
		if err != nil {
			failed[slices.Index(aliases, alias)] = err
			return
		}
		b.Sensitive(leaves(doc)...)
		b.Logf("decrypted %s (%s) in %s", f.describe(), f.format, time.Since(start).Round(time.Microsecond))
		for _, id := range byFile[alias] {
			if v, err := r.selectValue(doc, f, refs[id].path); err != nil {
				b.Fail(id, err)
			} else {
				b.Set(id, v)
			}
		}
	})
	return cmp.Or(failed...)
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
