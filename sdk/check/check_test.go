package check

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/execref/execref/protocol"
)

func TestReportRecordsInOrderUntilClosed(t *testing.T) {
	var r Report
	r.OK("a", "fine")
	if r.Failed() {
		t.Fatal("Failed before any failure")
	}
	r.Warn("b", "hm")
	r.Fail("c", protocol.Unavailable)
	r.Fail("d", nil)
	if !r.Failed() {
		t.Fatal("Failed is false after Fail")
	}
	got := r.Close()
	r.OK("late", "dropped")
	if len(got) != 4 || got[0].Name != "a" || got[1].Status != StatusWarn || got[2].Err != protocol.Unavailable || got[3].Err == nil {
		t.Fatalf("%+v", got)
	}
	if again := r.Close(); len(again) != 4 {
		t.Fatalf("recorded after Close: %+v", again)
	}
}

func TestReportConcurrentUse(t *testing.T) {
	var r Report
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() { defer wg.Done(); r.OK("x", ""); r.Failed() }()
	}
	wg.Wait()
	if n := len(r.Close()); n != 50 {
		t.Fatalf("%d entries, want 50", n)
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	in := Output{Checks: []Result{
		{Name: "address", Status: StatusOK, Detail: "http://127.0.0.1:8200"},
		{Name: "token", Status: StatusFail, Detail: "refused", Code: protocol.Unauthenticated},
	}}
	var buf bytes.Buffer
	if err := in.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{"checks":[{"name":"address","status":"ok","detail":"http://127.0.0.1:8200"},{"name":"token","status":"fail","detail":"refused","code":"UNAUTHENTICATED"}],"ok":false}` + "\n"
	if buf.String() != want {
		t.Fatalf("encoded %s", buf.String())
	}
	out, err := Decode(buf.Bytes())
	if err != nil || len(out.Checks) != 2 || out.OK || out.Checks[1].Code != protocol.Unauthenticated {
		t.Fatalf("%+v %v", out, err)
	}
	buf.Reset()
	if err := (Output{OK: true}).Encode(&buf); err != nil || buf.String() != `{"checks":[],"ok":true}`+"\n" {
		t.Fatalf("empty output: %q %v", buf.String(), err)
	}
}

func TestDecodeRefusesWhatIsNotAReport(t *testing.T) {
	for _, in := range []string{
		``, `null`, `[]`, `{"ok":true}`, `{"checks":[]}`, `{"checks":{},"ok":true}`,
		`{"checks":[],"ok":true} {}`,
		`{"checks":[{"name":"","status":"ok"}],"ok":true}`,
		`{"checks":[{"name":"a","status":"fine"}],"ok":true}`,
		`{"checks":[{"name":"a","status":"fail"}],"ok":true}`,
		`{"checks":[{"name":"a","status":"ok"}],"ok":false}`,
	} {
		if _, err := Decode([]byte(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", in, err)
		}
	}
	// Members a newer resolver adds are ignored.
	if _, err := Decode([]byte(`{"checks":[{"name":"a","status":"warn","since":1}],"ok":true,"version":2}`)); err != nil {
		t.Error(err)
	}
}

func TestLinesForPeople(t *testing.T) {
	r := Result{Name: "token", Status: StatusFail, Code: protocol.Unauthenticated, Detail: "Vault refused the token"}
	if s := r.String(); s != "FAIL  token: UNAUTHENTICATED: Vault refused the token" {
		t.Errorf("%q", s)
	}
	if s := (Result{Name: "address", Status: StatusOK}).String(); s != "ok    address" {
		t.Errorf("%q", s)
	}
	o := Output{Checks: []Result{{Name: "a", Status: StatusOK}, {Name: "b", Status: StatusWarn}, r, {Name: "d", Status: StatusFail}}}
	if v := o.Verdict(); v != "2 of 4 checks failed (1 warning): token, d" {
		t.Errorf("%q", v)
	}
	o = Output{Checks: []Result{{Name: "a", Status: StatusOK}}, OK: true}
	if v := o.Verdict(); !strings.Contains(v, "passed") || strings.Contains(v, "warning") {
		t.Errorf("%q", v)
	}
}
