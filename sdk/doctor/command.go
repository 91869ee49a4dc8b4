package doctor

import (
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/policy"
)

// checkCommand applies the gateway's command-path policy, with its
// messages, and says what to change when it fails.
func checkCommand(name, command string, trustedDirs []string) Finding {
	path := host.CommandPath(command)
	err := policy.CheckCommand(name, path, trustedDirs)
	if err == nil {
		return Finding{Check: CheckCommand, Status: StatusOK, Detail: "passes the gateway's command-path policy: " + path}
	}
	return Finding{Check: CheckCommand, Status: StatusFail, Detail: err.Error(), Fix: policyFix(err), Code: policyCode(err)}
}
