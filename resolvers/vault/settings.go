package vault

import (
	"fmt"
	"strings"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// The settings of the gateway's bundled Vault resolver (the "vault"
// plugin's vault-secret-ref-resolver.js), which its provider preset passes
// through passEnv. A user who swaps only the provider's command keeps
// them, so each one is honoured with the bundled meaning, or fails the
// provider naming it; none is ever ignored. Flags win over them.
const (
	envKVMount    = "OPENCLAW_VAULT_KV_MOUNT"    // mount of PATH/FIELD ids; default secret
	envKVVersion  = "OPENCLAW_VAULT_KV_VERSION"  // 1 or 2: the version of that mount
	envAuthMethod = "OPENCLAW_VAULT_AUTH_METHOD" // token, token_file, jwt or kubernetes
	envAuthRole   = "OPENCLAW_VAULT_AUTH_ROLE"   // role of jwt and kubernetes logins
	envAuthMount  = "OPENCLAW_VAULT_AUTH_MOUNT"  // their auth mount; default the method's name
	envJWTFile    = "OPENCLAW_VAULT_JWT_FILE"    // their JWT; kubernetes: the service account's
)

// defaultKVMount is the bundled resolver's mount of PATH/FIELD ids.
const defaultKVMount = "secret"

// settings is the configuration one batch runs with: for each setting its
// flag, else the bundled resolver's variable, else the default, every
// value checked before Vault is asked anything.
type settings struct {
	// mount is the mount of PATH/FIELD ids, without slashes at its ends.
	mount string
	// mountVersion is that mount's KV version as configured (1 or 2), 0
	// to look it up.
	mountVersion int
	// everyVersion is --kv-version 1 or 2: the version of every mount,
	// the first segment of an explicit id's path being its mount; 0 to
	// look mounts up.
	everyVersion int
	auth         authSettings
}

// authSettings says how the resolver gets its token.
type authSettings struct {
	// method is one of the methods below, approle, kubernetes or jwt.
	method string
	// mount, role and jwtFile are the login's, for approle, kubernetes and
	// jwt (the bundled variables apply to kubernetes and jwt only, as in
	// the bundled resolver).
	mount, role, jwtFile string
}

// The token methods.
const (
	methodToken     = "token"      // VAULT_TOKEN, else a token file: --auth token, or nothing set
	methodTokenEnv  = "token_env"  // VAULT_TOKEN only: OPENCLAW_VAULT_AUTH_METHOD=token, as bundled
	methodTokenFile = "token_file" // the token file only: --auth or OPENCLAW_VAULT_AUTH_METHOD token_file
)

// settings merges flags, the bundled resolver's variables and defaults.
// Every error wraps sdk.ErrConfig and names the flag or variable at fault.
func (r *Resolver) settings() (settings, error) {
	var s settings
	s.mount = trimSlashes(first(strings.TrimSpace(r.mount), r.bundled(envKVMount)))
	if s.mount == "" {
		s.mount = defaultKVMount
	}
	if strings.Contains(s.mount, "//") {
		return s, fmt.Errorf("%w: mount %q (--mount or %s) has an empty segment", sdk.ErrConfig, s.mount, envKVMount)
	}

	switch v := r.kvVersion; v {
	case "", "auto":
	case "1", "2":
		s.everyVersion = int(v[0] - '0')
		s.mountVersion = s.everyVersion
	default:
		return s, fmt.Errorf("%w: --kv-version %q: want auto, 1 or 2", sdk.ErrConfig, v)
	}
	if r.kvVersion == "" { // the flag wins, even "auto"
		switch v := r.bundled(envKVVersion); v {
		case "":
		case "1", "2":
			s.mountVersion = int(v[0] - '0')
		default:
			return s, fmt.Errorf("%w: %s=%q: want 1 or 2 (or unset it: the mount's version is then looked up)", sdk.ErrConfig, envKVVersion, v)
		}
	}

	auth, err := r.authSettings()
	if err != nil {
		return s, err
	}
	s.auth = auth
	return s, nil
}

func (r *Resolver) authSettings() (authSettings, error) {
	a := authSettings{method: r.auth.method}
	switch a.method {
	case methodToken, methodTokenFile, "approle", "kubernetes", "jwt":
	case "":
		switch v := r.bundled(envAuthMethod); v {
		case "":
			a.method = methodToken
		case "token":
			a.method = methodTokenEnv
		case "token_file", "jwt", "kubernetes":
			a.method = v
		default:
			return a, fmt.Errorf("%w: %s=%q: want token, token_file, jwt or kubernetes (or --auth)", sdk.ErrConfig, envAuthMethod, v)
		}
	default:
		return a, fmt.Errorf("%w: --auth %q: want token, token_file, approle, kubernetes or jwt", sdk.ErrConfig, a.method)
	}
	switch a.method {
	case methodTokenEnv:
		if r.auth.tokFile != "" {
			return a, fmt.Errorf("%w: %s=token takes the token from VAULT_TOKEN only, yet --token-file is given: set %s=token_file, or --auth token", sdk.ErrConfig, envAuthMethod, envAuthMethod)
		}
	case "approle":
		a.mount = first(trimSlashes(r.auth.mount), a.method)
	case "kubernetes", "jwt":
		a.mount = first(trimSlashes(first(strings.TrimSpace(r.auth.mount), r.bundled(envAuthMount))), a.method)
		a.role = first(strings.TrimSpace(r.auth.role), r.bundled(envAuthRole))
		a.jwtFile = first(r.auth.jwtFile, r.bundled(envJWTFile))
		if a.role == "" {
			return a, fmt.Errorf("%w: %s login needs a role: --role or %s", sdk.ErrConfig, a.method, envAuthRole)
		}
		if a.jwtFile == "" && a.method == "kubernetes" {
			a.jwtFile = serviceAccountToken
		}
		if a.jwtFile == "" {
			return a, fmt.Errorf("%w: jwt login needs a JWT file: --jwt-file or %s", sdk.ErrConfig, envJWTFile)
		}
	}
	return a, nil
}

// bundled reads one of the bundled resolver's variables as it does: trimmed
// of whitespace, empty meaning unset.
func (r *Resolver) bundled(name string) string {
	return protocol.TrimSpace(r.env(name))
}

// trimSlashes strips every '/' at either end, as the bundled resolver does
// to OPENCLAW_VAULT_KV_MOUNT and OPENCLAW_VAULT_AUTH_MOUNT.
func trimSlashes(s string) string { return strings.Trim(s, "/") }
