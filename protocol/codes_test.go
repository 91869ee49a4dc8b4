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

func TestMessageOf(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{NotFound, ""},
		{fmt.Errorf("%w: secret/x has no field %q", NotFound, "y"), `secret/x has no field "y"`},
		{fmt.Errorf("%w: a: b", PermissionDenied), "a: b"},
		// Only the code the error carries is cut, and only in front.
		{fmt.Errorf("%w: not found: x", InvalidValue), "not found: x"},
		{fmt.Errorf("lookup: %w", NotFound), "lookup: not found"},
		{fmt.Errorf("%w %q: must match", InvalidID, "a b"), `invalid id "a b": must match`},
		{&Error{Code: RateLimited, Message: "slow down"}, "slow down"},
		{&Error{Code: RateLimited}, ""},
		{fmt.Errorf("%w: read", context.DeadlineExceeded), "context deadline exceeded: read"},
		{errors.New("internal: x"), "x"},
	}
	for _, c := range cases {
		if got := MessageOf(c.err); got != c.want {
			t.Errorf("MessageOf(%v) = %q, want %q", c.err, got, c.want)
		}
	}
	if e := ErrorOf(fmt.Errorf("%w: gone", NotFound)); e.Code != NotFound || e.Message != "gone" {
		t.Errorf("ErrorOf: %+v", e)
	}
}
