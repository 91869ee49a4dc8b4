package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/tools/internal/benchcompare"
)

// awsReadyWait bounds the fake's start: it is one Go program listening on
// loopback, but the machine may be busy building.
const awsReadyWait = 30 * time.Second

// awsStopWait is how long the fake gets to exit after its stdin closes
// before it is killed.
const awsStopWait = 5 * time.Second

// fakeAWSSpec is what fakeaws-server reads
// (resolvers/aws/internal/cmd/fakeaws-server).
type fakeAWSSpec struct {
	Region          string            `json:"region"`
	AccessKeyID     string            `json:"accessKeyId"`
	SecretAccessKey string            `json:"secretAccessKey"`
	Secrets         map[string]string `json:"secrets"`
}

// fakeAWSReady is the line fakeaws-server prints once it answers.
type fakeAWSReady struct {
	Endpoint string `json:"endpoint"`
	Region   string `json:"region"`
}

// setupAWS starts fakeaws-server, which speaks Secrets Manager's, SSM's and
// STS's real wire protocols on loopback and checks every SigV4 signature,
// with max(sizes) distinct secrets, and runs our resolver against it as a
// user with static keys configures it (docs/resolvers/aws.md): a batch
// of n ids names n distinct secrets, so the largest batch is the issue's
// worst case of 512 distinct secrets (26 BatchGetSecretValue calls, 8 at
// a time). The backend has no comparison of its own: the gateway bundles
// no AWS resolver, so main compares ours with the floor (the issue's
// 1-id target) and with its agent.
func setupAWS(e *env) (*backend, error) {
	b, _, err := startAWSBackend(e)
	return b, err
}

// startAWSBackend is setupAWS, and the fake it started.
func startAWSBackend(e *env) (*backend, *fakeAWS, error) {
	server, err := e.program(e.tools, "fakeaws-server")
	if err != nil {
		return nil, nil, err
	}
	ours, err := e.program(e.bin, "openclaw-aws-resolver")
	if err != nil {
		return nil, nil, err
	}
	dir, err := e.mkdir("aws")
	if err != nil {
		return nil, nil, err
	}
	spec := fakeAWSSpec{
		Region: "eu-west-1",
		// A key of this run's own: the fake refuses any other, so a
		// resolver that found credentials elsewhere (a profile, instance
		// metadata) would fail rather than be timed.
		AccessKeyID:     "AKIABENCH" + strings.ToUpper(nonce())[:11],
		SecretAccessKey: "bench/" + nonce() + nonce() + nonce(),
		Secrets:         map[string]string{},
	}
	for i := range slices.Max(e.sizes) {
		name := awsSecretName(i)
		// The value holds the secret's own name, so that an answer for
		// another id cannot pass.
		spec.Secrets[name] = "aws-secret-" + name + "-" + nonce()
	}
	specFile := filepath.Join(dir, "fakeaws.json")
	raw, err := json.Marshal(spec)
	if err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(specFile, raw, 0o600); err != nil {
		return nil, nil, err
	}
	fake, err := startFakeAWS(server, specFile)
	if err != nil {
		return nil, nil, err
	}
	e.onExit(func() {
		fake.stop(awsStopWait)
		if err := fake.exitErr(); err != nil {
			fmt.Fprintln(os.Stderr, "fakeaws-server:", err)
		}
	})
	if fake.ready.Region != spec.Region {
		return nil, nil, fmt.Errorf("fakeaws-server serves region %q, not the spec's %q", fake.ready.Region, spec.Region)
	}

	// What a user with static keys gives the gateway: the keys and the
	// region. --endpoint-url points every service at the fake. No HOME,
	// as the gateway passes none: the SDK then finds no shared config
	// file, which it accepts, and the keys in the environment come first
	// in its credential chain, so it asks no instance metadata service.
	provider := host.Provider{
		Source:  "exec",
		Command: ours,
		Args:    []string{"--endpoint-url", fake.ready.Endpoint},
		Env: map[string]string{
			"AWS_ACCESS_KEY_ID":     spec.AccessKeyID,
			"AWS_SECRET_ACCESS_KEY": spec.SecretAccessKey,
			"AWS_REGION":            spec.Region,
		},
	}
	b := &backend{name: "aws"}
	b.ours = func(n int) (benchcompare.Proc, map[string]string, error) {
		if n < 1 || n > len(spec.Secrets) {
			return benchcompare.Proc{}, nil, fmt.Errorf("a batch of %d ids: the fake holds %d secrets", n, len(spec.Secrets))
		}
		ids, want := make([]string, n), make(map[string]string, n)
		for i := range n {
			name := awsSecretName(i)
			ids[i] = "sm:" + name
			want[ids[i]] = spec.Secrets[name]
		}
		p := provider
		p.Args, p.Env = slices.Clone(provider.Args), maps.Clone(provider.Env) // each caller's own
		return benchcompare.Proc{
			Provider: p,
			Stdin:    benchcompare.Request("aws", ids),
			Check:    benchcompare.CheckValues(want),
		}, want, nil
	}
	return b, fake, nil
}

// awsSecretName is the i-th secret's name.
func awsSecretName(i int) string { return fmt.Sprintf("bench/s%03d", i) }

// fakeAWS is a running fakeaws-server and the line it printed.
type fakeAWS struct {
	*server
	ready fakeAWSReady
}

// startFakeAWS starts the server on specFile and waits, at most
// awsReadyWait, for its ready line. The server exits 0 only when every
// request it saw was an AWS API call (exitErr says so).
func startFakeAWS(program, specFile string) (*fakeAWS, error) {
	f := &fakeAWS{}
	cmd := exec.Command(program, specFile)
	cmd.Env = []string{} // it needs nothing of ours
	s, err := startServer("fakeaws-server", cmd, awsReadyWait, &f.ready,
		func() bool { return strings.HasPrefix(f.ready.Endpoint, "http://127.0.0.1:") },
		`{"endpoint":"http://127.0.0.1:PORT",…}`)
	if err != nil {
		return nil, err
	}
	f.server = s
	return f, nil
}
