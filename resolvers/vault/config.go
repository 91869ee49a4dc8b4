package vault

import (
	"flag"
	"net/http"
	"os"

	"github.com/execref/execref/sdk/warm"
)

// Resolver is the Vault backend. It is configured by flags; what flags
// leave unset comes from the standard VAULT_* environment and from the
// OPENCLAW_VAULT_* settings of the gateway's bundled Vault resolver
// (settings.go). A flag left empty is unset.
type Resolver struct {
	address, namespace string
	mount              string // the mount of PATH/FIELD ids
	kvVersion          string // auto, 1 or 2
	jsonValues         bool
	bundledIDs         bool // every id is PATH/FIELD, as the bundled resolver reads it
	auth               authConfig
	tls                tlsConfig
	lookupEnv          func(string) (string, bool)

	// What a long-lived process (the agent, go-plugin) keeps between
	// batches (session.go): the HTTP client with its open connections,
	// and the token of an approle, kubernetes or jwt login. The token of
	// a token method is the user's, read anew for every batch.
	conn warm.Value[*http.Client]
	kept warm.Value[*session]
}

type authConfig struct {
	method, mount, role            string
	roleID, roleIDFile             string
	secretIDFile, jwtFile, tokFile string
}

type tlsConfig struct {
	caCert, caPath, clientCert, clientKey, serverName string
	skipVerify                                        bool
}

// New returns a Resolver reading its environment from the process.
func New() *Resolver {
	r := &Resolver{lookupEnv: os.LookupEnv}
	r.conn.Name, r.conn.Release = "Vault connection", closeConn
	r.kept.Name, r.kept.Refresh, r.kept.Release = "Vault login", renew, retire
	return r
}

func (r *Resolver) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&r.address, "address", "", "Vault `URL` (default: VAULT_ADDR)")
	fs.StringVar(&r.namespace, "namespace", "", "Vault Enterprise `namespace` (default: VAULT_NAMESPACE)")
	fs.StringVar(&r.mount, "mount", "", "KV `mount` of ids written PATH/FIELD (default: OPENCLAW_VAULT_KV_MOUNT, else secret)")
	fs.StringVar(&r.kvVersion, "kv-version", "", "KV `version` of every mount: auto (looked up once per mount), 1 or 2 (default: OPENCLAW_VAULT_KV_VERSION for the mount of PATH/FIELD ids, else auto)")
	fs.BoolVar(&r.bundledIDs, "bundled-ids", false, "read every id as PATH/FIELD in the mount, '#' included, as the gateway's bundled Vault resolver does (no MOUNT/PATH#FIELD form, no versions)")
	fs.BoolVar(&r.jsonValues, "json", false, "return non-string values, and whole secrets, as JSON text instead of INVALID_VALUE")

	fs.StringVar(&r.auth.method, "auth", "", "auth `method`: token, token_file, approle, kubernetes or jwt (default: OPENCLAW_VAULT_AUTH_METHOD, else token)")
	fs.StringVar(&r.auth.mount, "auth-mount", "", "`path` the auth method is mounted at (default: OPENCLAW_VAULT_AUTH_MOUNT, else the method's name)")
	fs.StringVar(&r.auth.role, "role", "", "`role` to log in as (kubernetes, jwt; default: OPENCLAW_VAULT_AUTH_ROLE)")
	fs.StringVar(&r.auth.roleID, "role-id", "", "AppRole role `id` (default: VAULT_ROLE_ID)")
	fs.StringVar(&r.auth.roleIDFile, "role-id-file", "", "`file` holding the AppRole role id")
	fs.StringVar(&r.auth.secretIDFile, "secret-id-file", "", "`file` holding the AppRole secret id (default: VAULT_SECRET_ID, or the file in VAULT_SECRET_ID_FILE)")
	fs.StringVar(&r.auth.jwtFile, "jwt-file", "", "`file` holding the JWT (default: OPENCLAW_VAULT_JWT_FILE; for kubernetes, else the service account token)")
	fs.StringVar(&r.auth.tokFile, "token-file", "", "`file` holding a token, when VAULT_TOKEN is unset (default: VAULT_TOKEN_FILE, then ~/.vault-token if HOME is passed)")

	fs.StringVar(&r.tls.caCert, "ca-cert", "", "PEM `file` of CA certificates (default: VAULT_CACERT)")
	fs.StringVar(&r.tls.caPath, "ca-path", "", "`dir` of CA certificates (default: VAULT_CAPATH)")
	fs.StringVar(&r.tls.clientCert, "client-cert", "", "client certificate `file` (default: VAULT_CLIENT_CERT)")
	fs.StringVar(&r.tls.clientKey, "client-key", "", "client key `file` (default: VAULT_CLIENT_KEY)")
	fs.StringVar(&r.tls.serverName, "tls-server-name", "", "`name` to verify the server certificate against (default: VAULT_TLS_SERVER_NAME)")
	fs.BoolVar(&r.tls.skipVerify, "skip-verify", false, "do not verify the server certificate (insecure; default: VAULT_SKIP_VERIFY)")
}

// env reads a variable the gateway passed.
func (r *Resolver) env(name string) string {
	v, _ := r.lookupEnv(name)
	return v
}

// first returns the first non-empty value.
func first(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
