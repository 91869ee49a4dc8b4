package vault

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/vault/api"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/policy"
)

// serviceAccountToken is where Kubernetes mounts a pod's JWT.
const serviceAccountToken = "/var/run/secrets/kubernetes.io/serviceaccount/token"

// login gives the client a token: the one it has (VAULT_TOKEN, a token
// file), or one from logging in with the configured method. Every
// credential is marked sensitive before anything could print it.
func (r *Resolver) login(ctx context.Context, client *api.Client, b *sdk.Batch) error {
	switch r.auth.method {
	case "token":
		return r.tokenAuth(client, b)
	case "approle":
		roleID, err := r.credential("role id", r.auth.roleID, r.env("VAULT_ROLE_ID"), r.auth.roleIDFile, "")
		if err != nil {
			return err
		}
		secretID, err := r.credential("secret id", r.env("VAULT_SECRET_ID"), "", r.auth.secretIDFile, r.env("VAULT_SECRET_ID_FILE"))
		if err != nil {
			return err
		}
		b.Sensitive(secretID)
		return r.loginWith(ctx, client, b, "approle", map[string]any{"role_id": roleID, "secret_id": secretID})
	case "kubernetes", "jwt":
		if r.auth.role == "" {
			return fmt.Errorf("%w: --auth %s needs --role", sdk.ErrConfig, r.auth.method)
		}
		jwtFile := r.auth.jwtFile
		if jwtFile == "" && r.auth.method == "kubernetes" {
			jwtFile = serviceAccountToken
		}
		jwt, err := r.credential("JWT", "", "", jwtFile, "")
		if err != nil {
			return err
		}
		b.Sensitive(jwt)
		return r.loginWith(ctx, client, b, r.auth.method, map[string]any{"role": r.auth.role, "jwt": jwt})
	}
	return fmt.Errorf("%w: --auth %q: want token, approle, kubernetes or jwt", sdk.ErrConfig, r.auth.method)
}

func (r *Resolver) tokenAuth(client *api.Client, b *sdk.Batch) error {
	if client.Token() != "" { // VAULT_TOKEN
		b.Sensitive(client.Token())
		return nil
	}
	file := first(r.auth.tokFile, r.env("VAULT_TOKEN_FILE"))
	if file == "" {
		if home := r.env("HOME"); home != "" {
			if _, err := os.Stat(filepath.Join(home, ".vault-token")); err == nil {
				file = filepath.Join(home, ".vault-token")
			}
		}
	}
	if file == "" {
		return fmt.Errorf("%w: no Vault token: pass VAULT_TOKEN or VAULT_TOKEN_FILE (passEnv or env), or use --auth approle, kubernetes or jwt", sdk.ErrConfig)
	}
	token, err := r.credential("token", "", "", file, "")
	if err != nil {
		return err
	}
	b.Sensitive(token)
	client.SetToken(token)
	return nil
}

// credential returns the first of: a literal value (a flag, then an env
// value), or the content of a file (a flag, then an env path), the file
// checked by the SDK's secret-file policy first.
func (r *Resolver) credential(what, flagValue, envValue, flagFile, envFile string) (string, error) {
	if v := first(flagValue, envValue); v != "" {
		return v, nil
	}
	file := first(flagFile, envFile)
	if file == "" {
		return "", fmt.Errorf("%w: no %s given (see --help)", sdk.ErrConfig, what)
	}
	path := absPath(file)
	if err := policy.CheckSecretFile(what+" file", path, nil, false); err != nil {
		return "", fmt.Errorf("%w: %w", sdk.ErrConfig, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%w: %s file: %w", sdk.ErrConfig, what, err)
	}
	v := strings.TrimSpace(string(data))
	if v == "" {
		return "", fmt.Errorf("%w: %s file %s is empty", sdk.ErrConfig, what, path)
	}
	return v, nil
}

// loginWith logs in at auth/MOUNT/login and keeps the token it gets.
func (r *Resolver) loginWith(ctx context.Context, client *api.Client, b *sdk.Batch, method string, data map[string]any) error {
	mount := strings.Trim(first(r.auth.mount, method), "/")
	client.ClearToken()
	s, err := client.Logical().WriteWithContext(ctx, "auth/"+mount+"/login", data)
	if err != nil {
		if code := classify(err); code == protocol.Unavailable || code == protocol.Timeout {
			return fmt.Errorf("%w: logging in at auth/%s: %s", code, mount, brief(err))
		}
		return fmt.Errorf("%w: login refused at auth/%s: %s", protocol.Unauthenticated, mount, brief(err))
	}
	if s == nil || s.Auth == nil || s.Auth.ClientToken == "" {
		return fmt.Errorf("%w: login at auth/%s returned no token", protocol.Unauthenticated, mount)
	}
	b.Sensitive(s.Auth.ClientToken)
	client.SetToken(s.Auth.ClientToken)
	b.Logf("logged in at auth/%s (token ttl %ds)", mount, s.Auth.LeaseDuration)
	return nil
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}
