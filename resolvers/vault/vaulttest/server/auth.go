package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	jwtauth "github.com/hashicorp/vault-plugin-auth-jwt"
	kubeauth "github.com/hashicorp/vault-plugin-auth-kubernetes"
	"github.com/hashicorp/vault/api"
	"github.com/hashicorp/vault/sdk/logical"
)

// The JWT and Kubernetes auth methods are Vault's own plugins, linked in
// (as Vault's builtin registry does) rather than run as plugin processes.
var extraCredentialBackends = map[string]logical.Factory{
	"jwt":        jwtauth.Factory,
	"kubernetes": kubeauth.Factory,
}

// JWT is the JWT auth method of the fixtures: mount jwt/, role
// "openclaw" (bound audience "openclaw", bound issuer Issuer, policy
// kv-reader), verifying ES256 signatures with Key's public key.
type JWT struct {
	Mount, Role, Issuer, Audience string
	Key                           *ecdsa.PrivateKey
}

// Kubernetes is the Kubernetes auth method of the fixtures: mount
// kubernetes/, role "openclaw" bound to service account
// apps/openclaw, against a fake Kubernetes API server that answers
// TokenReviews for the tokens made by Token.
type Kubernetes struct {
	Mount, Role, Namespace, ServiceAccount string
	Key                                    *ecdsa.PrivateKey
	// Reviews counts the TokenReviews the fake API server answered.
	Reviews *atomic.Int64
}

func (s *Server) setupExtraAuth(tb testing.TB) error {
	sys := s.Client.Sys()

	// JWT: static public key.
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	s.JWT = JWT{Mount: "jwt", Role: "openclaw", Issuer: "https://issuer.execref.test", Audience: "openclaw", Key: key}
	if err := sys.EnableAuthWithOptions("jwt", &api.EnableAuthOptions{Type: "jwt"}); err != nil {
		return fmt.Errorf("enable jwt: %w", err)
	}
	if _, err := s.write("auth/jwt/config", map[string]any{
		"jwt_validation_pubkeys": []string{publicPEM(&key.PublicKey)},
		"bound_issuer":           s.JWT.Issuer,
		"jwt_supported_algs":     []string{"ES256"},
	}); err != nil {
		return err
	}
	if _, err := s.write("auth/jwt/role/openclaw", map[string]any{
		"role_type": "jwt", "bound_audiences": []string{s.JWT.Audience}, "user_claim": "sub",
		"token_policies": []string{PolicyKVReader}, "token_ttl": "10m",
	}); err != nil {
		return err
	}

	// Kubernetes: a fake API server on loopback answering TokenReviews.
	kkey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	s.Kubernetes = Kubernetes{Mount: "kubernetes", Role: "openclaw", Namespace: "apps", ServiceAccount: "openclaw",
		Key: kkey, Reviews: new(atomic.Int64)}
	kubeAPI := httptest.NewServer(http.HandlerFunc(s.tokenReview))
	tb.Cleanup(kubeAPI.Close)
	if err := sys.EnableAuthWithOptions("kubernetes", &api.EnableAuthOptions{Type: "kubernetes"}); err != nil {
		return fmt.Errorf("enable kubernetes: %w", err)
	}
	if _, err := s.write("auth/kubernetes/config", map[string]any{
		"kubernetes_host":        kubeAPI.URL,
		"disable_local_ca_jwt":   true,
		"disable_iss_validation": true,
		"pem_keys":               []string{publicPEM(&kkey.PublicKey)},
	}); err != nil {
		return err
	}
	if _, err := s.write("auth/kubernetes/role/openclaw", map[string]any{
		"bound_service_account_names":      []string{s.Kubernetes.ServiceAccount},
		"bound_service_account_namespaces": []string{s.Kubernetes.Namespace},
		"token_policies":                   []string{PolicyKVReader}, "token_ttl": "10m",
	}); err != nil {
		return err
	}
	return nil
}

// JWTToken signs a JWT for the JWT auth role, valid for ttl (negative:
// already expired).
func (s *Server) JWTToken(tb testing.TB, sub string, ttl time.Duration) string {
	tb.Helper()
	now := time.Now()
	return signES256(tb, s.JWT.Key, map[string]any{
		"iss": s.JWT.Issuer, "sub": sub, "aud": s.JWT.Audience,
		"iat": now.Add(-time.Minute).Unix(), "nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(ttl).Unix(),
	})
}

// KubernetesToken signs a legacy service account token for sa in ns.
func (s *Server) KubernetesToken(tb testing.TB, ns, sa string) string {
	tb.Helper()
	return signES256(tb, s.Kubernetes.Key, map[string]any{
		"iss":                                    "kubernetes/serviceaccount",
		"sub":                                    "system:serviceaccount:" + ns + ":" + sa,
		"kubernetes.io/serviceaccount/namespace": ns,
		"kubernetes.io/serviceaccount/secret.name":          sa + "-token",
		"kubernetes.io/serviceaccount/service-account.name": sa,
		"kubernetes.io/serviceaccount/service-account.uid":  "uid-" + ns + "-" + sa,
	})
}

// tokenReview is the fake Kubernetes API's TokenReview: a token signed by
// the Kubernetes key is authenticated as the service account it names.
func (s *Server) tokenReview(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/apis/authentication.k8s.io/v1/tokenreviews" {
		http.NotFound(w, r)
		return
	}
	s.Kubernetes.Reviews.Add(1)
	var review struct {
		Spec struct {
			Token string `json:"token"`
		} `json:"spec"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(body, &review); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	status := map[string]any{"authenticated": false}
	if claims, ok := verifyES256(&s.Kubernetes.Key.PublicKey, review.Spec.Token); ok {
		ns, _ := claims["kubernetes.io/serviceaccount/namespace"].(string)
		sa, _ := claims["kubernetes.io/serviceaccount/service-account.name"].(string)
		uid, _ := claims["kubernetes.io/serviceaccount/service-account.uid"].(string)
		status = map[string]any{"authenticated": true, "user": map[string]any{
			"username": "system:serviceaccount:" + ns + ":" + sa, "uid": uid,
		}}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "status": status,
	})
}

func publicPEM(pub *ecdsa.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

var b64 = base64.RawURLEncoding

func signES256(tb testing.TB, key *ecdsa.PrivateKey, claims map[string]any) string {
	tb.Helper()
	header, _ := json.Marshal(map[string]string{"alg": "ES256", "typ": "JWT"})
	payload, err := json.Marshal(claims)
	if err != nil {
		tb.Fatal(err)
	}
	signing := b64.EncodeToString(header) + "." + b64.EncodeToString(payload)
	sum := sha256.Sum256([]byte(signing))
	r, sg, err := ecdsa.Sign(rand.Reader, key, sum[:])
	if err != nil {
		tb.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	sg.FillBytes(sig[32:])
	return signing + "." + b64.EncodeToString(sig)
}

func verifyES256(pub *ecdsa.PublicKey, token string) (map[string]any, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, false
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return nil, false
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	r, sg := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(pub, sum[:], r, sg) {
		return nil, false
	}
	payload, err := b64.DecodeString(parts[1])
	if err != nil {
		return nil, false
	}
	var claims map[string]any
	if json.Unmarshal(payload, &claims) != nil {
		return nil, false
	}
	return claims, true
}
