//go:build linux || darwin || freebsd

package agent_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/agent"
)

func TestDefaultSocket(t *testing.T) {
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	cases := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"runtime dir", map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000", "OPENCLAW_STATE_DIR": "/srv/oc"}, "/run/user/1000/execref/openclaw-x-resolver.sock"},
		{"relative runtime dir ignored", map[string]string{"XDG_RUNTIME_DIR": "run", "OPENCLAW_STATE_DIR": "/srv/oc"}, "/srv/oc/agent/openclaw-x-resolver.sock"},
		{"state dir", map[string]string{"OPENCLAW_STATE_DIR": "/srv/oc"}, "/srv/oc/agent/openclaw-x-resolver.sock"},
		{"home", map[string]string{"HOME": "/nonexistent/u"}, "/nonexistent/u/.openclaw/agent/openclaw-x-resolver.sock"},
	}
	for _, c := range cases {
		got, err := agent.DefaultSocket("openclaw-x-resolver", env(c.vars))
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}

func TestUnusableSocketPaths(t *testing.T) {
	long := filepath.Join(t.TempDir(), strings.Repeat("d", 100), "r.sock")
	for _, path := range []string{"", "relative.sock", long} {
		if _, err := agent.Listen(context.Background(), agent.Options{Socket: path}); !errors.Is(err, agent.ErrSocketPath) {
			t.Errorf("Listen(%q): %v, want ErrSocketPath", path, err)
		}
	}
}
