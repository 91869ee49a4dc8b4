package vaulttest_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/resolvers/vault/vaulttest/server"
	"github.com/execref/execref/sdk"
)

// pki is a test CA with a server and a client certificate.
type pki struct {
	caFile, caDir          string
	clientCert, clientKey  string
	caPool                 *x509.CertPool
	serverByName, serverIP tls.Certificate
}

func newPKI(t *testing.T) *pki {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "execref test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, tmpl *x509.Certificate) (tls.Certificate, []byte, []byte) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl.SerialNumber = big.NewInt(serial)
		tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		keyDER, _ := x509.MarshalECPrivateKey(key)
		certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
		c, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		return c, certPEM, keyPEM
	}
	p := &pki{caPool: x509.NewCertPool()}
	p.caPool.AddCert(ca)
	p.serverByName, _, _ = issue(2, &x509.Certificate{Subject: pkix.Name{CommonName: "vault.execref.test"},
		DNSNames: []string{"vault.execref.test"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	p.serverIP, _, _ = issue(3, &x509.Certificate{Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	_, clientPEM, clientKeyPEM := issue(4, &x509.Certificate{Subject: pkix.Name{CommonName: "openclaw"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})

	dir := t.TempDir()
	p.caDir = filepath.Join(dir, "cas")
	if err := os.Mkdir(p.caDir, 0o755); err != nil {
		t.Fatal(err)
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	p.caFile = filepath.Join(dir, "ca.pem")
	for _, f := range []string{p.caFile, filepath.Join(p.caDir, "ca.pem")} {
		if err := os.WriteFile(f, caPEM, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p.clientCert = filepath.Join(dir, "client.pem")
	if err := os.WriteFile(p.clientCert, clientPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	p.clientKey = secretFile(t, "client-key.pem", string(clientKeyPEM), 0o600)
	return p
}

// tlsFront serves Vault over TLS with cert, requiring a client certificate
// signed by the CA when mTLS.
func tlsFront(t *testing.T, vaultAddr string, cert tls.Certificate, p *pki, mTLS bool) string {
	t.Helper()
	u, _ := url.Parse(vaultAddr)
	srv := httptest.NewUnstartedServer(httputil.NewSingleHostReverseProxy(u))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if mTLS {
		srv.TLS.ClientAuth = tls.RequireAndVerifyClientCert
		srv.TLS.ClientCAs = p.caPool
	}
	srv.Config.ErrorLog = nil
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}

// TLS: the CA from --ca-cert, VAULT_CACERT or --ca-path; the server name
// from --tls-server-name; a client certificate for mTLS; --skip-verify
// with its warning. A server that cannot be verified fails the provider
// before any request; a client key others can read is refused (78).
func TestTLS(t *testing.T) {
	s := server.Start(t)
	p := newPKI(t)
	byName := tlsFront(t, s.Addr, p.serverByName, p, false)
	mtls := tlsFront(t, s.Addr, p.serverIP, p, true)
	id := "kv2/app/openai#apiKey"
	want := map[string]string{id: server.OpenAIKey}
	env := func(extra map[string]string) map[string]string {
		e := map[string]string{"VAULT_TOKEN": s.RootToken}
		for k, v := range extra {
			e[k] = v
		}
		return e
	}

	t.Run("server name", func(t *testing.T) {
		expectValues(t, ok(t, provider(byName, env(nil), "--ca-cert", p.caFile, "--tls-server-name", "vault.execref.test"), id), want)
		expectValues(t, ok(t, provider(byName, env(map[string]string{"VAULT_CACERT": p.caFile, "VAULT_TLS_SERVER_NAME": "vault.execref.test"})), id), want)
		expectValues(t, ok(t, provider(byName, env(nil), "--ca-path", p.caDir, "--tls-server-name", "vault.execref.test"), id), want)
		// The certificate does not name 127.0.0.1.
		o := exec(t, provider(byName, env(nil), "--ca-cert", p.caFile), id)
		if o.run.ExitCode != sdk.ExitConfig || len(o.run.Stdout) != 0 || !strings.Contains(string(o.run.Stderr), "TLS certificate is not trusted") {
			t.Errorf("a certificate for another name: want exit %d naming the certificate, got exit %d: %s", sdk.ExitConfig, o.run.ExitCode, o.run.Stderr)
		}
		t.Logf("wrong name: exit %d, %s", o.run.ExitCode, o.run.Stderr)
		// No CA: unknown authority.
		o = exec(t, provider(byName, env(nil), "--tls-server-name", "vault.execref.test"), id)
		if o.run.ExitCode != sdk.ExitConfig || len(o.run.Stdout) != 0 || !strings.Contains(string(o.run.Stderr), "TLS certificate is not trusted") {
			t.Errorf("an unknown CA: want exit %d naming the certificate, got exit %d: %s", sdk.ExitConfig, o.run.ExitCode, o.run.Stderr)
		}
		t.Logf("unknown CA: exit %d, %s", o.run.ExitCode, o.run.Stderr)
	})

	t.Run("skip verify", func(t *testing.T) {
		for _, pr := range []struct {
			env  map[string]string
			args []string
		}{{env(nil), []string{"--skip-verify"}}, {env(map[string]string{"VAULT_SKIP_VERIFY": "true"}), nil}} {
			prov := provider(byName, pr.env, pr.args...)
			o := exec(t, prov, id)
			if o.run.ExitCode != 0 {
				t.Fatalf("exit %d: %s", o.run.ExitCode, o.run.Stderr)
			}
			expectValues(t, o.resp, want)
			if !strings.Contains(strings.ToLower(string(o.run.Stderr)), "warning") {
				t.Errorf("no warning on stderr: %s", o.run.Stderr)
			}
		}
	})

	t.Run("mTLS", func(t *testing.T) {
		expectValues(t, ok(t, provider(mtls, env(nil), "--ca-cert", p.caFile, "--client-cert", p.clientCert, "--client-key", p.clientKey), id), want)
		expectValues(t, ok(t, provider(mtls, env(map[string]string{"VAULT_CACERT": p.caFile, "VAULT_CLIENT_CERT": p.clientCert, "VAULT_CLIENT_KEY": p.clientKey})), id), want)
		o := exec(t, provider(mtls, env(nil), "--ca-cert", p.caFile), id)
		if o.run.ExitCode == 0 || len(o.run.Stdout) != 0 {
			t.Errorf("no client certificate, yet exit %d", o.run.ExitCode)
		}
		t.Logf("no client certificate: exit %d, %s", o.run.ExitCode, o.run.Stderr)
		if err := os.Chmod(p.clientKey, 0o644); err != nil {
			t.Fatal(err)
		}
		fails(t, provider(mtls, env(nil), "--ca-cert", p.caFile, "--client-cert", p.clientCert, "--client-key", p.clientKey), sdk.ExitConfig, "", id)
	})
}
