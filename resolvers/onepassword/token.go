package onepassword

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/policy"
)

// token is a service-account token and where it was found. Its value is
// never printed: callers mark it b.Sensitive as soon as they have it.
type token struct {
	value  string
	source string // for messages: "OP_SERVICE_ACCOUNT_TOKEN", "--token-file /p", …
}

// maxTokenBytes is the bundled resolver's limit for its token file
// (@openclaw/fs-safe's DEFAULT_SECRET_FILE_MAX_BYTES). Real tokens are
// about 1 KB.
const maxTokenBytes = 16 << 10

// envServiceAccountToken is the variable op and the SDKs read.
const envServiceAccountToken = "OP_SERVICE_ACCOUNT_TOKEN"

// findToken returns the first service-account token of: --token-file,
// OP_SERVICE_ACCOUNT_TOKEN, and (withBundled) the bundled onepassword
// plugin's token file under the OpenClaw state directory. found is false
// when there is none; err is set when one is configured but unusable (a
// file that is unsafe, empty or too large), which is a configuration
// error.
func (r *Resolver) findToken(withBundled bool) (t token, found bool, err error) {
	if r.tokenFile != "" {
		path, err := filepath.Abs(r.tokenFile) // the gateway runs us in our own directory
		if err != nil {
			return token{}, false, fmt.Errorf("%w: --token-file %q: %w", sdk.ErrConfig, r.tokenFile, err)
		}
		v, err := readTokenFile("--token-file", path)
		return token{value: v, source: "--token-file " + path}, err == nil, err
	}
	if v, ok := r.lookupEnv(envServiceAccountToken); ok && protocol.TrimSpace(v) != "" {
		return token{value: protocol.TrimSpace(v), source: envServiceAccountToken}, true, nil
	}
	if !withBundled {
		return token{}, false, nil
	}
	path, err := r.bundledTokenPath()
	if err != nil {
		return token{}, false, err
	}
	// A missing file, or a missing directory on the way (ENOTDIR when a
	// component is a file), is no token, as the bundled resolver has it.
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return token{}, false, nil
	}
	v, err := readTokenFile("the onepassword plugin's token file", path)
	return token{value: v, source: "the onepassword plugin's token file " + path}, err == nil, err
}

// bundledTokenPath is where the bundled resolver reads its token:
// credentials/onepassword/service-account-token in the OpenClaw state
// directory, found as that resolver finds it: the gateway's rules
// (gatewayconfig.StateDir), plus OPENCLAW_PROFILE, which the bundled
// resolver honours when OPENCLAW_STATE_DIR is unset.
func (r *Resolver) bundledTokenPath() (string, error) {
	env := gatewayconfig.Env(r.lookupEnv)
	state, _ := r.lookupEnv("OPENCLAW_STATE_DIR")
	profile, _ := r.lookupEnv("OPENCLAW_PROFILE")
	profile = strings.TrimSpace(profile)
	if strings.TrimSpace(state) == "" && profile != "" && !strings.EqualFold(profile, "default") {
		var err error
		if env, err = gatewayconfig.WithProfile(env, profile); err != nil {
			return "", fmt.Errorf("%w: OPENCLAW_PROFILE: %w", sdk.ErrConfig, err)
		}
	}
	dir, err := gatewayconfig.StateDir(env)
	if err != nil {
		return "", fmt.Errorf("%w: locating the OpenClaw state directory for the onepassword plugin's token file: %w", sdk.ErrConfig, err)
	}
	return filepath.Join(dir, "credentials", "onepassword", "service-account-token"), nil
}

// readTokenFile reads a token file that passes the SDK's secret-file
// policy (yours, not a symlink, nobody else may read it), at most
// maxTokenBytes, trimmed, not empty.
func readTokenFile(label, path string) (string, error) {
	data, err := policy.ReadSecretFile(label, path, maxTokenBytes)
	switch {
	case errors.Is(err, policy.ErrTooLarge):
		return "", fmt.Errorf("%w: %s %s is larger than %d bytes: it is not a service-account token", sdk.ErrConfig, label, path, maxTokenBytes)
	case err != nil:
		return "", fmt.Errorf("%w: %w", sdk.ErrConfig, err)
	}
	v := protocol.TrimSpace(string(data))
	if v == "" {
		return "", fmt.Errorf("%w: %s %s is empty", sdk.ErrConfig, label, path)
	}
	return v, nil
}

// describeToken says what a token looks like without showing it: its
// length, and whether it has the service-account prefix.
func describeToken(t token) string {
	shape := "not the ops_ prefix of a service-account token"
	if strings.HasPrefix(t.value, "ops_") {
		shape = "ops_…"
	}
	return fmt.Sprintf("%s (%d chars) from %s", shape, len(t.value), t.source)
}
