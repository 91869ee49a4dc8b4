package sdk

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// ForEach calls fn for every item, at most b.Concurrency at a time, and
// returns when all calls have returned. Items not yet started when ctx
// expires are skipped: the SDK answers their ids with TIMEOUT.
//
// Start backend goroutines through ForEach rather than with go: a panic in
// fn is recovered and turned into a redacted whole-provider failure, where a
// bare goroutine's panic would crash the process and print its message,
// secret and all, on stderr.
func ForEach[T any](ctx context.Context, b *Batch, items []T, fn func(ctx context.Context, item T)) {
	limit := max(b.Concurrency, 1)
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for _, item := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			defer b.recoverPanic()
			fn(ctx, item)
		}()
	}
	wg.Wait()
}

// recoverPanic records a panic of the calling goroutine in the batch.
func (b *Batch) recoverPanic() {
	if v := recover(); v != nil {
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.panic == nil {
			b.panic = &panicError{value: describePanic(v), stack: debug.Stack()}
		}
	}
}

// describePanic tells what panicked without printing anything a backend
// made: a runtime error ("index out of range [3] with length 3") holds only
// numbers and type names, but a panic value built by code may hold a value
// fetched and not yet known to the redactor.
func describePanic(v any) string {
	if re, ok := v.(runtime.Error); ok {
		return re.Error()
	}
	return fmt.Sprintf("a %T value, withheld because it may hold a secret; run with --verbose for the stack", v)
}

// panicError is a recovered panic. Its stack holds no string contents, and
// is redacted anyway before it is printed.
type panicError struct {
	value string
	stack []byte
}

func (p *panicError) Error() string { return "internal error: panic: " + p.value }
