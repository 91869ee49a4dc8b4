package gatewayconfig

import (
	"regexp"
	"testing"
)

// Every expression compiled on first use must compile: a typo would
// otherwise panic only in the run that first needs it.
func TestLazyRegexpsCompile(t *testing.T) {
	for _, re := range []func() *regexp.Regexp{providerAlias, execRefID, plainPathKey, portableName, cargoTargetExecutor, bareName, windowsDrivePath, windowsUNCPath, envName, envVarName, profileName, termuxPrefix, dotEnvLine} {
		if re().String() == "" {
			t.Error("empty expression")
		}
	}
}
