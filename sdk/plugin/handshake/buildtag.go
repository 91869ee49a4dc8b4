package handshake

// BuildTag is the Go build tag that links go-plugin serving into a
// resolver: go build -tags execref_plugin.
const BuildTag = "execref_plugin"

// What a resolver built without BuildTag does when a go-plugin host
// starts it: it writes NotServed on stderr, after its name, and exits
// with ExitNotServed (sdk.ExitConfig), without reading stdin. sdk/plugin's
// Runner recognizes the pair.
const (
	NotServed     = `this build does not serve go-plugin: build it with -tags ` + BuildTag + ` (docs/sdk.md, "go-plugin")`
	ExitNotServed = 78
)
