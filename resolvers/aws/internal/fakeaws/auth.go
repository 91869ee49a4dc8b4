package fakeaws

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	sigV4Algorithm = "AWS4-HMAC-SHA256"
	amzDateFormat  = "20060102T150405Z"
	maxClockSkew   = 15 * time.Minute
)

// authError is one way a request fails authentication, in both error
// dialects: the JSON services' code and STS's.
type authError struct {
	status            int
	jsonCode, stsCode string
	message           string
}

var (
	errMissingAuth = authError{http.StatusForbidden, "MissingAuthenticationTokenException", "MissingAuthenticationToken",
		"Missing Authentication Token"}
	errBadToken = authError{http.StatusBadRequest, "UnrecognizedClientException", "InvalidClientTokenId",
		"The security token included in the request is invalid."}
	errExpired = authError{http.StatusBadRequest, "ExpiredTokenException", "ExpiredToken",
		"The security token included in the request is expired"}
	errSignature = authError{http.StatusBadRequest, "InvalidSignatureException", "SignatureDoesNotMatch",
		"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}
)

func incomplete(msg string) authError {
	return authError{http.StatusBadRequest, "IncompleteSignatureException", "IncompleteSignature", msg}
}

func badScope(msg string) authError {
	return authError{http.StatusBadRequest, "InvalidSignatureException", "SignatureDoesNotMatch", msg}
}

// authenticate checks the request's SigV4 signature as AWS does, and
// answers the error AWS gives when it fails.
func (c *call) authenticate() bool {
	e, ok := c.checkAuth()
	if ok {
		return true
	}
	if c.service == ServiceSTS {
		status := e.status
		if e.stsCode == "InvalidClientTokenId" || e.stsCode == "SignatureDoesNotMatch" {
			status = http.StatusForbidden
		}
		c.queryError(status, "Sender", e.stsCode, e.message)
		return false
	}
	c.jsonError(e.status, e.jsonCode, "message", e.message)
	return false
}

// sigV4 is a parsed Authorization header.
type sigV4 struct {
	keyID, date, region, service string
	signedHeaders                []string
	signature                    string
}

func parseAuthorization(h string) (sigV4, bool) {
	var a sigV4
	alg, rest, ok := strings.Cut(h, " ")
	if !ok || alg != sigV4Algorithm {
		return a, false
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, false
		}
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[4] != "aws4_request" || fields["SignedHeaders"] == "" || fields["Signature"] == "" {
		return a, false
	}
	a.keyID, a.date, a.region, a.service = scope[0], scope[1], scope[2], scope[3]
	a.signedHeaders = strings.Split(fields["SignedHeaders"], ";")
	a.signature = fields["Signature"]
	return a, true
}

func (c *call) checkAuth() (authError, bool) {
	h := c.r.Header.Get("Authorization")
	if h == "" {
		return errMissingAuth, false
	}
	a, ok := parseAuthorization(h)
	if !ok {
		return incomplete("Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=" + strings.SplitN(h, " ", 2)[0]), false
	}
	amzDate := c.r.Header.Get("X-Amz-Date")
	if amzDate == "" {
		return incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."), false
	}
	t, err := time.Parse(amzDateFormat, amzDate)
	if err != nil {
		return incomplete("X-Amz-Date must be in the ISO8601 Long Format"), false
	}
	if !strings.HasPrefix(amzDate, a.date) {
		return badScope("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + a.date + "' != '" + amzDate[:8] + "'"), false
	}
	if skew := time.Since(t); skew > maxClockSkew || skew < -maxClockSkew {
		return badScope("Signature expired: " + amzDate + " is now earlier than " + time.Now().UTC().Add(-maxClockSkew).Format(amzDateFormat)), false
	}
	if a.region != c.s.Region {
		return badScope("Credential should be scoped to a valid region. "), false
	}
	if a.service != c.service {
		return badScope("Credential should be scoped to correct service: '" + c.service + "'. "), false
	}
	for _, need := range []string{"host", "x-amz-date"} {
		if !contains(a.signedHeaders, need) {
			return badScope("Signed headers must include " + need), false
		}
	}
	c.s.mu.Lock()
	k, known := c.s.keys[a.keyID]
	var kc key
	if known {
		kc = *k
	}
	c.s.mu.Unlock()
	token := c.r.Header.Get("X-Amz-Security-Token")
	switch {
	case !known:
		return errBadToken, false
	case kc.token != token:
		// A temporary key without its token, with another one, or a
		// long-term key with a token: AWS cannot match the credentials.
		return errBadToken, false
	case kc.token != "" && !contains(a.signedHeaders, "x-amz-security-token"):
		return badScope("x-amz-security-token must be signed"), false
	case kc.expired, !kc.expires.IsZero() && !time.Now().Before(kc.expires):
		return errExpired, false
	}
	if !c.s.SkipSignatureCheck && !hmac.Equal([]byte(a.signature), []byte(c.signature(a, amzDate, kc.secret))) {
		return errSignature, false
	}
	k2 := kc
	c.key, c.keyID = &k2, a.keyID
	return authError{}, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// signature computes the SigV4 signature of the request for the headers
// it says it signed, from the key's secret.
func (c *call) signature(a sigV4, amzDate, secret string) string {
	var canon strings.Builder
	canon.WriteString(c.r.Method + "\n")
	uri := c.r.URL.EscapedPath()
	if uri == "" {
		uri = "/"
	}
	canon.WriteString(uri + "\n")
	canon.WriteString(canonicalQuery(c.r.URL.Query()) + "\n")
	for _, name := range a.signedHeaders {
		canon.WriteString(name + ":" + c.headerValue(name) + "\n")
	}
	canon.WriteString("\n" + strings.Join(a.signedHeaders, ";") + "\n")
	payload := c.r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		sum := sha256.Sum256(c.body)
		payload = hex.EncodeToString(sum[:])
	}
	canon.WriteString(payload)

	canonSum := sha256.Sum256([]byte(canon.String()))
	scope := a.date + "/" + a.region + "/" + a.service + "/aws4_request"
	toSign := sigV4Algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(canonSum[:])

	k := hmacSHA256([]byte("AWS4"+secret), a.date)
	k = hmacSHA256(k, a.region)
	k = hmacSHA256(k, a.service)
	k = hmacSHA256(k, "aws4_request")
	return hex.EncodeToString(hmacSHA256(k, toSign))
}

func (c *call) headerValue(name string) string {
	switch name {
	case "host":
		return c.r.Host
	case "content-length":
		return strconv.FormatInt(c.r.ContentLength, 10)
	}
	values := append([]string(nil), c.r.Header.Values(name)...)
	for i, v := range values {
		values[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(values, ",")
}

func canonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			parts = append(parts, awsEscape(k)+"="+awsEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

func awsEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(url.QueryEscape(s), "+", "%20"), "%7E", "~")
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}
