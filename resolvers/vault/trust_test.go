package vault

import (
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/execref/execref/sdk"
)

// NODE_EXTRA_CA_CERTS, which the bundled resolver's preset passes so that
// Node trusts a private CA, is trusted here too; a file that cannot be
// used fails the provider naming it. NODE_USE_SYSTEM_CA=1 is what Go does
// anyway; another value asks for something a Go program cannot do.
func TestNodeTrustSettings(t *testing.T) {
	f := bundledVault(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := privateFile(t, "ca.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	id := "providers/openai/apiKey"
	env := func(extra map[string]string) map[string]string {
		e := map[string]string{"VAULT_ADDR": srv.URL, "VAULT_TOKEN": f.token}
		for k, v := range extra {
			e[k] = v
		}
		return e
	}

	// Without the CA: not trusted.
	if o := f.run(t, env(nil), nil, id); o.status != sdk.ExitConfig {
		t.Errorf("untrusted server: exit %d, want %d", o.status, sdk.ExitConfig)
	}
	expect(t, f.run(t, env(map[string]string{envNodeExtraCAs: ca}), nil, id), map[string]string{id: "from secret/"}, nil)
	expect(t, f.run(t, env(map[string]string{envNodeExtraCAs: ca, envNodeUseSystemCA: "1"}), nil, id), map[string]string{id: "from secret/"}, nil)

	expectConfigError(t, f.run(t, env(map[string]string{envNodeExtraCAs: filepath.Join(t.TempDir(), "none.pem")}), nil, id), envNodeExtraCAs)
	expectConfigError(t, f.run(t, env(map[string]string{envNodeExtraCAs: privateFile(t, "empty.pem", "not a certificate")}), nil, id), envNodeExtraCAs)
	for _, v := range []string{"0", "true", "yes"} {
		expectConfigError(t, f.run(t, env(map[string]string{envNodeExtraCAs: ca, envNodeUseSystemCA: v}), nil, id), envNodeUseSystemCA)
	}
}
