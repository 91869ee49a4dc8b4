package plugin

import goplugin "github.com/hashicorp/go-plugin"

// Handshake is what a host and a resolver must agree on before go-plugin
// connects them. The cookie is not a secret: it only tells a resolver that
// a go-plugin host started it, so that sdk.Main serves go-plugin instead
// of reading an exec request on stdin.
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "EXECREF_RESOLVER_PLUGIN",
	MagicCookieValue: "2f7d0c1e5b9a4e43a6f0f1b8d3c2e7a5-execref-resolver",
}

// pluginName is the one plugin a resolver serves.
const pluginName = "resolver"

// Started reports whether a go-plugin host started this process (the
// handshake cookie is in its environment).
func Started(lookupEnv func(string) (string, bool)) bool {
	v, ok := lookupEnv(Handshake.MagicCookieKey)
	return ok && v == Handshake.MagicCookieValue
}
