package fakeaws

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

type role struct {
	arn        string
	externalID string
}

// RoleARN is the ARN of role name in the fake's account.
func RoleARN(name string) string { return "arn:aws:iam::" + AccountID + ":role/" + name }

// AddRole makes a role assumable by every known key. When externalID is
// not empty, the role's trust policy requires it (sts:ExternalId), as for
// a role a third party assumes.
func (s *Server) AddRole(roleArn, externalID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roles[roleArn] = &role{arn: roleArn, externalID: externalID}
}

// RequireRole makes every Secrets Manager and SSM call fail with
// AccessDeniedException unless it is signed with temporary credentials
// that AssumeRole issued for roleArn, as when only that role may read the
// secrets. Empty turns the requirement off.
func (s *Server) RequireRole(roleArn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requireRole = roleArn
}

// SetSessionLifetime makes the sessions AssumeRole issues from now on end
// d after they are issued, whatever DurationSeconds asked (STS's floor is
// 15 minutes; tests need seconds): the answer's Expiration says so, and
// the key is refused with ExpiredTokenException from then on, as AWS
// does. Zero restores the duration asked (an hour by default).
func (s *Server) SetSessionLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lifetime = d
}

// AssumeRoleCalls lists the AssumeRole requests that passed
// authentication, in order.
func (s *Server) AssumeRoleCalls() []AssumeRoleCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.assumed)
}

// IssuedKey reports whether accessKeyID is a temporary key AssumeRole
// issued, and for which role.
func (s *Server) IssuedKey(accessKeyID string) (roleArn string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.keys[accessKeyID]
	if k == nil || k.role == "" {
		return "", false
	}
	return k.role, true
}

var sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

func validationError(c *call, value, member, constraint string) {
	c.queryError(http.StatusBadRequest, "Sender", "ValidationError",
		fmt.Sprintf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint))
}

func (c *call) assumeRole() {
	f := c.form
	rec := AssumeRoleCall{
		RoleArn: f.Get("RoleArn"), RoleSessionName: f.Get("RoleSessionName"),
		ExternalID: f.Get("ExternalId"), DurationSeconds: 3600, CallerAccessKeyID: c.keyID,
	}
	defer func() {
		c.s.mu.Lock()
		c.s.assumed = append(c.s.assumed, rec)
		c.s.mu.Unlock()
	}()
	if d := f.Get("DurationSeconds"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 900 || n > 43200 {
			validationError(c, d, "durationSeconds", "Member must have value between 900 and 43200")
			return
		}
		rec.DurationSeconds = n
	}
	switch {
	case rec.RoleArn == "":
		validationError(c, "null", "roleArn", "Member must not be null")
		return
	case !sessionNamePattern.MatchString(rec.RoleSessionName):
		validationError(c, rec.RoleSessionName, "roleSessionName", `Member must satisfy regular expression pattern: [\w+=,.@-]*`)
		return
	}
	c.s.mu.Lock()
	r := c.s.roles[rec.RoleArn]
	c.s.mu.Unlock()
	if r == nil || (r.externalID != "" && r.externalID != rec.ExternalID) {
		c.queryError(http.StatusForbidden, "Sender", "AccessDenied", fmt.Sprintf(
			"User: %s is not authorized to perform: sts:AssumeRole on resource: %s", c.key.principal, rec.RoleArn))
		return
	}

	roleName := rec.RoleArn[strings.LastIndex(rec.RoleArn, "/")+1:]
	keyID := "ASIA" + randomString(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
	secretKey := randomString(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
	token := randomToken()
	c.s.mu.Lock()
	lifetime := time.Duration(rec.DurationSeconds) * time.Second
	if c.s.lifetime > 0 {
		lifetime = c.s.lifetime
	}
	// Whole seconds, as the answer's timestamp carries them: the key
	// ends exactly when the caller was told it does.
	expiration := time.Now().UTC().Add(lifetime).Truncate(time.Second)
	c.s.keys[keyID] = &key{
		secret: secretKey, token: token, role: rec.RoleArn, expires: expiration,
		principal: fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", AccountID, roleName, rec.RoleSessionName),
	}
	c.s.mu.Unlock()
	rec.IssuedAccessKeyID, rec.Expiration = keyID, expiration

	type credentials struct {
		AccessKeyID     string `xml:"AccessKeyId"`
		SecretAccessKey string `xml:"SecretAccessKey"`
		SessionToken    string `xml:"SessionToken"`
		Expiration      string `xml:"Expiration"`
	}
	var doc struct {
		XMLName xml.Name `xml:"AssumeRoleResponse"`
		XMLNS   string   `xml:"xmlns,attr"`
		Result  struct {
			AssumedRoleUser struct {
				Arn           string `xml:"Arn"`
				AssumedRoleID string `xml:"AssumedRoleId"`
			} `xml:"AssumedRoleUser"`
			Credentials      credentials `xml:"Credentials"`
			PackedPolicySize int         `xml:"PackedPolicySize,omitempty"`
		} `xml:"AssumeRoleResult"`
		Metadata struct {
			RequestID string `xml:"RequestId"`
		} `xml:"ResponseMetadata"`
	}
	doc.XMLNS = stsNamespace
	doc.Result.AssumedRoleUser.Arn = fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", AccountID, roleName, rec.RoleSessionName)
	doc.Result.AssumedRoleUser.AssumedRoleID = "AROA" + randomString(17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") + ":" + rec.RoleSessionName
	doc.Result.Credentials = credentials{keyID, secretKey, token, expiration.Format(time.RFC3339)}
	doc.Metadata.RequestID = requestID()
	data, _ := xml.Marshal(doc)
	h := c.w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-Requestid", doc.Metadata.RequestID)
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(data)
}

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func randomToken() string {
	b := make([]byte, 96)
	_, _ = rand.Read(b)
	return "FwoGZXIvYXdzE" + base64.StdEncoding.EncodeToString(b)
}
