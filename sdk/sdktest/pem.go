package sdktest

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// PEM returns a deterministic PEM-shaped value holding n bytes, base64 in
// lines of 64: the multi-line, kilobyte-sized kind of secret that tests of
// byte-exact transport need.
func PEM(n int) string {
	var raw []byte
	sum := sha256.Sum256([]byte("execref"))
	for len(raw) < n {
		raw = append(raw, sum[:]...)
		sum = sha256.Sum256(sum[:])
	}
	b64 := base64.StdEncoding.EncodeToString(raw[:n])
	var b strings.Builder
	b.WriteString("-----BEGIN PRIVATE KEY-----\n")
	for len(b64) > 64 {
		b.WriteString(b64[:64] + "\n")
		b64 = b64[64:]
	}
	b.WriteString(b64 + "\n-----END PRIVATE KEY-----\n")
	return b.String()
}
