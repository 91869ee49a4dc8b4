package vault

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/vault/api"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// serviceAccountToken is where Kubernetes mounts a pod's JWT.
const serviceAccountToken = "/var/run/secrets/kubernetes.io/serviceaccount/token"

// login gives the client a token: the one it has (VAULT_TOKEN, a token
// file), or one from logging in with the configured method, which is the
// caller's to revoke (Check does). Every credential is marked sensitive
// before anything could print it.
func (r *Resolver) login(ctx context.Context, client *api.Client, b *sdk.Batch, a authSettings) error {
	if !minted(a) {
		token, err := r.userToken(b, a)
		if err != nil {
			return err
		}
		client.SetToken(token)
		return nil
	}
	auth, err := r.logIn(ctx, client, b, a)
	if err != nil {
		return err
	}
	client.SetToken(auth.ClientToken)
	return nil
}

// userToken is the token of a token method: the user's own, read now,
// as a token file may have been rotated (by Vault Agent) since the last
// batch.
func (r *Resolver) userToken(b *sdk.Batch, a authSettings) (string, error) {
	var token string
	var err error
	switch a.method {
	case methodToken:
		token, err = r.tokenAuth()
	case methodTokenEnv:
		if token = r.bundled("VAULT_TOKEN"); token == "" {
			err = fmt.Errorf("%w: %s=token needs VAULT_TOKEN (passEnv or env); for a token file set %s=token_file", sdk.ErrConfig, envAuthMethod, envAuthMethod)
		}
	case methodTokenFile:
		file := first(r.auth.tokFile, r.bundled("VAULT_TOKEN_FILE"))
		if file == "" {
			return "", fmt.Errorf("%w: token_file auth (%s or --auth) needs VAULT_TOKEN_FILE (passEnv or env) or --token-file", sdk.ErrConfig, envAuthMethod)
		}
		token, err = r.readCredentialFile("token", file)
	default:
		err = fmt.Errorf("%w: auth method %q", sdk.ErrConfig, a.method) // settings() let through a method it should not have
	}
	b.Sensitive(token)
	return token, err
}

// logIn logs in with the configured method (approle, kubernetes, jwt) at
// auth/MOUNT/login and returns the token Vault issued, marked sensitive.
func (r *Resolver) logIn(ctx context.Context, client *api.Client, b *sdk.Batch, a authSettings) (*api.SecretAuth, error) {
	var data map[string]any
	switch a.method {
	case "approle":
		roleID, err := r.credential("role id", r.auth.roleID, r.env("VAULT_ROLE_ID"), r.auth.roleIDFile, "")
		if err != nil {
			return nil, err
		}
		secretID, err := r.credential("secret id", r.env("VAULT_SECRET_ID"), "", r.auth.secretIDFile, r.env("VAULT_SECRET_ID_FILE"))
		if err != nil {
			return nil, err
		}
		b.Sensitive(secretID)
		data = map[string]any{"role_id": roleID, "secret_id": secretID}
	case "kubernetes", "jwt":
		jwt, err := r.readCredentialFile("JWT", a.jwtFile)
		if err != nil {
			return nil, err
		}
		b.Sensitive(jwt)
		data = map[string]any{"role": a.role, "jwt": jwt}
	default:
		return nil, fmt.Errorf("%w: auth method %q", sdk.ErrConfig, a.method) // settings() let through a method it should not have
	}
	return loginAt(ctx, client, b, a.mount, data)
}

// tokenAuth is the default method: VAULT_TOKEN, else a token file
// (--token-file, VAULT_TOKEN_FILE, then ~/.vault-token when HOME is
// passed).
func (r *Resolver) tokenAuth() (string, error) {
	if token := r.bundled("VAULT_TOKEN"); token != "" {
		return token, nil
	}
	file := first(r.auth.tokFile, r.bundled("VAULT_TOKEN_FILE"))
	if file == "" {
		if home := r.env("HOME"); home != "" {
			if _, err := os.Stat(filepath.Join(home, ".vault-token")); err == nil {
				file = filepath.Join(home, ".vault-token")
			}
		}
	}
	if file == "" {
		return "", fmt.Errorf("%w: no Vault token: pass VAULT_TOKEN or VAULT_TOKEN_FILE (passEnv or env), or use --auth approle, kubernetes or jwt", sdk.ErrConfig)
	}
	return r.readCredentialFile("token", file)
}

// loginAt logs in at auth/MOUNT/login and returns the token's auth.
func loginAt(ctx context.Context, client *api.Client, b *sdk.Batch, mount string, data map[string]any) (*api.SecretAuth, error) {
	client.ClearToken()
	s, err := client.Logical().WriteWithContext(ctx, "auth/"+mount+"/login", data)
	if err != nil {
		if code := classify(err); code == protocol.Unavailable || code == protocol.Timeout {
			return nil, fmt.Errorf("%w: logging in at auth/%s: %s", code, mount, brief(err))
		}
		return nil, fmt.Errorf("%w: login refused at auth/%s: %s", protocol.Unauthenticated, mount, brief(err))
	}
	if s == nil || s.Auth == nil || protocol.TrimSpace(s.Auth.ClientToken) == "" {
		return nil, fmt.Errorf("%w: login at auth/%s returned no token", protocol.Unauthenticated, mount)
	}
	b.Sensitive(s.Auth.ClientToken)
	b.Logf("logged in at auth/%s (token ttl %ds)", mount, s.Auth.LeaseDuration)
	return s.Auth, nil
}
