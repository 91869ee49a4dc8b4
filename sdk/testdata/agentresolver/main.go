// Command agentresolver is the test resolver of the agent's tests: the
// reference resolver's idea (a fixture file drives it) for what only a
// long-lived process shows. It keeps a login warm in a warm.Value, whose
// "server" may stop accepting it early, and records on a file what it did
// (which process resolved which ids, each login opened and released, the
// backend closed), so that a test sees through the exec side's identical
// answers which way a batch went. Its fixture can make the agent process
// alone slow, blocked or failing, so that the exec side's cold fallback
// runs the same fixture without them.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/plugin/handshake"
	"github.com/execref/execref/sdk/warm"
)

// fixture is the file named by --fixture, relative to the binary's
// directory, read at every batch: a test changes it between batches.
type fixture struct {
	Values map[string]string `json:"values"`
	// Agent applies in the agent process only.
	Agent struct {
		Delays map[string]string `json:"delays"` // slept without honouring ctx
		Block  bool              `json:"block"`  // wait for the batch's end (or a kill)
		Fail   protocol.Code     `json:"fail"`   // whole-provider failure
	} `json:"agent"`
	// Login, when set, makes every batch use a warm login.
	Login *struct {
		TTL   string `json:"ttl"`   // the expiry the opener declares
		Valid string `json:"valid"` // how long the "server" accepts it
	} `json:"login"`
}

// session is the warm state: a token the "server" accepts for a while.
type session struct {
	token  string
	issued time.Time
}

type resolver struct {
	fixture, record string
	mode            string // agent, plugin or exec
	opens           atomic.Int64
	login           warm.Value[*session]
	recordMu        sync.Mutex
}

func (r *resolver) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&r.fixture, "fixture", "fixture.json", "fixture `file`")
	fs.StringVar(&r.record, "record", "record.log", "append what happens to `file`")
}

// note appends one line to the record: each line is one write, so that
// the processes of a test (agent and exec sides) never interleave.
func (r *resolver) note(format string, args ...any) {
	r.recordMu.Lock()
	defer r.recordMu.Unlock()
	f, err := os.OpenFile(r.record, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %d "+format+"\n", append([]any{r.mode, os.Getpid()}, args...)...)
}

func (r *resolver) Resolve(ctx context.Context, b *sdk.Batch) error {
	r.note("resolve %s", strings.Join(b.IDs, ","))
	data, err := os.ReadFile(r.fixture)
	if err != nil {
		return fmt.Errorf("%w: %w", sdk.ErrConfig, err)
	}
	var f fixture
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("%w: fixture: %w", sdk.ErrConfig, err)
	}
	prefix := os.Getenv("VALUE_PREFIX") // the environment decides values too
	for _, v := range f.Values {
		b.Sensitive(prefix + v)
	}
	if f.Login != nil {
		token, err := r.session(ctx, b, f)
		if err != nil {
			return err
		}
		b.Logf("using the token %s", token)
	}
	if r.mode == "agent" {
		if f.Agent.Fail != "" {
			return fmt.Errorf("%w: the fixture fails the agent", f.Agent.Fail)
		}
		if f.Agent.Block {
			r.note("blocked")
			<-ctx.Done()
			return nil
		}
	}
	sdk.ForEach(ctx, b, b.IDs, func(ctx context.Context, id string) {
		if d, err := time.ParseDuration(f.Agent.Delays[id]); err == nil && r.mode == "agent" {
			time.Sleep(d)
		}
		v, ok := f.Values[id]
		if !ok {
			b.Fail(id, fmt.Errorf("%w: %s is not in the fixture", protocol.NotFound, id))
			return
		}
		b.Logf("resolved %s to %s", id, prefix+v)
		b.Set(id, prefix+v)
	})
	return nil
}

// session gets the warm login and shows it to the "server", which refuses
// a token older than the fixture's valid: then the login is forgotten and
// opened anew, as a backend does with a token its server refused.
func (r *resolver) session(ctx context.Context, b *sdk.Batch, f fixture) (string, error) {
	ttl, err1 := time.ParseDuration(f.Login.TTL)
	valid, err2 := time.ParseDuration(f.Login.Valid)
	if err1 != nil || err2 != nil {
		return "", fmt.Errorf("%w: fixture: bad login durations", sdk.ErrConfig)
	}
	open := func(ctx context.Context, b *sdk.Batch) (warm.Held[*session], error) {
		s := &session{token: fmt.Sprintf("tok-%d-%d", os.Getpid(), r.opens.Add(1)), issued: time.Now()}
		r.note("open %s", s.token)
		return warm.Held[*session]{Value: s, Expires: s.issued.Add(ttl), Secrets: []string{s.token}}, nil
	}
	for range 2 {
		s, err := r.login.Get(ctx, b, open)
		if err != nil {
			return "", err
		}
		if time.Since(s.issued) <= valid {
			r.note("used %s", s.token)
			return s.token, nil
		}
		r.note("refused %s", s.token)
		r.login.Forget(s)
	}
	return "", fmt.Errorf("%w: the server refused a fresh token", protocol.Unauthenticated)
}

// Close releases the login as the process stops (agent, go-plugin).
func (r *resolver) Close() error {
	r.login.Close()
	r.note("close")
	return nil
}

// mode says which transport runs this process, for the record.
func mode() string {
	switch {
	case slices.Contains(os.Args[1:], "agent"):
		return "agent"
	case handshake.Started(os.LookupEnv):
		return "plugin"
	}
	return "exec"
}

func main() {
	r := &resolver{mode: mode()}
	r.login.Name = "test login"
	r.login.Release = func(_ context.Context, s *session) { r.note("release %s", s.token) }
	sdk.Main(sdk.Program{Name: "agent-test-resolver", Summary: "fixture-driven test resolver for the agent", Backend: r})
}
