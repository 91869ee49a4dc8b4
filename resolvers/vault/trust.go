package vault

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/execref/execref/sdk"
)

// Node's certificate settings, which the bundled resolver's preset passes
// (passEnv) so that Node trusts a Vault signed by a private CA.
const (
	envNodeExtraCAs    = "NODE_EXTRA_CA_CERTS" // a PEM file of CAs trusted besides the usual ones
	envNodeUseSystemCA = "NODE_USE_SYSTEM_CA"  // "1": trust the system's store too
)

// addNodeTrust applies the bundled resolver's certificate settings to tc,
// which configureTLS has set up from the VAULT_* settings:
//
//   - NODE_EXTRA_CA_CERTS: its certificates are trusted in addition to the
//     others (the system's, or VAULT_CACERT's), as Node adds them to its
//     own. Node only warns about a file it cannot use; here that fails the
//     provider, naming the variable, rather than connect without the CA
//     the user asked for.
//   - NODE_USE_SYSTEM_CA=1 asks Node to trust the system's store: Go always
//     does, so there is nothing to do. Any other value asks for Node's own
//     store alone, which a Go program does not have: that fails the
//     provider, naming the variable.
func (r *Resolver) addNodeTrust(tc *tls.Config) error {
	switch v := r.env(envNodeUseSystemCA); v {
	case "", "1":
	default:
		return fmt.Errorf("%w: %s=%q: openclaw-vault-resolver always trusts the system's certificate store (it has no copy of Node's); unset %s or set it to 1", sdk.ErrConfig, envNodeUseSystemCA, v, envNodeUseSystemCA)
	}
	file := r.env(envNodeExtraCAs)
	if file == "" {
		return nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", sdk.ErrConfig, envNodeExtraCAs, err)
	}
	pool := tc.RootCAs
	if pool == nil {
		if pool, err = x509.SystemCertPool(); err != nil {
			pool = x509.NewCertPool()
		}
	} else {
		pool = pool.Clone()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return fmt.Errorf("%w: %s=%s holds no PEM certificate", sdk.ErrConfig, envNodeExtraCAs, file)
	}
	tc.RootCAs = pool
	return nil
}
