package modrelease

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/execref/execref/tools/internal/goenv"
)

// installEnv is go's environment for the installs and returns the module
// cache it uses (modcache, or the usual one): the scratch proxy first,
// then the download cache of the usual module cache (so that dependencies
// already downloaded are not fetched again), then the usual GOPROXY; no
// checksum database for the released modules, which it has never seen; no
// workspace, no GOFLAGS.
func installEnv(ws *Workspace, proxy, bin, modcache string) ([]string, string, error) {
	out, err := exec.Command("go", "env", "GOMODCACHE", "GOPROXY").Output()
	if err != nil {
		return nil, "", &GoError{Args: []string{"env", "GOMODCACHE", "GOPROXY"}, Err: err}
	}
	f := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(f) != 2 {
		return nil, "", fmt.Errorf("go env GOMODCACHE GOPROXY: %q", out)
	}
	if modcache == "" {
		modcache = f[0]
	}
	proxies := fileURL(proxy) + "," + fileURL(filepath.Join(f[0], "cache", "download"))
	if f[1] != "" {
		proxies += "," + f[1]
	}
	var released []string
	for _, m := range ws.Released {
		released = append(released, m.Path)
	}
	// GOPRIVATE and GONOPROXY would send the released modules past the
	// scratch proxy.
	env := goenv.With(goenv.Without(os.Environ(), "GONOPROXY", "GOPRIVATE"),
		"GOWORK=off", "GOFLAGS=", "GOPROXY="+proxies,
		"GONOSUMDB="+strings.Join(released, ","), "GOBIN="+bin, "GOMODCACHE="+modcache)
	return env, modcache, nil
}

func fileURL(dir string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String()
}

func goCmd(dir string, env []string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return &GoError{Args: args, Output: out.String(), Err: err}
	}
	return nil
}
