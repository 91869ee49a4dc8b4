package fakeaws

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Parameter types.
const (
	TypeString       = "String"
	TypeStringList   = "StringList"
	TypeSecureString = "SecureString"
)

type parameter struct {
	name     string
	versions []*paramVersion
	denied   bool
	kmsFail  bool
}

type paramVersion struct {
	version  int64
	typ      string
	value    string
	labels   []string
	modified time.Time
}

// PutParameter adds a version to parameter name (creating it at version
// 1), as PutParameter with Overwrite does, and returns the version's
// number. typ is TypeString, TypeStringList or TypeSecureString.
func (s *Server) PutParameter(name, typ, value string) int64 {
	switch typ {
	case TypeString, TypeStringList, TypeSecureString:
	default:
		panic("fakeaws: unknown parameter type " + typ)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.paramLocked(name)
	v := &paramVersion{version: int64(len(p.versions) + 1), typ: typ, value: value, modified: time.Now()}
	p.versions = append(p.versions, v)
	return v.version
}

// LabelParameterVersion attaches labels to a version of parameter name,
// moving each from the version that had it, as LabelParameterVersion does.
func (s *Server) LabelParameterVersion(name string, version int64, labels ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.paramLocked(name)
	if version < 1 || version > int64(len(p.versions)) {
		panic(fmt.Sprintf("fakeaws: parameter %s has no version %d", name, version))
	}
	for _, l := range labels {
		for _, v := range p.versions {
			v.labels = slices.DeleteFunc(v.labels, func(x string) bool { return x == l })
		}
		v := p.versions[version-1]
		v.labels = append(v.labels, l)
	}
}

// DenyParameter makes every call that names parameter name fail as a
// whole with AccessDeniedException, as IAM does when one of the names of
// a GetParameters call is not allowed.
func (s *Server) DenyParameter(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paramLocked(name).denied = true
}

// FailParameterKMS makes every call that decrypts parameter name (a
// SecureString read WithDecryption) fail as a whole with InvalidKeyId, as
// when its KMS key is disabled.
func (s *Server) FailParameterKMS(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paramLocked(name).kmsFail = true
}

// ParameterARN is parameter name's ARN. "x" and "/x" have the same one;
// asked by that ARN, the fake finds "x" if it exists, else "/x".
func (s *Server) ParameterARN(name string) string {
	return fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s", s.Region, AccountID, strings.TrimPrefix(name, "/"))
}

func (s *Server) paramLocked(name string) *parameter {
	if p, ok := s.params[name]; ok {
		return p
	}
	p := &parameter{name: name}
	s.params[name] = p
	return p
}

// paramRef is a name as GetParameters takes it: a name or an ARN,
// optionally followed by ":version" or ":label".
type paramRef struct {
	name     string
	alt      string // by ARN, a one-level name: "/x", tried when "x" does not exist
	selector string // ":3", ":label" or ""
	version  int64  // > 0 when the selector is a version
	label    string
}

func (s *Server) parseParamRef(ref string) paramRef {
	prefix := fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/", s.Region, AccountID)
	alt := ""
	if rest, ok := strings.CutPrefix(ref, prefix); ok {
		name, _, _ := strings.Cut(rest, ":")
		if strings.Contains(name, "/") {
			ref = "/" + rest
		} else {
			ref, alt = rest, "/"+name // "x" and "/x" have the same ARN
		}
	}
	name, sel, ok := strings.Cut(ref, ":")
	r := paramRef{name: name, alt: alt}
	if !ok {
		return r
	}
	r.selector = ":" + sel
	if n, err := strconv.ParseInt(sel, 10, 64); err == nil {
		r.version = n
	} else {
		r.label = sel
	}
	return r
}

// paramOf finds the parameter a reference names, nil if none: by ARN, a
// one-level name is "x" if that exists, else "/x", since both have the same
// ARN. Call it with s.mu held.
func (s *Server) paramOf(r paramRef) *parameter {
	if p := s.params[r.name]; p != nil || r.alt == "" {
		return p
	}
	return s.params[r.alt]
}

// paramEntry is a Parameter in GetParameter(s)'s response.
type paramEntry struct {
	Name             string  `json:"Name"`
	Type             string  `json:"Type"`
	Value            string  `json:"Value"`
	Version          int64   `json:"Version"`
	Selector         string  `json:"Selector,omitempty"`
	LastModifiedDate float64 `json:"LastModifiedDate"`
	ARN              string  `json:"ARN"`
	DataType         string  `json:"DataType"`
}

// lookup finds the version a reference selects; nil when there is none,
// with found false when the parameter itself does not exist.
func (s *Server) lookup(r paramRef) (p *parameter, v *paramVersion, found bool) {
	p = s.paramOf(r)
	if p == nil || len(p.versions) == 0 {
		return p, nil, false
	}
	switch {
	case r.version > 0:
		if r.version <= int64(len(p.versions)) {
			v = p.versions[r.version-1]
		}
	case r.label != "":
		for _, x := range p.versions {
			if slices.Contains(x.labels, r.label) {
				v = x
			}
		}
	case r.selector != "":
		// ":" with nothing after it, or ":0": selects nothing.
	default:
		v = p.versions[len(p.versions)-1]
	}
	return p, v, true
}

func (s *Server) paramEntry(p *parameter, v *paramVersion, r paramRef, decrypt bool) paramEntry {
	value := v.value
	if v.typ == TypeSecureString && !decrypt {
		value = ciphertext(p.name, v)
	}
	selector := r.selector
	if s.quirks.omitSelector {
		selector = ""
	}
	return paramEntry{
		Name: p.name, Type: v.typ, Value: value, Version: v.version, Selector: selector,
		LastModifiedDate: float64(v.modified.UnixMilli()) / 1000,
		ARN:              s.ParameterARN(p.name), DataType: "text",
	}
}

// ciphertext stands for the KMS ciphertext blob SSM returns for a
// SecureString read without decryption: base64, and no trace of the
// plaintext.
func ciphertext(name string, v *paramVersion) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d\x00%s", name, v.version, v.value)))
	return base64.StdEncoding.EncodeToString(append([]byte{0x01, 0x02, 0x02, 0x00, 0x78}, sum[:]...))
}

// checkParams applies the whole-call failures of an SSM read: the caller
// may not read one of the names (AccessDeniedException), or KMS cannot
// decrypt one of them (InvalidKeyId).
func (c *call) checkParams(action string, refs []paramRef, decrypt bool) bool {
	c.s.mu.Lock()
	var code, msg string
	for _, r := range refs {
		p := c.s.paramOf(r)
		switch {
		case c.s.requireRole != "" && c.key.role != c.s.requireRole, p != nil && p.denied:
			code, msg = "AccessDeniedException", denied(c.key.principal, action, c.s.ParameterARN(r.name))
		}
		if code != "" {
			break
		}
	}
	if code == "" && decrypt {
		for _, r := range refs {
			p, v, _ := c.s.lookup(r)
			if v != nil && p.kmsFail && v.typ == TypeSecureString {
				code = "InvalidKeyId"
				msg = fmt.Sprintf("arn:aws:kms:%s:%s:key/00000000-0000-0000-0000-000000000000 is disabled. (Service: AWSKMS; Status Code: 400; Error Code: DisabledException; Request ID: %s; Proxy: null)", c.s.Region, AccountID, requestID())
				break
			}
		}
	}
	c.s.mu.Unlock()
	if code != "" {
		c.svcError(http.StatusBadRequest, code, msg)
		return false
	}
	return true
}

func (c *call) getParameters() {
	var in struct {
		Names          []string
		WithDecryption *bool
	}
	if err := json.Unmarshal(c.body, &in); err != nil {
		c.svcError(http.StatusBadRequest, "SerializationException", err.Error())
		return
	}
	switch {
	case len(in.Names) == 0:
		c.svcError(http.StatusBadRequest, "ValidationException", "1 validation error detected: Value '[]' at 'names' failed to satisfy constraint: Member must have length greater than or equal to 1")
		return
	case len(in.Names) > MaxGetParametersNames:
		c.svcError(http.StatusBadRequest, "ValidationException", fmt.Sprintf(
			"1 validation error detected: Value '[%s]' at 'names' failed to satisfy constraint: Member must have length less than or equal to %d",
			strings.Join(in.Names, ", "), MaxGetParametersNames))
		return
	}
	decrypt := in.WithDecryption != nil && *in.WithDecryption
	refs := make([]paramRef, len(in.Names))
	for i, n := range in.Names {
		refs[i] = c.s.parseParamRef(n)
	}
	if !c.checkParams("ssm:GetParameters", refs, decrypt) {
		return
	}
	out := struct {
		Parameters        []paramEntry `json:"Parameters"`
		InvalidParameters []string     `json:"InvalidParameters"`
	}{Parameters: []paramEntry{}, InvalidParameters: []string{}}
	seen := map[string]bool{}
	c.s.mu.Lock()
	for i, r := range refs {
		if seen[in.Names[i]] {
			continue
		}
		seen[in.Names[i]] = true
		p, v, _ := c.s.lookup(r)
		if v == nil {
			out.InvalidParameters = append(out.InvalidParameters, in.Names[i])
			continue
		}
		out.Parameters = append(out.Parameters, c.s.paramEntry(p, v, r, decrypt))
	}
	c.s.mu.Unlock()
	c.ok(out)
}

func (c *call) getParameter() {
	var in struct {
		Name           *string
		WithDecryption *bool
	}
	if err := json.Unmarshal(c.body, &in); err != nil {
		c.svcError(http.StatusBadRequest, "SerializationException", err.Error())
		return
	}
	if in.Name == nil || *in.Name == "" {
		c.svcError(http.StatusBadRequest, "ValidationException", "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
		return
	}
	decrypt := in.WithDecryption != nil && *in.WithDecryption
	r := c.s.parseParamRef(*in.Name)
	if !c.checkParams("ssm:GetParameter", []paramRef{r}, decrypt) {
		return
	}
	c.s.mu.Lock()
	p, v, found := c.s.lookup(r)
	var e paramEntry
	if v != nil {
		e = c.s.paramEntry(p, v, r, decrypt)
	}
	c.s.mu.Unlock()
	switch {
	case !found, v == nil && r.version == 0:
		c.svcError(http.StatusBadRequest, "ParameterNotFound", "")
	case v == nil:
		c.svcError(http.StatusBadRequest, "ParameterVersionNotFound", fmt.Sprintf("Systems Manager could not find version %d of %s. Verify the version and try again.", r.version, r.name))
	default:
		c.ok(struct {
			Parameter paramEntry `json:"Parameter"`
		}{e})
	}
}
