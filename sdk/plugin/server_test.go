package plugin

import (
	"context"
	"math"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/plugin/resolverpb"
)

// handlerFunc is a Handler that records the request it was given.
type handlerFunc struct {
	reply   agent.Reply
	request []byte
}

func (h *handlerFunc) Resolve(_ context.Context, request []byte) agent.Reply {
	h.request = request
	return h.reply
}

func serve(t *testing.T, reply agent.Reply) (*resolverpb.ResolveResponse, *handlerFunc, string, error) {
	t.Helper()
	h := &handlerFunc{reply: reply}
	var log strings.Builder
	s := &handlerServer{h: h, log: &log}
	out, err := s.Resolve(context.Background(), &resolverpb.ResolveRequest{ProtocolVersion: 1, Provider: "p", Ids: []string{"a/<b>", "c"}})
	return out, h, log.String(), err
}

// The handler gets the exec request's JSON, exactly as the exec protocol
// writes it; values come back encoded as the exec response holds them,
// without HTML escaping, errors with their code and message.
func TestHandlerServerResponse(t *testing.T) {
	out, h, log, err := serve(t, agent.Reply{Response: &protocol.Response{
		ProtocolVersion: 1,
		Values:          map[string]any{"a/<b>": "x<&>y", "n": 3.5},
		Errors:          map[string]protocol.Error{"c": {Code: protocol.NotFound, Message: "no c"}},
	}})
	if err != nil || log != "" {
		t.Fatalf("%v, log %q", err, log)
	}
	if want := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "p", IDs: []string{"a/<b>", "c"}}); string(h.request) != string(want) {
		t.Errorf("request %s, want %s", h.request, want)
	}
	if got := string(out.GetValues()["a/<b>"]); got != `"x<&>y"` {
		t.Errorf("value %s, want \"x<&>y\" unescaped", got)
	}
	if got := string(out.GetValues()["n"]); got != `3.5` {
		t.Errorf("value %s, want 3.5", got)
	}
	if e := out.GetErrors()["c"]; e.GetCode() != "NOT_FOUND" || e.GetMessage() != "no c" {
		t.Errorf("error %v", e)
	}
	if out.GetProtocolVersion() != 1 || out.GetFailure() != nil {
		t.Errorf("%v", out)
	}
}

func TestHandlerServerFailure(t *testing.T) {
	out, _, _, err := serve(t, agent.Reply{Failure: &agent.Failure{ExitStatus: 77, Reason: "credentials refused"}})
	if f := out.GetFailure(); err != nil || f.GetExitStatus() != 77 || f.GetReason() != "credentials refused" || len(out.GetValues()) != 0 {
		t.Errorf("%v %v", out, err)
	}
}

// A value JSON cannot encode fails the batch as an exec run that cannot
// write its response, its line redacted with the batch's values.
func TestHandlerServerUnencodable(t *testing.T) {
	out, _, log, err := serve(t, agent.Reply{Response: &protocol.Response{
		ProtocolVersion: 1,
		Values:          map[string]any{"a": map[string]any{"secret": "s3cr3t-value", "bad": math.NaN()}},
	}})
	if f := out.GetFailure(); err != nil || f.GetExitStatus() != exitIO || !strings.Contains(f.GetReason(), `the value of "a" cannot be encoded`) {
		t.Fatalf("%v %v", out, err)
	}
	if !strings.HasPrefix(log, "writing the response: ") || strings.Count(log, "\n") != 1 || strings.Contains(log+out.GetFailure().GetReason(), "s3cr3t") {
		t.Errorf("log %q", log)
	}
}

// A timeout is the host's timeout; a reply of neither kind is an error
// of the call, never an empty answer.
func TestHandlerServerOtherReplies(t *testing.T) {
	if _, _, _, err := serve(t, agent.Reply{Timeout: "out of time"}); status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("timeout: %v", err)
	}
	if out, _, _, err := serve(t, agent.Reply{Refused: "other config"}); status.Code(err) != codes.Internal || out != nil {
		t.Errorf("refused: %v %v", out, err)
	}
}
