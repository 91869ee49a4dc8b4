package conformance

import (
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
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
		if budget := time.Duration(c.provider.Limits().TimeoutMs) * time.Millisecond; r.took > budget*8/10 {
			c.failf("took %s of a %s timeoutMs: too close to being killed", r.took.Round(time.Millisecond), budget)
		}
	}},
	{ID: "PROC-002", Rationale: "concurrent runs (the gateway runs up to 4 providers at once, so copies of one resolver overlap) give the same codes and values", check: func(c *checker) {
		c.expectSameAnswers(host.MaxProviderConcurrency, true)
	}},
	{ID: "PROC-003", Rationale: "repeated runs give the same codes and values", check: func(c *checker) {
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
	{ID: "INSTALL-001", static: true, Rationale: "the installed command passes the gateway's command-path policy (regular file, no symlink, trustedDirs, owner, permissions)", check: func(c *checker) {
		if err := checkInstall(c.fixture.Name, c.provider); err != nil {
			c.failf("%v", err)
		}
	}},
}
