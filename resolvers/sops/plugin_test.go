package sops_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/sops/internal/encrypt"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/plugin"
)

// The same ids through the exec host and over go-plugin give the same
// results and the same whole-provider failures.
func TestPluginSameAsExec(t *testing.T) {
	e := install(t)
	var stderr strings.Builder
	r := &plugin.Runner{LookupEnv: func(string) (string, bool) { return "", false }, Stderr: &stderr}
	defer r.Close()
	compare := func(p host.Provider, ids ...string) (map[string]host.Result, error) {
		t.Helper()
		execRes, execErr := resolve(t, p, ids...)
		plugRes, plugErr := r.Resolve(context.Background(), "sops", p, ids)
		if !reflect.DeepEqual(reduce(execRes), reduce(plugRes)) {
			t.Errorf("%q: results differ\nexec:   %v\nplugin: %v", ids, reduce(execRes), reduce(plugRes))
		}
		if text(execErr) != text(plugErr) {
			t.Errorf("%q: errors differ\nexec:   %v\nplugin: %v", ids, execErr, plugErr)
		}
		return plugRes, plugErr
	}

	res, err := compare(e.provider, "openai/apiKey", "prod:openai/apiKey", "env:API_KEY", "tls/key", "openai/missing", "prod:list", "openai//apiKey")
	must(t, err)
	if res["prod:openai/apiKey"].Value != "sk-json-456" || !errors.Is(res["openai/missing"].Err, protocol.NotFound) {
		t.Errorf("over go-plugin: %v", reduce(res))
	}

	// No key: credentials refused (77) either way.
	p := e.provider
	p.Env = nil
	if _, err := compare(p, "prod:openai/apiKey"); !exitedWith(err, 77) {
		t.Errorf("no key: %v, want exit status 77", err)
	}
	// Another key: also 77.
	other, _ := encrypt.NewIdentity()
	wrongKey := filepath.Join(t.TempDir(), "other.txt")
	must(t, os.WriteFile(wrongKey, other.KeyFile(), 0o600))
	p.Env = map[string]string{"SOPS_AGE_KEY_FILE": wrongKey}
	if _, err := compare(p, "prod:openai/apiKey"); !exitedWith(err, 77) {
		t.Errorf("wrong key: %v, want exit status 77", err)
	}

	_ = r.Close()
	for _, secret := range []string{"sk-yaml", "sk-json", "sk-env", "AGE-SECRET-KEY", "PRIVATE KEY"} {
		if strings.Contains(stderr.String(), secret) {
			t.Errorf("the plugin runner's stderr holds %q:\n%s", secret, stderr.String())
		}
	}
}

type reduced struct {
	Value any
	Err   string
}

func reduce(res map[string]host.Result) map[string]reduced {
	out := map[string]reduced{}
	for id, r := range res {
		out[id] = reduced{r.Value, text(r.Err)}
	}
	return out
}

func text(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func exitedWith(err error, status int) bool {
	var pe *host.ProviderError
	return errors.As(err, &pe) && errors.Is(err, host.ErrExit) && pe.ExitCode == status
}
