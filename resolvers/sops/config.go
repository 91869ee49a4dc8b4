package sops

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/getsops/sops/v3/logging"

	"github.com/execref/execref/protocol"
)

// Resolver is the sops backend. Its zero value is configured by flags.
type Resolver struct {
	files        fileFlag   // alias → file; "" is the default file
	formats      formatFlag // alias → forced format
	trustedDirs  multiFlag  // where encrypted files may live
	allowSymlink bool       // follow symlinked files (after checking the target)
	jsonValues   bool       // render maps and lists as JSON instead of INVALID_VALUE
	gpg          string     // the gpg binary for PGP keys (else SOPS_GPG_EXEC, else gpg in PATH)
	lookupEnv    func(string) (string, bool)
}

// New returns a Resolver reading its environment from the process.
func New() *Resolver {
	// The sops library logs through its own loggers straight to stderr,
	// past the SDK's redaction; what it says, the resolver reports itself.
	for _, l := range logging.Loggers {
		l.SetOutput(io.Discard)
	}
	return &Resolver{lookupEnv: os.LookupEnv}
}

// defaultFileEnv names the default file when no unnamed --file is given,
// for operators who prefer env in openclaw.json to args.
const defaultFileEnv = "OPENCLAW_SOPS_FILE"

func (r *Resolver) RegisterFlags(fs *flag.FlagSet) {
	fs.Var(&r.files, "file", "encrypted `[ALIAS=]PATH`, repeatable; without ALIAS, the default file (env "+defaultFileEnv+"); a relative PATH is relative to the binary's directory")
	fs.Var(&r.formats, "format", "force a file's `[ALIAS=]FORMAT`: yaml, json, dotenv, ini or binary (default: by extension)")
	fs.Var(&r.trustedDirs, "trusted-dir", "`DIR` the encrypted files must be inside, repeatable")
	fs.BoolVar(&r.allowSymlink, "allow-symlinks", false, "accept symlinked files and key files (the target is checked)")
	fs.BoolVar(&r.jsonValues, "json", false, "return a map or list as its JSON text instead of INVALID_VALUE")
	fs.StringVar(&r.gpg, "gpg", "", "the gpg `binary` for PGP keys: a path, or a name looked up in PATH (default: env "+gpgExecEnv+", else gpg)")
}

// file is one configured encrypted file.
type file struct {
	alias, path, format string
}

// configuredFiles resolves the flags into files, with the default file
// from the environment when no unnamed --file is given.
func (r *Resolver) configuredFiles() (map[string]file, error) {
	files := map[string]file{}
	for alias, path := range r.files {
		files[alias] = file{alias: alias, path: path}
	}
	if _, ok := files[""]; !ok {
		if path, ok := r.lookupEnv(defaultFileEnv); ok && path != "" {
			files[""] = file{path: path}
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no file: give --file PATH (or ALIAS=PATH) in the provider's args, or set %s", defaultFileEnv)
	}
	for alias, f := range files {
		abs, err := filepath.Abs(f.path)
		if err != nil {
			return nil, err
		}
		f.path = abs
		if forced, ok := r.formats[alias]; ok {
			f.format = forced
		} else if f.format = formatOf(abs); f.format == "" {
			return nil, fmt.Errorf("%s: cannot tell the format from the extension; add --format %s", f.describe(), withAlias(alias, "yaml"))
		}
		files[alias] = f
	}
	for alias := range r.formats {
		if _, ok := files[alias]; !ok {
			return nil, fmt.Errorf("--format %s: no such file", withAlias(alias, r.formats[alias]))
		}
	}
	return files, nil
}

// label names a file in per-id messages, which can be many: by alias.
func (f file) label() string {
	if f.alias == "" {
		return "the default file"
	}
	return fmt.Sprintf("file %q", f.alias)
}

// describe names a file in whole-provider messages: by alias and path.
func (f file) describe() string { return f.label() + " (" + f.path + ")" }

func withAlias(alias, v string) string {
	if alias == "" {
		return v
	}
	return alias + "=" + v
}

// formats maps extensions to sops formats; sops's own defaults.
var formats = map[string]string{
	".yaml": "yaml", ".yml": "yaml", ".json": "json", ".env": "dotenv", ".ini": "ini",
	".bin": "binary", ".pem": "binary", ".key": "binary", ".crt": "binary", ".txt": "binary",
}

// formatOf reads the format from the extension, ignoring an ".enc" or
// ".sops" infix (secrets.enc.yaml, secrets.yaml.enc).
func formatOf(path string) string {
	base := strings.ToLower(filepath.Base(path))
	for _, infix := range []string{".enc", ".sops"} {
		base = strings.TrimSuffix(base, infix)
		base = strings.Replace(base, infix+".", ".", 1)
	}
	return formats[filepath.Ext(base)]
}

// fileFlag collects --file [ALIAS=]PATH.
type fileFlag map[string]string

func (f *fileFlag) String() string { return "" }

func (f *fileFlag) Set(v string) error {
	alias, path, named := strings.Cut(v, "=")
	if !named {
		alias, path = "", v
	}
	if err := checkAlias(alias, named); err != nil {
		return err
	}
	if path == "" {
		return fmt.Errorf("%q: empty path", v)
	}
	if *f == nil {
		*f = fileFlag{}
	}
	if _, dup := (*f)[alias]; dup {
		return fmt.Errorf("%q: file %q given twice", v, alias)
	}
	(*f)[alias] = path
	return nil
}

// formatFlag collects --format [ALIAS=]FORMAT.
type formatFlag map[string]string

func (f *formatFlag) String() string { return "" }

func (f *formatFlag) Set(v string) error {
	alias, format, named := strings.Cut(v, "=")
	if !named {
		alias, format = "", v
	}
	if err := checkAlias(alias, named); err != nil {
		return err
	}
	switch format {
	case "yaml", "json", "dotenv", "ini", "binary":
	default:
		return fmt.Errorf("%q: format must be yaml, json, dotenv, ini or binary", v)
	}
	if *f == nil {
		*f = formatFlag{}
	}
	(*f)[alias] = format
	return nil
}

// checkAlias keeps aliases usable as the prefix of an id.
func checkAlias(alias string, named bool) error {
	if !named {
		return nil
	}
	if alias == "" || strings.ContainsAny(alias, ":/") || protocol.ValidateID(alias) != nil {
		return fmt.Errorf("alias %q: want letters, digits, '.', '_', '-' or '#', starting with a letter or digit", alias)
	}
	return nil
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
