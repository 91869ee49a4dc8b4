package onepassword

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/execref/execref/sdk"
)

// Resolver is the 1Password backend: it parses the batch's ids, picks a
// mode from its flags and environment, and hands the whole batch to it.
type Resolver struct {
	mode      modeFlag
	op        string
	tokenFile string
	// lookupEnv reads the environment the gateway gave us (os.LookupEnv).
	lookupEnv func(string) (string, bool)
	// sdk is what sdk mode keeps between batches (sdkwarm.go). Connect
	// and cli modes keep nothing.
	sdk sdkState
}

// New returns a Resolver reading its environment from the process.
func New() *Resolver {
	r := &Resolver{mode: modeAuto, lookupEnv: os.LookupEnv}
	r.sdk.init()
	return r
}

var _ io.Closer = (*Resolver)(nil) // the agent and go-plugin call Close

// Close releases what a long-lived process (the agent, go-plugin) kept
// between batches: sdk mode's client. Package sdk calls it after the
// last batch; an exec run exits without it.
func (r *Resolver) Close() error {
	r.sdk.close()
	return nil
}

// The modes, as --mode spells them.
const (
	modeAuto    modeFlag = "auto"
	modeSDK     modeFlag = "sdk"
	modeConnect modeFlag = "connect"
	modeCLI     modeFlag = "cli"
)

// modeFlag is --mode; a value it does not know is a usage error (exit 64).
type modeFlag string

func (m *modeFlag) String() string { return string(*m) }

func (m *modeFlag) Set(s string) error {
	switch v := modeFlag(s); v {
	case modeAuto, modeSDK, modeConnect, modeCLI:
		*m = v
		return nil
	}
	return fmt.Errorf("%q is not a mode: use auto, sdk, connect or cli", s)
}

// Connect's variables, as op and Connect's SDKs read them.
const (
	envConnectHost  = "OP_CONNECT_HOST"
	envConnectToken = "OP_CONNECT_TOKEN"
)

// RegisterFlags adds the resolver's flags.
func (r *Resolver) RegisterFlags(fs *flag.FlagSet) {
	fs.Var(&r.mode, "mode", "how to reach 1Password: `auto`, sdk (a service account, through the 1Password SDK), "+
		"connect (a Connect server: OP_CONNECT_HOST, OP_CONNECT_TOKEN) or cli (the op CLI, one op inject per batch); "+
		"auto picks connect when both Connect variables are set, else sdk when a service-account token is found")
	fs.StringVar(&r.op, "op", "", "absolute `path` of the op CLI for --mode cli (default: "+envOpPath+", else op in PATH, "+
		"checked as the bundled onepassword resolver checks it)")
	fs.StringVar(&r.tokenFile, "token-file", "", "read the service-account token from this `file` (yours, mode 0600; "+
		"relative to the binary's directory) instead of "+envServiceAccountToken+" or the onepassword plugin's token file")
}

// Resolve answers a batch: ids that are not 1Password references get
// INVALID_ID without any configuration being read; the rest go to the
// mode in one call.
func (r *Resolver) Resolve(ctx context.Context, b *sdk.Batch) error {
	refs := map[string]reference{}
	for _, id := range b.IDs {
		ref, err := parseID(id)
		if err != nil {
			b.Fail(id, err)
			continue
		}
		refs[id] = ref
	}
	if len(refs) == 0 {
		return nil
	}
	p, err := r.plan(b)
	if err != nil {
		return err
	}
	b.Logf("mode %s (%s)", p.mode, p.why)
	m, err := r.open(ctx, b, p)
	if err != nil {
		return err
	}
	return m.resolve(ctx, b, refs)
}

// plan is how this run reaches 1Password, decided from the flags and the
// environment before anything is contacted.
type plan struct {
	mode      modeFlag // never auto
	why       string   // how the mode was chosen, for --verbose and check
	token     token    // the service-account token, when hasToken
	hasToken  bool
	connect   connectConfig
	op        string // the op binary (cli)
	tokenNote string // what was looked for when no token was found
}

type connectConfig struct{ host, token string }

func (c connectConfig) complete() bool { return c.host != "" && c.token != "" }
func (c connectConfig) partial() bool  { return (c.host != "") != (c.token != "") }

// plan applies --mode. Every token it finds is marked sensitive in b.
func (r *Resolver) plan(b *sdk.Batch) (plan, error) {
	p := plan{mode: r.mode, connect: connectConfig{host: r.env(envConnectHost), token: r.env(envConnectToken)}}
	b.Sensitive(p.connect.token)
	var err error
	switch p.mode {
	case modeAuto:
		err = r.planAuto(b, &p)
	case modeConnect:
		p.why = "--mode connect"
		err = inArea("connect", p.connect.check())
	case modeSDK:
		p.why = "--mode sdk"
		if err = r.loadToken(b, &p, true); err == nil && !p.hasToken {
			err = fmt.Errorf("%w: --mode sdk needs a service-account token: %s", sdk.ErrConfig, p.tokenNote)
		}
	case modeCLI:
		p.why = "--mode cli"
		if err = r.loadToken(b, &p, true); err == nil {
			p.op, err = r.findOp()
			err = inArea("op", err)
		}
	default:
		err = fmt.Errorf("%w: unknown mode %q", sdk.ErrConfig, p.mode)
	}
	return p, err
}

// planAuto: connect when both Connect variables are set, else sdk when a
// token is found. Two complete configurations is an error that names both,
// since either guess could read the wrong account; half a Connect
// configuration is an error too (usually a variable missing from passEnv).
func (r *Resolver) planAuto(b *sdk.Batch, p *plan) error {
	switch {
	case p.connect.complete():
		// Only an explicit token competes: the plugin's file may be left
		// over from before a move to Connect.
		if err := r.loadToken(b, p, false); err != nil {
			return err
		}
		if p.hasToken {
			return fmt.Errorf("%w: two 1Password configurations at once: a Connect server (%s, %s) and a service-account token (%s); "+
				"choose one with --mode connect or --mode sdk, or remove the other", sdk.ErrConfig, envConnectHost, envConnectToken, p.token.source)
		}
		p.mode, p.why = modeConnect, "auto: "+envConnectHost+" and "+envConnectToken+" are set"
		return nil
	case p.connect.partial():
		return inArea("connect", p.connect.check())
	}
	if err := r.loadToken(b, p, true); err != nil {
		return err
	}
	if !p.hasToken {
		return fmt.Errorf("%w: no 1Password credentials: %s; or set %s and %s for a Connect server; or choose --mode cli for the op CLI",
			sdk.ErrConfig, p.tokenNote, envConnectHost, envConnectToken)
	}
	p.mode, p.why = modeSDK, "auto: a service-account token from "+p.token.source
	return nil
}

// loadToken finds the service-account token (see findToken), the plugin's
// file only when withBundled, and marks it sensitive.
func (r *Resolver) loadToken(b *sdk.Batch, p *plan, withBundled bool) error {
	t, found, err := r.findToken(withBundled)
	b.Sensitive(t.value)
	if err != nil {
		return inArea("token", err)
	}
	p.token, p.hasToken = t, found
	if !found {
		p.tokenNote = "set " + envServiceAccountToken + " (and list it in passEnv), or pass --token-file FILE"
		if withBundled {
			if path, err := r.bundledTokenPath(); err == nil {
				p.tokenNote += ", or write the token to " + path + " (mode 0600) as the onepassword plugin does"
			}
		}
	}
	return nil
}

func (c connectConfig) check() error {
	switch {
	case c.complete():
		return nil
	case c.host == "" && c.token == "":
		return fmt.Errorf("%w: Connect needs %s and %s: set both and list them in passEnv", sdk.ErrConfig, envConnectHost, envConnectToken)
	case c.host == "":
		return fmt.Errorf("%w: %s is set but %s is not: set both (and list both in passEnv), or neither", sdk.ErrConfig, envConnectToken, envConnectHost)
	}
	return fmt.Errorf("%w: %s is set but %s is not: set both (and list both in passEnv), or neither", sdk.ErrConfig, envConnectHost, envConnectToken)
}

// open constructs the planned mode.
func (r *Resolver) open(ctx context.Context, b *sdk.Batch, p plan) (mode, error) {
	switch p.mode {
	case modeSDK:
		return r.openSDK(ctx, b, p.token.value)
	case modeConnect:
		return newConnectMode(p.connect.host, p.connect.token, b.Concurrency)
	case modeCLI:
		return newCLIMode(p.op, r.opEnv(p), b.Concurrency)
	}
	return nil, fmt.Errorf("%w: unknown mode %q", sdk.ErrConfig, p.mode)
}

// opEnv is the environment op gets from us: ours (what the provider
// passes), with the token found in place of OP_SERVICE_ACCOUNT_TOKEN. cli
// mode adds the settings that keep op non-interactive.
func (r *Resolver) opEnv(p plan) func(string) (string, bool) {
	return func(name string) (string, bool) {
		if name == envServiceAccountToken && p.hasToken {
			return p.token.value, true
		}
		return r.lookupEnv(name)
	}
}

// areaError names the part of the configuration an error is about ("op",
// "token", "connect"), so that the self-check reports it under that name.
type areaError struct {
	area string
	err  error
}

func (e *areaError) Error() string { return e.err.Error() }
func (e *areaError) Unwrap() error { return e.err }

func inArea(area string, err error) error {
	if err == nil {
		return nil
	}
	return &areaError{area, err}
}

// env is a variable trimmed, "" when unset.
func (r *Resolver) env(name string) string {
	v, _ := r.lookupEnv(name)
	return strings.TrimSpace(v)
}
