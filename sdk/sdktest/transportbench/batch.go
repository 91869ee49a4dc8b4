package transportbench

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
)

// Setup is one exec provider as the gateway runs it.
type Setup struct {
	// Name is the provider's alias, e.g. "vault".
	Name string
	// Provider is the provider block: an installed command (see
	// sdktest.Install), its args and env. Cold and agent run exactly it;
	// measure the default build (sdktest.CachedWithoutPlugin), the one
	// users install, since go-plugin's gRPC costs every start.
	Provider host.Provider
	// PluginCommand, when set, is the same resolver built with the
	// execref_plugin tag (sdktest.Cached), which the plugin transport runs
	// in Provider's place: a default build refuses go-plugin.
	PluginCommand string
	// LookupEnv is the gateway's own environment, the source of passEnv
	// values; nil is an empty one, so only the provider's env counts.
	LookupEnv func(string) (string, bool)
}

// pluginProvider is Provider with PluginCommand, if any, as its command.
func (s Setup) pluginProvider() host.Provider {
	p := s.Provider
	if s.PluginCommand != "" {
		p.Command = s.PluginCommand
	}
	return p
}

func (s Setup) lookupEnv() func(string) (string, bool) {
	if s.LookupEnv != nil {
		return s.LookupEnv
	}
	return func(string) (string, bool) { return "", false }
}

// Batch is one batch and the answer it must get.
type Batch struct {
	// IDs are sent as one batch.
	IDs []string
	// Want holds the exact value of every id that must get one. Values
	// must be distinct, so that an id answered with another's value is
	// caught.
	Want map[string]string
	// WantErrors holds the ids that must fail alone, and how: for a
	// backend that can only refuse ids here (no account to read from),
	// that is the answer to check.
	WantErrors map[string]IDError
	// WantExit, when not zero, is the exit status of the whole-provider
	// failure every transport must give instead (Want and WantErrors are
	// then unused):
	// for a backend that cannot answer here at all, what remains to
	// measure is the cost of getting to that answer.
	WantExit int
}

// IDError is how one id must fail.
type IDError struct {
	Code protocol.Code
	// Contains is text the message must hold: the id's own name, so that
	// another id's error given to it is caught.
	Contains string
}

// Validate refuses a batch whose Check could not fail where it must: ids
// without an answer to compare, answers that two ids could swap unseen.
func (b Batch) Validate() error {
	if len(b.IDs) == 0 {
		return errors.New("transportbench: a batch without ids")
	}
	if b.WantExit != 0 {
		return nil
	}
	answered := slices.Concat(slices.Collect(maps.Keys(b.Want)), slices.Collect(maps.Keys(b.WantErrors)))
	if !slices.Equal(slices.Sorted(slices.Values(b.IDs)), slices.Sorted(slices.Values(answered))) {
		return errors.New("transportbench: Want and WantErrors must hold each of the batch's ids once")
	}
	texts := map[string]string{}
	for id, e := range b.WantErrors {
		if e.Code == "" || e.Contains == "" {
			return fmt.Errorf("transportbench: %s wants an error without a code or a text", id)
		}
		if other, ok := texts[e.Contains]; ok {
			return fmt.Errorf("transportbench: %s and %s want the same error text", id, other)
		}
		texts[e.Contains] = id
	}
	seen := map[string]string{}
	for id, v := range b.Want {
		if v == "" {
			return fmt.Errorf("transportbench: %s wants an empty value", id)
		}
		if other, ok := seen[v]; ok {
			return fmt.Errorf("transportbench: %s and %s want the same value", id, other)
		}
		seen[v] = id
	}
	return nil
}

// Check is nil when res and err are the batch's answer: every id its own
// value or its own error, or the expected failure. Its error never quotes
// a value.
func (b Batch) Check(res map[string]host.Result, err error) error {
	if b.WantExit != 0 {
		var pe *host.ProviderError
		if !errors.As(err, &pe) || !errors.Is(err, host.ErrExit) || pe.ExitCode != b.WantExit {
			return fmt.Errorf("want the provider to fail with exit status %d, got %d results and error %v", b.WantExit, len(res), err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("the batch failed: %w", err)
	}
	if len(res) != len(b.Want)+len(b.WantErrors) {
		return fmt.Errorf("%d results for %d ids", len(res), len(b.Want)+len(b.WantErrors))
	}
	for _, id := range slices.Sorted(maps.Keys(b.WantErrors)) {
		want := b.WantErrors[id]
		var pe *protocol.Error
		switch r, ok := res[id]; {
		case !ok:
			return fmt.Errorf("%s: no result", id)
		case r.Err == nil:
			return fmt.Errorf("%s: a value, want %s", id, want.Code)
		case !errors.As(r.Err, &pe) || pe.Code != want.Code || !strings.Contains(pe.Message, want.Contains):
			return fmt.Errorf("%s: %v, want %s saying %q", id, r.Err, want.Code, want.Contains)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(b.Want)) {
		r, ok := res[id]
		got, isString := r.Value.(string)
		switch {
		case !ok:
			return fmt.Errorf("%s: no result", id)
		case r.Err != nil:
			return fmt.Errorf("%s: %v", id, r.Err)
		case !isString || got != b.Want[id]:
			return fmt.Errorf("%s: not its value (%d bytes, want %d)", id, len(got), len(b.Want[id]))
		}
	}
	return nil
}

// Counter is a running total kept on the backend's side (Vault's audit
// log, a fake's call counts); Run reports its growth per batch.
type Counter struct {
	// Unit names the metric, e.g. "logins/op".
	Unit string
	// Count reads the total so far.
	Count func() int
}
