// Package gateway drives exec resolvers through the real OpenClaw gateway:
// the installed openclaw npm package's resolveSecretRefValues (exported as
// "openclaw/plugin-sdk/secret-ref-runtime"), run by Node 24. It is what
// make e2e-openclaw tests against; scripts/install-openclaw.sh installs
// both, and the Makefile hands their paths over in EXECREF_NODE and
// EXECREF_OPENCLAW_PREFIX.
package gateway

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/execref/execref/sdk/host"
)

// resolveScript reads {"providers","refs"} on stdin and prints one outcome
// per ref; see the file for how it attributes errors to refs.
//
//go:embed resolve.mjs
var resolveScript string

// Environment variables that name an installed gateway.
const (
	EnvNode    = "EXECREF_NODE"            // the Node 24 binary
	EnvPrefix  = "EXECREF_OPENCLAW_PREFIX" // npm prefix holding node_modules/openclaw
	EnvRequire = "EXECREF_REQUIRE_GATEWAY" // "1": Require fails instead of skipping
)

// Gateway is an installed OpenClaw: a Node 24 binary and the prefix where
// openclaw is installed.
type Gateway struct{ Node, Prefix string }

// FromEnv reads EXECREF_NODE and EXECREF_OPENCLAW_PREFIX (set by make
// e2e-openclaw); ok is false when either is unset.
func FromEnv() (g *Gateway, ok bool) {
	node, prefix := os.Getenv(EnvNode), os.Getenv(EnvPrefix)
	if node == "" || prefix == "" {
		return nil, false
	}
	return &Gateway{Node: node, Prefix: prefix}, true
}

// Require returns the gateway named by the environment, or skips tb when
// there is none; with EXECREF_REQUIRE_GATEWAY=1 (as make e2e-openclaw
// sets) a missing or broken install fails tb instead, so that CI cannot
// pass by skipping.
func Require(tb testing.TB) *Gateway {
	tb.Helper()
	required := os.Getenv(EnvRequire) == "1"
	g, ok := FromEnv()
	if !ok {
		if required {
			tb.Fatalf("real gateway required (%s=1) but %s or %s is unset: run make e2e-openclaw", EnvRequire, EnvNode, EnvPrefix)
		}
		tb.Skip("real gateway not installed: run make e2e-openclaw")
	}
	if err := g.check(); err != nil {
		if required {
			tb.Fatal(err)
		}
		tb.Skipf("real gateway not usable (%v): run make e2e-openclaw", err)
	}
	return g
}

// check tells whether the install looks complete, without running it.
func (g *Gateway) check() error {
	if fi, err := os.Stat(g.Node); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("gateway: %s=%s is not an executable file", EnvNode, g.Node)
	}
	pkg := filepath.Join(g.Prefix, "node_modules", "openclaw", "package.json")
	if _, err := os.Stat(pkg); err != nil {
		return fmt.Errorf("gateway: %s=%s holds no openclaw: %v", EnvPrefix, g.Prefix, err)
	}
	return nil
}

// Ref is an exec SecretRef: {source: "exec", provider, id}.
type Ref struct{ Provider, ID string }

// Outcome is what the gateway made of one ref. Code is "" on success, and
// Value is then the value as the resolver sent it (a string, or whatever
// JSON it was). Otherwise Code is the gateway's error code (such as
// SECRET_REF_NOT_FOUND, SECRET_REF_PROVIDER_ERROR,
// SECRET_PROVIDER_UNAVAILABLE) or, for an error that has none, its class
// name ("Error" for a ref the gateway's grammar refuses), and Message is
// the gateway's message, which never holds a value.
type Outcome struct {
	Ref     Ref
	Value   any
	Code    string
	Message string
}

// request and response are resolve.mjs's stdin and stdout.
type request struct {
	Providers map[string]host.Provider `json:"providers"`
	Refs      []wireRef                `json:"refs"`
}

type wireRef struct {
	Provider string `json:"provider"`
	ID       string `json:"id"`
}

type response struct {
	Results []struct {
		Provider string          `json:"provider"`
		ID       string          `json:"id"`
		Value    json.RawMessage `json:"value"`
		Error    *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	} `json:"results"`
}

// maxStderr bounds the node stderr quoted in an error.
const maxStderr = 8 << 10

// Resolve runs the real gateway's resolveSecretRefValues over refs with
// these providers (secrets.providers of openclaw.json) and returns one
// outcome per ref, in order. env is the gateway process's environment, the
// source of passEnv values: it is node's whole environment, nothing added
// (node needs none). The gateway's working directory is the caller's.
// A provider's Source defaults to "exec". The error is for the run itself
// (node missing or failing, ctx done), never for a ref.
func (g *Gateway) Resolve(ctx context.Context, providers map[string]host.Provider, refs []Ref, env map[string]string) ([]Outcome, error) {
	req := request{Providers: make(map[string]host.Provider, len(providers)), Refs: make([]wireRef, len(refs))}
	for name, p := range providers {
		if p.Source == "" {
			p.Source = "exec"
		}
		req.Providers[name] = p
	}
	for i, r := range refs {
		req.Refs[i] = wireRef(r)
	}
	stdin, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("gateway: %w", err)
	}

	// The script is given on the command line: it imports the runtime
	// through the prefix's package exports, so it needs no file of its own
	// and node no particular cwd. The gateway's cwd is ours (a relative
	// command is resolved against it).
	cmd := exec.CommandContext(ctx, g.Node, "--input-type=module", "--eval", resolveScript, "--", "--prefix="+g.Prefix)
	cmd.Env = make([]string, 0, len(env)) // never nil: nil would inherit ours
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout bytes.Buffer
	stderr := &capped{max: maxStderr}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	// A group of its own, killed whole when ctx ends; the gateway starts
	// each resolver in a group of its own and kills it on its own limits.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second

	start := time.Now()
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("gateway: node %s: %w after %v%s", g.Node, ctx.Err(), time.Since(start).Round(time.Millisecond), stderr.quote())
	}
	if runErr != nil {
		return nil, fmt.Errorf("gateway: node %s (openclaw under %s): %v%s", g.Node, g.Prefix, runErr, stderr.quote())
	}

	var resp response
	if err := json.Unmarshal(stdout.Bytes(), &resp); err != nil {
		// Neither stdout nor the decoder's error (which quotes a character
		// of it) is shown: stdout may hold values.
		return nil, fmt.Errorf("gateway: node printed %d bytes that are not the expected JSON%s", stdout.Len(), stderr.quote())
	}
	if len(resp.Results) != len(refs) {
		return nil, fmt.Errorf("gateway: %d results for %d refs%s", len(resp.Results), len(refs), stderr.quote())
	}
	out := make([]Outcome, len(refs))
	for i, r := range resp.Results {
		o := Outcome{Ref: refs[i]}
		if r.Provider != refs[i].Provider || r.ID != refs[i].ID {
			return nil, fmt.Errorf("gateway: result %d is for %s:%s, want %s:%s", i, r.Provider, r.ID, refs[i].Provider, refs[i].ID)
		}
		switch {
		case r.Error != nil:
			o.Code, o.Message = r.Error.Code, r.Error.Message
			if o.Code == "" {
				o.Code = "Error"
			}
		case len(r.Value) > 0:
			if err := json.Unmarshal(r.Value, &o.Value); err != nil {
				return nil, fmt.Errorf("gateway: the value of %s:%s is not JSON", r.Provider, r.ID)
			}
		}
		out[i] = o
	}
	return out, nil
}

// capped keeps the first max bytes written to it.
type capped struct {
	buf       bytes.Buffer
	max       int
	truncated bool
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room < len(p) {
		c.truncated = true
		if room > 0 {
			c.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return c.buf.Write(p)
}

// quote is stderr for an error message, or "" when there was none.
func (c *capped) quote() string {
	s := strings.TrimSpace(c.buf.String())
	if s == "" {
		return ""
	}
	if c.truncated {
		s += " …(truncated)"
	}
	return "; stderr:\n" + s
}
