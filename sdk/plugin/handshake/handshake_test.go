package handshake

import "testing"

func TestStarted(t *testing.T) {
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{CookieKey: CookieValue}, true},
		{map[string]string{CookieKey: CookieValue + "x"}, false},
		{map[string]string{CookieKey: ""}, false},
		{map[string]string{}, false},
	} {
		if got := Started(env(tc.env)); got != tc.want {
			t.Errorf("Started(%v) = %v, want %v", tc.env, got, tc.want)
		}
	}
}
