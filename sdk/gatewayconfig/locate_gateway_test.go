package gatewayconfig

import (
	"encoding/json"
	"os"
	"testing"
)

// TestLocateGateway holds Locate to `openclaw config file --json`, the
// gateway CLI's own answer, for every case of TestLocate: a throwaway home
// with the case's files, and only HOME and the case's variables in the
// environment.
func TestLocateGateway(t *testing.T) {
	g := requireGateway(t)
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range locateCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			vars, _, _ := setupLocate(t, c)
			var env []string
			for k, v := range vars {
				env = append(env, k+"="+v)
			}
			out, err := g.run(t, cwd, env, g.cli(), "config", "file", "--json")
			if err != nil {
				t.Fatal(err)
			}
			var got struct{ Path string }
			if err := json.Unmarshal(out, &got); err != nil || got.Path == "" {
				t.Fatalf("openclaw config file printed %q: %v", out, err)
			}
			ours, err := Locate(envOf(vars))
			if err != nil || ours != got.Path {
				t.Errorf("Locate = %q, %v; the gateway says %q", ours, err, got.Path)
			}
		})
	}
}
