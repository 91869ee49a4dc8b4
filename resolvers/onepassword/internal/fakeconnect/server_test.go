package fakeconnect_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/1Password/connect-sdk-go/connect"
	"github.com/1Password/connect-sdk-go/onepassword"
	"github.com/opentracing/opentracing-go"

	"github.com/execref/execref/resolvers/onepassword/internal/fakeconnect"
)

// The fake is checked with the real connect-sdk-go, the client the
// resolver uses, through its own methods, filters included (which the
// resolver does not use).

func init() {
	// connect.NewClient would otherwise start a Jaeger tracer that
	// reports to localhost.
	opentracing.SetGlobalTracer(opentracing.NoopTracer{})
}

var idRE = regexp.MustCompile(`^[a-z0-9]{26}$`)

type world struct {
	s      *fakeconnect.Server
	c      connect.Client
	vault  fakeconnect.Vault
	other  fakeconnect.Vault
	item   fakeconnect.Item
	secret string
}

func newWorld(t *testing.T) *world {
	s := fakeconnect.Start(t)
	w := &world{s: s, c: connect.NewClient(s.URL, fakeconnect.Token), secret: "sk-fake-0123456789"}
	w.vault = s.AddVault("Private")
	w.other = s.AddVault("Shared")
	w.item = s.AddItem(w.vault.ID, fakeconnect.Item{
		Title:    "OpenAI",
		Sections: []fakeconnect.Section{{Label: "Admin"}},
		Fields:   []fakeconnect.Field{{ID: "password", Label: "password", Value: w.secret, Type: "CONCEALED", Purpose: "PASSWORD"}},
		Files:    []fakeconnect.File{{Name: "cert.pem", Content: []byte("-----BEGIN CERT-----\n")}},
	})
	s.AddItem(w.other.ID, fakeconnect.Item{Title: "OpenAI"})
	return w
}

func TestIDsAreConnectShaped(t *testing.T) {
	w := newWorld(t)
	for _, id := range []string{w.vault.ID, w.other.ID, w.item.ID, w.item.Sections[0].ID, w.item.Files[0].ID, w.s.NewID()} {
		if !idRE.MatchString(id) {
			t.Errorf("id %q is not 26 lowercase letters and digits", id)
		}
	}
	if w.vault.ID == w.other.ID {
		t.Errorf("two vaults share id %s", w.vault.ID)
	}
}

func TestVaults(t *testing.T) {
	w := newWorld(t)
	vs, err := w.c.GetVaults()
	if err != nil || len(vs) != 2 || vs[0].ID != w.vault.ID || vs[0].Name != "Private" {
		t.Fatalf("GetVaults = %+v, %v", vs, err)
	}
	byTitle, err := w.c.GetVaultsByTitle("Shared")
	if err != nil || len(byTitle) != 1 || byTitle[0].ID != w.other.ID {
		t.Errorf("GetVaultsByTitle(Shared) = %+v, %v", byTitle, err)
	}
	if none, err := w.c.GetVaultsByTitle("shared"); err != nil || len(none) != 0 {
		t.Errorf("the filter compares exactly: GetVaultsByTitle(shared) = %+v, %v", none, err)
	}
	v, err := w.c.GetVaultByUUID(w.other.ID)
	if err != nil || v.Name != "Shared" {
		t.Errorf("GetVaultByUUID = %+v, %v", v, err)
	}
	missing := w.s.NewID()
	_, err = w.c.GetVaultByUUID(missing)
	wantError(t, err, 404, "vault "+missing+" not found")

	w.s.Unscope(w.other.ID)
	if vs, _ := w.c.GetVaults(); len(vs) != 1 {
		t.Errorf("an out-of-scope vault is listed: %+v", vs)
	}
	_, err = w.c.GetVaultByUUID(w.other.ID)
	wantError(t, err, 403, "vault "+w.other.ID+" is not in scope")
}

func TestItems(t *testing.T) {
	w := newWorld(t)
	sums, err := w.c.GetItems(w.vault.ID)
	if err != nil || len(sums) != 1 || sums[0].ID != w.item.ID || sums[0].Title != "OpenAI" || sums[0].Vault.ID != w.vault.ID {
		t.Fatalf("GetItems = %+v, %v", sums, err)
	}
	if len(sums[0].Fields) != 0 || len(sums[0].Files) != 0 {
		t.Errorf("a summary holds fields or files: %+v", sums[0])
	}
	it, err := w.c.GetItemByUUID(w.item.ID, w.vault.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(it.Fields) != 1 || it.Fields[0].Value != w.secret || it.Fields[0].ID != "password" || it.Fields[0].Type != "CONCEALED" ||
		len(it.Sections) != 1 || it.Sections[0].Label != "Admin" || len(it.Files) != 1 || it.Files[0].Name != "cert.pem" {
		t.Errorf("GetItemByUUID = %+v", it)
	}
	byTitle, err := w.c.GetItemsByTitle("OpenAI", w.vault.ID)
	if err != nil || len(byTitle) != 1 || byTitle[0].Fields[0].Value != w.secret {
		t.Errorf("GetItemsByTitle = %+v, %v", byTitle, err)
	}
	if n := w.s.ItemFetches(w.vault.ID, w.item.ID); n != 2 {
		t.Errorf("ItemFetches = %d after GetItemByUUID and GetItemsByTitle, want 2", n)
	}
	if reqs := w.s.Requests(); !slices.ContainsFunc(reqs, func(r fakeconnect.Request) bool { return r.Filter == `title eq "OpenAI"` }) {
		t.Errorf("the filter was not recorded: %+v", reqs)
	}
	missing := w.s.NewID()
	_, err = w.c.GetItemByUUID(missing, w.vault.ID)
	wantError(t, err, 404, "item "+missing+" not found")
}

func TestFiles(t *testing.T) {
	w := newWorld(t)
	files, err := w.c.GetFiles(w.item.ID, w.vault.ID)
	if err != nil || len(files) != 1 || files[0].ContentPath == "" {
		t.Fatalf("GetFiles = %+v, %v", files, err)
	}
	content, err := w.c.GetFileContent(&files[0])
	if err != nil || !bytes.Equal(content, w.item.Files[0].Content) {
		t.Errorf("GetFileContent = %q, %v", content, err)
	}
	f, err := w.c.GetFile(w.item.Files[0].ID, w.item.ID, w.vault.ID)
	if err != nil || f.Size != len(w.item.Files[0].Content) {
		t.Errorf("GetFile = %+v, %v", f, err)
	}
	// inline_files=true carries the content, base64, in the file's JSON.
	req, _ := http.NewRequest(http.MethodGet, w.s.URL+files[0].ContentPath[:strings.LastIndex(files[0].ContentPath, "/")]+"?inline_files=true", nil)
	req.Header.Set("Authorization", "Bearer "+fakeconnect.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var inline struct{ Content []byte }
	if err := json.NewDecoder(resp.Body).Decode(&inline); err != nil || !bytes.Equal(inline.Content, w.item.Files[0].Content) {
		t.Errorf("inline content = %q, %v", inline.Content, err)
	}
}

func TestToken(t *testing.T) {
	w := newWorld(t)
	_, err := connect.NewClient(w.s.URL, "wrong").GetVaults()
	wantError(t, err, 401, "Invalid token signature")
	w.s.SetToken("new-token")
	_, err = w.c.GetVaults()
	wantError(t, err, 401, "Invalid token signature")
	if r := w.s.Requests(); len(r) != 2 || r[0].Authorized || r[0].Status != 401 {
		t.Errorf("requests = %+v", r)
	}
}

func TestFaults(t *testing.T) {
	w := newWorld(t)
	w.s.RateLimit(2)
	for range 2 {
		_, err := w.c.GetVaults()
		wantError(t, err, 429, "Too Many Requests")
	}
	if _, err := w.c.GetVaults(); err != nil {
		t.Errorf("after the rate limit ran out: %v", err)
	}
	w.s.FailItem(w.item.ID, fakeconnect.ItemFault{Status: http.StatusInternalServerError})
	_, err := w.c.GetItemByUUID(w.item.ID, w.vault.ID)
	wantError(t, err, 500, "Internal Server Error")
	w.s.FailItem(w.item.ID, fakeconnect.ItemFault{Drop: true})
	_, err = w.c.GetItemByUUID(w.item.ID, w.vault.ID)
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Errorf("a dropped connection gave %v, want a transport error", err)
	}
	w.s.ClearFaults()
	if _, err := w.c.GetItemByUUID(w.item.ID, w.vault.ID); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
}

func TestStray(t *testing.T) {
	w := newWorld(t)
	_, err := w.c.CreateItem(&onepassword.Item{Title: "x", Category: onepassword.Login}, w.vault.ID)
	wantError(t, err, 405, "Method Not Allowed")
	if s := w.s.Stray(); len(s) != 1 || s[0] != "POST /v1/vaults/"+w.vault.ID+"/items" {
		t.Errorf("Stray = %q", s)
	}
}

func wantError(t *testing.T, err error, status int, message string) {
	t.Helper()
	var ae *onepassword.Error
	if !errors.As(err, &ae) || ae.StatusCode != status || ae.Message != message {
		t.Errorf("error %v, want Connect's error body {status %d, message %q}", err, status, message)
	}
}
