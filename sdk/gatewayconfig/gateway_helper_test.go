package gatewayconfig

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// installedGateway is the real openclaw install make e2e-openclaw sets up.
// It mirrors conformance/gateway.Require, which this module cannot import
// (conformance imports the SDK): skip without EXECREF_NODE and
// EXECREF_OPENCLAW_PREFIX, fail instead with EXECREF_REQUIRE_GATEWAY=1.
type installedGateway struct{ node, prefix string }

func requireGateway(t *testing.T) installedGateway {
	t.Helper()
	required := os.Getenv("EXECREF_REQUIRE_GATEWAY") == "1"
	g := installedGateway{node: os.Getenv("EXECREF_NODE"), prefix: os.Getenv("EXECREF_OPENCLAW_PREFIX")}
	problem := ""
	switch {
	case g.node == "" || g.prefix == "":
		problem = "EXECREF_NODE or EXECREF_OPENCLAW_PREFIX is unset: run make e2e-openclaw"
	default:
		for _, p := range []string{g.node, filepath.Join(g.prefix, "node_modules", "json5", "package.json"), g.cli()} {
			if _, err := os.Stat(p); err != nil {
				problem = "gateway install incomplete: " + err.Error()
			}
		}
	}
	if problem != "" {
		if required {
			t.Fatalf("real gateway required (EXECREF_REQUIRE_GATEWAY=1): %s", problem)
		}
		t.Skip(problem)
	}
	return g
}

func (g installedGateway) cli() string {
	return filepath.Join(g.prefix, "node_modules", "openclaw", "openclaw.mjs")
}

// run runs node with args in dir, with exactly env as its environment.
func (g installedGateway) run(t *testing.T, dir string, env []string, args ...string) (stdout []byte, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, g.node, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{}, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		if out.Len() == 0 { // a failure that printed nothing: say why
			t.Logf("node %v: %v\nstderr: %s", args, err, errOut.Bytes())
		}
		return out.Bytes(), err
	}
	return out.Bytes(), nil
}
