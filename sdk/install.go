package sdk

import (
	"errors"
	"io"

	"github.com/execref/execref/sdk/install"
	"github.com/execref/execref/sdk/policy"
)

// ProviderTemplater is implemented by a Backend that suggests what its
// secrets.providers block holds beside the command, for `install` and
// `config` to print: args, the passEnv names its credentials come from,
// and a note (comment lines above the block, e.g. "or --token-file FILE").
type ProviderTemplater interface {
	ProviderTemplate() (args []string, passEnv []string, note string)
}

// ProviderNamer is implemented by a Backend whose provider name is not
// the binary's short name ("openclaw-vault-resolver" gives "vault"), e.g.
// because that does not match the gateway's grammar for a name.
type ProviderNamer interface {
	ProviderName() string
}

// installSpec is what package install needs to know of the program.
func installSpec(p Program) install.Spec {
	s := install.Spec{Program: p.Name}
	if t, ok := p.Backend.(ProviderTemplater); ok {
		s.Args, s.PassEnv, s.Note = t.ProviderTemplate()
	}
	if n, ok := p.Backend.(ProviderNamer); ok {
		s.Provider = n.ProviderName()
	}
	return s
}

// installCommand is the built-in install or config command, run as a
// backend's command is, its errors classed for the exit status.
func installCommand(p Program, name string) Command {
	return Command{Run: func(args []string, stdout io.Writer) error {
		err := install.Run(installSpec(p), name == "config", args, stdout)
		var pe *policy.Error
		switch {
		case err == nil:
			return nil
		case errors.Is(err, install.ErrUsage):
			return classed{err, ErrUsage}
		case errors.Is(err, install.ErrUnsafeDir), errors.Is(err, install.ErrNotInstalled), errors.As(err, &pe):
			return classed{err, ErrConfig}
		}
		return err
	}}
}

// classed gives an error the SDK's class for its exit status while
// keeping its text.
type classed struct{ err, class error }

func (c classed) Error() string   { return c.err.Error() }
func (c classed) Unwrap() []error { return []error{c.err, c.class} }
