package onepassword

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/lazyregexp"
)

// cliMode reaches 1Password through the op CLI that users of the bundled
// resolver already have. The whole batch goes to ONE `op inject`: a
// template of every reference between delimiters that are random per run,
// parsed back exactly. Only when that fails does it run `op read
// --no-newline` per reference, a few at a time, to find which ids fail and
// why. The bundled resolver runs one op read per id, 4 at a time, and
// needs a 90 s provider timeout for it.
type cliMode struct {
	op          string
	env         []string
	concurrency int
}

// newCLIMode runs op (an absolute path, already found and checked) with
// env's variables plus the settings that keep op non-interactive, at most
// concurrency op processes at once when it reads reference by reference.
func newCLIMode(op string, env func(string) (string, bool), concurrency int) (mode, error) {
	if !filepath.IsAbs(op) {
		return nil, fmt.Errorf("%w: the op CLI must be an absolute path, got %q", sdk.ErrConfig, op)
	}
	return &cliMode{op: op, env: opEnviron(env), concurrency: max(concurrency, 1)}, nil
}

// opNonInteractive are set whatever the environment says, as the bundled
// resolver sets them: a gateway's secret read must never wait for a
// biometric prompt or the desktop app.
var opNonInteractive = map[string]string{
	"OP_BIOMETRIC_UNLOCK_ENABLED":  "false",
	"OP_LOAD_DESKTOP_APP_SETTINGS": "false",
}

// opEnviron is op's environment: every variable we were given (the
// provider's passEnv and env), as env reports them, plus
// OP_SERVICE_ACCOUNT_TOKEN when env has one (the token file's), plus
// opNonInteractive, plus HOME, which op needs for its configuration
// directory and which the bundled resolver sets to the user's home.
func opEnviron(env func(string) (string, bool)) []string {
	names := map[string]bool{"HOME": true, envServiceAccountToken: true}
	for _, kv := range os.Environ() {
		if name, _, ok := strings.Cut(kv, "="); ok && name != "" {
			names[name] = true
		}
	}
	for name := range opNonInteractive {
		names[name] = true
	}
	sorted := make([]string, 0, len(names))
	for name := range names {
		sorted = append(sorted, name)
	}
	sort.Strings(sorted)
	var out []string
	for _, name := range sorted {
		v, ok := env(name)
		if forced, isForced := opNonInteractive[name]; isForced {
			v, ok = forced, true
		}
		if name == "HOME" && strings.TrimSpace(v) == "" {
			v, ok = opHome(env)
		}
		if ok {
			out = append(out, name+"="+v)
		}
	}
	return out
}

// opHome is the bundled resolver's resolveOsHome: USERPROFILE, else the
// account's home directory.
func opHome(env func(string) (string, bool)) (string, bool) {
	if v, ok := env("USERPROFILE"); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v), true
	}
	if u, err := user.Current(); err == nil && u.HomeDir != "" {
		return u.HomeDir, true
	}
	return "", false
}

// injectShare is how much of the time left the one op inject may take.
// The rest is kept for reading reference by reference if it fails or
// hangs, so that the ids that do resolve are still answered in time.
const injectShare = 2.0 / 3

// Retries of one op call: throttling backs off and tries again while
// the deadline allows; a network failure is tried once more.
const (
	opMaxAttempts  = 4
	opFirstBackoff = 250 * time.Millisecond
)

// opStopMargin is how long before the batch's deadline every op call is
// killed. At the deadline the SDK answers and the process exits at once;
// an op still running then would outlive us, in a process group of its
// own, holding a network call or a prompt. Killed a little earlier, it
// is gone before we answer.
const opStopMargin = 250 * time.Millisecond

// withOpMargin is ctx ending opStopMargin before its deadline.
func withOpMargin(ctx context.Context) (context.Context, context.CancelFunc) {
	if deadline, ok := ctx.Deadline(); ok {
		return context.WithDeadline(ctx, deadline.Add(-opStopMargin))
	}
	return context.WithCancel(ctx)
}

func (m *cliMode) resolve(ctx context.Context, b *sdk.Batch, refs map[string]reference) error {
	ctx, cancel := withOpMargin(ctx)
	defer cancel()
	// One op call per distinct reference, however many ids spell it.
	idsOf := map[string][]string{}
	var inject, read []string
	for _, id := range b.IDs {
		ref, ok := refs[id]
		if !ok {
			continue
		}
		if _, seen := idsOf[ref.uri]; !seen {
			if templateSafe(ref.uri) {
				inject = append(inject, ref.uri)
			} else {
				read = append(read, ref.uri)
			}
		}
		idsOf[ref.uri] = append(idsOf[ref.uri], id)
	}
	var t cliTally
	if len(inject) > 0 {
		values, err := m.inject(ctx, b, inject)
		var oe *opError
		switch {
		case err == nil:
			t.answered = true
			for i, uri := range inject {
				for _, id := range idsOf[uri] {
					b.Set(id, values[i])
				}
			}
		case errors.Is(err, errOpStart):
			return fmt.Errorf("%w: %w", sdk.ErrConfig, err)
		case errors.As(err, &oe) && oe.code == protocol.Unauthenticated:
			return fmt.Errorf("%w: op refused the credentials: %s", protocol.Unauthenticated, oe.msg)
		case errors.As(err, &oe) && oe.network:
			return fmt.Errorf("%w: op could not reach 1Password: %s", protocol.Unavailable, oe.msg)
		default:
			b.Logf("op inject of %d references failed (%v); reading them one by one", len(inject), err)
			read = append(inject, read...)
		}
	}
	m.readEach(ctx, b, read, idsOf, &t)
	return t.verdict(ctx)
}

// cliTally is what the op calls of a batch said, to tell a whole-provider
// failure (the token refused, 1Password unreachable) from per-id ones.
type cliTally struct {
	mu       sync.Mutex
	answered bool // some call got an answer about a reference from 1Password
	auth     *opError
	failed   int
	network  int
	start    error
}

func (t *cliTally) add(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var oe *opError
	switch {
	case err == nil:
		t.answered = true
	case errors.Is(err, errOpStart):
		t.start = err
	case errors.As(err, &oe):
		t.failed++
		switch {
		case oe.code == protocol.Unauthenticated && t.auth == nil:
			t.auth = oe
		case oe.network:
			t.network++
		case oe.code == protocol.NotFound, oe.code == protocol.AmbiguousDuplicateKey,
			oe.code == protocol.PermissionDenied, oe.code == protocol.InvalidID, oe.code == protocol.InvalidValue:
			t.answered = true
		}
	}
}

// verdict: op not startable is a configuration error; with no answer
// at all, a refused token fails the provider (77), and so does 1Password
// being unreachable on every call (69). Otherwise each id keeps its own.
func (t *cliTally) verdict(ctx context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.start != nil:
		return fmt.Errorf("%w: %w", sdk.ErrConfig, t.start)
	case t.answered || ctx.Err() != nil || t.failed == 0:
		return nil
	case t.auth != nil:
		return fmt.Errorf("%w: op refused the credentials: %s", protocol.Unauthenticated, t.auth.msg)
	case t.network == t.failed:
		return fmt.Errorf("%w: op could not reach 1Password on any of %d calls", protocol.Unavailable, t.failed)
	}
	return nil
}

// templateSafe reports whether op inject reads {{ uri }} back as exactly
// uri: names of letters, digits, ".", "_", "-" and single inner spaces,
// which is what 1Password's secret-reference syntax supports, and no
// query. Anything else ($, braces, quotes, #, :, ?) could mean something
// to the template language, and goes to op read, which takes the
// reference as an argument.
var templateSafePattern = lazyregexp.New(`^op://[A-Za-z0-9._-]+(?: [A-Za-z0-9._-]+)*(?:/[A-Za-z0-9._-]+(?: [A-Za-z0-9._-]+)*){2,3}$`)

func templateSafe(uri string) bool { return templateSafePattern().MatchString(uri) }

// inject resolves uris with one op inject, within injectShare of the time
// left, and returns their values in order.
func (m *cliMode) inject(ctx context.Context, b *sdk.Batch, uris []string) ([]string, error) {
	if deadline, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(float64(time.Until(deadline))*injectShare))
		defer cancel()
	}
	nonce, err := newNonce()
	if err != nil {
		return nil, err
	}
	template := injectTemplate(nonce, uris)
	var out []byte
	for attempt := 1; ; attempt++ {
		out, err = runOp(ctx, m.op, m.env, []byte(template), maxInjectBytes, "op inject", "inject", "--cache=false")
		if !retryOp(ctx, err, attempt) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	b.Sensitive(string(out)) // every value of the batch, before anything could quote it
	values, err := parseInjected(out, nonce, len(uris))
	if err != nil {
		return nil, err
	}
	for i, uri := range uris {
		if values[i] == placeholder(uri) {
			// op left a reference as it was: it did not take it for one.
			return nil, fmt.Errorf("%w: %s came back unresolved", errInjectOutput, uri)
		}
	}
	return values, nil
}

// placeholder is a reference as the template holds it.
func placeholder(uri string) string { return "{{ " + uri + " }}" }

// newNonce is the per-run secret part of the delimiters: no value can be
// crafted to contain them.
func newNonce() (string, error) {
	var n [16]byte
	if _, err := rand.Read(n[:]); err != nil {
		return "", fmt.Errorf("%w: no randomness for op inject's delimiters: %w", protocol.Internal, err)
	}
	return hex.EncodeToString(n[:]), nil
}

// injectDelimiter is delimiter i of a template: letters, digits and angle brackets only,
// which op's template syntax gives no meaning (no $, braces or op://).
func injectDelimiter(nonce string, i int) string {
	return "<<openclaw:" + nonce + ":" + strconv.Itoa(i) + ">>"
}

// injectTemplate is delimiter 0, then each reference followed by the next
// delimiter: D0{{ op://a }}D1{{ op://b }}D2.
func injectTemplate(nonce string, uris []string) string {
	var s strings.Builder
	s.WriteString(injectDelimiter(nonce, 0))
	for i, uri := range uris {
		s.WriteString(placeholder(uri))
		s.WriteString(injectDelimiter(nonce, i+1))
	}
	return s.String()
}

// errInjectOutput is op inject output that is not the template with each
// reference replaced: nothing of it is trusted.
var errInjectOutput = errors.New("op inject's output does not match its template")

// parseInjected takes the values back out of op inject's output. The
// output must be exactly the delimiters in order with the values between
// them (op may end it with one newline): the nonce must occur exactly
// n+1 times, so a value can neither hide nor shift a delimiter.
func parseInjected(out []byte, nonce string, n int) ([]string, error) {
	s := string(out)
	if strings.Count(s, nonce) != n+1 {
		return nil, errInjectOutput
	}
	rest, ok := strings.CutPrefix(s, injectDelimiter(nonce, 0))
	if !ok {
		return nil, errInjectOutput
	}
	values := make([]string, n)
	for i := range n {
		d := injectDelimiter(nonce, i+1)
		at := strings.Index(rest, d)
		if at < 0 {
			return nil, errInjectOutput
		}
		values[i], rest = rest[:at], rest[at+len(d):]
	}
	if rest != "" && rest != "\n" {
		return nil, errInjectOutput
	}
	return values, nil
}

// readEach runs op read --no-newline for each reference, at most
// concurrency at once, and answers the ids that spell it.
func (m *cliMode) readEach(ctx context.Context, b *sdk.Batch, uris []string, idsOf map[string][]string, t *cliTally) {
	if len(uris) == 0 {
		return
	}
	sem := make(chan struct{}, m.concurrency)
	var mu sync.Mutex
	run := map[string]bool{}
	sdk.ForEach(ctx, b, uris, func(ctx context.Context, uri string) {
		select {
		case sem <- struct{}{}:
			defer func() { <-sem }()
		case <-ctx.Done():
			return
		}
		mu.Lock()
		run[uri] = true
		mu.Unlock()
		value, err := m.read(ctx, uri)
		t.add(err)
		for _, id := range idsOf[uri] {
			switch {
			case err == nil:
				b.Set(id, value)
			case errors.Is(err, errOpStart):
				// the whole provider fails: see cliTally.verdict
			default:
				b.Fail(id, err)
			}
		}
	})
	// The op calls stop opStopMargin before the batch's deadline, so the
	// SDK's own deadline has not passed yet: the references no op call
	// was started for must be said to have run out of time here, or they
	// would be left unanswered (INTERNAL), and a host that resolves
	// TIMEOUT ids again (the exec side of the agent) would not retry them.
	for _, uri := range uris {
		if !run[uri] {
			for _, id := range idsOf[uri] {
				b.Fail(id, fmt.Errorf("%w: no time was left to run op read for this reference", protocol.Timeout))
			}
		}
	}
}

// read is one op read, retried on throttling and once on a network
// failure while the deadline allows.
func (m *cliMode) read(ctx context.Context, uri string) (string, error) {
	what := "op read " + uri
	for attempt := 1; ; attempt++ {
		out, err := runOp(ctx, m.op, m.env, nil, maxReadBytes, what, "read", "--cache=false", "--no-newline", uri)
		if err == nil {
			return string(out), nil
		}
		if !retryOp(ctx, err, attempt) {
			return "", err
		}
	}
}

// retryOp waits before another attempt of a failed call and reports whether
// to make it: throttling up to opMaxAttempts, a network failure once, and
// only while the backoff leaves time before the deadline.
func retryOp(ctx context.Context, err error, attempt int) bool {
	var oe *opError
	if err == nil || !errors.As(err, &oe) || attempt >= opMaxAttempts {
		return false
	}
	switch {
	case oe.code == protocol.RateLimited:
	case (oe.network || oe.again) && attempt == 1:
	default:
		return false
	}
	wait := opFirstBackoff << (attempt - 1)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < 2*wait {
		return false
	}
	select {
	case <-time.After(wait):
		return true
	case <-ctx.Done():
		return false
	}
}
