// Command fakeaws-server serves the fakeaws package (Secrets Manager, SSM
// Parameter Store and STS over their real wire protocols, SigV4 checked)
// as a program of its own, so that something outside this module's
// tests, such as `make bench-compare`, can point a resolver at it:
//
//	fakeaws-server SPEC.json
//
// SPEC is a JSON object:
//
//	{
//	  "region": "us-east-1",                 // default us-east-1
//	  "accessKeyId": "AKIA…",                // a long-term key the server knows,
//	  "secretAccessKey": "…",                //   besides fakeaws.AccessKeyID
//	  "secrets": {"NAME": "VALUE", …},       // SecretStrings, labelled AWSCURRENT
//	  "parameters": {"/NAME": "VALUE", …},   // SecureString parameters
//	  "latency": "5ms"                       // before every Secrets Manager and SSM answer
//	}
//
// It listens on 127.0.0.1 on a port of the system's choosing and prints
// one line to stdout once it answers:
//
//	{"endpoint":"http://127.0.0.1:PORT","region":"us-east-1"}
//
// and nothing else there. It serves until its stdin reaches EOF (so it
// ends with whoever started it) or it gets SIGTERM or SIGINT, then exits
// 0. Errors go to stderr with a non-zero exit: 2 for a bad spec, 1 when
// requests that were not AWS API calls reached it (an SDK looking for
// instance metadata at the endpoint: the client was not configured as
// the caller meant), which are listed. No secret value is ever printed.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
)

// spec is the server's content, read from the file named on the command
// line.
type spec struct {
	Region          string            `json:"region"`
	AccessKeyID     string            `json:"accessKeyId"`
	SecretAccessKey string            `json:"secretAccessKey"`
	Secrets         map[string]string `json:"secrets"`
	Parameters      map[string]string `json:"parameters"`
	Latency         string            `json:"latency"`
}

// ready is the one line written to stdout.
type ready struct {
	Endpoint string `json:"endpoint"`
	Region   string `json:"region"`
}

// errSpec marks a spec that cannot be served.
var errSpec = errors.New("bad spec")

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run serves until stdin ends or a signal comes, and returns the exit
// status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fail := func(status int, err error) int {
		fmt.Fprintln(stderr, "fakeaws-server:", err)
		return status
	}
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return fail(2, errors.New("usage: fakeaws-server SPEC.json"))
	}
	sp, latency, err := readSpec(args[0])
	if err != nil {
		return fail(2, err)
	}

	// Listen for the signals before saying ready, so that a SIGTERM sent
	// as soon as the line is read ends the server cleanly.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, os.Interrupt)
	defer signal.Stop(signals)

	srv := fakeaws.New(sp.Region)
	defer srv.Close()
	if sp.AccessKeyID != "" {
		srv.AddKey(sp.AccessKeyID, sp.SecretAccessKey)
	}
	for name, value := range sp.Secrets {
		srv.PutSecretString(name, value)
	}
	for name, value := range sp.Parameters {
		srv.PutParameter(name, fakeaws.TypeSecureString, value)
	}
	srv.SetLatency(latency)

	line, err := json.Marshal(ready{Endpoint: srv.URL, Region: srv.Region})
	if err != nil {
		return fail(1, err)
	}
	if _, err := stdout.Write(append(line, '\n')); err != nil {
		return fail(1, fmt.Errorf("writing the ready line: %w", err))
	}

	eof := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, stdin)
		close(eof)
	}()
	select {
	case <-eof:
	case <-signals:
	}

	if stray := srv.Stray(); len(stray) > 0 {
		return fail(1, fmt.Errorf("%d requests were not AWS API calls (was the client pointed here for instance metadata?): %s",
			len(stray), strings.Join(stray, ", ")))
	}
	return 0
}

// readSpec reads and checks the spec; latency is its parsed Latency.
func readSpec(path string) (sp spec, latency time.Duration, err error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return sp, 0, fmt.Errorf("%w: %w", errSpec, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sp); err != nil {
		return sp, 0, fmt.Errorf("%w: %s: %w", errSpec, path, err)
	}
	if dec.More() {
		return sp, 0, fmt.Errorf("%w: %s: more than one JSON value", errSpec, path)
	}
	if sp.Region == "" {
		sp.Region = fakeaws.DefaultRegion
	}
	if (sp.AccessKeyID == "") != (sp.SecretAccessKey == "") {
		return sp, 0, fmt.Errorf("%w: %s: accessKeyId and secretAccessKey go together", errSpec, path)
	}
	for name := range sp.Secrets {
		if name == "" {
			return sp, 0, fmt.Errorf("%w: %s: a secret with an empty name", errSpec, path)
		}
	}
	for name := range sp.Parameters {
		if name == "" {
			return sp, 0, fmt.Errorf("%w: %s: a parameter with an empty name", errSpec, path)
		}
	}
	if sp.Latency != "" {
		latency, err = time.ParseDuration(sp.Latency)
		if err != nil || latency < 0 {
			return sp, 0, fmt.Errorf("%w: %s: latency %q is not a duration of 0 or more", errSpec, path, sp.Latency)
		}
	}
	return sp, latency, nil
}
