package server

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/vault/api"
)

// KV engines and secrets a test adds to the fixtures, through the API
// with the root token, as an operator would with the vault CLI.

// MountKV mounts a KV engine of version "1" or "2" at path ("kv",
// "team/apps"); Vault's refusal (a path under or above another mount) is
// returned.
func (s *Server) MountKV(path, version string) error {
	return s.Client.Sys().Mount(path, &api.MountInput{Type: "kv", Options: map[string]string{"version": version}})
}

// PutKV writes fields to the secret name of mount ("kv/"): a new version
// in KV v2, the secret itself in KV v1.
func (s *Server) PutKV(mount string, version int, name string, fields map[string]any) error {
	if version == 2 {
		_, err := s.write(mount+"data/"+name, map[string]any{"data": fields})
		return err
	}
	_, err := s.write(mount+name, fields)
	return err
}

// UpgradeKV turns KV v1 mount ("secret/") into KV v2, as `vault kv
// enable-versioning` does, and waits until the upgrade of its data is
// over: the v1 secrets become version 1 of KV v2 secrets.
func (s *Server) UpgradeKV(tb testing.TB, mount string) {
	tb.Helper()
	if _, err := s.write("sys/mounts/"+strings.TrimSuffix(mount, "/")+"/tune", map[string]any{"options": map[string]any{"version": "2"}}); err != nil {
		tb.Fatalf("upgrade %s: %v", mount, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := s.Client.Logical().ReadWithContext(context.Background(), mount+"config")
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("upgrade %s: still %v", mount, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ErrorStatus is the HTTP status of a Vault API error, 0 for another
// error.
func ErrorStatus(err error) int {
	var re *api.ResponseError
	if errors.As(err, &re) {
		return re.StatusCode
	}
	return 0
}
