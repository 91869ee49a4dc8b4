package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/execref/execref/protocol"
)

// slowLookup is how long an id listed as slow would take to resolve: far
// beyond any deadline, so a correct resolver answers it with TIMEOUT.
const slowLookup = 30 * time.Second

// fixture is the part of a conformance fixture (conformance.Fixture) that
// the resolver needs; every other member is ignored.
type fixture struct {
	Values    map[string]string `json:"values"`
	Ambiguous []string          `json:"ambiguous"`
	Invalid   []string          `json:"invalid"` // ids outside our own id syntax
	Slow      []string          `json:"slow"`
}

func loadFixture(path string) (*fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the fixture: %w", err)
	}
	var f fixture
	if err := json.Unmarshal(data, &f); err != nil {
		// json's errors name offsets and types, never the file's content.
		return nil, fmt.Errorf("fixture %s: %w", path, err)
	}
	return &f, nil
}

// firstValue is the value of the lowest id in sort order: deterministic,
// unlike map iteration. Only the message-leak mutation uses it.
func (f *fixture) firstValue() string {
	ids := make([]string, 0, len(f.Values))
	for id := range f.Values {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return ""
	}
	return f.Values[ids[0]]
}

// resolver answers one batch.
type resolver struct {
	fx       *fixture
	deadline time.Time
	timeout  time.Duration
	mut      mutation
	stderr   io.Writer
	coldRun  bool // stateful: this run counts as one with a cold cache
}

// resolve answers every distinct id once, in request order: a value or an
// error, never both, never neither (unless a mutation says otherwise).
func (r *resolver) resolve(ids []string) protocol.Response {
	resp := protocol.Response{
		ProtocolVersion: protocol.Version,
		Values:          map[string]any{},
		Errors:          map[string]protocol.Error{},
	}
	var order, slow []string
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			continue // duplicates are answered once
		}
		seen[id] = true
		order = append(order, id)
		if protocol.ValidateID(id) == nil && slices.Contains(r.fx.Slow, id) {
			slow = append(slow, id) // answered last, at the deadline
			continue
		}
		v, e := r.lookup(id)
		r.answer(resp, id, v, e)
	}
	if len(slow) > 0 {
		timedOut := r.awaitSlow()
		for _, id := range slow {
			e := errorf(protocol.Timeout, "%q not resolved within %s: its lookup takes %s", id, r.timeout, slowLookup)
			if !timedOut {
				// Only with --timeout above 30s: the lookup finished and,
				// since slow ids have no value in the fixture, found nothing.
				e = errorf(protocol.NotFound, "%q is not in the fixture", id)
			}
			r.answer(resp, id, "", e)
		}
	}

	if r.mut == dropID && len(order) > 0 {
		last := order[len(order)-1]
		delete(resp.Values, last)
		delete(resp.Errors, last)
	}
	if r.mut == extraID {
		resp.Values["unasked/id"] = "x"
	}
	return resp
}

// lookup resolves one id that is not slow.
func (r *resolver) lookup(id string) (string, *protocol.Error) {
	if err := protocol.ValidateID(id); err != nil {
		if r.mut == answerInvalid {
			return "", r.notFound(id)
		}
		return "", errorf(protocol.InvalidID, "%v", err)
	}
	key := r.mut.readID(id)
	if slices.Contains(r.fx.Invalid, key) && r.mut != invalidAsMiss {
		return "", errorf(protocol.InvalidID, "%q is outside this resolver's id syntax (reserved by the fixture)", id)
	}
	if slices.Contains(r.fx.Ambiguous, key) && r.mut != ambiguousAsMiss {
		return "", errorf(protocol.AmbiguousDuplicateKey, "%q matches more than one entry; refusing to guess", id)
	}
	v, ok := r.fx.Values[key]
	if !ok && r.mut == prefixMatch {
		v, ok = r.fx.Values[r.fx.loose(key)]
	}
	switch {
	case !ok:
		return "", r.notFound(id)
	case protocol.TrimSpace(v) == "":
		return "", errorf(protocol.InvalidValue, "the value at %q is empty", id)
	case protocol.IsRedactionPlaceholder(v):
		return "", errorf(protocol.InvalidValue, "the value at %q is the gateway's redaction placeholder", id)
	}
	return v, nil
}

func (r *resolver) notFound(id string) *protocol.Error {
	e := errorf(protocol.NotFound, "%q is not in the fixture", id)
	switch r.mut {
	case messageLeak:
		e.Message += "; did you mean " + r.fx.firstValue() + "?"
	case stateful:
		if r.coldRun {
			e = errorf(protocol.Unavailable, "the cache for %q is cold", id)
		}
	case messageTimestamp:
		e.Message += " (checked at " + time.Now().Format(time.RFC3339Nano) + ")"
	}
	return e
}

// awaitSlow waits for the slow lookups (all started together) or for the
// deadline, whichever comes first, and reports whether the deadline passed.
func (r *resolver) awaitSlow() (timedOut bool) {
	lookup := time.NewTimer(slowLookup)
	defer lookup.Stop()
	if r.mut == ignoreDeadline {
		<-lookup.C // the flaw: the deadline is only noticed afterwards
		return !time.Now().Before(r.deadline)
	}
	deadline := time.NewTimer(time.Until(r.deadline))
	defer deadline.Stop()
	select {
	case <-lookup.C:
		return false
	case <-deadline.C:
		return true
	}
}

// answer records one id's value or error.
func (r *resolver) answer(resp protocol.Response, id, v string, e *protocol.Error) {
	if e != nil {
		resp.Errors[id] = *e
		return
	}
	if r.mut == mangleUnicode {
		v = asciiOnly(v)
	}
	if r.mut == stderrLeak {
		fmt.Fprintf(r.stderr, "resolved %s = %s\n", id, v)
	}
	resp.Values[id] = v
}

// errorf builds a per-id error. Messages name ids, never values.
func errorf(c protocol.Code, format string, a ...any) *protocol.Error {
	return &protocol.Error{Code: c, Message: fmt.Sprintf(format, a...)}
}
