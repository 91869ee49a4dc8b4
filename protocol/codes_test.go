package protocol

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestCodeOf(t *testing.T) {
	cases := []struct {
		err  error
		want Code
	}{
		{nil, ""},
		{NotFound, NotFound},
		{fmt.Errorf("%w: secret/x has no field y", NotFound), NotFound},
		{fmt.Errorf("outer: %w", fmt.Errorf("%w: denied", PermissionDenied)), PermissionDenied},
		{&Error{Code: RateLimited, Message: "slow down"}, RateLimited},
		{fmt.Errorf("read: %w", context.DeadlineExceeded), Timeout},
		{errors.New("something else"), Internal},
	}
	for _, c := range cases {
		if got := CodeOf(c.err); got != c.want {
			t.Errorf("CodeOf(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestCodeAsError(t *testing.T) {
	err := fmt.Errorf("%w: secret/x has no field %q", NotFound, "y")
	if err.Error() != `not found: secret/x has no field "y"` {
		t.Fatalf("message reads %q", err)
	}
	if !errors.Is(&Error{Code: NotFound}, NotFound) || errors.Is(&Error{Code: NotFound}, InvalidID) {
		t.Fatal("*Error does not unwrap to exactly its code")
	}
	if (&Error{Code: Timeout, Message: "after 4s"}).Error() != "TIMEOUT: after 4s" {
		t.Fatal("*Error message format changed")
	}
	for _, c := range Codes {
		if !c.Known() {
			t.Errorf("%s not Known", c)
		}
	}
	if Code("SOMETHING_ELSE").Known() {
		t.Error("unknown code reported Known")
	}
}
