package benchcompare

import (
	"errors"
	"testing"
)

func TestReplaceBetween(t *testing.T) {
	const begin, end = "<!-- begin bench -->", "<!-- end bench -->"
	for _, tc := range []struct {
		name, doc, body, want string
		wantErr               bool
	}{
		{name: "replaces", doc: "# T\n" + begin + "\nold\nolder\n" + end + "\ntail\n", body: "new\n",
			want: "# T\n" + begin + "\nnew\n" + end + "\ntail\n"},
		{name: "adds the newline", doc: begin + "\n" + end + "\n", body: "new",
			want: begin + "\nnew\n" + end + "\n"},
		{name: "empty body", doc: begin + "\nold\n" + end, body: "",
			want: begin + "\n" + end},
		{name: "CRLF lines", doc: begin + "\r\nold\r\n" + end + "\r\n", body: "new\n",
			want: begin + "\r\nnew\n" + end + "\r\n"},
		{name: "marker inside a line does not count", doc: "see " + begin + "\n" + begin + "\nold\n" + end + "\n", body: "new\n",
			want: "see " + begin + "\n" + begin + "\nnew\n" + end + "\n"},
		{name: "no begin", doc: "old\n" + end + "\n", wantErr: true},
		{name: "no end", doc: begin + "\nold\n", wantErr: true},
		{name: "out of order", doc: end + "\nold\n" + begin + "\n", wantErr: true},
		{name: "twice", doc: begin + "\n" + end + "\n" + begin + "\n" + end + "\n", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReplaceBetween([]byte(tc.doc), begin, end, []byte(tc.body))
			if tc.wantErr {
				if !errors.Is(err, ErrMarkers) {
					t.Errorf("got %q, %v; want ErrMarkers", got, err)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if got, err := ReplaceBetween([]byte(begin+"\nold\n"), begin, begin, []byte("new\n")); !errors.Is(err, ErrMarkers) {
		t.Errorf("one line as both markers: got %q, %v; want ErrMarkers", got, err)
	}
}
