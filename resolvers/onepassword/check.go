package onepassword

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
)

// Check verifies, in the order Resolve depends on them and reading no
// secret: which mode runs and why; the service-account token (where it
// comes from, that its file is yours and private, its shape, never its
// value); in cli mode, the op binary (found and trusted as the bundled
// resolver finds it) and its version; then the mode itself, constructed
// as Resolve constructs it, with its own checks when it has them (the
// Connect server reachable, the token accepted).
func (r *Resolver) Check(ctx context.Context, b *sdk.Batch, rep *check.Report) error {
	p, err := r.plan(b)
	if err != nil {
		rep.Fail(planCheckName(err), err)
		return nil
	}
	rep.OK("mode", fmt.Sprintf("%s (%s)", p.mode, p.why))
	switch {
	case p.hasToken:
		rep.OK("token", describeToken(p.token))
	case p.mode == modeCLI:
		rep.Warn("token", "no service-account token: op runs with its own sign-in, if any, and never prompts; "+p.tokenNote)
	}
	if p.mode == modeCLI {
		rep.OK("op", p.op+": trusted (yours or root's, and no directory above it writable by others)")
		if !r.checkOpVersion(ctx, p, rep) {
			return nil
		}
	}
	m, err := r.open(ctx, b, p)
	if err != nil {
		rep.Fail(modeCheckName[p.mode], err)
		return nil
	}
	if sc, ok := m.(selfChecker); ok {
		sc.check(ctx, b, rep)
	}
	return nil
}

// modeCheckName names the check of a mode that could not be constructed.
var modeCheckName = map[modeFlag]string{modeSDK: "sdk core", modeConnect: "connect server", modeCLI: "op"}

// planCheckName names the check a failed plan belongs to.
func planCheckName(err error) string {
	var a *areaError
	if errors.As(err, &a) {
		return a.area
	}
	return "mode"
}

// opVersionTimeout bounds `op --version`, which needs no network.
const opVersionTimeout = 3 * time.Second

// checkOpVersion runs `op --version` with op's environment: op starts and
// says what it is.
func (r *Resolver) checkOpVersion(ctx context.Context, p plan, rep *check.Report) bool {
	ctx, cancel := withOpMargin(ctx)
	defer cancel()
	ctx, cancelVersion := context.WithTimeout(ctx, opVersionTimeout)
	defer cancelVersion()
	out, err := runOp(ctx, p.op, opEnviron(r.opEnv(p)), nil, 4096, "op --version", "--version")
	if err != nil {
		rep.Fail("op version", fmt.Errorf("%w: %s: %w (is it the 1Password CLI v2?)", sdk.ErrConfig, p.op, err))
		return false
	}
	v := strings.TrimSpace(string(out))
	if !strings.HasPrefix(v, "2.") {
		rep.Warn("op version", fmt.Sprintf("%q: the 1Password CLI v2 is expected", v))
		return true
	}
	rep.OK("op version", v)
	return true
}
