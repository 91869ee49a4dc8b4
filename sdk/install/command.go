package install

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/lazyregexp"
	"github.com/execref/execref/sdk/policy"
)

// Spec describes the resolver being installed and the defaults of its
// provider block.
type Spec struct {
	Program  string   // the binary's name, e.g. "openclaw-vault-resolver"
	Provider string   // the default provider name; "" is ShortName(Program)
	Args     []string // the block's args
	PassEnv  []string // the block's passEnv
	Note     string   // printed as comments above the block
	// Source is the binary to copy; "" is os.Executable(), the file the
	// package manager installed.
	Source string
	// LookupEnv locates the state directory; nil is os.LookupEnv.
	LookupEnv gatewayconfig.Env
}

// ShortName is the provider name a binary suggests:
// "openclaw-vault-resolver" gives "vault".
func ShortName(program string) string {
	return strings.TrimSuffix(strings.TrimPrefix(program, "openclaw-"), "-resolver")
}

// providerAlias is the gateway's grammar for a provider name.
var providerAlias = lazyregexp.New(`^[a-z][a-z0-9_-]{0,63}$`)

// Install copies the binary into dir as Spec.Program and verifies the copy
// with the gateway's command policy for provider. It returns the copy's
// path.
func Install(s Spec, dir, provider string) (string, error) {
	src := s.Source
	if src == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("finding the running binary: %w", err)
		}
		src = exe
	}
	if err := prepareDir(dir); err != nil {
		return "", err
	}
	dst := filepath.Join(dir, s.Program)
	if err := copyAtomic(src, dst); err != nil {
		return "", err
	}
	return dst, Verify(provider, dst)
}

// Verify applies the gateway's command-path policy to the copy at path,
// with its directory as the block's trustedDirs, and checks the directory.
func Verify(provider, path string) error {
	if _, err := os.Lstat(dirOf(path)); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: no copy at %s: the directory %s does not exist (run install first)", ErrNotInstalled, path, dirOf(path))
	}
	if err := checkDir(dirOf(path)); err != nil {
		return err
	}
	if err := policy.CheckCommand(provider, path, []string{dirOf(path)}); err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) && errors.Is(pe.Rule, policy.ErrNotReadable) {
			return fmt.Errorf("%w: %w (run install first)", ErrNotInstalled, err)
		}
		return err
	}
	return nil
}

// Flags are the flags of install and config (cmd), the one definition
// that Run parses and the man page and completions are written from.
func Flags(cmd string, dir, name *string) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.StringVar(dir, "dir", "", "the directory `DIR` to copy the binary into (default: bin/ in the OpenClaw state directory, created 0700)")
	fs.StringVar(name, "name", "", "the provider `NAME` in openclaw.json (default: the binary's short name)")
	return fs
}

// Run runs `install` (config false) or `config` with args, printing the
// provider block on stdout.
func Run(s Spec, config bool, args []string, stdout io.Writer) error {
	cmd := "install"
	if config {
		cmd = "config"
	}
	var dir, name string
	fs := Flags(cmd, &dir, &name)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, err := fmt.Fprintf(stdout, "usage: %s %s [--dir DIR] [--name NAME]\n", s.Program, cmd)
			return err
		}
		return fmt.Errorf("%w: %s: %w", ErrUsage, cmd, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: %s takes no arguments, got %q (usage: %s %s [--dir DIR] [--name NAME])", ErrUsage, cmd, fs.Arg(0), s.Program, cmd)
	}
	env := s.LookupEnv
	if env == nil {
		env = os.LookupEnv
	}
	provider := name
	if provider == "" {
		provider = s.Provider
	}
	if provider == "" {
		provider = ShortName(s.Program)
	}
	if !providerAlias().MatchString(provider) {
		return fmt.Errorf("%w: provider name %q must match %s: pass --name NAME", ErrUsage, provider, providerAlias())
	}
	if dir == "" {
		d, err := DefaultDir(env)
		if err != nil {
			return err
		}
		dir = d
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	path := filepath.Join(abs, s.Program)
	if config {
		err = Verify(provider, path)
	} else {
		_, err = Install(s, abs, provider)
	}
	if err != nil {
		return err
	}
	configPath, _ := gatewayconfig.Locate(env)
	return printBlock(stdout, provider, path, configPath, s)
}

func dirOf(path string) string { return filepath.Dir(path) }
