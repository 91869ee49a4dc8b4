package protogen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// generated are the files make proto writes, committed beside the .proto.
var generated = []string{"resolver.pb.go", "resolver_grpc.pb.go"}

// TestCommittedCodeIsRegenerated runs the make target itself into a
// scratch directory and compares byte for byte: an edit of the .proto
// without make proto, a hand edit of the Go code, or a generator version
// changed in tools/go.mod without regenerating all fail here.
func TestCommittedCodeIsRegenerated(t *testing.T) {
	if _, err := exec.LookPath("protoc"); err != nil {
		t.Skip("protoc is not installed (apt-get install protobuf-compiler); CI installs it")
	}
	root := repoRoot(t)
	out := t.TempDir()
	cmd := exec.Command("make", "--no-print-directory", "-s", "proto",
		"PROTO_OUT="+out, "PROTO_TOOLS="+filepath.Join(out, "tools"))
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make proto: %v\n%s", err, b)
	}
	for _, name := range generated {
		want, err := os.ReadFile(filepath.Join(root, "sdk", "plugin", "resolverpb", name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("sdk/plugin/resolverpb/%s differs from what make proto generates: run make proto and commit the result", name)
		}
	}
}

// TestMissingProtocIsNamed: without protoc the target says what to
// install, before it builds anything.
func TestMissingProtocIsNamed(t *testing.T) {
	root := repoRoot(t)
	cmd := exec.Command("make", "--no-print-directory", "-s", "proto",
		"PROTOC=execref-no-such-protoc", "PROTO_OUT="+t.TempDir(), "PROTO_TOOLS="+t.TempDir())
	cmd.Dir = root
	b, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("make proto without protoc succeeded:\n%s", b)
	}
	if !bytes.Contains(b, []byte("apt-get install protobuf-compiler")) {
		t.Errorf("make proto without protoc does not name the package to install:\n%s", b)
	}
}

// repoRoot is the work tree's root: tools/ is never released, so the
// test always runs inside the repository.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "mk", "proto.mk")); err != nil {
		t.Fatalf("not in the execref work tree: %v", err)
	}
	return root
}
