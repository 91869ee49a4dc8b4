package sdk

import "runtime/debug"

// Version is stamped at build time:
//
//	go build -ldflags "-X github.com/execref/execref/sdk.Version=v1.2.3"
//
// Left empty, the module version recorded by go install is used, else "dev".
var Version string

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
