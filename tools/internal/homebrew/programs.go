package homebrew

import (
	"embed"
	"fmt"
	"strings"
)

// Program is what a formula says about one binary besides the release.
type Program struct {
	Name     string
	Desc     string // Homebrew's one line: capitalised, no final period, at most 80 characters
	Resolver bool   // an exec SecretRef resolver: the gateway runs it, so it needs `install`
	// Agent: the archive's agent/ holds the warm agent's launchd and
	// systemd templates (packaging/agent), installed into pkgshare, with
	// a caveat saying how to load the launchd agent for a provider.
	Agent bool
}

// Programs are the shipped binaries, each with a test in tests/<name>.rb.
var Programs = []Program{
	{"openclaw-sops-resolver", "OpenClaw exec SecretRef resolver for sops-encrypted files", true, false},
	{"openclaw-vault-resolver", "OpenClaw exec SecretRef resolver for HashiCorp Vault", true, false},
	{"openclaw-aws-resolver", "OpenClaw exec SecretRef resolver for AWS Secrets Manager and SSM", true, false},
	{"openclaw-1password-resolver", "OpenClaw exec SecretRef resolver for 1Password", true, false},
	{"openclaw-resolver-run", "Run and diagnose OpenClaw exec SecretRef providers as the gateway does", false, true},
	{"openclaw-resolver-conformance", "Conformance suite for OpenClaw exec SecretRef resolvers", false, false},
}

// Files of the archive's agent/ directory (packaging/stage.sh).
const (
	LaunchdPlist = "dev.execref.openclaw-resolver-agent.plist"
	SystemdUnit  = "openclaw-resolver-agent@.service"
)

// tests holds each program's `test do` body: Ruby, run by `brew test`
// with the release tag (v1.2.3) in place of @TAG@.
//
//go:embed tests/*.rb
var tests embed.FS

// LookupProgram finds a shipped binary by name.
func LookupProgram(name string) (Program, error) {
	for _, p := range Programs {
		if p.Name == name {
			return p, nil
		}
	}
	return Program{}, fmt.Errorf("%s is not a shipped binary (tools/internal/homebrew/programs.go)", name)
}

// test returns the program's test body with the release's tag filled in.
func (p Program) test(tag string) (string, error) {
	body, err := tests.ReadFile("tests/" + p.Name + ".rb")
	if err != nil {
		return "", err
	}
	return strings.ReplaceAll(string(body), "@TAG@", tag), nil
}

// Class is the Ruby class name Homebrew derives from a formula's name
// (Formulary.class_s): openclaw-1password-resolver → Openclaw1passwordResolver.
func Class(name string) string {
	var b strings.Builder
	upper := true
	for _, r := range name {
		switch {
		case r == '-' || r == '_' || r == '.':
			upper = true
			continue
		case r == '+':
			r = 'x'
		case upper && r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		upper = false
		b.WriteRune(r)
	}
	return b.String()
}
