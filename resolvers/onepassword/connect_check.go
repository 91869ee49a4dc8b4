package onepassword

import (
	"context"
	"fmt"
	"strings"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
)

// check is connect mode's part of the self-check: the server answers, and
// accepts the token, told apart so that a doctor says which to fix. One
// request (GET /v1/vaults) tells both; no item is read.
func (m *connectMode) check(ctx context.Context, b *sdk.Batch, r *check.Report) {
	b.Sensitive(m.token)
	vaults, err := m.api.vaults(ctx)
	switch protocol.CodeOf(err) {
	case "":
		r.OK("connect server", m.api.host+" answered")
		names := make([]string, len(vaults))
		for i, v := range vaults {
			names[i] = fmt.Sprintf("%q", v.Name)
		}
		detail := fmt.Sprintf("accepted; the token can read %d vaults", len(vaults))
		if len(vaults) > 0 {
			detail += ": " + strings.Join(names, ", ")
		}
		r.OK("connect token", detail)
		if len(vaults) == 0 {
			r.Warn("connect token", "the token can read no vault, so every id will be NOT_FOUND; grant it the vaults in 1Password")
		}
	case protocol.Unauthenticated, protocol.PermissionDenied:
		r.OK("connect server", m.api.host+" answered")
		r.Fail("connect token", err)
	default:
		r.Fail("connect server", err)
	}
}
