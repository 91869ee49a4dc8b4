package clidoc

import "testing"

// The expression compiled on first use must compile: a typo would
// otherwise panic only in the run that first writes a man page.
func TestLazyRegexpCompiles(t *testing.T) {
	if pageNameRef().String() == "" {
		t.Error("empty expression")
	}
}
