package conformance

import (
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/policy"
)

var processCases = []Case{
	{ID: "ENV-001", Rationale: "resolves under the gateway's conditions: only passEnv and env set (no PATH, no HOME unless passed), cwd = its own directory", check: func(c *checker) {
		id := c.fixture.valueIDs()[0]
		if r := c.answer(id); r != nil {
			c.expectValue(r, id, c.fixture.Values[id])
		}
	}},
	{ID: "PROC-001", Rationale: "a full batch finishes well within timeoutMs, after which the gateway kills it", check: func(c *checker) {
		r := c.answerAll()
		if r == nil {
			return
		}
		if budget := time.Duration(c.provider.Limits().TimeoutMs) * time.Millisecond; r.run.Duration > budget*8/10 {
			c.failf("took %s of a %s timeoutMs: too close to being killed", r.run.Duration.Round(time.Millisecond), budget)
		}
	}},
	{ID: "PROC-002", Rationale: "concurrent invocations (the gateway runs up to 4 providers at once) give identical answers", check: func(c *checker) {
		c.expectSameAnswers(host.MaxProviderConcurrency, true)
	}},
	{ID: "PROC-003", Rationale: "repeated runs give identical answers", check: func(c *checker) {
		c.expectSameAnswers(3, false)
	}},
	{ID: "PROC-004", Rationale: "ids the backend cannot answer in time get TIMEOUT from the resolver's own deadline, the others resolve, before the host kills it", check: func(c *checker) {
		if len(c.fixture.Slow) == 0 {
			c.skipf("the fixture lists no slow ids")
			return
		}
		id := c.fixture.valueIDs()[0]
		if r := c.answer(append([]string{id}, c.fixture.Slow...)...); r != nil {
			c.expectValue(r, id, c.fixture.Values[id])
			for _, slow := range c.fixture.Slow {
				c.expectCode(r, slow, protocol.Timeout)
			}
		}
	}},
	{ID: "INSTALL-001", Rationale: "the installed command passes the gateway's command-path policy (regular file, no symlink, trustedDirs, owner, permissions)", check: func(c *checker) {
		if err := policy.CheckCommand(c.fixture.Name, c.provider.Command, c.provider.TrustedDirs); err != nil {
			c.failf("the gateway would refuse it: %v; install a regular, user-owned 0755 copy in a directory of your own", err)
		}
	}},
}

// expectSameAnswers runs the same batch n times, at once or one after the
// other, and requires identical answers (messages included).
func (c *checker) expectSameAnswers(n int, concurrent bool) {
	answers := make([]*response, n)
	var wg sync.WaitGroup
	for i := range n {
		run := func() {
			defer wg.Done()
			ids := append(c.fixture.valueIDs(), c.fixture.NotFound...)
			run, err := c.exec(c.request(ids...))
			if err == nil {
				answers[i], _ = parseStrict(run.Stdout, ids)
			}
		}
		wg.Add(1)
		if concurrent {
			go run()
		} else {
			run()
		}
	}
	wg.Wait()
	for i, a := range answers {
		switch {
		case a == nil:
			c.failf("run %d of %d failed or answered malformed JSON", i+1, n)
			return
		case !reflect.DeepEqual(a.values, answers[0].values) || !reflect.DeepEqual(a.errors, answers[0].errors):
			c.failf("run %d of %d answered differently from run 1 (%s)", i+1, n, firstDifference(answers[0], a))
			return
		}
	}
}

// firstDifference names an id whose answer differs, without its value.
func firstDifference(a, b *response) string {
	for id, e := range a.errors {
		if b.errors[id] != e {
			return fmt.Sprintf("error for %q", id)
		}
	}
	for id := range a.values {
		if !reflect.DeepEqual(a.values[id], b.values[id]) {
			return fmt.Sprintf("value of %q", id)
		}
	}
	return "answered ids differ"
}
