package modrelease

import "testing"

// A prepared go.sum keeps every other module's lines as they were, loses
// the released modules' lines of earlier versions, and is sorted as cmd/go
// sorts it (path, then semantic version, the go.mod hash after the zip's).
func TestRewriteGoSum(t *testing.T) {
	old := `example.com/z v1.10.0 h1:z110=
example.com/z v1.10.0/go.mod h1:z110mod=
example.com/z v1.9.0/go.mod h1:z19mod=
github.com/execref/execref/sdk v0.1.0 h1:old=
github.com/execref/execref/sdk v0.1.0/go.mod h1:oldmod=
`
	released := func(p string) bool {
		return p == "github.com/execref/execref/sdk" || p == "github.com/execref/execref/protocol"
	}
	got := string(rewriteGoSum([]byte(old), released, "v0.2.0", map[string]sums{
		"github.com/execref/execref/sdk":      {zip: "h1:sdk=", mod: "h1:sdkmod="},
		"github.com/execref/execref/protocol": {zip: "h1:proto=", mod: "h1:protomod="},
	}))
	want := `example.com/z v1.9.0/go.mod h1:z19mod=
example.com/z v1.10.0 h1:z110=
example.com/z v1.10.0/go.mod h1:z110mod=
github.com/execref/execref/protocol v0.2.0 h1:proto=
github.com/execref/execref/protocol v0.2.0/go.mod h1:protomod=
github.com/execref/execref/sdk v0.2.0 h1:sdk=
github.com/execref/execref/sdk v0.2.0/go.mod h1:sdkmod=
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
