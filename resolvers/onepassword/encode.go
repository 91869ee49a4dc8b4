package onepassword

import (
	"fmt"
	"io"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// Commands adds `encode` to the binary (see sdk.Commander).
func (r *Resolver) Commands() map[string]sdk.Command {
	return map[string]sdk.Command{
		"encode": {
			Args: "REFERENCE...",
			Summary: "print the id to write in openclaw.json for each 1Password reference " +
				"(op://vault/item[/section]/field): as it is when the gateway's id grammar takes it, else opb64:…",
			Run: encodeCommand,
		},
	}
}

// encodeCommand prints one id per reference, in order, or fails on the
// first reference that is not one (exit 64), printing nothing.
func encodeCommand(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: encode needs a reference, e.g. encode 'op://Private Vault/My Item/api key'", sdk.ErrUsage)
	}
	ids := make([]string, len(args))
	for i, ref := range args {
		id, err := encodeID(ref)
		if err != nil {
			return fmt.Errorf("%w: %q: %s", sdk.ErrUsage, ref, protocol.MessageOf(err))
		}
		// The id must mean the reference it was made from, to the letter.
		back, err := parseID(id)
		if err != nil || back.uri != uriOf(ref) {
			return fmt.Errorf("%w: %q does not round-trip through its id %q (a bug)", protocol.Internal, ref, id)
		}
		ids[i] = id
	}
	for _, id := range ids {
		if _, err := fmt.Fprintln(stdout, id); err != nil {
			return err
		}
	}
	return nil
}

// uriOf is a reference with the op:// scheme it may be written without.
func uriOf(ref string) string {
	if len(ref) >= len(opScheme) && ref[:len(opScheme)] == opScheme {
		return ref
	}
	return opScheme + ref
}
