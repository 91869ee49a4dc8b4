package onepassword

import (
	"context"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
)

// reference is a parsed id: the 1Password item field it names. Vault,
// item and section are names or 26-character ids as written; section is
// "" when the id names none.
type reference struct {
	vault, item, section, field string
	// query is what follows the first "?" of the reference, without it
	// ("attribute=otp", "ssh-format=openssh"); "" when there is none.
	query string
	// uri is the reference as op and the 1Password SDK take it:
	// "op://vault/item[/section]/field[?query]", exactly the text the
	// bundled resolver hands to `op read` for the same id.
	uri string
}

// A mode is one way of reaching 1Password (sdk, connect, cli). resolve
// answers every id of refs (id -> its reference) with b.Set or b.Fail, and
// returns an error only when the provider as a whole cannot work (token
// refused: wrap protocol.Unauthenticated; unreachable: protocol.Unavailable;
// configuration: sdk.ErrConfig).
type mode interface {
	resolve(ctx context.Context, b *sdk.Batch, refs map[string]reference) error
}

// A selfChecker is a mode that can tell, without fetching a value, whether
// it could work: the server reachable, the credentials accepted. The
// `check` command calls it after its own checks of the configuration (mode,
// token, op binary) have passed. Record checks in r in the order they
// depend on each other; names are short ("connect", "service account").
// A mode without it is checked by constructing it only.
type selfChecker interface {
	check(ctx context.Context, b *sdk.Batch, r *check.Report)
}
