package plugin

import (
	"debug/buildinfo"
	"errors"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/plugin/handshake"
)

// ErrNotServed: the resolver does not serve go-plugin, being a build
// without the execref_plugin tag (docs/sdk.md, "go-plugin"). Runner's
// error for it is a *host.ProviderError (host.ErrStart, its Cause a
// *NotServedError) that answers errors.Is(err, ErrNotServed) too.
var ErrNotServed = errors.New("the resolver does not serve go-plugin")

// NotServedError names the command that does not serve go-plugin and how
// to build one that does.
type NotServedError struct{ Command string }

func (e *NotServedError) Error() string {
	return e.Command + " does not serve go-plugin: it was built without -tags " + handshake.BuildTag + ` (docs/sdk.md, "go-plugin")`
}

func (e *NotServedError) Unwrap() error { return ErrNotServed }

// sdkModule is the module whose resolvers serve go-plugin only when
// built with the tag (every version of it so far: none was released
// before the tag).
const sdkModule = "github.com/execref/execref/sdk"

// CheckBuild tells, from the build information Go embeds in the
// executable at path and without running it, whether it is a resolver
// built on the execref SDK without the execref_plugin tag: then it
// returns a *NotServedError. It returns nil for a build with the tag and
// for any other file (a program not built on the SDK, a script), which
// only running it can tell; Runner then recognizes the refusal the SDK
// prints.
func CheckBuild(path string) error {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return nil
	}
	onSDK := info.Main.Path == sdkModule || slices.ContainsFunc(info.Deps, func(m *debug.Module) bool { return m.Path == sdkModule })
	if !onSDK {
		return nil
	}
	for _, s := range info.Settings {
		if s.Key == "-tags" && slices.Contains(strings.FieldsFunc(s.Value, func(r rune) bool { return r == ',' || r == ' ' }), handshake.BuildTag) {
			return nil
		}
	}
	return &NotServedError{Command: path}
}

// notServedError is Runner's error for a resolver that does not serve
// go-plugin: the *host.ProviderError of a command that could not be
// started, which also answers errors.Is(err, ErrNotServed).
type notServedError struct{ *host.ProviderError }

func (e *notServedError) Unwrap() []error { return []error{e.ProviderError, ErrNotServed} }

func notServed(name, command string) error {
	return &notServedError{&host.ProviderError{Provider: name, Err: host.ErrStart, Cause: &NotServedError{Command: command}}}
}
