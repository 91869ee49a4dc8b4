package host

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func valid() Provider { return Provider{Source: "exec", Command: "/opt/r"} }

func TestValidateAccepts(t *testing.T) {
	f := false
	cases := map[string]func(*Provider){
		"minimal":             func(p *Provider) {},
		"no source":           func(p *Provider) { p.Source = "" },
		"relative command":    func(p *Provider) { p.Command = "bin/r" },
		"blank command":       func(p *Provider) { p.Command = "  " },
		"tilde command":       func(p *Provider) { p.Command = "~/bin/r" },
		"bounds low":          func(p *Provider) { p.TimeoutMs, p.NoOutputTimeoutMs, p.MaxOutputBytes = 1, 1, 1 },
		"bounds high":         func(p *Provider) { p.TimeoutMs, p.NoOutputTimeoutMs, p.MaxOutputBytes = 120000, 120000, 20971520 },
		"128 args":            func(p *Provider) { p.Args = make([]string, 128) },
		"1024-char arg":       func(p *Provider) { p.Args = []string{strings.Repeat("a", 1024)} },
		"512 astral chars":    func(p *Provider) { p.Args = []string{strings.Repeat("😀", 512)} },
		"1024 BMP multibyte":  func(p *Provider) { p.Args = []string{strings.Repeat("é", 1024)} },
		"passEnv grammar":     func(p *Provider) { p.PassEnv = []string{"A", "VAULT_ADDR", "X9_", "A" + strings.Repeat("B", 127)} },
		"128 passEnv":         func(p *Provider) { p.PassEnv = repeat("HOME", 128) },
		"64 trustedDirs":      func(p *Provider) { p.TrustedDirs = repeat("/opt", 64) },
		"env":                 func(p *Provider) { p.Env = map[string]string{"lower": "x", "A": ""} },
		"jsonOnly false":      func(p *Provider) { p.JSONOnly = &f },
		"trustedDir trailing": func(p *Provider) { p.TrustedDirs = []string{"/opt/bin/"} },
	}
	for name, mod := range cases {
		p := valid()
		mod(&p)
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestValidateRefuses(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*Provider)
		want string
	}{
		{"source", func(p *Provider) { p.Source = "file" }, `source must be "exec", got "file"`},
		{"empty command", func(p *Provider) { p.Command = "" }, "command must not be empty"},
		{"timeout high", func(p *Provider) { p.TimeoutMs = 120001 }, "timeoutMs must be between 1 and 120000 (or unset), got 120001"},
		{"timeout negative", func(p *Provider) { p.TimeoutMs = -1 }, "timeoutMs must be between 1 and 120000 (or unset), got -1"},
		{"idle high", func(p *Provider) { p.NoOutputTimeoutMs = 120001 }, "noOutputTimeoutMs must be between 1 and 120000"},
		{"idle negative", func(p *Provider) { p.NoOutputTimeoutMs = -5 }, "noOutputTimeoutMs must be"},
		{"output high", func(p *Provider) { p.MaxOutputBytes = 20971521 }, "maxOutputBytes must be between 1 and 20971520 (or unset), got 20971521"},
		{"output negative", func(p *Provider) { p.MaxOutputBytes = -1 }, "maxOutputBytes must be"},
		{"129 args", func(p *Provider) { p.Args = make([]string, 129) }, "args has 129 entries, at most 128 allowed"},
		{"long arg", func(p *Provider) { p.Args = []string{"x", strings.Repeat("a", 1025)} }, "args[1] is 1025 characters long, at most 1024 allowed"},
		{"long astral arg", func(p *Provider) { p.Args = []string{strings.Repeat("😀", 512) + "a"} }, "args[0] is 1025 characters long"},
		{"129 passEnv", func(p *Provider) { p.PassEnv = repeat("HOME", 129) }, "passEnv has 129 entries, at most 128 allowed"},
		{"lowercase passEnv", func(p *Provider) { p.PassEnv = []string{"HOME", "path"} }, `passEnv[1] "path" must match ^[A-Z][A-Z0-9_]{0,127}$`},
		{"digit-first passEnv", func(p *Provider) { p.PassEnv = []string{"1A"} }, `passEnv[0] "1A"`},
		{"underscore-first passEnv", func(p *Provider) { p.PassEnv = []string{"_A"} }, `passEnv[0] "_A"`},
		{"empty passEnv", func(p *Provider) { p.PassEnv = []string{""} }, `passEnv[0] ""`},
		{"long passEnv", func(p *Provider) { p.PassEnv = []string{"A" + strings.Repeat("B", 128)} }, `passEnv[0]`},
		{"65 trustedDirs", func(p *Provider) { p.TrustedDirs = repeat("/opt", 65) }, "trustedDirs has 65 entries, at most 64 allowed"},
		{"relative trustedDir", func(p *Provider) { p.TrustedDirs = []string{"/ok", "bin"} }, `trustedDirs[1] "bin" must be an absolute path`},
		{"tilde trustedDir", func(p *Provider) { p.TrustedDirs = []string{"~/bin"} }, `trustedDirs[0] "~/bin" must be an absolute path`},
	}
	for _, c := range cases {
		p := valid()
		c.mod(&p)
		err := p.Validate()
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want ErrInvalidConfig containing %q", c.name, err, c.want)
		}
		if UserCode(err) != CodeProviderInvalid {
			t.Errorf("%s: UserCode %s", c.name, UserCode(err))
		}
	}
}

func TestValidateListsEveryProblem(t *testing.T) {
	err := Provider{Command: "", TimeoutMs: -1, PassEnv: []string{"x"}}.Validate()
	for _, want := range []string{"invalid exec provider config: ", "command must not be empty", "timeoutMs", `passEnv[0] "x"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
}

func TestLimitsDefaults(t *testing.T) {
	f, tr := false, true
	cases := []struct {
		p    Provider
		want Limits
	}{
		{Provider{}, Limits{5000, 5000, 1048576, true}},
		{Provider{TimeoutMs: 300}, Limits{300, 300, 1048576, true}},
		{Provider{TimeoutMs: 300, NoOutputTimeoutMs: 100}, Limits{300, 100, 1048576, true}},
		{Provider{NoOutputTimeoutMs: 100}, Limits{5000, 100, 1048576, true}},
		{Provider{MaxOutputBytes: 10, JSONOnly: &f}, Limits{5000, 5000, 10, false}},
		{Provider{JSONOnly: &tr}, Limits{5000, 5000, 1048576, true}},
	}
	for _, c := range cases {
		if got := c.p.Limits(); got != c.want {
			t.Errorf("%+v: got %+v, want %+v", c.p, got, c.want)
		}
	}
}

func TestDecodeProvider(t *testing.T) {
	p, err := DecodeProvider([]byte(`{
		"source": "exec", "command": "/abs/openclaw-vault-resolver",
		"args": ["--mount", "secret"], "passEnv": ["VAULT_ADDR", "VAULT_TOKEN"],
		"env": {"VAULT_NAMESPACE": "team-a"}, "trustedDirs": ["/home/me/.openclaw/bin"],
		"timeoutMs": 5000, "noOutputTimeoutMs": 4000, "maxOutputBytes": 1048576, "jsonOnly": false}`))
	if err != nil {
		t.Fatal(err)
	}
	f := false
	want := Provider{Source: "exec", Command: "/abs/openclaw-vault-resolver", Args: []string{"--mount", "secret"},
		PassEnv: []string{"VAULT_ADDR", "VAULT_TOKEN"}, Env: map[string]string{"VAULT_NAMESPACE": "team-a"},
		TrustedDirs: []string{"/home/me/.openclaw/bin"}, TimeoutMs: 5000, NoOutputTimeoutMs: 4000,
		MaxOutputBytes: 1048576, JSONOnly: &f}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("got %+v", p)
	}
	for _, in := range []string{
		`{"source":"exec","command":"/x","allowSymlinkCommand":true}`,
		`{"source":"exec","command":"/x","allowInsecurePath":true}`,
		`{"source":"exec","command":"/x","timeoutMs":1.5}`,
		`{"source":"exec","command":"/x","timeoutMs":"5"}`,
		`{"source":"exec","command":"/x"} {}`,
		`{"source":"exec","command":"/x"}]`,
		`{"source":"exec","command":"/x"}}`,
		`{"source":"exec","command":""}`,
		`[]`,
	} {
		if _, err := DecodeProvider([]byte(in)); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("DecodeProvider(%s) = %v, want ErrInvalidConfig", in, err)
		}
	}
}

func TestChildEnv(t *testing.T) {
	gateway := map[string]string{"VAULT_ADDR": "https://v", "EMPTY": "", "PATH": "/bin", "HOME": "/root", "OVER": "gw"}
	p := Provider{
		PassEnv: []string{"VAULT_ADDR", "EMPTY", "UNSET", "OVER"},
		Env:     map[string]string{"OVER": "cfg", "LIT": "x y", "OPENCLAW_CLI": "0"},
	}
	got := ChildEnv(p, mapLookup(gateway))
	want := []string{"EMPTY=", "LIT=x y", "OPENCLAW_CLI=1", "OVER=cfg", "VAULT_ADDR=https://v"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := ChildEnv(Provider{}, mapLookup(gateway)); !reflect.DeepEqual(got, []string{"OPENCLAW_CLI=1"}) {
		t.Fatalf("empty provider: %q", got)
	}
}

func mapLookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestCommandPath(t *testing.T) {
	cases := map[string]string{
		"/opt/bin/r":        "/opt/bin/r",
		"/opt/bin/../bin/r": "/opt/bin/r",
		"/opt/bin//r":       "/opt/bin/r",
		"  /opt/r \n":       "/opt/r",
		"\ufeff/opt/r":      "/opt/r",
		// Left as they are, for the policy to refuse: nothing is
		// expanded or resolved against a directory.
		"bin/r":   "bin/r",
		"./r":     "./r",
		"~/bin/r": "~/bin/r",
		" ~ ":     "~",
	}
	for in, want := range cases {
		if got := CommandPath(in); got != want {
			t.Errorf("CommandPath(%q) = %q; want %q", in, got, want)
		}
	}
}
