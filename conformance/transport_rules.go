package conformance

// Which cases apply over which transport, and why not where they do not.
// Every case runs over exec. Over plugin and agent a case is skipped,
// with its reason in the report, when what it checks cannot reach the
// resolver that way or cannot be seen: never silently, and never because
// a case is hard to pass. The cases about the process itself stay where
// they mean something: ENV-001 (the agent and the plugin process get the
// exec side's environment and cwd), PROC-001 to PROC-004 (time, and
// answers that stay the same across batches and concurrent calls of one
// long-lived process, where state kept between batches goes wrong), and
// SEC-001 over the agent (the agent's own log is read too).
const (
	// Over go-plugin the runner builds each request itself, from ids it
	// checked, as the gateway does.
	whyTypedRequest = "over go-plugin the runner builds each request itself, as a typed message: malformed JSON, empty stdin, another protocolVersion, members of the wrong type or an oversized request cannot reach the resolver"
	whyDeduplicated = "the plugin runner removes duplicate ids before the call, as the gateway does: the resolver never receives them"
	whyGrammar      = "the plugin runner refuses ids outside the gateway's grammar before any call, as the gateway does: the resolver never receives them"
	whyNoIDs        = "the plugin runner makes no call for no ids, as the gateway runs nothing"
	whyNoStdout     = "over go-plugin the answer is a protobuf message, not stdout: there is no stream for a log line or a second document to slip into"
	whyAskedOnly    = "the plugin runner keeps the answers for the ids asked only, so an answer for another id cannot be seen through it"
	whyNoDocument   = "over go-plugin the answer is a protobuf message whose shape sdk/plugin/resolverpb fixes, not the JSON document the schema describes"
	whyRedacted     = "the plugin runner redacts the resolver's stderr with every value that process answered before anyone sees it, so a leak cannot show through it; over exec and agent the same code's stderr is read as written"

	// Over the agent the exec side reads stdin first, and forwards only
	// a request it could decode.
	whyFrontRefuses = "the exec side refuses the request before it forwards anything, so it never reaches the agent: that is the exec transport's run, judged there"
)

// transportRules maps case IDs to the transports they do not apply to.
var transportRules = map[string]map[Transport]string{
	"CORE-004":   {Plugin: whyDeduplicated},
	"CORE-006":   {Plugin: whyGrammar},
	"CORE-007":   {Plugin: whyNoIDs},
	"INPUT-001":  {Plugin: whyTypedRequest, Agent: whyFrontRefuses},
	"INPUT-002":  {Plugin: whyTypedRequest, Agent: whyFrontRefuses},
	"INPUT-003":  {Plugin: whyTypedRequest, Agent: whyFrontRefuses},
	"INPUT-004":  {Plugin: whyTypedRequest, Agent: whyFrontRefuses},
	"INPUT-005":  {Plugin: whyTypedRequest, Agent: whyFrontRefuses},
	"OUTPUT-001": {Plugin: whyNoStdout},
	"OUTPUT-002": {Plugin: whyAskedOnly},
	"OUTPUT-005": {Plugin: whyNoDocument},
	"SEC-001":    {Plugin: whyRedacted},
}

// withTransportRules gives each case its rules.
func withTransportRules(cases []Case) []Case {
	for i := range cases {
		cases[i].notOver = transportRules[cases[i].ID]
	}
	return cases
}

// NotOver says why case id does not apply over t, or "" when it does.
func NotOver(id string, t Transport) string {
	return transportRules[id][t]
}
