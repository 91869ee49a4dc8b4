package lazyregexp_test

import (
	"sync"
	"testing"

	"github.com/execref/execref/sdk/lazyregexp"
)

func TestCompilesOnceOnFirstUse(t *testing.T) {
	re := lazyregexp.New(`^a+$`)
	var wg sync.WaitGroup
	got := make(chan any, 8)
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); got <- re() }()
	}
	wg.Wait()
	close(got)
	first := re()
	for r := range got {
		if r != first {
			t.Fatal("New's function returned two different expressions")
		}
	}
	if !first.MatchString("aaa") || first.MatchString("ab") {
		t.Error("the expression does not match as compiled")
	}
}

func TestBadExpressionPanicsOnFirstUse(t *testing.T) {
	re := lazyregexp.New(`(`) // no panic yet
	defer func() {
		if recover() == nil {
			t.Error("a bad expression did not panic on first use")
		}
	}()
	re()
}
