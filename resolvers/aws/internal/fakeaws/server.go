package fakeaws

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Defaults of a server made by Start.
const (
	DefaultRegion = "us-east-1"
	// AccountID is the account every ARN of the fake belongs to.
	AccountID = "123456789012"
	// AccessKeyID and SecretAccessKey are a long-term key every server
	// knows, for the principal UserARN.
	AccessKeyID     = "AKIAFAKEAWS000000001"
	SecretAccessKey = "fake/Secret+Access/Key/000000000000000000"
	// UserARN is the principal of keys added with AddKey.
	UserARN = "arn:aws:iam::" + AccountID + ":user/fake"
)

// Operation names, as in X-Amz-Target (JSON services) or Action (STS).
const (
	OpGetSecretValue      = "GetSecretValue"
	OpBatchGetSecretValue = "BatchGetSecretValue"
	OpGetParameters       = "GetParameters"
	OpGetParameter        = "GetParameter"
	OpAssumeRole          = "AssumeRole"
	OpGetCallerIdentity   = "GetCallerIdentity"
)

// Service signing names, as in a SigV4 credential scope.
const (
	ServiceSecretsManager = "secretsmanager"
	ServiceSSM            = "ssm"
	ServiceSTS            = "sts"
)

// Per-call limits the real services enforce.
const (
	MaxBatchGetSecretValueIDs = 20
	MaxGetParametersNames     = 10
)

// targets maps an X-Amz-Target prefix to its service's signing name.
var targets = map[string]string{
	"secretsmanager": ServiceSecretsManager,
	"AmazonSSM":      ServiceSSM,
}

// jsonContentType is what AWS JSON 1.1 requests and responses carry.
const jsonContentType = "application/x-amz-json-1.1"

// Server is a running fake. Its exported fields may be set before the
// first request; everything else goes through its methods, which are safe
// for concurrent use.
type Server struct {
	// URL is the endpoint, http://127.0.0.1:PORT, for --endpoint-url or a
	// client's BaseEndpoint.
	URL string
	// Region is the only region the server accepts in credential scopes
	// and ARNs.
	Region string
	// SkipSignatureCheck turns off the verification of signature bytes;
	// everything else about the Authorization header is still checked.
	SkipSignatureCheck bool

	srv *httptest.Server

	mu          sync.Mutex
	keys        map[string]*key
	roles       map[string]*role
	requireRole string
	lifetime    time.Duration      // of the sessions AssumeRole issues; 0: as asked
	secrets     map[string]*secret // by name
	params      map[string]*parameter
	faults      map[string][]fault
	latency     time.Duration
	slow        map[string]time.Duration
	requests    []Request
	assumed     []AssumeRoleCall
	inFlight    int
	maxInFlight int
	seq         int
	stray       []string
	quirks      quirks
}

// key is a known access key.
type key struct {
	secret    string
	token     string // a temporary key's session token
	expired   bool
	expires   time.Time // a temporary key's end; zero: never
	principal string    // the ARN AccessDenied messages name
	role      string    // for keys issued by AssumeRole: the role's ARN
}

// Request is one request as the server saw it.
type Request struct {
	// Seq numbers requests from 1 in arrival order.
	Seq int
	// Service is the signing name it was dispatched to; Op the operation.
	Service, Op string
	// AccessKeyID, Region and SessionToken are from its signature and
	// its X-Amz-Security-Token header.
	AccessKeyID, Region, SessionToken string
	// IDs are the ids it asked for: SecretId, SecretIdList, Name, Names,
	// or RoleArn.
	IDs []string
	// VersionID and VersionStage of a GetSecretValue; WithDecryption of
	// an SSM call.
	VersionID, VersionStage string
	WithDecryption          bool
	// Header is a copy of its headers.
	Header http.Header
	// Status and ErrorCode are the answer: 200 and "", or an error.
	Status    int
	ErrorCode string
}

// AssumeRoleCall is one AssumeRole request that passed authentication.
type AssumeRoleCall struct {
	RoleArn, RoleSessionName, ExternalID string
	DurationSeconds                      int
	// CallerAccessKeyID signed the request.
	CallerAccessKeyID string
	// IssuedAccessKeyID is the temporary key returned, "" when refused,
	// and Expiration its end, as the answer said it.
	IssuedAccessKeyID string
	Expiration        time.Time
}

// Fault is an error answer injected with Fail.
type Fault struct {
	// Status is the HTTP status, e.g. 400 or 500.
	Status int
	// Code is the error's type, e.g. "ThrottlingException".
	Code    string
	Message string
}

type fault struct {
	Fault
	left int // < 0: forever
}

// New starts a server for region on 127.0.0.1. Close it when done.
func New(region string) *Server {
	s := &Server{
		Region:  region,
		keys:    map[string]*key{},
		roles:   map[string]*role{},
		secrets: map[string]*secret{},
		params:  map[string]*parameter{},
		faults:  map[string][]fault{},
		slow:    map[string]time.Duration{},
	}
	s.AddKey(AccessKeyID, SecretAccessKey)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	return s
}

// Start is New(DefaultRegion), closed when tb ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s := New(DefaultRegion)
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server and closes its connections. Requests made after
// that are refused by the operating system, as by an endpoint that is down.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// AddKey makes a long-term access key known, for the principal UserARN.
func (s *Server) AddKey(accessKeyID, secretAccessKey string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[accessKeyID] = &key{secret: secretAccessKey, principal: UserARN}
}

// AddSessionKey makes temporary credentials known: requests signed with
// accessKeyID must carry token as X-Amz-Security-Token.
func (s *Server) AddSessionKey(accessKeyID, secretAccessKey, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[accessKeyID] = &key{secret: secretAccessKey, token: token, principal: UserARN}
}

// ExpireKey makes requests signed with a temporary key fail with
// ExpiredTokenException, as AWS does once its session has expired.
func (s *Server) ExpireKey(accessKeyID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k := s.keys[accessKeyID]; k != nil {
		k.expired = true
	}
}

// SetLatency delays every Secrets Manager and SSM answer by d, so that
// calls overlap and MaxInFlight can see how many run at once.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SlowID delays every Secrets Manager and SSM call that names id (a
// SecretId, a member of SecretIdList or Names, a Name, exactly as sent) by
// d, or until the caller goes away, as a backend that is slow for one
// item.
func (s *Server) SlowID(id string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slow[id] = d
}

// Throttle answers the next n calls of op (n < 0: every call until
// ClearFaults) with the service's throttling error: ThrottlingException
// "Rate exceeded" (HTTP 400) for the JSON services, Throttling for STS.
// Throttled calls are counted and recorded like any other.
func (s *Server) Throttle(op string, n int) {
	code := "ThrottlingException"
	if serviceOf(op) == ServiceSTS {
		code = "Throttling"
	}
	s.Fail(op, n, Fault{Status: http.StatusBadRequest, Code: code, Message: "Rate exceeded"})
}

// ServerError answers the next n calls of op (n < 0: every call) with the
// service's internal error, HTTP 500: InternalServiceError for Secrets
// Manager, InternalServerError for SSM, InternalFailure for STS.
func (s *Server) ServerError(op string, n int) {
	code := map[string]string{ServiceSecretsManager: "InternalServiceError", ServiceSSM: "InternalServerError", ServiceSTS: "InternalFailure"}[serviceOf(op)]
	s.Fail(op, n, Fault{Status: http.StatusInternalServerError, Code: code, Message: "An error occurred on the server side."})
}

// Fail answers the next n calls of op (n < 0: every call until
// ClearFaults) with f, after authentication, in the service's error
// format. Faults queue up: each runs out before the next applies.
func (s *Server) Fail(op string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n != 0 {
		s.faults[op] = append(s.faults[op], fault{Fault: f, left: n})
	}
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string][]fault{}
}

// nextFault consumes the next fault of op, if any.
func (s *Server) nextFault(op string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[op]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0].Fault
	if q[0].left > 0 {
		q[0].left--
		if q[0].left == 0 {
			q = q[1:]
		}
	}
	s.faults[op] = q
	return f, true
}

// Calls is how many requests for op passed authentication, answered or
// failed.
func (s *Server) Calls(op string) int {
	return len(s.CallIDs(op))
}

// CallIDs lists, for every request for op that passed authentication in
// arrival order, the ids it asked for.
func (s *Server) CallIDs(op string) [][]string {
	var out [][]string
	for _, r := range s.Requests() {
		if r.Op == op {
			out = append(out, r.IDs)
		}
	}
	return out
}

// Requests lists every request that passed authentication, in arrival
// order. Requests refused by authentication are not recorded: AWS never
// attributes them to an operation either.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Stray lists requests that were not AWS API calls at all (not a POST to
// "/"), as "METHOD PATH": an instance metadata lookup that reached the
// server through AWS_EC2_METADATA_SERVICE_ENDPOINT, for example.
func (s *Server) Stray() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.stray)
}

// LastRequest is the most recent request that passed authentication.
func (s *Server) LastRequest() (Request, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) == 0 {
		return Request{}, false
	}
	return s.requests[len(s.requests)-1], true
}

// MaxInFlight is the largest number of Secrets Manager and SSM calls
// that were being answered at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// Reset forgets recorded requests, AssumeRole calls and the in-flight
// peak; seeded data, keys and faults stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.assumed, s.maxInFlight = nil, nil, 0
}

func serviceOf(op string) string {
	switch op {
	case OpGetSecretValue, OpBatchGetSecretValue:
		return ServiceSecretsManager
	case OpGetParameters, OpGetParameter:
		return ServiceSSM
	}
	return ServiceSTS
}

// call is one request being answered.
type call struct {
	s       *Server
	w       http.ResponseWriter
	r       *http.Request
	service string
	op      string
	body    []byte
	form    url.Values // STS
	key     *key
	keyID   string
	seq     int      // the request's number in the log, 0 before it is recorded
	ids     []string // the ids it asks for
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{s: s, w: w, r: r}
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		// Not an AWS API call: e.g. the instance metadata service's
		// PUT /latest/api/token, should an SDK be pointed here for it.
		s.mu.Lock()
		s.stray = append(s.stray, r.Method+" "+r.URL.Path)
		s.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 2<<20))
	if err != nil {
		c.jsonError(http.StatusBadRequest, "SerializationException", "Message", "could not read the request body")
		return
	}
	c.body = body
	if !c.dispatch() {
		return
	}
	if !c.authenticate() {
		return
	}
	c.record()
	if c.service != ServiceSTS {
		s.enter(c)
		defer s.leave()
	}
	if f, ok := s.nextFault(c.op); ok {
		c.fault(f)
		return
	}
	switch c.op {
	case OpGetSecretValue:
		c.getSecretValue()
	case OpBatchGetSecretValue:
		c.batchGetSecretValue()
	case OpGetParameters:
		c.getParameters()
	case OpGetParameter:
		c.getParameter()
	case OpAssumeRole:
		c.assumeRole()
	case OpGetCallerIdentity:
		c.getCallerIdentity()
	}
}

// dispatch finds the service and operation: X-Amz-Target for the JSON
// services, the form's Action for STS. Only the operations the resolver
// uses are implemented; any other gets the services' UnknownOperation
// answer.
func (c *call) dispatch() bool {
	mediaType, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if target := c.r.Header.Get("X-Amz-Target"); target != "" {
		prefix, op, _ := strings.Cut(target, ".")
		c.service = targets[prefix]
		switch {
		case c.service == "" || !slices.Contains([]string{OpGetSecretValue, OpBatchGetSecretValue, OpGetParameters, OpGetParameter}, op) || serviceOf(op) != c.service:
			c.jsonError(http.StatusBadRequest, "UnknownOperationException", "Message", "")
			return false
		case mediaType != jsonContentType:
			c.jsonError(http.StatusBadRequest, "SerializationException", "Message", "Content-Type must be "+jsonContentType)
			return false
		case !json.Valid(c.body):
			c.jsonError(http.StatusBadRequest, "SerializationException", "Message", "the request body is not JSON")
			return false
		}
		c.op = op
		return true
	}
	if mediaType == "application/x-www-form-urlencoded" {
		c.service = ServiceSTS
		form, err := url.ParseQuery(string(c.body))
		if err != nil {
			c.queryError(http.StatusBadRequest, "Sender", "MalformedQueryString", err.Error())
			return false
		}
		c.form = form
		action := form.Get("Action")
		if (action != OpAssumeRole && action != OpGetCallerIdentity) || form.Get("Version") != "2011-06-15" {
			c.queryError(http.StatusBadRequest, "Sender", "InvalidAction", fmt.Sprintf("Could not find operation %s for version %s", action, form.Get("Version")))
			return false
		}
		c.op = action
		return true
	}
	c.jsonError(http.StatusBadRequest, "UnknownOperationException", "Message", "")
	return false
}

// record adds the request to the log; answered fills in its answer.
func (c *call) record() {
	rec := Request{
		Service: c.service, Op: c.op, AccessKeyID: c.keyID,
		Region: c.s.Region, SessionToken: c.r.Header.Get("X-Amz-Security-Token"),
		Header: c.r.Header.Clone(), Status: http.StatusOK,
	}
	var in struct {
		SecretId       string
		SecretIdList   []string
		VersionId      string
		VersionStage   string
		Name           string
		Names          []string
		WithDecryption bool
	}
	switch c.service {
	case ServiceSTS:
		if c.op == OpAssumeRole {
			rec.IDs = []string{c.form.Get("RoleArn")}
		}
	default:
		_ = json.Unmarshal(c.body, &in)
		switch c.op {
		case OpGetSecretValue:
			rec.IDs = []string{in.SecretId}
		case OpBatchGetSecretValue:
			rec.IDs = in.SecretIdList
		case OpGetParameter:
			rec.IDs = []string{in.Name}
		case OpGetParameters:
			rec.IDs = in.Names
		}
		rec.VersionID, rec.VersionStage, rec.WithDecryption = in.VersionId, in.VersionStage, in.WithDecryption
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	c.s.seq++
	rec.Seq = c.s.seq
	c.s.requests = append(c.s.requests, rec)
	c.seq, c.ids = rec.Seq, rec.IDs
}

// enter counts a call in flight and holds it for the latency, and longer
// when it names a slow id.
func (s *Server) enter(c *call) {
	s.mu.Lock()
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	d := s.latency
	for _, id := range c.ids {
		d = max(d, s.slow[id])
	}
	s.mu.Unlock()
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.r.Context().Done():
		}
	}
}

func (s *Server) leave() {
	s.mu.Lock()
	s.inFlight--
	s.mu.Unlock()
}

// answered notes the status and error code in the request's record.
func (c *call) answered(status int, code string) {
	if c.seq == 0 {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	for i := len(c.s.requests) - 1; i >= 0; i-- {
		if c.s.requests[i].Seq == c.seq {
			c.s.requests[i].Status, c.s.requests[i].ErrorCode = status, code
			return
		}
	}
}

func (c *call) fault(f Fault) {
	if c.service == ServiceSTS {
		typ := "Sender"
		if f.Status >= 500 {
			typ = "Receiver"
		}
		c.queryError(f.Status, typ, f.Code, f.Message)
		return
	}
	c.jsonError(f.Status, f.Code, messageMember(c.service, f.Code), f.Message)
}

// messageMember is how a service spells an error's message member: the
// casing of its model (which is what the service sends), and lower case
// for the errors AWS's front end sends for every service.
func messageMember(service, code string) string {
	switch code {
	case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
		"MissingAuthenticationTokenException", "ExpiredTokenException", "ThrottlingException":
		return "message"
	}
	if service == ServiceSSM {
		switch code {
		case "ParameterNotFound", "ParameterVersionNotFound", "InvalidKeyId":
			return "message"
		}
	}
	return "Message"
}

func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ok writes a JSON service's success answer.
func (c *call) ok(v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		c.jsonError(http.StatusInternalServerError, "InternalFailure", "Message", err.Error())
		return
	}
	h := c.w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("X-Amzn-Requestid", requestID())
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// jsonError writes a JSON service's error: {"__type": code, member:
// message}, the message member left out when message is empty (as AWS does
// for ParameterNotFound).
func (c *call) jsonError(status int, code, member, message string) {
	c.answered(status, code)
	body := map[string]string{"__type": code}
	if message != "" {
		body[member] = message
	}
	data, _ := json.Marshal(body)
	h := c.w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("X-Amzn-Requestid", requestID())
	c.w.WriteHeader(status)
	_, _ = c.w.Write(data)
}

// svcError writes a JSON service error with the service's casing.
func (c *call) svcError(status int, code, message string) {
	c.jsonError(status, code, messageMember(c.service, code), message)
}

// queryError writes an STS error document.
func (c *call) queryError(status int, typ, code, message string) {
	c.answered(status, code)
	var doc struct {
		XMLName xml.Name `xml:"ErrorResponse"`
		XMLNS   string   `xml:"xmlns,attr"`
		Error   struct {
			Type    string `xml:"Type"`
			Code    string `xml:"Code"`
			Message string `xml:"Message"`
		} `xml:"Error"`
		RequestID string `xml:"RequestId"`
	}
	doc.XMLNS = stsNamespace
	doc.Error.Type, doc.Error.Code, doc.Error.Message = typ, code, message
	doc.RequestID = requestID()
	data, _ := xml.Marshal(doc)
	h := c.w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-Requestid", doc.RequestID)
	c.w.WriteHeader(status)
	_, _ = c.w.Write(data)
}

// denied is AWS's AccessDenied message for principal and action on
// resource.
func denied(principal, action, resource string) string {
	return fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action", principal, action, resource, action)
}
