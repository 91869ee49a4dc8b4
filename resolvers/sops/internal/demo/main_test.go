package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/getsops/sops/v3/cmd/sops/formats"
	"github.com/getsops/sops/v3/decrypt"
	yamlv3 "go.yaml.in/yaml/v3"

	"github.com/execref/execref/resolvers/sops/internal/encrypt"
)

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestPrepare(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	keyPath, secretsPath := filepath.Join(dir, keyFile), filepath.Join(dir, secretsFile)

	created, err := prepare(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{keyPath, secretsPath}; !reflect.DeepEqual(created, want) {
		t.Fatalf("created %q, want %q", created, want)
	}
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("dir mode %o", m)
	}
	for _, p := range created {
		if m := mode(t, p); m != 0o600 {
			t.Errorf("%s mode %o", p, m)
		}
	}
	key, _ := os.ReadFile(keyPath)
	before, _ := os.ReadFile(secretsPath)

	// Idempotent: nothing to do, nothing changed.
	if created, err := prepare(dir); err != nil || len(created) != 0 {
		t.Fatalf("second run: created %q, %v", created, err)
	}
	if after, _ := os.ReadFile(secretsPath); string(after) != string(before) {
		t.Error("second run rewrote the secrets file")
	}

	// Decrypts with the key file, as the resolver will.
	for _, k := range []string{"SOPS_AGE_KEY", "SOPS_AGE_KEY_CMD"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("SOPS_AGE_KEY_FILE", keyPath)
	plain, err := decrypt.DataWithFormat(before, formats.Yaml)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]map[string]string
	if err := yamlv3.Unmarshal(plain, &doc); err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct{ section, key, prefix string }{
		{"openai", "apiKey", "sk-demo-"},
		{"github", "token", "ghp_demo_"},
		{"database", "url", "postgres://app:"},
	} {
		got := doc[v.section][v.key]
		if !strings.HasPrefix(got, v.prefix) || len(got) < len(v.prefix)+16 {
			t.Errorf("%s.%s = %q", v.section, v.key, got)
		}
		if strings.Contains(string(before), got) {
			t.Errorf("%s.%s in clear in the encrypted file", v.section, v.key)
		}
	}
	if !strings.HasSuffix(doc["database"]["url"], "@db.internal:5432/app") {
		t.Errorf("database.url = %q", doc["database"]["url"])
	}

	// Only the secrets file missing: re-created for the existing key.
	os.Remove(secretsPath)
	if created, err := prepare(dir); err != nil || !reflect.DeepEqual(created, []string{secretsPath}) {
		t.Fatalf("after removing the secrets: created %q, %v", created, err)
	}
	if k, _ := os.ReadFile(keyPath); string(k) != string(key) {
		t.Error("the key was replaced")
	}
	if _, err := decrypt.File(secretsPath, "yaml"); err != nil {
		t.Fatal(err)
	}
}

func TestPrepareMismatch(t *testing.T) {
	dir := t.TempDir()
	if _, err := prepare(dir); err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(dir, keyFile)

	// The secrets left without their key.
	os.Remove(keyPath)
	if created, err := prepare(dir); err == nil || len(created) != 0 {
		t.Fatalf("secrets without key: created %q, %v", created, err)
	}
	if _, err := os.Stat(keyPath); !os.IsNotExist(err) {
		t.Error("a key was written anyway")
	}

	// A key that is not the secrets' recipient.
	other, err := encrypt.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, other.KeyFile(), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = prepare(dir)
	if err == nil || !strings.Contains(err.Error(), "not encrypted to the key") {
		t.Fatalf("mismatched key: %v", err)
	}
	if strings.Contains(err.Error(), other.Secret) {
		t.Error("the error shows the secret key")
	}

	// Not a key file: an error that does not quote it.
	garbage := " " + other.Secret + "\n"
	if err := os.WriteFile(keyPath, []byte(garbage), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := prepare(dir); err == nil {
		t.Fatal("garbage key file accepted")
	} else if strings.Contains(err.Error(), other.Secret) {
		t.Errorf("the error shows the key file's content: %v", err)
	}
}
