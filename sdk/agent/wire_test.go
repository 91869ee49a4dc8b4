//go:build linux || darwin || freebsd

package agent_test

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk/agent"
)

// A connection that sends no call of the wire is closed without an
// answer, said in the log, and the agent goes on serving.
func TestMalformedCallDropped(t *testing.T) {
	r := serve(t, agent.Options{})
	for name, call := range map[string]string{
		"not JSON":       `{"config":`,
		"unknown member": `{"config":"` + digest + `","timeoutMs":1000,"request":{},"extra":1}`,
		"two documents":  `{"config":"` + digest + `","timeoutMs":1000,"request":{}} {}`,
	} {
		t.Run(name, func(t *testing.T) {
			conn, err := net.Dial("unix", r.socket)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			io.WriteString(conn, call)
			conn.(*net.UnixConn).CloseWrite()
			got, err := io.ReadAll(conn)
			if err != nil || len(got) != 0 {
				t.Errorf("the agent answered %q (%v), want the connection closed", got, err)
			}
		})
	}
	r.logs.waitFor(t, "dropped a connection: reading its call")
	if strings.Contains(r.logs.String(), digest) {
		t.Errorf("the log quotes the call:\n%s", r.logs)
	}
	resp, err := forward(r.socket, 5*time.Second, request("a"))
	if err != nil || value(resp, "a") != "value of a" {
		t.Fatalf("after malformed calls: %+v, %v", resp, err)
	}
}
