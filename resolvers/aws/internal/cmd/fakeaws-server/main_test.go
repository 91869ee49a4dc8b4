package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
)

// served is a run of the server in this process: its ready line, and
// what ends it.
type served struct {
	ready  ready
	stdin  *io.PipeWriter
	status chan int
	stderr *bytes.Buffer
	rest   chan []byte // stdout after the ready line, once it closed
}

// serve runs the server on a spec and waits for its ready line.
func serve(t *testing.T, sp string) *served {
	t.Helper()
	file := filepath.Join(t.TempDir(), "spec.json")
	if err := os.WriteFile(file, []byte(sp), 0o600); err != nil {
		t.Fatal(err)
	}
	stdinR, stdinW := io.Pipe()
	stdoutR, stdoutW := io.Pipe()
	s := &served{stdin: stdinW, status: make(chan int, 1), stderr: &bytes.Buffer{}, rest: make(chan []byte, 1)}
	go func() {
		s.status <- run([]string{file}, stdinR, stdoutW, s.stderr)
		stdoutW.Close()
	}()
	t.Cleanup(func() { stdinW.Close() })
	stdout := bufio.NewReader(stdoutR)
	line, err := stdout.ReadBytes('\n')
	if err != nil {
		status := <-s.status
		t.Fatalf("no ready line (%v), exit status %d; stderr: %s", err, status, s.stderr)
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s.ready); err != nil {
		t.Fatalf("ready line %q: %v", line, err)
	}
	go func() {
		rest, _ := io.ReadAll(stdout)
		s.rest <- rest
	}()
	return s
}

// stop closes stdin and returns the exit status. Nothing but the ready
// line may have come on stdout.
func (s *served) stop(t *testing.T) int {
	t.Helper()
	s.stdin.Close()
	select {
	case status := <-s.status:
		if rest := <-s.rest; len(rest) > 0 {
			t.Errorf("stdout after the ready line: %q", rest)
		}
		return status
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop when its stdin closed")
		return -1
	}
}

func sdkConfig(t *testing.T, r ready, keyID, secret string) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion(r.Region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(keyID, secret, "")),
		config.WithBaseEndpoint(r.Endpoint),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
		config.WithEC2IMDSClientEnableState(imds.ClientDisabled),
	)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// The spec's key signs, its secrets and parameters are served, its
// region is the one in the ready line, and stdin's end stops the server
// with status 0.
func TestServesTheSpec(t *testing.T) {
	s := serve(t, `{"region":"eu-west-1","accessKeyId":"AKIATESTSERVER000001","secretAccessKey":"test/secret",
		"secrets":{"app/one":"value-of-app/one","app/two":"value-of-app/two"},
		"parameters":{"/app/p":"value-of-/app/p"},"latency":"1ms"}`)
	if s.ready.Region != "eu-west-1" || !strings.HasPrefix(s.ready.Endpoint, "http://127.0.0.1:") {
		t.Fatalf("ready line %+v, want region eu-west-1 on http://127.0.0.1:PORT", s.ready)
	}
	ctx := context.Background()
	cfg := sdkConfig(t, s.ready, "AKIATESTSERVER000001", "test/secret")
	sm := secretsmanager.NewFromConfig(cfg)
	for _, name := range []string{"app/one", "app/two"} {
		out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
		if err != nil {
			t.Fatalf("GetSecretValue %s: %v", name, err)
		}
		if got := aws.ToString(out.SecretString); got != "value-of-"+name {
			t.Errorf("GetSecretValue %s = %q", name, got)
		}
	}
	p, err := ssm.NewFromConfig(cfg).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/p"), WithDecryption: aws.Bool(true)})
	if err != nil {
		t.Fatalf("GetParameter: %v", err)
	}
	if got := aws.ToString(p.Parameter.Value); got != "value-of-/app/p" {
		t.Errorf("GetParameter = %q", got)
	}
	// Signatures are checked: the key with another secret is refused.
	_, err = secretsmanager.NewFromConfig(sdkConfig(t, s.ready, "AKIATESTSERVER000001", "not/the/secret")).
		GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("app/one")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidSignatureException" {
		t.Errorf("a bad signature: %v, want InvalidSignatureException", err)
	}
	if status := s.stop(t); status != 0 {
		t.Errorf("exit status %d after stdin closed, want 0; stderr: %s", status, s.stderr)
	}
}

// SIGTERM stops the server with status 0 while its stdin is still open.
func TestSIGTERMStops(t *testing.T) {
	s := serve(t, `{}`)
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case status := <-s.status:
		if status != 0 {
			t.Errorf("exit status %d after SIGTERM, want 0; stderr: %s", status, s.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop on SIGTERM")
	}
}

// A request that is not an AWS API call makes the server exit 1 and name
// it, so that a client configured to look for instance metadata at the
// endpoint cannot go unnoticed.
func TestStrayRequestsFailTheExit(t *testing.T) {
	s := serve(t, `{}`)
	resp, err := http.Get(s.ready.Endpoint + "/latest/api/token")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if status := s.stop(t); status != 1 {
		t.Errorf("exit status %d, want 1", status)
	}
	if !strings.Contains(s.stderr.String(), "GET /latest/api/token") {
		t.Errorf("stderr does not name the stray request: %s", s.stderr)
	}
}

// A spec it cannot serve exits 2 before saying ready, with the reason,
// and never a value from the spec.
func TestBadSpecs(t *testing.T) {
	for name, sp := range map[string]string{
		"unknown field":     `{"secret":{"a":"hidden-value"}}`,
		"half a key":        `{"accessKeyId":"AKIA0000000000000000","secrets":{"a":"hidden-value"}}`,
		"bad latency":       `{"latency":"soon","secrets":{"a":"hidden-value"}}`,
		"negative latency":  `{"latency":"-1s"}`,
		"empty secret name": `{"secrets":{"":"hidden-value"}}`,
		"empty param name":  `{"parameters":{"":"hidden-value"}}`,
		"two values":        `{} {}`,
		"not JSON":          `hidden-value`,
	} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "spec.json")
			if err := os.WriteFile(file, []byte(sp), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, _, err := readSpec(file); !errors.Is(err, errSpec) {
				t.Errorf("readSpec: %v, want %v", err, errSpec)
			}
			var stdout, stderr bytes.Buffer
			if status := run([]string{file}, strings.NewReader(""), &stdout, &stderr); status != 2 {
				t.Errorf("exit status %d, want 2", status)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout: %q, want nothing", stdout.String())
			}
			if !strings.Contains(stderr.String(), "bad spec") {
				t.Errorf("stderr does not say the spec is bad: %s", stderr.String())
			}
			if strings.Contains(stderr.String(), "hidden-value") {
				t.Errorf("stderr shows a value: %s", stderr.String())
			}
		})
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"a", "b"}, {"-h"}} {
		var stdout, stderr bytes.Buffer
		if status := run(args, strings.NewReader(""), &stdout, &stderr); status != 2 || !strings.Contains(stderr.String(), "usage") {
			t.Errorf("%q: status %d, stderr %q; want 2 and the usage", args, status, stderr.String())
		}
	}
}
