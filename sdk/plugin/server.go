package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/plugin/resolverpb"
	"github.com/execref/execref/sdk/redact"
)

// exitIO is sdk.ExitIO (EX_IOERR), the status of an exec run whose
// response cannot be written; package sdk imports this one, not the
// reverse.
const exitIO = 74

// handlerServer serves a batch handler (sdk.NewResolverServer's) as the
// Resolver service. Each call becomes the exec request's JSON, written by
// the exec protocol's own encoder, so that the handler accepts and refuses
// exactly the requests an exec run would; its reply becomes the response
// message, values JSON-encoded as the exec response holds them.
type handlerServer struct {
	resolverpb.UnimplementedResolverServer
	h   agent.Handler
	log io.Writer // one line when a response cannot be encoded
}

func (s *handlerServer) Resolve(ctx context.Context, in *resolverpb.ResolveRequest) (*resolverpb.ResolveResponse, error) {
	request := protocol.EncodeRequest(protocol.Request{
		ProtocolVersion: int(in.GetProtocolVersion()), Provider: in.GetProvider(), IDs: in.GetIds(),
	})
	reply := s.h.Resolve(ctx, request)
	switch {
	case reply.Response != nil:
		out, err := wireResponse(*reply.Response)
		if err != nil {
			// The encoder's message may quote a value: redacted like
			// every line of a batch.
			reason := responseRedactor(*reply.Response).String(err.Error())
			fmt.Fprintf(s.log, "writing the response: %s\n", strings.ReplaceAll(reason, "\n", `\n`))
			return failureResponse(exitIO, reason), nil
		}
		return out, nil
	case reply.Failure != nil:
		return failureResponse(reply.Failure.ExitStatus, reply.Failure.Reason), nil
	case reply.Timeout != "":
		// The host reads this status as its own timeout.
		return nil, status.Error(codes.DeadlineExceeded, reply.Timeout)
	}
	return nil, status.Errorf(codes.Internal, "the resolver's handler answered neither a response nor a failure (refused: %q)", reply.Refused)
}

// failureResponse is a whole-provider failure: the exit status and the one
// redacted line of an exec run that fails the batch.
func failureResponse(exitStatus int, reason string) *resolverpb.ResolveResponse {
	return &resolverpb.ResolveResponse{
		ProtocolVersion: protocol.Version,
		Failure:         &resolverpb.Failure{ExitStatus: int32(exitStatus), Reason: reason},
	}
}

// wireResponse converts the exec response: each value JSON-encoded as the
// exec response holds it, each error with its code and redacted message.
func wireResponse(resp protocol.Response) (*resolverpb.ResolveResponse, error) {
	out := &resolverpb.ResolveResponse{
		ProtocolVersion: protocol.Version,
		Values:          make(map[string][]byte, len(resp.Values)),
		Errors:          make(map[string]*resolverpb.IDError, len(resp.Errors)),
	}
	for id, v := range resp.Values {
		b, err := encodeValue(v)
		if err != nil {
			return nil, fmt.Errorf("the value of %q cannot be encoded: %w", id, err)
		}
		out.Values[id] = b
	}
	for id, e := range resp.Errors {
		out.Errors[id] = &resolverpb.IDError{Code: string(e.Code), Message: e.Message}
	}
	return out, nil
}

// encodeValue is a value as protocol.EncodeResponse writes it (no HTML
// escaping).
func encodeValue(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// responseRedactor hides every text a response's values hold.
func responseRedactor(resp protocol.Response) *redact.Redactor {
	red := &redact.Redactor{}
	for _, v := range resp.Values {
		red.Add(host.ValueSecrets(v)...)
	}
	return red
}
