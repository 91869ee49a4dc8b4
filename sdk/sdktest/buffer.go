package sdktest

import "github.com/execref/execref/sdk/agent"

// Buffer is an io.Writer that a running process (its stderr) or
// concurrent batches write to while the test reads it (String): safe for
// concurrent use. The zero value is an empty, unbounded Buffer; Max, when
// above 0, keeps only the last Max bytes. It is the agent package's
// LogBuffer, which keeps the end of an agent's log for its errors.
type Buffer = agent.LogBuffer
