package protocol

// Version is the only protocolVersion this package speaks.
const Version = 1

// Request is what the host writes on the resolver's stdin.
type Request struct {
	ProtocolVersion int      `json:"protocolVersion"`
	Provider        string   `json:"provider"`
	IDs             []string `json:"ids"`
}

// Response is what the resolver writes on stdout. Values holds whatever JSON
// the resolver sent: the gateway takes a value as is, so a host must accept
// objects and numbers too, although every resolver built on the SDK sends
// strings.
type Response struct {
	ProtocolVersion int              `json:"protocolVersion"`
	Values          map[string]any   `json:"values"`
	Errors          map[string]Error `json:"errors,omitempty"`
}

// Error is one id's failure. It unwraps to its Code, so
// errors.Is(err, protocol.NotFound) holds for a NOT_FOUND entry.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message,omitempty"`
}

func (e *Error) Error() string {
	if e.Message == "" {
		return string(e.Code)
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Code }
