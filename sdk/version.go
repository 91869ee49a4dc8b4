package sdk

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/execref/execref/protocol"
)

// Version is stamped at build time:
//
//	go build -ldflags "-X github.com/execref/execref/sdk.Version=v1.2.3"
//
// Left empty, BuildVersion falls back to what the Go toolchain recorded.
var Version string

// BuildVersion is the version the running binary reports: Version when the
// build stamped it (make build, the release packages), else the version of
// the main module that go install recorded (the release tag: go install
// github.com/execref/execref/resolvers/vault/cmd/openclaw-vault-resolver@v1.2.3
// reports v1.2.3), else "dev" (a build from a work tree, where Go records
// "(devel)").
func BuildVersion() string {
	info, _ := debug.ReadBuildInfo()
	return versionOf(Version, info)
}

// PrintVersion prints the line every execref command answers --version
// with: the program, its version, the protocol it speaks and the Go
// toolchain and target it was built with.
func PrintVersion(w io.Writer, program string) {
	fmt.Fprintf(w, "%s %s (protocol %d, %s %s/%s)\n", program, BuildVersion(), protocol.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// version is BuildVersion under the name the command-line code uses.
func version() string { return BuildVersion() }

func versionOf(stamped string, info *debug.BuildInfo) string {
	switch {
	case stamped != "":
		return stamped
	case info != nil && info.Main.Version != "" && info.Main.Version != "(devel)":
		return info.Main.Version
	}
	return "dev"
}
