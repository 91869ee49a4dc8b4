package handshake

// The go-plugin handshake of every execref resolver. The cookie is not a
// secret: it only tells a resolver that a go-plugin host started it.
const (
	ProtocolVersion = 1
	CookieKey       = "EXECREF_RESOLVER_PLUGIN"
	CookieValue     = "2f7d0c1e5b9a4e43a6f0f1b8d3c2e7a5-execref-resolver"
)

// Started reports whether a go-plugin host started this process: the
// handshake cookie is in its environment.
func Started(lookupEnv func(string) (string, bool)) bool {
	v, ok := lookupEnv(CookieKey)
	return ok && v == CookieValue
}
