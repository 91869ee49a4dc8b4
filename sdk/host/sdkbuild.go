package host

import "debug/buildinfo"

// sdkModule is the module every execref resolver is built on: sdk.Main
// answers --verbose and the check subcommand for all of them.
const sdkModule = "github.com/execref/execref/sdk"

// BuiltWithSDK tells whether the executable at path is a Go program built
// on the execref SDK, from the build information Go embeds in it, and
// names its main module ("github.com/x/y v1.2.0, built on …/sdk v0.3.0").
// It never runs the binary: a third-party resolver must not be started
// with an argument (--verbose, check) it may take for something else.
func BuiltWithSDK(path string) (module string, ok bool) {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return "", false
	}
	if info.Main.Path == sdkModule {
		return moduleName(info.Main.Path, info.Main.Version), true
	}
	for _, d := range info.Deps {
		if d.Path == sdkModule {
			return moduleName(info.Main.Path, info.Main.Version) + ", built on " + moduleName(d.Path, d.Version), true
		}
	}
	return "", false
}

func moduleName(path, version string) string {
	if version == "" || version == "(devel)" {
		return path
	}
	return path + " " + version
}
