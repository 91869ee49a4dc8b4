package sdk

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
)

// BenchmarkServe measures the SDK's own cost per batch (decode, validate,
// dedupe, encode, redact) around a backend that answers from memory.
func BenchmarkServe(b *testing.B) {
	for _, n := range []int{1, 64, 512} {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("secret/app-%d#apiKey", i)
		}
		in := string(protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "bench", IDs: ids}))
		be := &backendFunc{fn: func(_ context.Context, batch *Batch) error {
			for _, id := range batch.IDs {
				batch.Set(id, "sk-0123456789abcdef0123456789abcdef")
			}
			return nil
		}}
		p := Program{Name: "bench", Backend: be}
		b.Run(fmt.Sprintf("ids=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if st := Serve(p, nil, strings.NewReader(in), io.Discard, io.Discard); st != ExitOK {
					b.Fatalf("status %d", st)
				}
			}
		})
	}
}
