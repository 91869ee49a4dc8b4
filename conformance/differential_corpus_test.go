package conformance_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/conformance/gateway"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// The third-party corpus (testdata/thirdparty): one resolver script per
// language, correct without arguments, with one realistic bug each under
// --bug NAME. differential_gateway_test.go runs every variant through the
// suite and through the real gateway. This file holds the corpus, how to
// install it as a user would, and how to drive the gateway over it.

const tpDir = "testdata/thirdparty"

// The languages of the corpus.
const (
	tpPython = "python"
	tpNode   = "node"
	tpShell  = "sh"
)

// tpPythonInterpreter is Debian's python3: the gateway gives a resolver no
// PATH, so the installed script names its interpreter by absolute path.
const tpPythonInterpreter = "/usr/bin/python3"

// tpLang is how one language's script is shipped: its file, the shebang it
// ships with (what an author writes), and its secrets store.
type tpLang struct {
	script, shebang, store string
}

var tpLangs = map[string]tpLang{
	tpPython: {"resolver.py", "#!/usr/bin/env python3", "secrets.json"},
	tpNode:   {"resolver.js", "#!/usr/bin/env node", "secrets.json"},
	tpShell:  {"resolver.sh", "#!/bin/sh", "secrets.tsv"},
}

// tpVariant is one resolver of the corpus.
type tpVariant struct {
	lang string
	// bug is the script's --bug switch; "" for the correct resolver.
	bug string
	// breaks says that the gateway loses, changes or fails a value or a
	// NOT_FOUND: the test checks it, so that a variant whose bug stopped
	// firing is noticed.
	breaks bool
	// harmless marks a quirk that both the gateway and the suite must
	// accept.
	harmless bool
	// timeoutMs replaces the fixture's, and cases restricts the suite to
	// some cases (a regexp), for variants that hang: each of their runs
	// lasts until the host kills it.
	timeoutMs int
	cases     string
	// what is the bug, for reports and README.md.
	what string
}

func (v tpVariant) name() string {
	if v.bug == "" {
		return v.lang + "/correct"
	}
	return v.lang + "/" + v.bug
}

func (v tpVariant) correct() bool { return v.bug == "" }

func (v tpVariant) args() []string {
	if v.bug == "" {
		return nil
	}
	return []string{"--bug", v.bug}
}

// tpVariants is the corpus. README.md describes the same list.
var tpVariants = []tpVariant{
	{lang: tpPython, what: "correct"},
	{lang: tpPython, bug: "exit1-when-all-failed", breaks: true, what: "exits 1 when no id of the batch resolved"},
	{lang: tpPython, bug: "crash-on-colon", breaks: true, what: "looks ids with ':' up as section:key and dies with a KeyError traceback"},
	{lang: tpPython, bug: "strip-scheme", breaks: true, what: "strips a scheme-like prefix ([a-z]+:), so x:github/token answers github/token's value"},
	{lang: tpPython, bug: "null-for-missing", breaks: true, what: "answers null in values for a missing id instead of NOT_FOUND"},
	{lang: tpPython, bug: "value-on-stderr", what: "logs every id and its value on stderr"},
	{lang: tpPython, bug: "version-float", harmless: true, what: "answers protocolVersion 1.0"},
	{lang: tpPython, bug: "trim-values", breaks: true, what: "strips whitespace around values"},
	{lang: tpPython, bug: "stdin-64k", breaks: true, what: "reads the request with one read of at most 64 KiB"},
	{lang: tpPython, bug: "needs-home", breaks: true, what: "creates a cache under $HOME, which the gateway does not set (KeyError traceback)"},
	{lang: tpPython, bug: "pid-in-message", harmless: true, what: "puts its pid in NOT_FOUND messages"},
	{lang: tpPython, bug: "bom", harmless: true, what: "writes a UTF-8 byte order mark before the JSON"},
	{lang: tpPython, bug: "pretty", harmless: true, what: "pretty-prints the JSON over several lines"},
	{lang: tpPython, bug: "sleep-on-missing", breaks: true, timeoutMs: 1500, cases: "^CORE-00[15]$", what: "sleeps 6 s before reporting a missing id"},
	{lang: tpPython, bug: "per-id-latency", breaks: true, what: "spends 15 ms per id (one sequential backend call each): 512 ids outlast timeoutMs"},
	{lang: tpPython, bug: "ascii-escapes", harmless: true, what: `escapes every non-ASCII character as \uXXXX (json.dumps' default), emoji as surrogate pairs`},
	{lang: tpPython, bug: "omit-empty-errors", harmless: true, what: `leaves out "errors" when there are none`},
	{lang: tpPython, bug: "extra-members", harmless: true, what: "adds a top-level member of its own (resolver name and version)"},

	{lang: tpNode, what: "correct"},
	{lang: tpNode, bug: "cut-at-hash", breaks: true, what: "cuts ids at '#', so tls/server.pem#cert answers tls/server.pem's value"},
	{lang: tpNode, bug: "stdout-log", breaks: true, what: "prints a log line on stdout before the JSON"},
	{lang: tpNode, bug: "exit1-on-missing", breaks: true, what: "exits 1 when any id is missing, after a correct answer"},
	{lang: tpNode, bug: "version-string", breaks: true, what: `answers protocolVersion "1", a string`},
	{lang: tpNode, bug: "drop-last", breaks: true, what: "loops one id short: the last id of every batch is not answered"},
	{lang: tpNode, bug: "mask-sensitive", breaks: true, what: "answers __OPENCLAW_REDACTED__ for ids that look sensitive (key, token, password)"},
	{lang: tpNode, bug: "max-100", breaks: true, what: "refuses batches of more than 100 ids (exit 2)"},
	{lang: tpNode, bug: "json-decode-values", breaks: true, what: "JSON-decodes values that parse: a number and an object instead of strings"},
	{lang: tpNode, bug: "extra-ids", what: "answers every id of its store, asked or not"},
	{lang: tpNode, bug: "keeps-running", breaks: true, timeoutMs: 1500, cases: "^CORE-001$", what: "leaves an interval timer running: node never exits after answering"},
	{lang: tpNode, bug: "plain-single", breaks: true, what: "answers a batch of one id with the bare value (the jsonOnly:false habit)"},
	{lang: tpNode, bug: "errors-as-strings", breaks: true, what: `answers errors as {"id":"NOT_FOUND"}, without an object and code`},
	{lang: tpNode, bug: "no-id-validation", what: "does not check ids against the gateway's grammar: NOT_FOUND instead of INVALID_ID"},
	{lang: tpNode, bug: "mangle-unicode", breaks: true, what: "writes stdout as latin1: every non-ASCII character loses its high bits"},
	{lang: tpNode, bug: "omit-empty-members", breaks: true, what: `leaves out empty members, "values" included, when nothing resolved`},
	{lang: tpNode, bug: "pinned-provider", breaks: true, what: `refuses a request whose provider alias is not "thirdparty" (exit 2)`},
	{lang: tpNode, bug: "values-array", breaks: true, what: `collects values in an array ([]), whose string keys JSON.stringify drops: "values":[]`},
	{lang: tpNode, bug: "no-newline", harmless: true, what: "ends its answer without a newline"},
	{lang: tpNode, bug: "stderr-chatter", harmless: true, what: "writes a banner (no value) on stderr"},

	{lang: tpShell, what: "correct"},
	{lang: tpShell, bug: "read-loop", breaks: true, what: "reads stdin with a while-read loop, which drops the request's unterminated line"},
	{lang: tpShell, bug: "store-in-home", breaks: true, what: "keeps its store under $HOME, which the gateway does not set"},
	{lang: tpShell, bug: "version-2", breaks: true, what: "answers protocolVersion 2"},
	{lang: tpShell, bug: "lowercase-code", breaks: true, what: "answers the code not_found"},
	{lang: tpShell, bug: "prefix-match", breaks: true, what: `looks ids up by prefix (like grep "^$id"): tls/server.pem answers tls/server.pem#cert's value`},
	{lang: tpShell, bug: "crlf", harmless: true, what: "ends its answer with CRLF"},
	{lang: tpShell, bug: "any-version", what: "takes a request of any protocolVersion for version 1"},
	{lang: tpShell, bug: "accepts-garbage", what: "answers an unreadable request with no values and exit 0"},
	{lang: tpShell, bug: "eval-dedup", breaks: true, what: "remembers ids in shell variables named after them: ${seen_$id} is a bad substitution for ids with / : . # -, and dash exits 2"},
	{lang: tpShell, bug: "errors-only-when-none-resolved", breaks: true, what: `answers only "errors", no "values", when no id resolved`},
	{lang: tpShell, bug: "background-child", breaks: true, timeoutMs: 1500, cases: "^CORE-001$", what: "starts a background process that keeps stdout open"},
	{lang: tpShell, bug: "no-dedup", harmless: true, what: "answers a repeated id twice (duplicate keys; the gateway never repeats one)"},
	{lang: tpShell, bug: "no-message", harmless: true, what: "sends error codes without a message"},
}

// tpFixture loads the corpus's fixture.
func tpFixture(t testing.TB) *conformance.Fixture {
	t.Helper()
	f, err := conformance.LoadFixture(filepath.Join(tpDir, "fixture.json"))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// tpInstall installs a variant as a user installs a resolver for the
// gateway: a regular 0755 file of their own in a directory of its own, its
// store beside it, the shebang naming the interpreter by absolute path. It
// returns the command's path.
func tpInstall(t testing.TB, lang, interpreter string) string {
	t.Helper()
	l := tpLangs[lang]
	src, err := os.ReadFile(filepath.Join(tpDir, l.script))
	if err != nil {
		t.Fatal(err)
	}
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	if string(first) != l.shebang {
		t.Fatalf("%s starts with %q, want %q", l.script, first, l.shebang)
	}
	src = append([]byte("#!"+interpreter+"\n"), rest...)
	store, err := os.ReadFile(filepath.Join(tpDir, l.store))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "bin")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	command := filepath.Join(dir, l.script)
	if err := sdktest.WriteExecutable(command, src); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, l.store), store, 0o600); err != nil {
		t.Fatal(err)
	}
	return command
}

// tpDerivedNotFound makes n ids that must not exist, the way the suite's
// CORE-003 does: the first NotFound id padded towards 200 characters and a
// counter, so that a 512-id batch is about 100 KB.
func tpDerivedNotFound(f *conformance.Fixture, n int) []string {
	base := f.NotFound[0] + "-" + strings.Repeat("x", max(0, 190-len(f.NotFound[0])))
	out := make([]string, 0, max(n, 0))
	for i := range max(n, 0) {
		out = append(out, fmt.Sprintf("%s-%04d", base, i))
	}
	return out
}

func tpValueIDs(f *conformance.Fixture) []string {
	ids := make([]string, 0, len(f.Values))
	for id := range f.Values {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// tpBatch is one gateway call: these providers, these refs.
type tpBatch struct {
	Name      string                   `json:"name"`
	Providers map[string]host.Provider `json:"providers"`
	Refs      []tpRef                  `json:"refs"`
}

type tpRef struct {
	Provider string `json:"provider"`
	ID       string `json:"id"`
}

// tpResult is the gateway's outcome for one ref: a value, or an error with
// the gateway's code ("ref" or "provider" scope).
type tpResult struct {
	Provider string          `json:"provider"`
	ID       string          `json:"id"`
	Value    json.RawMessage `json:"value"`
	Error    *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Scope   string `json:"scope"`
	} `json:"error"`
}

// The batches the gateway runs for each variant, as it batches for a
// user: all the fixture's ids of one provider; one value id alone; each
// NOT_FOUND id alone; the gateway's maximum of 512 ids (about 100 KB);
// four providers configured with the same resolver, resolved at once.
const (
	tpBatchFull  = "full"
	tpBatchOne   = "one-value"
	tpBatchNF    = "notFound-alone"
	tpBatch512   = "512-ids"
	tpBatchFour  = "four-providers"
	tpBatchSep   = " | "
	tpMaxRefs    = host.MaxRefsPerProvider
	tpAliasCount = host.MaxProviderConcurrency
)

// tpBatchesFor makes a variant's batches, named "VARIANT | KIND".
func tpBatchesFor(name string, f *conformance.Fixture, p host.Provider) []tpBatch {
	values := tpValueIDs(f)
	all := append(slices.Clone(values), f.NotFound...)
	refs := func(provider string, ids []string) []tpRef {
		out := make([]tpRef, len(ids))
		for i, id := range ids {
			out[i] = tpRef{provider, id}
		}
		return out
	}
	one := map[string]host.Provider{f.Name: p}
	batches := []tpBatch{
		{Name: name + tpBatchSep + tpBatchFull, Providers: one, Refs: refs(f.Name, all)},
		{Name: name + tpBatchSep + tpBatchOne, Providers: one, Refs: refs(f.Name, values[:1])},
	}
	for i, id := range f.NotFound {
		batches = append(batches, tpBatch{Name: fmt.Sprintf("%s%s%s-%d", name, tpBatchSep, tpBatchNF, i+1), Providers: one, Refs: refs(f.Name, []string{id})})
	}
	big := append(slices.Clone(values), tpDerivedNotFound(f, tpMaxRefs-len(values))...)
	batches = append(batches, tpBatch{Name: name + tpBatchSep + tpBatch512, Providers: one, Refs: refs(f.Name, big)})
	four := tpBatch{Name: name + tpBatchSep + tpBatchFour, Providers: map[string]host.Provider{}}
	for i := range tpAliasCount {
		alias := f.Name
		if i > 0 {
			alias = fmt.Sprintf("%s-%c", f.Name, 'a'+i)
		}
		four.Providers[alias] = p
		four.Refs = append(four.Refs, refs(alias, all)...)
	}
	return append(batches, four)
}

// tpRunBatches resolves the batches through the real gateway with
// gateway-batches.mjs, at most concurrency at once, and returns each
// batch's results by name. The gateway's environment is empty: the corpus
// passes no variables.
func tpRunBatches(ctx context.Context, g *gateway.Gateway, batches []tpBatch, concurrency int) (map[string][]tpResult, error) {
	script, err := filepath.Abs(filepath.Join(tpDir, "gateway-batches.mjs"))
	if err != nil {
		return nil, err
	}
	stdin, err := json.Marshal(map[string]any{"concurrency": concurrency, "batches": batches})
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, g.Node, script, "--prefix="+g.Prefix)
	cmd.Env = []string{}
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 4096 {
			msg = msg[:4096] + "…"
		}
		return nil, fmt.Errorf("gateway-batches.mjs: %v (ctx: %v); stderr:\n%s", err, ctx.Err(), msg)
	}
	var resp struct {
		Batches []struct {
			Name    string     `json:"name"`
			Results []tpResult `json:"results"`
		} `json:"batches"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &resp); err != nil {
		return nil, fmt.Errorf("gateway-batches.mjs printed %d bytes that are not its JSON", stdout.Len())
	}
	if len(resp.Batches) != len(batches) {
		return nil, fmt.Errorf("gateway-batches.mjs: %d results for %d batches", len(resp.Batches), len(batches))
	}
	out := make(map[string][]tpResult, len(batches))
	for i, b := range resp.Batches {
		if b.Name != batches[i].Name || len(b.Results) != len(batches[i].Refs) {
			return nil, fmt.Errorf("gateway-batches.mjs: batch %d is %q with %d results, want %q with %d", i, b.Name, len(b.Results), batches[i].Name, len(batches[i].Refs))
		}
		for j, r := range b.Results {
			if r.Provider != batches[i].Refs[j].Provider || r.ID != batches[i].Refs[j].ID {
				return nil, fmt.Errorf("gateway-batches.mjs: batch %q result %d is for %s:%s", b.Name, j, r.Provider, r.ID)
			}
		}
		out[b.Name] = b.Results
	}
	return out, nil
}

// tpGatewayProblems compares a batch's outcomes with the fixture: every
// value id must resolve to its exact string, every other id must be
// SECRET_REF_NOT_FOUND. It returns one line per kind of problem, with how
// many refs it hit and an example; never a value.
func tpGatewayProblems(f *conformance.Fixture, batch string, results []tpResult) []string {
	type group struct {
		n       int
		example string
	}
	groups := map[string]*group{}
	var order []string
	add := func(kind, ref string) {
		g, ok := groups[kind]
		if !ok {
			g = &group{example: ref}
			groups[kind] = g
			order = append(order, kind)
		}
		g.n++
	}
	for _, r := range results {
		ref := r.Provider + ":" + r.ID
		want, isValue := f.Values[r.ID]
		switch {
		case r.Error != nil:
			msg := strings.ReplaceAll(r.Error.Message, r.ID, "ID")
			msg = strings.ReplaceAll(msg, `"`+r.Provider+`"`, `"P"`)
			msg = strings.ReplaceAll(msg, "exec:"+r.Provider+":", "exec:P:")
			switch {
			case isValue:
				add(fmt.Sprintf("a value fails: %s (%s)", r.Error.Code, msg), ref)
			case r.Error.Code != "SECRET_REF_NOT_FOUND":
				add(fmt.Sprintf("a missing id is %s, not SECRET_REF_NOT_FOUND (%s)", r.Error.Code, msg), ref)
			}
		case !isValue:
			add("a missing id resolves to "+tpDescribe(r.Value, ""), ref)
		default:
			var got string
			if json.Unmarshal(r.Value, &got) != nil || got != want {
				add("a value changes: "+tpDescribe(r.Value, want), ref)
			}
		}
	}
	out := make([]string, 0, len(order))
	for _, kind := range order {
		g := groups[kind]
		out = append(out, fmt.Sprintf("%s: %d of %d refs: %s (e.g. %s)", batch, g.n, len(results), kind, g.example))
	}
	return out
}

// tpDescribe says what a gateway value is, without showing it.
func tpDescribe(raw json.RawMessage, want string) string {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return "nothing"
	}
	s, ok := v.(string)
	switch {
	case v == nil:
		return "null"
	case !ok:
		kind := map[string]string{"float64": "number", "bool": "boolean", "[]interface {}": "array", "map[string]interface {}": "object"}[fmt.Sprintf("%T", v)]
		return "a JSON " + kind + ", not a string"
	case want == "":
		return fmt.Sprintf("a string of %d bytes", len(s))
	}
	i := 0
	for i < len(s) && i < len(want) && s[i] == want[i] {
		i++
	}
	return fmt.Sprintf("%d bytes, want %d; first difference at byte %d", len(s), len(want), i)
}

// tpFailedCases lists the required cases a report failed.
func tpFailedCases(r *conformance.Report) []string {
	var out []string
	for _, res := range r.Results {
		if res.Status == conformance.Fail && !res.Optional {
			out = append(out, res.ID)
		}
	}
	return out
}

// tpReasons is the report's failures, one line each (the suite redacts
// them).
func tpReasons(r *conformance.Report) string {
	var b strings.Builder
	for _, res := range r.Results {
		if res.Status == conformance.Fail {
			reason := res.Reason
			if len(reason) > 300 {
				reason = reason[:300] + "…"
			}
			fmt.Fprintf(&b, "\n      %s: %s", res.ID, reason)
		}
	}
	return b.String()
}

// The corpus is consistent: the stores hold exactly the fixture's values,
// the fixture's ids exercise the characters bugs trip on, every value but
// the numeric one names its own id (so an answer with another id's value
// is caught), and every variant is in its script and in README.md.
func TestThirdPartyCorpus(t *testing.T) {
	f := tpFixture(t)

	var fromJSON map[string]string
	data, err := os.ReadFile(filepath.Join(tpDir, "secrets.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &fromJSON); err != nil {
		t.Fatalf("secrets.json: %v", err)
	}
	fromTSV := map[string]string{}
	tsv, err := os.Open(filepath.Join(tpDir, "secrets.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer tsv.Close()
	sc := bufio.NewScanner(tsv)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, literal, ok := strings.Cut(line, "\t")
		var v string
		if !ok || json.Unmarshal([]byte(literal), &v) != nil {
			t.Fatalf("secrets.tsv: a line is not id<TAB>JSON string: %.40q", line)
		}
		fromTSV[id] = v
	}
	for name, store := range map[string]map[string]string{"secrets.json": fromJSON, "secrets.tsv": fromTSV} {
		if len(store) != len(f.Values) {
			t.Errorf("%s holds %d secrets, the fixture %d", name, len(store), len(f.Values))
		}
		for id, want := range f.Values {
			if got, ok := store[id]; !ok || got != want {
				t.Errorf("%s: %q differs from the fixture", name, id)
			}
		}
	}

	ids := strings.Join(append(tpValueIDs(f), f.NotFound...), " ")
	for _, c := range []string{":", "#", ".", "_", "-"} {
		if !strings.Contains(ids, c) {
			t.Errorf("no fixture id contains %q", c)
		}
	}
	for id, v := range f.Values {
		if !strings.Contains(v, id) && strings.Trim(v, "0123456789") != "" {
			t.Errorf("the value of %q does not contain its id", id)
		}
	}

	readme, err := os.ReadFile(filepath.Join(tpDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, v := range tpVariants {
		if seen[v.name()] {
			t.Errorf("%s is listed twice", v.name())
		}
		seen[v.name()] = true
		if !strings.Contains(string(readme), "`"+v.name()+"`") {
			t.Errorf("README.md does not describe %s", v.name())
		}
		if v.bug == "" {
			continue
		}
		src, err := os.ReadFile(filepath.Join(tpDir, tpLangs[v.lang].script))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), v.bug) {
			t.Errorf("%s: %s has no bug %q", v.name(), tpLangs[v.lang].script, v.bug)
		}
	}
	for lang := range tpLangs {
		if !seen[lang+"/correct"] {
			t.Errorf("no correct %s resolver", lang)
		}
	}
	if len(tpStricter) == 0 {
		t.Error("the stricter-verdict table is empty")
	}
	for _, s := range tpStricter {
		if !seen[s.variant] {
			t.Errorf("the stricter-verdict table names %s, which is not in the corpus", s.variant)
		}
	}
}
