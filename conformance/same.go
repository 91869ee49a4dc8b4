package conformance

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
)

// expectSameAnswers runs the same batch n times, at once or one after the
// other, and requires the same code or value for every id each time.
// Messages are not compared: the gateway hides them, and a correct
// resolver may put a time or a request id in one.
func (c *checker) expectSameAnswers(n int, concurrent bool) {
	ids := append(c.fixture.valueIDs(), c.fixture.NotFound...)
	answers := make([]*response, n)
	failures := make([]*failure, n)
	var wg sync.WaitGroup
	for i := range n {
		one := func() {
			defer wg.Done()
			answers[i], failures[i] = c.try(ids)
		}
		wg.Add(1)
		if concurrent {
			go one()
		} else {
			one()
		}
	}
	wg.Wait()
	for i, f := range failures {
		if f != nil {
			c.failBecause(f.cause, "run %d of %d: %s", i+1, n, f.text)
			return
		}
	}
	for i, a := range answers[1:] {
		if d := firstDifference(answers[0], a); d != "" {
			c.failBecause("the same request got different codes or values", "run %d of %d answered differently from run 1: %s", i+2, n, d)
			return
		}
	}
}

// firstDifference names the first id, in sort order, whose code or value
// differs between two answers, without showing a value; "" when none does.
func firstDifference(a, b *response) string {
	ids := slices.Sorted(maps.Keys(a.values))
	ids = append(ids, slices.Sorted(maps.Keys(a.errors))...)
	for _, id := range ids {
		ea, aFailed := a.errors[id]
		eb, bFailed := b.errors[id]
		switch {
		case aFailed != bFailed || (aFailed && ea.Code != eb.Code):
			return fmt.Sprintf("%s was %s, then %s", idText(id), outcome(a, id), outcome(b, id))
		case !aFailed && !reflect.DeepEqual(a.values[id], b.values[id]):
			return fmt.Sprintf("the value of %s changed", idText(id))
		}
	}
	return ""
}

// outcome says how an answer treated id: its code, or that it had a value.
func outcome(r *response, id string) string {
	if e, failed := r.errors[id]; failed {
		return "error " + codeText(e.Code)
	}
	return "a value"
}
