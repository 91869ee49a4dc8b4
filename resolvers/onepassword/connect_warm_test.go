package onepassword

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/execref/execref/resolvers/onepassword/internal/fakeconnect"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/sdktest"
)

// Connect mode keeps nothing between batches of a long-lived process (the
// agent, go-plugin): a client is a URL and a token. What is worth keeping,
// the connection to the server, net/http's pool keeps: connect-sdk-go
// sends through http.DefaultClient, so the agent's next batch reuses the
// connection the first one opened.
func TestConnectAgentReusesConnection(t *testing.T) {
	fake := fakeconnect.Start(t)
	v := fake.AddVault("Private")
	for i := range 3 {
		fake.AddItem(v.ID, fakeconnect.Item{Title: fmt.Sprintf("item-%d", i),
			Fields: []fakeconnect.Field{{Label: "password", Value: fmt.Sprintf("password-of-item-%d", i), Purpose: "PASSWORD"}}})
	}
	r := New()
	env := map[string]string{envConnectHost: fake.URL, envConnectToken: fakeconnect.Token}
	r.lookupEnv = func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	srv, err := sdk.NewResolverServer(sdk.Program{Name: "openclaw-1password-resolver", Backend: r}, []string{"--mode", "connect"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		id := fmt.Sprintf("Private/item-%d/password", i)
		out := sdktest.Batch(context.Background(), srv, "onepassword", id)
		if out.Response == nil || out.Response.Values[id] != fmt.Sprintf("password-of-item-%d", i) {
			t.Errorf("batch %d: %s: %+v, failure %v", i, id, out.Response, out.Failure)
		}
	}
	if n, reqs := fake.Connections(), len(fake.Requests()); n != 1 || reqs != 9 {
		t.Errorf("3 batches made %d requests over %d connections, want 9 over one", reqs, n)
	}
}
