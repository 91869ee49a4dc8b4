package fakeaws

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Staging labels Secrets Manager manages itself.
const (
	StageCurrent  = "AWSCURRENT"
	StagePrevious = "AWSPREVIOUS"
	StagePending  = "AWSPENDING"
)

// Secrets Manager's messages, word for word.
const (
	msgSecretNotFound = "Secrets Manager can't find the specified secret."
	msgSecretDeleted  = "You can't perform this operation on the secret because it was marked for deletion."
	msgDecryption     = "Secrets Manager can't decrypt the protected secret text using the provided KMS key."
)

type secret struct {
	name, arn string
	versions  []*secretVersion // creation order
	denied    bool
	kmsFail   bool
	deleted   bool
}

type secretVersion struct {
	id      string
	str     *string
	bin     []byte
	stages  []string
	created time.Time
}

// SecretValue is one version of a secret for PutSecret.
type SecretValue struct {
	// String is the SecretString, unless Binary is non-nil.
	String string
	// Binary, when non-nil, makes the version a binary secret: it has a
	// SecretBinary and no SecretString.
	Binary []byte
	// VersionID is the version's id; empty means a new random UUID.
	VersionID string
	// Stages are its staging labels; nil means AWSCURRENT. Each label
	// moves to this version from any other; when AWSCURRENT moves, the
	// version that had it becomes AWSPREVIOUS, as PutSecretValue does.
	Stages []string
}

// PutSecret creates the secret name if needed and adds a version to it.
// It returns the version's id.
func (s *Server) PutSecret(name string, v SecretValue) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.secretLocked(name)
	if v.VersionID == "" {
		v.VersionID = newUUID()
	}
	if v.Stages == nil {
		v.Stages = []string{StageCurrent}
	}
	ver := &secretVersion{id: v.VersionID, stages: slices.Clone(v.Stages), created: time.Now()}
	if v.Binary != nil {
		ver.bin = slices.Clone(v.Binary)
	} else {
		str := v.String
		ver.str = &str
	}
	for _, stage := range ver.stages {
		for _, old := range sec.versions {
			if i := slices.Index(old.stages, stage); i >= 0 {
				old.stages = slices.Delete(old.stages, i, i+1)
				if stage == StageCurrent && !slices.Contains(ver.stages, StagePrevious) {
					for _, o := range sec.versions {
						o.stages = slices.DeleteFunc(o.stages, func(s string) bool { return s == StagePrevious })
					}
					old.stages = append(old.stages, StagePrevious)
				}
			}
		}
	}
	sec.versions = append(sec.versions, ver)
	return ver.id
}

// PutSecretString adds a string version labelled AWSCURRENT to secret
// name, and returns its version id.
func (s *Server) PutSecretString(name, value string) string {
	return s.PutSecret(name, SecretValue{String: value})
}

// PutSecretBinary adds a binary version labelled AWSCURRENT to secret
// name, and returns its version id.
func (s *Server) PutSecretBinary(name string, value []byte) string {
	if value == nil {
		value = []byte{}
	}
	return s.PutSecret(name, SecretValue{Binary: value})
}

// SecretARN is the full ARN of secret name, with the six random
// characters Secrets Manager appends (derived from the name here, so it is
// stable).
func (s *Server) SecretARN(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.secretLocked(name).arn
}

// DenySecret makes every read of secret name fail with
// AccessDeniedException, as an IAM policy that does not cover it would.
func (s *Server) DenySecret(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secretLocked(name).denied = true
}

// FailSecretKMS makes reads of secret name fail with DecryptionFailure, as
// when its KMS key is disabled or the caller may not use it.
func (s *Server) FailSecretKMS(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secretLocked(name).kmsFail = true
}

// DeleteSecret marks secret name for deletion: reads fail with
// InvalidRequestException until the recovery window ends.
func (s *Server) DeleteSecret(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secretLocked(name).deleted = true
}

// secretLocked returns secret name, creating it without versions.
func (s *Server) secretLocked(name string) *secret {
	if sec, ok := s.secrets[name]; ok {
		return sec
	}
	sec := &secret{name: name, arn: fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-%s", s.Region, AccountID, name, arnSuffix(name))}
	s.secrets[name] = sec
	return sec
}

// findSecret resolves a SecretId as Secrets Manager does: a name, a full
// ARN, or an ARN without the random suffix. A string that is one secret's
// complete ARN and another's partial ARN (the other's name ends in a hyphen
// and six characters) is taken as the complete ARN, as the Secrets Manager
// documentation says it is.
func (s *Server) findSecret(id string) *secret {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !strings.HasPrefix(id, "arn:") {
		return s.secrets[id]
	}
	var partial *secret
	for _, sec := range s.secrets {
		switch {
		case sec.arn == id:
			return sec
		case s.quirks.loosePartialARNs:
			if strings.HasPrefix(sec.arn, id) && (partial == nil || longer(sec.name, partial.name)) {
				partial = sec
			}
		case sec.arn[:len(sec.arn)-7] == id:
			partial = sec // unique: names are
		}
	}
	return partial
}

// longer orders names longest first, then by name, so that a loose match
// does not depend on map order.
func longer(a, b string) bool {
	return len(a) > len(b) || len(a) == len(b) && a > b
}

func arnSuffix(name string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256([]byte(name))
	b := make([]byte, 6)
	for i := range b {
		b[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return string(b)
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// secretEntry is GetSecretValue's response and a BatchGetSecretValue
// SecretValues entry. SecretBinary is a blob: base64 (standard encoding)
// in JSON, which is how encoding/json writes a []byte. CreatedDate is a
// timestamp: epoch seconds as a number in AWS JSON.
type secretEntry struct {
	ARN           string   `json:"ARN"`
	Name          string   `json:"Name"`
	VersionID     string   `json:"VersionId"`
	SecretString  *string  `json:"SecretString,omitempty"`
	SecretBinary  []byte   `json:"SecretBinary,omitempty"`
	VersionStages []string `json:"VersionStages"`
	CreatedDate   float64  `json:"CreatedDate"`
}

// apiError is a BatchGetSecretValue Errors entry.
type apiError struct {
	SecretID  string `json:"SecretId"`
	ErrorCode string `json:"ErrorCode"`
	Message   string `json:"Message"`
}

// roleDenied reports whether RequireRole refuses the caller.
func (c *call) roleDenied() bool {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return c.s.requireRole != "" && c.key.role != c.s.requireRole
}

// readSecret applies the checks of one secret read in order, and returns
// the version or the error code and message.
func (c *call) readSecret(id, versionID, stage string) (*secret, *secretVersion, string, string) {
	sec := c.s.findSecret(id)
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	switch {
	case sec != nil && sec.denied:
		return nil, nil, "AccessDeniedException", denied(c.key.principal, "secretsmanager:GetSecretValue", sec.arn)
	case sec == nil || len(sec.versions) == 0:
		return nil, nil, "ResourceNotFoundException", msgSecretNotFound
	case sec.deleted:
		return nil, nil, "InvalidRequestException", msgSecretDeleted
	}
	var ver *secretVersion
	if versionID == "" && stage == "" {
		stage = StageCurrent
	}
	for _, v := range sec.versions {
		if (versionID == "" || v.id == versionID) && (stage == "" || slices.Contains(v.stages, stage)) {
			ver = v
		}
	}
	switch {
	case ver == nil && versionID != "":
		return nil, nil, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for VersionId: " + versionID
	case ver == nil:
		return nil, nil, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: " + stage
	case sec.kmsFail:
		return nil, nil, "DecryptionFailure", msgDecryption
	}
	return sec, ver, "", ""
}

func entry(sec *secret, ver *secretVersion) secretEntry {
	e := secretEntry{
		ARN: sec.arn, Name: sec.name, VersionID: ver.id, SecretString: ver.str,
		VersionStages: slices.Clone(ver.stages),
		CreatedDate:   float64(ver.created.UnixMilli()) / 1000,
	}
	if ver.bin != nil {
		e.SecretBinary = ver.bin
		if len(ver.bin) == 0 {
			e.SecretBinary = []byte{} // still present, as ""
		}
	}
	if e.VersionStages == nil {
		e.VersionStages = []string{}
	}
	return e
}

func (c *call) getSecretValue() {
	var in struct {
		SecretId     *string
		VersionId    *string
		VersionStage *string
	}
	if err := json.Unmarshal(c.body, &in); err != nil {
		c.svcError(http.StatusBadRequest, "SerializationException", err.Error())
		return
	}
	if in.SecretId == nil || *in.SecretId == "" {
		c.svcError(http.StatusBadRequest, "ValidationException", "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null")
		return
	}
	if c.roleDenied() {
		c.svcError(http.StatusBadRequest, "AccessDeniedException", denied(c.key.principal, "secretsmanager:GetSecretValue", *in.SecretId))
		return
	}
	versionID, stage := deref(in.VersionId), deref(in.VersionStage)
	c.s.mu.Lock()
	if c.s.quirks.ignoreVersions {
		versionID, stage = "", ""
	}
	c.s.mu.Unlock()
	sec, ver, code, msg := c.readSecret(*in.SecretId, versionID, stage)
	if code != "" {
		c.svcError(http.StatusBadRequest, code, msg)
		return
	}
	c.s.mu.Lock()
	e := entry(sec, ver)
	c.s.mu.Unlock()
	c.ok(e)
}

func (c *call) batchGetSecretValue() {
	var in struct {
		SecretIdList []string
		Filters      []json.RawMessage
		MaxResults   *int
		NextToken    *string
	}
	if err := json.Unmarshal(c.body, &in); err != nil {
		c.svcError(http.StatusBadRequest, "SerializationException", err.Error())
		return
	}
	switch {
	case len(in.SecretIdList) > 0 && len(in.Filters) > 0, len(in.SecretIdList) == 0 && len(in.Filters) == 0:
		c.svcError(http.StatusBadRequest, "InvalidParameterException", "You must specify either SecretIdList or Filters, but not both.")
		return
	case len(in.SecretIdList) > MaxBatchGetSecretValueIDs:
		c.svcError(http.StatusBadRequest, "ValidationException", fmt.Sprintf(
			"1 validation error detected: Value '[%s]' at 'secretIdList' failed to satisfy constraint: Member must have length less than or equal to %d",
			strings.Join(in.SecretIdList, ", "), MaxBatchGetSecretValueIDs))
		return
	case len(in.Filters) > 0:
		c.svcError(http.StatusBadRequest, "InvalidRequestException", "the fake supports SecretIdList only")
		return
	case in.MaxResults != nil:
		c.svcError(http.StatusBadRequest, "InvalidParameterException", "MaxResults can be used only with Filters.")
		return
	}
	if c.roleDenied() {
		c.svcError(http.StatusBadRequest, "AccessDeniedException", denied(c.key.principal, "secretsmanager:BatchGetSecretValue", "*"))
		return
	}
	out := struct {
		SecretValues []secretEntry `json:"SecretValues"`
		Errors       []apiError    `json:"Errors"`
	}{SecretValues: []secretEntry{}, Errors: []apiError{}}
	for _, id := range in.SecretIdList {
		sec, ver, code, msg := c.readSecret(id, "", "")
		if code != "" {
			out.Errors = append(out.Errors, apiError{SecretID: id, ErrorCode: code, Message: msg})
			continue
		}
		c.s.mu.Lock()
		out.SecretValues = append(out.SecretValues, entry(sec, ver))
		c.s.mu.Unlock()
	}
	c.ok(out)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
