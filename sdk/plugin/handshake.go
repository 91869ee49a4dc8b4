package plugin

import (
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/execref/execref/sdk/plugin/handshake"
)

// Handshake is what a host and a resolver must agree on before go-plugin
// connects them (package handshake, which resolvers built without
// go-plugin read too).
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  handshake.ProtocolVersion,
	MagicCookieKey:   handshake.CookieKey,
	MagicCookieValue: handshake.CookieValue,
}

// pluginName is the one plugin a resolver serves.
const pluginName = "resolver"

// Started reports whether a go-plugin host started this process (the
// handshake cookie is in its environment). It is handshake.Started, which
// a program that must not link go-plugin calls instead.
func Started(lookupEnv func(string) (string, bool)) bool {
	return handshake.Started(lookupEnv)
}
