// Command crasher is a test resolver whose ids say what to do: "pid"
// answers the process id (so a test sees whether a process was reused),
// "exit-3" exits with status 3 in the middle of the batch, "kill" sends
// itself SIGKILL; any other id gets "value-of-" + the id.
package main

import (
	"context"
	"os"
	"strconv"
	"syscall"

	"github.com/execref/execref/sdk"
)

type crasher struct{}

func (crasher) Resolve(_ context.Context, b *sdk.Batch) error {
	for _, id := range b.IDs {
		switch id {
		case "pid":
			b.Set(id, "pid-"+strconv.Itoa(os.Getpid()))
		case "exit-3":
			os.Exit(3)
		case "kill":
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		default:
			b.Set(id, "value-of-"+id)
		}
	}
	return nil
}

func main() {
	sdk.Main(sdk.Program{Name: "crasher-resolver", Summary: "test resolver that crashes on demand", Backend: crasher{}})
}
