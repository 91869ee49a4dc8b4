// Package server runs a real Vault for the resolver's integration tests: a
// core from Vault's own test helpers (in memory, initialized, unsealed),
// served over HTTP on loopback by Vault's HTTP handler, with a file audit
// device whose log the tests read to count requests, and the fixtures of
// fixtures.go written through the API with the root token.
//
// It is test-only: it links all of Vault, which is why it lives in a
// module of its own (resolvers/vault/vaulttest), built with GOWORK=off and
// never part of go.work.
package server

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	"github.com/hashicorp/vault/api"
	"github.com/hashicorp/vault/audit"
	"github.com/hashicorp/vault/builtin/credential/approle"
	vaulthttp "github.com/hashicorp/vault/http"
	"github.com/hashicorp/vault/sdk/logical"
	"github.com/hashicorp/vault/vault"
)

// Server is one in-process Vault.
type Server struct {
	// Core is the Vault core; tests may seal it (vault.TestCoreSeal).
	Core *vault.Core
	// Addr is Vault's address, http://127.0.0.1:PORT.
	Addr string
	// RootToken is the initial root token.
	RootToken string
	// Client is an API client with the root token, for setup and checks.
	Client *api.Client
	// Audit is the file audit device's log.
	Audit *AuditLog
	// Listener is Vault's listener; closing it refuses new connections
	// (connections already open keep being served).
	Listener net.Listener
	// AppRole, JWT and Kubernetes are the auth methods of the fixtures.
	AppRole    AppRole
	JWT        JWT
	Kubernetes Kubernetes
}

// AppRole is an AppRole role's credentials.
type AppRole struct {
	Mount, Role, RoleID, SecretID string
}

// Start starts a Vault, writes the fixtures and returns it. Everything is
// torn down when tb ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	conf := &vault.CoreConfig{
		Logger: logger(),
		// TestCoreUnsealedWithConfig starts from a "noop" audit backend and
		// the "noop" and "http" credential backends only: the file audit
		// device and AppRole must be registered here.
		AuditBackends:      map[string]audit.Factory{audit.TypeFile: audit.NewFileBackend},
		CredentialBackends: map[string]logical.Factory{"approle": approle.Factory},
	}
	for name, f := range extraCredentialBackends {
		conf.CredentialBackends[name] = f
	}
	core, _, root := vault.TestCoreUnsealedWithConfig(tb, conf)
	ln, addr := vaulthttp.TestServer(tb, core)
	tb.Cleanup(func() { ln.Close() })

	client, err := NewClient(addr, root)
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{Core: core, Addr: addr, RootToken: root, Client: client, Listener: ln}

	dir, err := os.MkdirTemp("", "execref-vault-audit-*")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	s.Audit = &AuditLog{path: filepath.Join(dir, "audit.log")}
	if err := client.Sys().EnableAuditWithOptions("file", &api.EnableAuditOptions{
		Type: "file", Options: map[string]string{"file_path": s.Audit.path},
	}); err != nil {
		tb.Fatalf("enable the file audit device: %v", err)
	}
	if err := s.writeFixtures(tb); err != nil {
		tb.Fatalf("fixtures: %v", err)
	}
	return s
}

// logger is Vault's logger: errors only on stderr, unless VAULTTEST_LOG
// names another level (trace, debug, info, warn). Vault's own test logger
// prints everything at trace level.
func logger() hclog.InterceptLogger {
	level := hclog.Error
	if l := os.Getenv("VAULTTEST_LOG"); l != "" {
		level = hclog.LevelFromString(l)
	}
	return hclog.NewInterceptLogger(&hclog.LoggerOptions{Name: "vault", Level: level, Output: os.Stderr})
}

// NewClient is an API client for addr with token, unaffected by the
// process's VAULT_* environment.
func NewClient(addr, token string) (*api.Client, error) {
	cfg := api.DefaultConfig()
	if cfg.Error != nil {
		return nil, cfg.Error
	}
	cfg.Address = addr
	cfg.MaxRetries = 0
	c, err := api.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	c.SetToken(token)
	c.ClearNamespace()
	return c, nil
}

// TokenOptions describe a child token of the root token.
type TokenOptions struct {
	Policies    []string
	NumUses     int
	TTL         string
	DisplayName string
}

// Token creates a token.
func (s *Server) Token(tb testing.TB, o TokenOptions) string {
	tb.Helper()
	req := &api.TokenCreateRequest{Policies: o.Policies, NumUses: o.NumUses, TTL: o.TTL, DisplayName: o.DisplayName}
	if len(o.Policies) > 0 {
		req.NoDefaultPolicy = true
	}
	secret, err := s.Client.Auth().Token().Create(req)
	if err != nil {
		tb.Fatalf("create token: %v", err)
	}
	return secret.Auth.ClientToken
}

// NewSecretID issues a fresh secret id for the fixtures' AppRole role.
func (s *Server) NewSecretID(tb testing.TB) string {
	tb.Helper()
	secret, err := s.Client.Logical().Write("auth/"+s.AppRole.Mount+"/role/"+s.AppRole.Role+"/secret-id", nil)
	if err != nil {
		tb.Fatalf("secret id: %v", err)
	}
	return secret.Data["secret_id"].(string)
}

// Seal seals the core: every request then gets 503.
func (s *Server) Seal() error { return vault.TestCoreSeal(s.Core) }

// write retries a write while a fresh KV v2 mount is still upgrading.
func (s *Server) write(path string, data map[string]any) (*api.Secret, error) {
	deadline := time.Now().Add(15 * time.Second)
	for {
		secret, err := s.Client.Logical().WriteWithContext(context.Background(), path, data)
		if err == nil || time.Now().After(deadline) || !retryable(err) {
			if err != nil {
				err = fmt.Errorf("write %s: %w", path, err)
			}
			return secret, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func retryable(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "upgrad") || strings.Contains(msg, "Code: 503") || strings.Contains(msg, "Code: 500")
}

// FreeAddr is the address of a loopback port nothing listens on.
func FreeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	ln.Close()
	return addr
}
