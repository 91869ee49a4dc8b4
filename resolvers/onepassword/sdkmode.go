package onepassword

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	onepassword "github.com/1password/onepassword-sdk-go"
	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
)

// secretsResolver is the one call of the 1Password SDK's SecretsAPI this
// mode makes: a whole batch of secret references at once. Tests give a
// fake; the SDK's client.Secrets() satisfies it.
type secretsResolver interface {
	ResolveAll(ctx context.Context, references []string) (onepassword.ResolveAllResponse, error)
}

// sdkMode reaches 1Password through the SDK with a service account.
type sdkMode struct {
	// client gives the batch a signed-in client: the one kept from an
	// earlier batch, or a new sign-in (sdkState.clientFor). It is called
	// once references remain to send, so a batch whose every reference
	// the SDK's parser refuses never signs in.
	client func(ctx context.Context, b *sdk.Batch) (*sdkClient, error)
	// forget drops a client whose call failed as a whole, so that the
	// next batch signs in again; nil when nothing is kept.
	forget func(*sdkClient)
	// validate is the SDK's own parser of secret references, which runs
	// in its core without the network; nil skips it (tests of the fake).
	validate func(ctx context.Context, reference string) error
	retry    retryPolicy
	token    string // cut out of any message that would quote it
}

// openSDK is sdk mode for one batch: the SDK's core readied (compiled on
// the first batch of a process), the client signed in when the batch has
// something to send, both kept for the batches that follow in a
// long-lived process.
func (r *Resolver) openSDK(ctx context.Context, b *sdk.Batch, token string) (mode, error) {
	core, err := r.sdk.core.Get(ctx, b, r.sdk.openCore)
	if err != nil {
		return nil, err
	}
	return &sdkMode{
		client:   func(ctx context.Context, b *sdk.Batch) (*sdkClient, error) { return r.sdk.clientFor(ctx, b, token) },
		forget:   r.sdk.client.Forget,
		validate: core.validate, retry: defaultRetry, token: token,
	}, nil
}

// resolve asks for every distinct reference of the batch in one
// ResolveAll and answers each id from the entry keyed by its own
// reference: the response is a map from the reference text sent, so an
// answer can never be given to another id by position.
func (m *sdkMode) resolve(ctx context.Context, b *sdk.Batch, refs map[string]reference) error {
	idsOf := map[string][]string{} // op:// reference -> the ids that name it
	for _, id := range slices.Sorted(maps.Keys(refs)) {
		text, err := opReference(refs[id])
		if err != nil {
			b.Fail(id, err)
			continue
		}
		idsOf[text] = append(idsOf[text], id)
	}
	m.checkSyntax(ctx, b, idsOf)
	if len(idsOf) == 0 || ctx.Err() != nil {
		return nil
	}
	c, err := m.client(ctx, b)
	if err != nil {
		return err
	}
	references := slices.Sorted(maps.Keys(idsOf))
	b.Logf("sdk: resolving %d ids as %d secret references in one ResolveAll", len(refs), len(references))

	var resp onepassword.ResolveAllResponse
	err = m.retry.do(ctx, func() error {
		var err error
		resp, err = c.secrets.ResolveAll(ctx, references)
		return err
	})
	if err != nil {
		err = callError(ctx, err, m.token)
		m.drop(b, c, err)
		return failAll(b, idsOf, err)
	}
	for _, ref := range references {
		for _, id := range idsOf[ref] {
			answer(b, id, ref, refs[id], resp.IndividualResponses)
		}
	}
	return nil
}

// drop forgets c after its ResolveAll failed as a whole, unless 1Password
// only throttled it: a refused token or a client the core lost will not
// work again, and a call abandoned midway (the network failed, or the
// deadline passed) ends inside the core: the SDK's HTTP function panics
// and the WASM runtime unwinds the core's stack without its cleanup, so
// the client's state in the core is not to be trusted (the core itself
// goes on working: TestSDKCoreSurvivesAbandonedCallOffline). A new
// sign-in costs one batch its round trips; a broken client would fail
// every batch until the agent stops.
func (m *sdkMode) drop(b *sdk.Batch, c *sdkClient, err error) {
	if m.forget == nil || protocol.CodeOf(err) == protocol.RateLimited {
		return
	}
	b.Logf("sdk: the client is dropped, the next batch signs in again: %v", err)
	m.forget(c)
}

// check signs in (or finds the kept client): the `check` command's proof
// that 1Password accepts the token.
func (m *sdkMode) check(ctx context.Context, b *sdk.Batch, rep *check.Report) {
	if _, err := m.client(ctx, b); err != nil {
		rep.Fail("service account", err)
		return
	}
	rep.OK("service account", "1Password accepted the token: the SDK's client was created")
}

// checkSyntax fails, and takes out of idsOf, the references the SDK's
// parser refuses (a query it does not know, such as ?attribute=type), so
// that one bad reference is that id's INVALID_ID and cannot fail the
// batch's ResolveAll. It costs about 70 µs a reference. A failure that is
// not a verdict on the syntax (the deadline) leaves the reference to
// ResolveAll.
func (m *sdkMode) checkSyntax(ctx context.Context, b *sdk.Batch, idsOf map[string][]string) {
	if m.validate == nil {
		return
	}
	for _, ref := range slices.Sorted(maps.Keys(idsOf)) {
		err := m.validate(ctx, ref)
		if ctx.Err() != nil {
			return
		}
		if err == nil || !strings.Contains(err.Error(), "secret reference") {
			continue
		}
		for _, id := range idsOf[ref] {
			b.Fail(id, fmt.Errorf("%w: %s: the 1Password SDK refuses it: %s", protocol.InvalidID, ref, sdkText(err, m.token)))
		}
		delete(idsOf, ref)
	}
}

// answer sets or fails id from the response entry of its reference.
func answer(b *sdk.Batch, id, ref string, r reference, responses map[string]onepassword.Response[onepassword.ResolvedReference, onepassword.ResolveReferenceError]) {
	entry, ok := responses[ref]
	switch {
	case !ok:
		b.Fail(id, fmt.Errorf("%w: 1Password's answer to the batch has no entry for %s", protocol.Internal, ref))
	case entry.Error != nil:
		b.Fail(id, referenceError(ref, r, *entry.Error))
	case entry.Content == nil:
		b.Fail(id, fmt.Errorf("%w: 1Password's entry for %s has neither a secret nor an error", protocol.Internal, ref))
	default:
		b.Set(id, entry.Content.Secret)
	}
}

// failAll handles a ResolveAll that failed as a whole. A refused token or
// an unreachable 1Password fails the provider (exit 77 or 69: no id was
// answered); throttling that outlasted the retries, and the deadline, are
// per-id answers so that the gateway reports each ref.
func failAll(b *sdk.Batch, idsOf map[string][]string, err error) error {
	switch protocol.CodeOf(err) {
	case protocol.RateLimited, protocol.Timeout:
		for _, ids := range idsOf {
			for _, id := range ids {
				b.Fail(id, err)
			}
		}
		return nil
	}
	return err
}
