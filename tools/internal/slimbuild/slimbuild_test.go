package slimbuild

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	sdkPackage   = "github.com/execref/execref/sdk"
	goPlugin     = "github.com/hashicorp/go-plugin"
	grpc         = "google.golang.org/grpc"
	protobuf     = "google.golang.org/protobuf/proto"
	pluginTag    = "execref_plugin" // handshake.BuildTag, spelled as a user types it
	resolvers    = "github.com/execref/execref/resolvers/..."
	examples     = "github.com/execref/execref/sdk/examples/..."
	twin         = "github.com/execref/execref/conformance/testdata/sdkresolver"
	sopsResolver = "github.com/execref/execref/resolvers/sops/cmd/openclaw-sops-resolver"
	opResolver   = "github.com/execref/execref/resolvers/onepassword/cmd/openclaw-1password-resolver"
)

// heavy are the packages the default build must not link.
var heavy = []string{goPlugin, grpc, protobuf}

// linkedByBackend are those of them a resolver's own backend links, which
// no build tag of ours can remove: for these resolvers only go-plugin's
// absence is the tag's doing, and only that is asserted.
var linkedByBackend = map[string][]string{
	// sops links gRPC and protobuf for its GCP KMS key source.
	sopsResolver: {grpc, protobuf},
	// The 1Password SDK's WASM runtime links OpenTelemetry's protobuf
	// messages (dylibso/observe-sdk).
	opResolver: {protobuf},
}

// pkg is one main package as go list sees it.
type pkg struct {
	path    string
	imports []string
	deps    []string
}

// commands lists every main package that sdk.Main serves (it imports the
// SDK's root package): the resolvers, the SDK's examples, the
// conformance suite's SDK-built twin; tags are passed to go list.
func commands(t *testing.T, tags ...string) []pkg {
	t.Helper()
	args := []string{"list"}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	args = append(args, "-f", `{{if eq .Name "main"}}{{.ImportPath}}{{"\t"}}{{join .Imports " "}}{{"\t"}}{{join .Deps " "}}{{end}}`,
		resolvers, examples, twin)
	cmd := exec.Command("go", args...)
	cmd.Dir = repoRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderrOf(err))
	}
	var mains []pkg
	for line := range strings.Lines(string(out)) {
		f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		if len(f) != 3 {
			continue
		}
		p := pkg{path: f[0], imports: strings.Fields(f[1]), deps: strings.Fields(f[2])}
		if slices.Contains(p.imports, sdkPackage) {
			mains = append(mains, p)
		}
	}
	// Every resolver and the twin, or this test checks too little.
	for _, want := range []string{sopsResolver, opResolver, twin,
		"github.com/execref/execref/resolvers/aws/cmd/openclaw-aws-resolver",
		"github.com/execref/execref/resolvers/vault/cmd/openclaw-vault-resolver",
		"github.com/execref/execref/sdk/examples/openclaw-jsonfile-resolver"} {
		if !slices.ContainsFunc(mains, func(p pkg) bool { return p.path == want }) {
			t.Fatalf("go list found no main package %s importing %s: the list of commands checked is wrong", want, sdkPackage)
		}
	}
	return mains
}

// The default build of every resolver links none of the heavy packages
// (but those its own backend needs).
func TestDefaultBuildIsSlim(t *testing.T) {
	for _, p := range commands(t) {
		for _, h := range heavy {
			if slices.Contains(p.deps, h) && !slices.Contains(linkedByBackend[p.path], h) {
				t.Errorf("the default build of %s links %s: only builds with -tags %s may (sdk/pluginserve.go)", p.path, h, pluginTag)
			}
		}
	}
}

// With the tag every resolver links go-plugin, gRPC and protobuf: the
// go-plugin server is really compiled in.
func TestPluginTagLinksGoPlugin(t *testing.T) {
	for _, p := range commands(t, pluginTag) {
		for _, h := range heavy {
			if !slices.Contains(p.deps, h) {
				t.Errorf("%s built with -tags %s does not link %s: go-plugin serving is not compiled in", p.path, pluginTag, h)
			}
		}
	}
}

func stderrOf(err error) []byte {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.Stderr
	}
	return nil
}

// repoRoot is the work tree's root: tools/ is never released, so the
// test always runs inside the repository, in its workspace.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.work")); err != nil {
		t.Fatalf("not in the execref work tree: %v", err)
	}
	return root
}
