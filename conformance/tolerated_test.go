package conformance_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/execref/execref/conformance"
)

// Quirks the real gateway accepts (TestGatewayAcceptsTolerated proves it)
// pass every case; those another host may trip on come with a warning.
var tolerated = map[string]string{
	"message-timestamp": "", // messages are hidden by the gateway: not compared
	"bom":               "byte order mark",
	"version-1.0":       "protocolVersion is written 1.0",
}

func TestToleratedMutantsPass(t *testing.T) {
	for mutation, warning := range tolerated {
		t.Run(mutation, func(t *testing.T) {
			t.Parallel()
			target, f := reference(t, "--mutate", mutation)
			report := suite(t, target, f, "")
			var text bytes.Buffer
			if err := report.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if passed, _, _, _ := report.Counts(); passed != len(conformance.Cases()) {
				t.Fatalf("%d of %d cases passed\n%s", passed, len(conformance.Cases()), text.String())
			}
			warnings := report.CaseWarnings()
			switch {
			case warning == "" && len(warnings) != 0:
				t.Errorf("warnings %v, want none", warnings)
			case warning != "" && (len(warnings) != 1 || !strings.Contains(warnings[0].Text, warning)):
				t.Errorf("warnings %v, want one about %q", warnings, warning)
			case warning != "" && !strings.Contains(text.String(), "warning: "+warnings[0].Text):
				t.Errorf("the text report does not show the warning:\n%s", text.String())
			}
		})
	}
}
