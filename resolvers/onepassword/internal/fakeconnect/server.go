// Package fakeconnect is an in-process fake of a 1Password Connect server,
// speaking the documented Connect REST API v1 on 127.0.0.1 for tests:
//
//	GET /v1/vaults[?filter=name eq "x"]       the vaults in the token's scope (title eq is accepted too: connect-sdk-go sends it)
//	GET /v1/vaults/{vaultId}
//	GET /v1/vaults/{vaultId}/items[?filter=title eq "x"]   item summaries: no fields, sections or files
//	GET /v1/vaults/{vaultId}/items/{itemId}   the whole item: sections, fields, files
//	GET /v1/vaults/{vaultId}/items/{itemId}/files[?inline_files=true]
//	GET /v1/vaults/{vaultId}/items/{itemId}/files/{fileId}[?inline_files=true]
//	GET /v1/vaults/{vaultId}/items/{itemId}/files/{fileId}/content
//	GET /health, GET /heartbeat               no token needed
//
// Every /v1 request needs "Authorization: Bearer TOKEN"; ids are 26
// lowercase characters; errors carry Connect's body {"status":N,
// "message":"..."} with the messages of its specification (401 "Invalid
// token signature", 403 "vault X is not in scope", 404 "vault X not
// found", "item X not found", "file X not found"); every answer carries
// the 1Password-Connect-Version header. Where the specification is silent
// the fake chooses, and says so: filters compare exactly (case included),
// and an unknown path or a method other than GET is 404 or 405 and listed
// in Stray. Tests inject faults (any status, rate limiting, dropped
// connections, slow items) and count requests, so that they can assert
// that each item is fetched once per batch.
package fakeconnect

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Token is the access token every server accepts. It has the shape of a
// Connect token (a JWT) and is no real credential.
const Token = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImZha2Vjb25uZWN0In0.eyJmYWtlY29ubmVjdCI6dHJ1ZX0.ZmFrZWNvbm5lY3Qtc2lnbmF0dXJl"

// Version is the Connect version the server reports in the
// 1Password-Connect-Version header (connect-sdk-go needs at least 1.3.0
// for files).
const Version = "1.7.3"

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is http://127.0.0.1:PORT, what OP_CONNECT_HOST holds.
	URL string

	srv *httptest.Server

	mu          sync.Mutex
	token       string
	seq         int // ids handed out
	vaults      []*vault
	faults      []fault
	itemFaults  map[string]ItemFault
	latency     time.Duration
	requests    []Request
	stray       []string
	inFlight    int
	maxInFlight int
	conns       int // connections accepted
}

type vault struct {
	Vault
	items      []*Item
	outOfScope bool
}

// Request is one request as the server saw it.
type Request struct {
	Seq    int
	Method string
	Path   string
	// Filter is the filter query parameter, "" when none.
	Filter string
	// Authorized tells whether it carried the right bearer token.
	Authorized bool
	// Status is the answer's status; 0 for a connection dropped by
	// DropItem, or a request still being answered.
	Status int
}

type fault struct {
	status int
	left   int // < 0: until ClearFaults
}

// ItemFault changes how requests for one item (its GET, its files) are
// answered.
type ItemFault struct {
	// Status, when not 0, answers them with this status and Connect's
	// error body.
	Status int
	// Drop closes the connection without an answer, as a server that
	// went away in the middle of a batch.
	Drop bool
	// Delay holds the answer this long, or until the client goes away.
	Delay time.Duration
}

// Start runs a server with no vaults, closed when tb ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{token: Token, itemFaults: map[string]ItemFault{}}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
		}
	}
	s.srv.Start()
	s.URL = s.srv.URL
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server and closes its connections, held ones included.
// Requests made after that are refused, as by a server that is down.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// SetToken changes the token the server accepts (as when a token is
// revoked and another issued).
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
}

// AddVault adds a vault in the token's scope and returns it.
func (s *Server) AddVault(name string) Vault {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := &vault{Vault: Vault{ID: s.newIDLocked(), Name: name}}
	s.vaults = append(s.vaults, v)
	return v.Vault
}

// Unscope takes a vault out of the token's scope: it is no longer listed,
// and requests for it are answered 403, as Connect answers for a vault
// the token was not granted.
func (s *Server) Unscope(vaultID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := s.vaultLocked(vaultID); v != nil {
		v.outOfScope = true
	}
}

// AddItem stores a copy of it in the vault, with every empty id (item,
// sections, fields, files) filled in, and returns that copy.
func (s *Server) AddItem(vaultID string, it Item) Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.vaultLocked(vaultID)
	if v == nil {
		panic("fakeconnect: AddItem: no vault " + vaultID)
	}
	c := it
	c.Sections, c.Fields, c.Files = slices.Clone(it.Sections), slices.Clone(it.Fields), slices.Clone(it.Files)
	if c.ID == "" {
		c.ID = s.newIDLocked()
	}
	if c.Category == "" {
		c.Category = "API_CREDENTIAL"
	}
	for i := range c.Sections {
		if c.Sections[i].ID == "" {
			c.Sections[i].ID = s.newIDLocked()
		}
	}
	for i := range c.Fields {
		if c.Fields[i].ID == "" {
			c.Fields[i].ID = s.newIDLocked()
		}
		if c.Fields[i].Type == "" {
			c.Fields[i].Type = "STRING"
		}
	}
	for i := range c.Files {
		if c.Files[i].ID == "" {
			c.Files[i].ID = s.newIDLocked()
		}
		c.Files[i].Content = slices.Clone(c.Files[i].Content)
	}
	v.items = append(v.items, &c)
	return c
}

// NewID returns a fresh 26-character id that names nothing yet.
func (s *Server) NewID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newIDLocked()
}

func (s *Server) newIDLocked() string {
	s.seq++
	return newID(s.seq)
}

// Fail answers the next n /v1 requests (n < 0: every one until
// ClearFaults) with status and Connect's error body, before the token is
// checked, as a proxy or rate limiter in front of Connect would. Faults
// queue up: each runs out before the next applies.
func (s *Server) Fail(status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n != 0 {
		s.faults = append(s.faults, fault{status: status, left: n})
	}
}

// RateLimit answers the next n /v1 requests (n < 0: every one) with 429
// Too Many Requests.
func (s *Server) RateLimit(n int) { s.Fail(http.StatusTooManyRequests, n) }

// FailItem applies f to every request for the item (its GET and its
// files) until ClearFaults.
func (s *Server) FailItem(itemID string, f ItemFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.itemFaults[itemID] = f
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults, s.itemFaults = nil, map[string]ItemFault{}
}

// SetLatency delays every /v1 answer by d, so that requests overlap and
// MaxInFlight can see how many run at once.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Requests lists every request in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Count is how many requests had this path (the filter aside).
func (s *Server) Count(path string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Path == path {
			n++
		}
	}
	return n
}

// ItemFetches is how many times the whole item was asked for (GET
// /v1/vaults/{vaultId}/items/{itemId}).
func (s *Server) ItemFetches(vaultID, itemID string) int {
	return s.Count(ItemPath(vaultID, itemID))
}

// ItemPath is the path of an item's GET.
func ItemPath(vaultID, itemID string) string {
	return "/v1/vaults/" + vaultID + "/items/" + itemID
}

// Stray lists requests that were not calls of the API above, as
// "METHOD PATH".
func (s *Server) Stray() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.stray)
}

// MaxInFlight is the largest number of /v1 requests answered at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// Connections is how many connections clients opened.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// Reset forgets recorded requests, stray ones and the in-flight peak;
// data, tokens and faults stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.stray, s.maxInFlight = nil, nil, 0
}

// vaultLocked finds a vault by id, in scope or not.
func (s *Server) vaultLocked(id string) *vault {
	for _, v := range s.vaults {
		if v.ID == id {
			return v
		}
	}
	return nil
}

// A filter is `ATTRIBUTE eq "VALUE"`, SCIM's one form that Connect
// documents. The value is taken verbatim between the outer quotes, as
// connect-sdk-go writes it without escaping.
var filterRE = regexp.MustCompile(`^(\w+) eq "(.*)"$`)

// parseFilter returns the value a filter asks attribute (one of attrs) to
// equal; ok is false for a filter of another form.
func parseFilter(filter string, attrs ...string) (value string, ok bool) {
	m := filterRE.FindStringSubmatch(filter)
	if m == nil || !slices.Contains(attrs, m[1]) {
		return "", false
	}
	return m[2], true
}

// record logs a request and counts it in flight; done ends it.
func (s *Server) record(r *http.Request, authorized bool) (idx int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Seq: len(s.requests) + 1, Method: r.Method, Path: r.URL.Path,
		Filter: r.URL.Query().Get("filter"), Authorized: authorized})
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	return len(s.requests) - 1
}

func (s *Server) done(idx, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight--
	if idx < len(s.requests) { // Reset may have run meanwhile
		s.requests[idx].Status = status
	}
}

// nextFault consumes the next queued fault, if any.
func (s *Server) nextFault() (status int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return 0, false
	}
	f := &s.faults[0]
	if f.left > 0 {
		f.left--
	}
	status = f.status
	if f.left == 0 {
		s.faults = s.faults[1:]
	}
	return status, true
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("1Password-Connect-Version", Version)
	switch r.URL.Path {
	case "/heartbeat":
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("."))
		return
	case "/health":
		writeJSON(w, http.StatusOK, map[string]any{"name": "1Password Connect API", "version": Version,
			"dependencies": []map[string]string{{"service": "sqlite", "status": "ACTIVE", "message": "Connected to ./1password.sqlite"}}})
		return
	}
	s.mu.Lock()
	token, latency := s.token, s.latency
	s.mu.Unlock()
	authorized := r.Header.Get("Authorization") == "Bearer "+token
	idx := s.record(r, authorized)
	status := 0
	defer func() { s.done(idx, status) }()

	if latency > 0 && !sleep(r, latency) {
		return
	}
	if st, ok := s.nextFault(); ok {
		status = writeError(w, st, http.StatusText(st))
		return
	}
	if !authorized {
		status = writeError(w, http.StatusUnauthorized, "Invalid token signature")
		return
	}
	status = s.route(w, r)
}

// route answers an authorized /v1 request and returns its status (0 when
// the connection was dropped).
func (s *Server) route(w http.ResponseWriter, r *http.Request) int {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/v1/"), "/")
	if !strings.HasPrefix(r.URL.Path, "/v1/") || parts[0] != "vaults" || len(parts) > 7 ||
		(len(parts) >= 3 && parts[2] != "items") || (len(parts) >= 5 && parts[4] != "files") ||
		(len(parts) == 7 && parts[6] != "content") {
		s.addStray(r)
		return writeError(w, http.StatusNotFound, "Not Found")
	}
	if r.Method != http.MethodGet {
		// The fake is read-only: a resolver never writes.
		s.addStray(r)
		return writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	if len(parts) == 1 {
		return s.listVaults(w, r)
	}
	s.mu.Lock()
	v := s.vaultLocked(parts[1])
	s.mu.Unlock()
	switch {
	case v == nil:
		return writeError(w, http.StatusNotFound, "vault "+parts[1]+" not found")
	case v.outOfScope:
		return writeError(w, http.StatusForbidden, "vault "+parts[1]+" is not in scope")
	case len(parts) == 2:
		s.mu.Lock()
		defer s.mu.Unlock()
		return writeJSON(w, http.StatusOK, v.wire())
	case len(parts) == 3:
		return s.listItems(w, r, v)
	}
	s.mu.Lock()
	it := findItem(v, parts[3])
	f, faulty := s.itemFaults[parts[3]]
	s.mu.Unlock()
	if it == nil {
		return writeError(w, http.StatusNotFound, "item "+parts[3]+" not found")
	}
	if faulty {
		if f.Delay > 0 && !sleep(r, f.Delay) {
			return 0
		}
		if f.Drop {
			drop(w)
			return 0
		}
		if f.Status != 0 {
			return writeError(w, f.Status, http.StatusText(f.Status))
		}
	}
	inline := r.URL.Query().Get("inline_files") == "true"
	switch len(parts) {
	case 4:
		return writeJSON(w, http.StatusOK, it.full(v.ID))
	case 5:
		files := []wireFile{}
		for _, f := range it.Files {
			files = append(files, f.wire(v.ID, it.ID, inline))
		}
		return writeJSON(w, http.StatusOK, files)
	}
	i := slices.IndexFunc(it.Files, func(f File) bool { return f.ID == parts[5] })
	if i < 0 {
		return writeError(w, http.StatusNotFound, "file "+parts[5]+" not found")
	}
	if len(parts) == 6 {
		return writeJSON(w, http.StatusOK, it.Files[i].wire(v.ID, it.ID, inline))
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="`+it.Files[i].Name+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(it.Files[i].Content)
	return http.StatusOK
}

func (s *Server) listVaults(w http.ResponseWriter, r *http.Request) int {
	filter := r.URL.Query().Get("filter")
	want, ok := parseFilter(filter, "name", "title")
	if filter != "" && !ok {
		return writeError(w, http.StatusBadRequest, "Invalid filter")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []wireVault{}
	for _, v := range s.vaults {
		if !v.outOfScope && (filter == "" || v.Name == want) {
			out = append(out, v.wire())
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) listItems(w http.ResponseWriter, r *http.Request, v *vault) int {
	filter := r.URL.Query().Get("filter")
	want, ok := parseFilter(filter, "title")
	if filter != "" && !ok {
		return writeError(w, http.StatusBadRequest, "Invalid filter")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []wireItem{}
	for _, it := range v.items {
		if filter == "" || it.Title == want {
			out = append(out, it.summary(v.ID))
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

func findItem(v *vault, id string) *Item {
	for _, it := range v.items {
		if it.ID == id {
			return it
		}
	}
	return nil
}

func (s *Server) addStray(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stray = append(s.stray, r.Method+" "+r.URL.Path)
}

// sleep waits d, or until the client goes away or the server closes; it
// reports whether the whole d passed.
func sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// drop closes the connection without writing anything.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fakeconnect: the connection cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // a reset, not an orderly close
		}
		_ = conn.Close()
	}
}

func writeError(w http.ResponseWriter, status int, message string) int {
	return writeJSON(w, status, wireError{Status: status, Message: message})
}

func writeJSON(w http.ResponseWriter, status int, v any) int {
	body, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return status
}
