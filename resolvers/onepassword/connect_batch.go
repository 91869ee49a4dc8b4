package onepassword

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/1Password/connect-sdk-go/onepassword"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// connectRun answers one batch in three rounds, so that nothing is asked
// twice:
//
//  1. GET /v1/vaults: every vault the token can read, matched to the
//     batch's vault parts (names or ids) locally.
//  2. GET /v1/vaults/{id}/items for each vault named: item summaries,
//     matched to the item parts locally. Matching locally rather than with
//     Connect's `title eq "x"` filter keeps it to one request per vault
//     whatever the number of titles, lets names ignore case as 1Password's
//     references do whatever the server's filter does, and needs no
//     quoting (connect-sdk-go does not escape a '"' in a title).
//  3. GET /v1/vaults/{id}/items/{id} once for each distinct item, whether
//     it was named by title or id and however many of its fields are
//     asked, then the content of each attached file asked for, once.
//
// Values are set as soon as their item arrives, so that a batch cut short
// by the deadline keeps what it got.
type connectRun struct {
	api *connectAPI
	b   *sdk.Batch
	sem chan struct{} // the mode's own concurrency bound

	mu          sync.Mutex
	answered    int              // ids answered with a value or a definite error
	unreachable map[string]error // ids that failed because Connect could not be reached
	fatal       error            // a whole-provider failure: the token refused
}

func newConnectRun(m *connectMode, b *sdk.Batch) *connectRun {
	return &connectRun{api: m.api, b: b, sem: make(chan struct{}, m.concurrency), unreachable: map[string]error{}}
}

// vaultWork is a vault the batch names, with the ids naming it.
type vaultWork struct {
	vault onepassword.Vault
	query string   // the vault part as first written, for messages
	ids   []string // sorted
	items []onepassword.Item
	err   error
}

// itemWork is an item the batch names, with the ids naming it.
type itemWork struct {
	vault *vaultWork
	item  onepassword.Item // its summary
	query string           // the item part as first written, for messages
	ids   []string
}

func (r *connectRun) resolve(ctx context.Context, refs map[string]reference) error {
	var ids []string
	for _, id := range slices.Sorted(maps.Keys(refs)) { // a reproducible order of requests
		if _, err := connectQueryPart(refs[id].query); err != nil {
			r.fail(id, err)
			continue
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil
	}
	vaults, err := r.api.vaults(ctx)
	if err != nil {
		if protocol.CodeOf(err) == protocol.PermissionDenied {
			// Listing vaults needs no vault permission: a 403 here
			// refuses the token as a whole.
			return err
		}
		for _, id := range ids {
			r.fail(id, err)
		}
		return r.finish()
	}

	var works []*vaultWork
	byVault := map[string]*vaultWork{}
	for _, id := range ids {
		ref := refs[id]
		v, err := pickVault(vaults, ref.vault)
		if err != nil {
			r.fail(id, err)
			continue
		}
		w := byVault[v.ID]
		if w == nil {
			w = &vaultWork{vault: v, query: ref.vault}
			byVault[v.ID] = w
			works = append(works, w)
		}
		w.ids = append(w.ids, id)
	}
	sdk.ForEach(ctx, r.b, works, func(ctx context.Context, w *vaultWork) {
		r.bounded(ctx, func() {
			w.items, w.err = r.api.items(ctx, fmt.Sprintf("listing the items of vault %q", w.query), w.vault.ID)
		})
	})

	var items []*itemWork
	byItem := map[string]*itemWork{}
	for _, w := range works {
		if ctx.Err() != nil {
			break // unlisted vaults: their ids get TIMEOUT
		}
		for _, id := range w.ids {
			if w.err != nil {
				r.fail(id, w.err)
				continue
			}
			it, err := pickItem(w.items, refs[id].item, w.query)
			if err != nil {
				r.fail(id, err)
				continue
			}
			iw := byItem[w.vault.ID+"/"+it.ID]
			if iw == nil {
				iw = &itemWork{vault: w, item: it, query: refs[id].item}
				byItem[w.vault.ID+"/"+it.ID] = iw
				items = append(items, iw)
			}
			iw.ids = append(iw.ids, id)
		}
	}
	sdk.ForEach(ctx, r.b, items, func(ctx context.Context, iw *itemWork) {
		r.bounded(ctx, func() { r.answerItem(ctx, iw, refs) })
	})
	return r.finish()
}

// answerItem fetches one item and answers every id naming it.
func (r *connectRun) answerItem(ctx context.Context, iw *itemWork, refs map[string]reference) {
	where := fmt.Sprintf("item %q of vault %q", iw.query, iw.vault.query)
	it, err := r.api.item(ctx, "reading "+where, iw.vault.vault.ID, iw.item.ID)
	if err != nil {
		for _, id := range iw.ids {
			r.fail(id, err)
		}
		return
	}
	// The item holds values of fields nobody asked for: none of them may
	// reach a message.
	for _, f := range it.Fields {
		if f != nil {
			r.b.Sensitive(f.Value, f.TOTP)
		}
	}
	files := map[string]fileResult{} // by file id: each file downloaded once
	for _, id := range iw.ids {
		t, err := pickField(it, refs[id], where)
		part, _ := connectQueryPart(refs[id].query) // checked in resolve
		switch {
		case err != nil:
			r.fail(id, err)
		case t.file == nil || part == partOTP:
			if v, err := connectValue(t, part, where); err != nil {
				r.fail(id, err)
			} else {
				r.set(id, v)
			}
		default:
			fr, done := files[t.file.ID]
			if !done {
				fr.content, fr.err = r.api.fileContent(ctx, fmt.Sprintf("downloading file %q of %s", t.file.Name, where), t.file)
				files[t.file.ID] = fr
			}
			if fr.err != nil {
				r.fail(id, fr.err)
			} else {
				r.set(id, string(fr.content))
			}
		}
	}
}

type fileResult struct {
	content []byte
	err     error
}

// bounded runs f when one of the mode's concurrency slots is free.
func (r *connectRun) bounded(ctx context.Context, f func()) {
	select {
	case r.sem <- struct{}{}:
		defer func() { <-r.sem }()
		f()
	case <-ctx.Done():
	}
}

func (r *connectRun) set(id, value string) {
	r.b.Set(id, value)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.answered++
}

// fail answers id with err, except for two kinds of errors that may fail
// the provider instead (see finish): a refused token, and Connect out of
// reach. A deadline passed is left unanswered: the SDK answers TIMEOUT.
func (r *connectRun) fail(id string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch protocol.CodeOf(err) {
	case protocol.Unauthenticated:
		if r.fatal == nil {
			r.fatal = err
		}
		return
	case protocol.Unavailable:
		r.unreachable[id] = err
		return
	case protocol.Timeout:
		return
	}
	r.answered++
	r.b.Fail(id, err)
}

// finish decides the batch's fate. A refused token fails the provider
// (exit 77). Connect out of reach fails it too (exit 69) when no id could
// be answered at all; once some were, the unreachable ones are answered
// UNAVAILABLE one by one, so that the answers already had are kept.
func (r *connectRun) finish() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fatal != nil {
		return r.fatal
	}
	if len(r.unreachable) == 0 {
		return nil
	}
	ids := slices.Sorted(maps.Keys(r.unreachable))
	if r.answered == 0 {
		return r.unreachable[ids[0]]
	}
	for _, id := range ids {
		r.b.Fail(id, r.unreachable[id])
	}
	return nil
}
