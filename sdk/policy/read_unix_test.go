//go:build unix

package policy_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/execref/execref/sdk/policy"
)

func TestReadSecretFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "token")
	if err := os.WriteFile(good, []byte("s3cr3t-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, err := policy.ReadSecretFile("token file", good, 64); err != nil || string(data) != "s3cr3t-token\n" {
		t.Errorf("good file: %q, %v", data, err)
	}
	if _, err := policy.ReadSecretFile("token file", good, 4); !errors.Is(err, policy.ErrTooLarge) {
		t.Errorf("over the limit: %v, want ErrTooLarge", err)
	}
	open := filepath.Join(dir, "open")
	if err := os.WriteFile(open, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := policy.ReadSecretFile("token file", open, 64); err == nil || !strings.Contains(err.Error(), "too open") {
		t.Errorf("0644 file: %v, want the policy's refusal", err)
	}
	// A FIFO is refused at once rather than read: no writer ever comes.
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	if _, err := policy.ReadSecretFile("token file", fifo, 64); err == nil {
		t.Error("a FIFO was read as a secret file")
	}
}
