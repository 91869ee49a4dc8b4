package vault

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/vault/api"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
)

// Check verifies, in the order Resolve depends on them and reading no
// secret: the settings (flags, VAULT_*, the bundled OPENCLAW_VAULT_*); the
// address; that Vault answers (sys/health, unauthenticated) over trusted
// TLS; that a token is obtained (a login for approle, jwt and kubernetes,
// whose token is revoked at the end); that Vault accepts it
// (auth/token/lookup-self); and that the mount of PATH/FIELD ids exists
// as a KV engine of the configured version. Each step runs only if the
// ones it depends on passed.
func (r *Resolver) Check(ctx context.Context, b *sdk.Batch, rep *check.Report) error {
	set, err := r.settings()
	if err != nil {
		rep.Fail("settings", err)
		return nil
	}
	rep.OK("settings", r.describeSettings(set))
	client, _, err := r.connect(ctx, b)
	if err != nil {
		rep.Fail("address", err)
		return nil
	}
	if !r.checkAddress(client, rep) || !r.checkReachable(ctx, client, rep) {
		return nil
	}
	if err := r.login(ctx, client, b, set.auth); err != nil {
		rep.Fail("credentials", err)
		return nil
	}
	rep.OK("credentials", r.describeCredentials(set.auth))
	if minted(set.auth) {
		defer revoke(ctx, client, rep)
	}
	if r.checkToken(ctx, client, b, rep) {
		r.checkMount(ctx, client, set, rep)
	}
	return nil
}

// describeSettings says what the batch would run with, and which of the
// bundled resolver's variables were honoured.
func (r *Resolver) describeSettings(set settings) string {
	version := "looked up"
	if set.mountVersion != 0 {
		version = fmt.Sprint(set.mountVersion)
	}
	text := fmt.Sprintf("PATH/FIELD ids in mount %q (KV version %s), auth %s", set.mount, version, set.auth.method)
	var bundled []string
	for _, name := range []string{envKVMount, envKVVersion, envAuthMethod, envAuthRole, envAuthMount, envJWTFile} {
		if r.bundled(name) != "" {
			bundled = append(bundled, name)
		}
	}
	if len(bundled) > 0 {
		text += "; from the bundled resolver's settings: " + strings.Join(bundled, ", ")
	}
	return text
}

// checkAddress refuses an address the client would only fail on later,
// and warns of plain HTTP beyond this machine.
func (r *Resolver) checkAddress(client *api.Client, rep *check.Report) bool {
	from := "VAULT_ADDR"
	if r.address != "" {
		from = "--address"
	}
	addr := client.Address()
	u, err := url.Parse(addr)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "unix") || (u.Scheme != "unix" && u.Host == "") {
		rep.Fail("address", fmt.Errorf("%w: %s %q is not a Vault URL: want http:// or https://HOST[:PORT], e.g. https://vault.example.com:8200", sdk.ErrConfig, from, addr))
		return false
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		rep.Warn("address", fmt.Sprintf("%s (%s) is plain HTTP to another host: the token and the secrets cross the network unencrypted", addr, from))
		return true
	}
	rep.OK("address", addr+" ("+from+")")
	return true
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// checkReachable asks sys/health, which needs no token: Vault answers,
// is initialized and unsealed, over TLS this resolver trusts.
func (r *Resolver) checkReachable(ctx context.Context, client *api.Client, rep *check.Report) bool {
	health, err := client.Sys().HealthWithContext(ctx)
	switch {
	case err != nil && isUntrustedCertificate(err):
		rep.Fail("tls", r.providerFailure(client, err))
		return false
	case err != nil:
		code := protocol.Unavailable // an HTTP error answer too: whatever answered is not a working Vault
		if classify(err) == protocol.Timeout {
			code = protocol.Timeout
		}
		reason := brief(err)
		var ue *url.Error // its text repeats the URL, query and all
		if errors.As(err, &ue) {
			reason = oneLine(ue.Err.Error())
		}
		rep.Fail("reachable", fmt.Errorf("%w: Vault at %s did not answer sys/health: %s", code, client.Address(), reason))
		return false
	case !health.Initialized:
		rep.Fail("reachable", fmt.Errorf("%w: Vault at %s is not initialized", protocol.Unavailable, client.Address()))
		return false
	case health.Sealed:
		rep.Fail("reachable", fmt.Errorf("%w: Vault at %s is sealed: unseal it", protocol.Unavailable, client.Address()))
		return false
	}
	role := "active"
	if health.Standby || health.PerformanceStandby {
		role = "standby (it forwards requests to the active node)"
	}
	rep.OK("reachable", fmt.Sprintf("Vault %s, initialized, unsealed, %s", health.Version, role))
	if strings.HasPrefix(client.Address(), "https://") {
		if r.tls.skipVerify || isTrue(r.env("VAULT_SKIP_VERIFY")) {
			rep.Warn("tls", "the server certificate is not verified (--skip-verify or VAULT_SKIP_VERIFY): anyone on the path can read the token and the secrets")
		} else {
			rep.OK("tls", "the server certificate is trusted")
		}
	}
	return true
}

func isTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "t", "true":
		return true
	}
	return false
}

// describeCredentials says where the token came from, never what it is.
func (r *Resolver) describeCredentials(a authSettings) string {
	switch a.method {
	case methodTokenEnv:
		return "token from VAULT_TOKEN (" + envAuthMethod + "=token)"
	case methodTokenFile:
		return "token from the file " + first(r.auth.tokFile, r.bundled("VAULT_TOKEN_FILE"))
	case methodToken:
		if r.bundled("VAULT_TOKEN") != "" {
			return "token from VAULT_TOKEN"
		}
		if file := first(r.auth.tokFile, r.bundled("VAULT_TOKEN_FILE")); file != "" {
			return "token from the file " + file
		}
		return "token from ~/.vault-token"
	}
	role := ""
	if a.role != "" {
		role = " as role " + a.role
	}
	return fmt.Sprintf("logged in at auth/%s%s; the token is revoked when the check ends", a.mount, role)
}

// minted reports whether the token was issued by a login for this run.
func minted(a authSettings) bool {
	return a.method == "approle" || a.method == "kubernetes" || a.method == "jwt"
}

// revoke revokes a token logged in for the check, which nothing else will
// use.
func revoke(ctx context.Context, client *api.Client, rep *check.Report) {
	if err := client.Auth().Token().RevokeSelfWithContext(ctx, ""); err != nil {
		rep.Warn("revoke", "could not revoke the token logged in for this check ("+brief(err)+"); it lapses at the end of its TTL")
		return
	}
	rep.OK("revoke", "the token logged in for this check is revoked")
}

// checkToken asks Vault about the token itself (auth/token/lookup-self),
// and reports its TTL and policies; a token limited in uses is warned
// about, since this lookup costs one.
func (r *Resolver) checkToken(ctx context.Context, client *api.Client, b *sdk.Batch, rep *check.Report) bool {
	s, err := client.Auth().Token().LookupSelfWithContext(ctx)
	var re *api.ResponseError
	switch {
	case err != nil && errors.As(err, &re) && re.StatusCode == 403 && !isInvalidToken(err):
		rep.Warn("token", "Vault accepted the token but refused its lookup ("+brief(err)+"): its policies lack auth/token/lookup-self (the default policy has it)")
		return true
	case err != nil:
		rep.Fail("token", r.providerFailure(client, err))
		return false
	case s == nil || s.Data == nil:
		rep.Fail("token", fmt.Errorf("%w: Vault's token lookup at %s answered nothing", protocol.Unavailable, client.Address()))
		return false
	}
	if id, ok := s.Data["id"].(string); ok {
		b.Sensitive(id)
	}
	policies, _ := s.TokenPolicies()
	ttl, _ := s.TokenTTL()
	expiry := "never expires"
	if ttl > 0 {
		expiry = "expires in " + ttl.Round(time.Second).String()
	}
	name, _ := s.Data["display_name"].(string)
	text := fmt.Sprintf("accepted: %s, policies [%s], %s", name, strings.Join(policies, ", "), expiry)
	if uses, _ := s.TokenRemainingUses(); uses > 0 {
		rep.Warn("token", fmt.Sprintf("%s; limited to %d more uses (this check used one; each batch uses one per secret read)", text, uses))
		return true
	}
	rep.OK("token", text)
	return true
}

// checkMount looks up the mount of PATH/FIELD ids (sys/internal/ui/mounts,
// which costs no use of the token): it must be a KV mount of the
// configured version. Vault answers 403 alike for a mount that does not
// exist and one the token may read nothing in. When the mount is only the
// default (secret), ids written MOUNT/PATH#FIELD may not need it: then a
// missing mount is a warning.
func (r *Resolver) checkMount(ctx context.Context, client *api.Client, set settings, rep *check.Report) {
	configured := strings.TrimSpace(r.mount) != "" || r.bundled(envKVMount) != "" || r.bundledIDs
	from := "the default"
	switch {
	case strings.TrimSpace(r.mount) != "":
		from = "--mount"
	case r.bundled(envKVMount) != "":
		from = envKVMount
	}
	fail := func(err error) {
		if configured {
			rep.Fail("mount", fmt.Errorf("%w: %w", sdk.ErrConfig, err))
		} else {
			rep.Warn("mount", err.Error()+"; only ids written MOUNT/PATH#FIELD can work")
		}
	}
	s, err := client.Logical().ReadWithContext(ctx, "sys/internal/ui/mounts/"+set.mount)
	var re *api.ResponseError
	switch {
	case err != nil && errors.As(err, &re) && re.StatusCode == 403 && !isInvalidToken(err):
		fail(fmt.Errorf("mount %q (%s) does not exist, or the token may read nothing in it (Vault answers both alike); set --mount or %s to the KV mount of your secrets, or grant the token read in it",
			set.mount, from, envKVMount))
		return
	case err != nil:
		rep.Fail("mount", r.providerFailure(client, err))
		return
	case s == nil || s.Data == nil:
		rep.Fail("mount", fmt.Errorf("%w: Vault's mount lookup for %q answered nothing", protocol.Unavailable, set.mount))
		return
	}
	path, _ := s.Data["path"].(string)
	kind, _ := s.Data["type"].(string)
	version := "1"
	if opts, ok := s.Data["options"].(map[string]any); ok && opts["version"] != nil && fmt.Sprint(opts["version"]) != "" {
		version = fmt.Sprint(opts["version"])
	}
	switch {
	case path != set.mount+"/":
		fail(fmt.Errorf("%q (%s) is not a mount: Vault says it is inside mount %q; set --mount or %s to %q", set.mount, from, path, envKVMount, strings.TrimSuffix(path, "/")))
	case !kvTypes[kind]:
		fail(fmt.Errorf("mount %q (%s) is a %q engine, not KV", path, from, kind))
	case version != "1" && version != "2":
		fail(fmt.Errorf("mount %q is KV version %q, which this resolver does not read", path, version))
	case set.mountVersion != 0 && fmt.Sprint(set.mountVersion) != version:
		rep.Fail("mount", fmt.Errorf("%w: the KV version is set to %d (--kv-version or %s), but Vault says mount %q is KV version %s: fix or unset it",
			sdk.ErrConfig, set.mountVersion, envKVVersion, path, version))
	default:
		rep.OK("mount", fmt.Sprintf("%q (%s) is KV version %s", path, from, version))
	}
}
