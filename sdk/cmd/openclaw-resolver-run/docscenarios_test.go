//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/sdktest"
)

// docWorld is what every scenario shares: the runner and the resolvers,
// built once, and the sops fixture (an encrypted file, the key that opens
// it and one that does not, and every value in it).
type docWorld struct {
	runner, vault, aws string
	sops               *sopsSetup
}

func newDocWorld(t *testing.T) *docWorld {
	t.Helper()
	s := newSopsSetup(t)
	return &docWorld{
		runner: s.runner,
		sops:   s,
		vault:  sdktest.Cached(t, "../../../resolvers/vault/cmd/openclaw-vault-resolver"),
		aws:    sdktest.Cached(t, "../../../resolvers/aws/cmd/openclaw-aws-resolver"),
	}
}

// scenarios set up, in a fresh home, the install and the fault a doc
// describes. The docs' markers name them.
var scenarios = map[string]func(t *testing.T, w *docWorld, sc *scene){
	"sops-ok":               func(t *testing.T, w *docWorld, sc *scene) { sopsHome(t, w, sc, sopsKeyInEnv, "github/token") },
	"sops-key-too-open":     sopsKeyTooOpen,
	"sops-key-not-passed":   func(t *testing.T, w *docWorld, sc *scene) { sopsHome(t, w, sc, sopsKeyPassed, "github/token") },
	"sops-wrong-key":        sopsWrongKey,
	"sops-key-file-missing": sopsKeyFileMissing,
	"sops-file-writable":    sopsFileWritable,
	"sops-not-found":        func(t *testing.T, w *docWorld, sc *scene) { sopsHome(t, w, sc, sopsKeyInEnv, "github/tokn") },
	"sops-map":              func(t *testing.T, w *docWorld, sc *scene) { sopsHome(t, w, sc, sopsKeyInEnv, "github") },

	"vault-no-address":    func(t *testing.T, w *docWorld, sc *scene) { vaultHome(t, w, sc) },
	"vault-unreachable":   vaultUnreachable,
	"vault-no-token":      vaultNoToken,
	"vault-token-refused": vaultTokenRefused,
	"vault-shell":         vaultShell,

	"aws-no-credentials":      awsNoCredentials,
	"aws-no-region":           awsNoRegion,
	"aws-unreachable":         awsUnreachable,
	"aws-credentials-refused": awsCredentialsRefused,
}

// The sops provider of the docs: the resolver in ~/.openclaw/bin, the
// encrypted file in ~/.openclaw/secrets, the age key where sops keeps it,
// named in env (sopsKeyInEnv) or passed from the gateway's environment
// (sopsKeyPassed). Two refs use it: openai/apiKey and a second id. The
// generous timeouts keep a loaded machine from turning a reason into a
// timeout; they change no message.
const (
	sopsKeyInEnv  = `env: { SOPS_AGE_KEY_FILE: "/home/me/.config/sops/age/keys.txt" },`
	sopsKeyPassed = `passEnv: ["SOPS_AGE_KEY_FILE"],`
	sopsConfig    = `{
  secrets: {
    providers: {
      sops: {
        source: "exec",
        command: "/home/me/.openclaw/bin/openclaw-sops-resolver",
        args: ["--file", "/home/me/.openclaw/secrets/app.enc.yaml", "--trusted-dir", "/home/me/.openclaw/secrets", "--timeout", "25s"],
        KEY
        trustedDirs: ["/home/me/.openclaw/bin"],
        timeoutMs: 30000, noOutputTimeoutMs: 30000,
      },
    },
  },
  models: { providers: { openai: { apiKey: { source: "exec", provider: "sops", id: "openai/apiKey" } } } },
  skills: { entries: { github: { apiKey: { source: "exec", provider: "sops", id: "SECOND" } } } },
}
`
	sopsKeyFile = ".config/sops/age/keys.txt"
	sopsFile    = ".openclaw/secrets/app.enc.yaml"
)

func sopsHome(t *testing.T, w *docWorld, sc *scene, key, second string) {
	t.Helper()
	sc.install(t, w.sops.command)
	sc.writeBytes(t, sopsFile, readFile(t, filepath.Join(filepath.Dir(w.sops.command), "secrets.enc.yaml")), 0o600)
	sc.writeBytes(t, sopsKeyFile, readFile(t, w.sops.keyA), 0o600)
	sc.write(t, ".openclaw/openclaw.json", strings.NewReplacer("KEY", key, "SECOND", second).Replace(sopsConfig), 0o600)
}

func sopsKeyTooOpen(t *testing.T, w *docWorld, sc *scene) {
	sopsHome(t, w, sc, sopsKeyInEnv, "github/token")
	chmod(t, filepath.Join(sc.home, sopsKeyFile), 0o644)
}

func sopsWrongKey(t *testing.T, w *docWorld, sc *scene) {
	sopsHome(t, w, sc, sopsKeyInEnv, "github/token")
	sc.writeBytes(t, sopsKeyFile, readFile(t, w.sops.keyB), 0o600)
}

func sopsKeyFileMissing(t *testing.T, w *docWorld, sc *scene) {
	sopsHome(t, w, sc, sopsKeyInEnv, "github/token")
	if err := os.Remove(filepath.Join(sc.home, sopsKeyFile)); err != nil {
		t.Fatal(err)
	}
}

func sopsFileWritable(t *testing.T, w *docWorld, sc *scene) {
	sopsHome(t, w, sc, sopsKeyInEnv, "github/token")
	chmod(t, filepath.Join(sc.home, sopsFile), 0o664)
}

// The Vault provider of the docs ("Token"): VAULT_ADDR and VAULT_TOKEN
// passed from the gateway's environment, set in ~/.openclaw/.env when
// the scenario sets them. No Vault runs: the address is a closed
// loopback port, or a fake that answers as a Vault that knows no token.
const vaultConfig = `{
  secrets: {
    providers: {
      vault: {
        source: "exec",
        command: "/home/me/.openclaw/bin/openclaw-vault-resolver",
        args: ["--timeout", "25s"],
        passEnv: ["VAULT_ADDR", "VAULT_TOKEN"],
        timeoutMs: 30000, noOutputTimeoutMs: 30000,
      },
    },
  },
  models: { providers: { openai: { apiKey: { source: "exec", provider: "vault", id: "kv/openclaw/openai#apiKey" } } } },
}
`

// vaultToken is a token no Vault issued.
const vaultToken = "hvs.CAESIDocTestTokenNoVaultIssued0123456789abcdefGh4"

func vaultHome(t *testing.T, w *docWorld, sc *scene, dotenv ...string) {
	t.Helper()
	sc.install(t, w.vault)
	sc.write(t, ".openclaw/openclaw.json", vaultConfig, 0o600)
	if len(dotenv) > 0 {
		sc.write(t, ".openclaw/.env", strings.Join(dotenv, "\n")+"\n", 0o600)
	}
	sc.secrets = append(sc.secrets, vaultToken)
}

func vaultUnreachable(t *testing.T, w *docWorld, sc *scene) {
	addr := closedAddr(t)
	sc.documentedAs(addr, "http://127.0.0.1:8200")
	vaultHome(t, w, sc, "VAULT_ADDR="+addr, "VAULT_TOKEN="+vaultToken)
}

func vaultNoToken(t *testing.T, w *docWorld, sc *scene) {
	addr := fakeVault(t)
	sc.documentedAs(addr, "http://127.0.0.1:8200")
	vaultHome(t, w, sc, "VAULT_ADDR="+addr)
}

func vaultTokenRefused(t *testing.T, w *docWorld, sc *scene) {
	addr := fakeVault(t)
	sc.documentedAs(addr, "http://127.0.0.1:8200")
	vaultHome(t, w, sc, "VAULT_ADDR="+addr, "VAULT_TOKEN="+vaultToken)
}

// vaultShell exports VAULT_ADDR and VAULT_TOKEN in the shell, for a
// block given as flags, whose passEnv reads the runner's environment.
func vaultShell(t *testing.T, w *docWorld, sc *scene) {
	addr := fakeVault(t)
	sc.documentedAs(addr, "http://127.0.0.1:8200")
	vaultHome(t, w, sc)
	sc.env = append(sc.env, "VAULT_ADDR="+addr, "VAULT_TOKEN="+vaultToken)
}

// The AWS provider of the docs ("Static keys"): the keys passed from the
// gateway's environment (~/.openclaw/.env when the scenario sets them),
// the region in env. Loopback only: the instance metadata service,
// which the SDK's credential chain asks last, is turned off, and every
// call goes to --endpoint-url, a closed port or a fake that refuses every
// signature, even in the scenarios that fail before calling AWS.
const awsConfig = `{
  secrets: {
    providers: {
      aws: {
        source: "exec",
        command: "/home/me/.openclaw/bin/openclaw-aws-resolver",
        args: ["--endpoint-url", "{{endpoint}}", "--timeout", "25s"],
        passEnv: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"],
        env: { {{region}}AWS_EC2_METADATA_DISABLED: "true" },
        timeoutMs: 30000, noOutputTimeoutMs: 30000,
      },
    },
  },
  models: { providers: { openai: { apiKey: { source: "exec", provider: "aws", id: "sm:prod/openai#apiKey" } } } },
}
`

// AWS's documented example keys: no account has them.
const (
	awsKeyID  = "AKIAIOSFODNN7EXAMPLE"
	awsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// awsHome installs the AWS provider calling endpoint, with the region in
// env when region, and the keys in ~/.openclaw/.env when keys.
func awsHome(t *testing.T, w *docWorld, sc *scene, endpoint string, keys, region bool) {
	t.Helper()
	sc.install(t, w.aws)
	sc.documentedAs(endpoint, "http://127.0.0.1:4566")
	env := ""
	if region {
		env = `AWS_REGION: "eu-west-1", `
	}
	sc.write(t, ".openclaw/openclaw.json", strings.NewReplacer("{{endpoint}}", endpoint, "{{region}}", env).Replace(awsConfig), 0o600)
	if keys {
		sc.write(t, ".openclaw/.env", "AWS_ACCESS_KEY_ID="+awsKeyID+"\nAWS_SECRET_ACCESS_KEY="+awsSecret+"\n", 0o600)
	}
	sc.secrets = append(sc.secrets, awsSecret)
}

func awsNoCredentials(t *testing.T, w *docWorld, sc *scene) {
	awsHome(t, w, sc, closedAddr(t), false, true)
}
func awsNoRegion(t *testing.T, w *docWorld, sc *scene) { awsHome(t, w, sc, closedAddr(t), true, false) }
func awsUnreachable(t *testing.T, w *docWorld, sc *scene) {
	awsHome(t, w, sc, closedAddr(t), true, true)
}
func awsCredentialsRefused(t *testing.T, w *docWorld, sc *scene) {
	awsHome(t, w, sc, fakeAWS(t), true, true)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
