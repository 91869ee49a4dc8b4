package conformance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/sdk/sdktest"
)

// sdkResolver installs the suite's reference resolver built on the SDK
// (testdata/sdkresolver) beside the reference fixture, with extra
// arguments (a mutation).
func sdkResolver(t testing.TB, args ...string) (string, *conformance.Fixture) {
	t.Helper()
	f, data := loadFixture(t, "reference.json")
	target := sdktest.Install(t, sdktest.Cached(t, "./testdata/sdkresolver"), map[string][]byte{"fixture.json": data})
	f.Provider.Args = append(f.Provider.Args, args...)
	return target, f
}

func suiteOver(t *testing.T, target string, f *conformance.Fixture, run string, transports ...conformance.Transport) *conformance.Report {
	t.Helper()
	opts := conformance.Options{Command: target, Transports: transports, Run: regexp.MustCompile(run)}
	report, err := conformance.Suite(context.Background(), f, opts)
	if err != nil {
		t.Fatal(err)
	}
	return report
}

// The SDK-built reference passes every case over every transport, each
// case skipped only where its transport rule says so.
func TestSDKResolverIsConformant(t *testing.T) {
	target, f := sdkResolver(t)
	conformance.Run(t, target, f)
}

// Flaws of a backend built on the SDK fail their cases over every
// transport where they can show: the protocol is the SDK's, what a
// backend answers, writes past the SDK or keeps between batches is not.
var sdkMutations = []struct {
	name  string
	cases []string
	// passes are the transports where the flaw cannot show: warm-flip
	// keeps state between the batches of one process, which over exec
	// answers one batch; unstable-config only stops an agent from ever
	// matching the exec side.
	passes []conformance.Transport
}{
	{"mangle-unicode", []string{"OUTPUT-003"}, nil},
	{"cut-at-hash", []string{"CORE-012"}, nil},
	{"ambiguous-as-notfound", []string{"CORE-008"}, nil},
	{"crash-on-underscore", []string{"CORE-011"}, nil},
	{"stderr-leak", []string{"SEC-001"}, nil}, // over the agent, found in the agent's own log
	{"warm-flip", []string{"PROC-002", "PROC-003"}, []conformance.Transport{conformance.Exec}},
	{"unstable-config", []string{"CORE-001", "CORE-005"}, []conformance.Transport{conformance.Exec, conformance.Plugin}},
}

func TestSDKMutantsFailOverEveryTransport(t *testing.T) {
	for _, m := range sdkMutations {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			target, f := sdkResolver(t, "--mutate", m.name)
			report := suiteOver(t, target, f, "^("+strings.Join(m.cases, "|")+")$", conformance.Transports...)
			if want := len(m.cases) * len(conformance.Transports); len(report.Results) != want {
				t.Fatalf("ran %d cases, want %d", len(report.Results), want)
			}
			for _, res := range report.Results {
				want := conformance.Fail
				switch {
				case conformance.NotOver(res.ID, res.Transport) != "":
					want = conformance.Skip
				case slices.Contains(m.passes, res.Transport):
					want = conformance.Pass
				}
				if res.Status != want || (want == conformance.Fail && res.Reason == "") {
					t.Errorf("%s/%s: %s (%s), want %s", res.Transport, res.ID, res.Status, res.Reason, want)
				}
			}
		})
	}
}

// A batch the exec side resolved cold fails the agent transport, however
// right its answer: the agent refuses every batch of unstable-config
// (another configuration digest), and the report says so, with the exec
// side's reason.
func TestColdAnswersFailTheAgentTransport(t *testing.T) {
	target, f := sdkResolver(t, "--mutate", "unstable-config")
	report := suiteOver(t, target, f, "^CORE-001$", conformance.Agent)
	res := report.Results[0]
	if res.Status != conformance.Fail || !strings.Contains(res.Reason, "the exec side resolved the batch itself, not through the agent: agent refused") ||
		!strings.Contains(res.Reason, "another configuration") {
		t.Fatalf("%+v", res)
	}
}

// An agent that cannot start fails every case of the agent transport with
// that one reason, and the others run as usual.
func TestAgentThatCannotStart(t *testing.T) {
	target, f := sdkResolver(t, "--no-such-flag")
	report := suiteOver(t, target, f, "^CORE-00[12]$", conformance.Agent)
	groups := report.Groups()
	if len(groups) != 1 || len(groups[0].Cases) != 2 || !strings.Contains(groups[0].Cause, "the agent transport could not start") ||
		!strings.Contains(groups[0].Cause, "exit status 64") || !strings.Contains(groups[0].Cause, "no-such-flag") {
		t.Fatalf("groups %+v", groups)
	}
}

// Plugin and agent are the SDK's: a binary built without it is refused,
// with the reason, before anything runs; exec still applies.
func TestTransportsOfANonSDKResolver(t *testing.T) {
	target, f := reference(t)
	apply, not := conformance.TransportsFor(target)
	if !slices.Equal(apply, []conformance.Transport{conformance.Exec}) || len(not) != 2 ||
		!strings.Contains(not[conformance.Plugin], "not a Go program built on the execref SDK") {
		t.Fatalf("apply %v, not %v", apply, not)
	}
	_, err := conformance.Suite(context.Background(), f, conformance.Options{Command: target, Transports: []conformance.Transport{conformance.Exec, conformance.Agent}})
	if !errors.Is(err, conformance.ErrTransport) || !strings.Contains(err.Error(), "agent: ") {
		t.Fatalf("err %v", err)
	}
	sdkTarget, _ := sdkResolver(t)
	if apply, not := conformance.TransportsFor(sdkTarget); len(apply) != 3 || len(not) != 0 {
		t.Fatalf("SDK-built: apply %v, not %v", apply, not)
	}
}

// A default build (go install's, without -tags execref_plugin) serves
// exec and the agent but not go-plugin: the suite refuses plugin for it
// once, before anything runs, naming the tag, instead of failing every
// case; exec and agent run as for any build.
func TestTransportsOfADefaultBuild(t *testing.T) {
	f, data := loadFixture(t, "reference.json")
	bin, err := sdktest.BuildWithoutPlugin(t.TempDir(), "./testdata/sdkresolver")
	if err != nil {
		t.Fatal(err)
	}
	target := sdktest.Install(t, bin, map[string][]byte{"fixture.json": data})
	apply, not := conformance.TransportsFor(target)
	if !slices.Equal(apply, []conformance.Transport{conformance.Exec, conformance.Agent}) || len(not) != 1 ||
		!strings.Contains(not[conformance.Plugin], target+" does not serve go-plugin: it was built without -tags execref_plugin") {
		t.Fatalf("apply %v, not %v", apply, not)
	}
	_, err = conformance.Suite(context.Background(), f, conformance.Options{Command: target, Transports: []conformance.Transport{conformance.Exec, conformance.Plugin}})
	var te *conformance.TransportError
	if !errors.As(err, &te) || te.Transport != conformance.Plugin || !errors.Is(err, conformance.ErrTransport) {
		t.Fatalf("over exec and plugin: %v, want plugin refused", err)
	}
	report := suiteOver(t, target, f, "^CORE-00[12]$", conformance.Exec, conformance.Agent)
	if len(report.Results) != 4 || !report.OK() {
		t.Fatalf("over exec and agent: %+v", report.Results)
	}
	for _, res := range report.Results {
		if res.Status != conformance.Pass {
			t.Errorf("%s over %s: %s %s", res.ID, res.Transport, res.Status, res.Reason)
		}
	}
}

// Every report names each case's transport: the text lines, the summary
// of shared causes, JSON, and JUnit (one suite per transport); a case a
// transport rule skips says why.
func TestTransportReport(t *testing.T) {
	target, f := sdkResolver(t, "--mutate", "unstable-config")
	report := suiteOver(t, target, f, "^(CORE-00[12]|INPUT-001)$", conformance.Transports...)
	var text, js, junit bytes.Buffer
	if err := report.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"transports: exec, plugin, agent\n",
		"PASS  exec    CORE-001 ", "PASS  plugin  CORE-002 ", "FAIL  agent   CORE-001 ",
		"SKIP  plugin  INPUT-001    ", "not run over plugin: over go-plugin the runner builds each request itself",
		"SKIP  agent   INPUT-001    ", "not run over agent: the exec side refuses the request before it forwards anything",
		"(agent/CORE-001, agent/CORE-002)",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text report lacks %q:\n%s", want, text.String())
		}
	}
	if err := report.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var parsedJSON struct {
		Transports []string
		Results    []struct{ ID, Transport, Status string }
	}
	if err := json.Unmarshal(js.Bytes(), &parsedJSON); err != nil || len(parsedJSON.Results) != 9 ||
		!slices.Equal(parsedJSON.Transports, []string{"exec", "plugin", "agent"}) || parsedJSON.Results[8].Transport != "agent" {
		t.Fatalf("JSON: %v\n%s", err, js.String())
	}
	if err := report.WriteJUnit(&junit); err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Suites []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Skipped  int    `xml:"skipped,attr"`
			Cases    []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(junit.Bytes(), &parsed); err != nil || len(parsed.Suites) != 3 {
		t.Fatalf("JUnit: %v\n%s", err, junit.String())
	}
	agent := parsed.Suites[2]
	if agent.Name != "openclaw-resolver-conformance over agent" || agent.Tests != 3 || agent.Failures != 2 || agent.Skipped != 1 ||
		!strings.HasPrefix(agent.Cases[0].Name, "CORE-001 [agent] ") || agent.Cases[0].Classname != "conformance.agent.CORE" {
		t.Errorf("JUnit agent suite: %+v", agent)
	}
	if exec := parsed.Suites[0]; exec.Failures != 0 || exec.Skipped != 0 || !strings.HasPrefix(exec.Cases[2].Name, "INPUT-001 [exec] ") {
		t.Errorf("JUnit exec suite: %+v", exec)
	}
}

// Every transport rule names a case, and no case is skipped over exec.
func TestTransportRulesNameCases(t *testing.T) {
	for _, c := range conformance.Cases() {
		if why := conformance.NotOver(c.ID, conformance.Exec); why != "" {
			t.Errorf("%s is skipped over exec: %s", c.ID, why)
		}
	}
	if _, err := conformance.ParseTransports("exec,grpc"); !errors.Is(err, conformance.ErrTransport) {
		t.Errorf("an unknown transport: %v", err)
	}
	if got, err := conformance.ParseTransports("agent, exec"); err != nil || !slices.Equal(got, []conformance.Transport{conformance.Agent, conformance.Exec}) {
		t.Errorf("ParseTransports: %v %v", got, err)
	}
}
