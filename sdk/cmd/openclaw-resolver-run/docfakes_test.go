//go:build unix

package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// closedAddr is an http:// address on loopback where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	ln.Close()
	return addr
}

// fakeVault is a Vault that is up but knows no token: sys/health, which
// needs none, answers initialized, unsealed and active; every other
// request is refused as Vault refuses a token it did not issue.
func fakeVault(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v1/sys/health" {
			io.WriteString(w, `{"initialized":true,"sealed":false,"standby":false,"performance_standby":false,"version":"1.21.0"}`)
			return
		}
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"errors":["permission denied","invalid token"]}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// fakeAWS is an AWS endpoint that refuses every request's credentials,
// as AWS answers keys it does not know: STS (AWS Query) with its XML
// error, Secrets Manager and SSM (AWS JSON 1.1, told by X-Amz-Target)
// with theirs.
func fakeAWS(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "" {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}`)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>0f1e2d3c-4b5a-4697-8877-665544332211</RequestId></ErrorResponse>`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
