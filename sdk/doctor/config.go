package doctor

import (
	"errors"
	"fmt"
	"strings"

	"github.com/execref/execref/sdk/gatewayconfig"
)

// configFindings are the checks of the config as a whole: settings the
// gateway's schema refuses (it then refuses the whole file, and resolves
// no ref at all), and refs that name providers which do not exist.
func (d *doctor) configFindings() []Finding {
	out := []Finding{}
	var problems []string
	for _, err := range d.cfg.Issues {
		problems = append(problems, err.Error())
	}
	for _, r := range d.cfg.Refs {
		if r.Err != nil {
			problems = append(problems, r.Err.Error())
		}
	}
	if n := len(problems) + len(d.cfg.Invalid); n > 0 {
		detail := fmt.Sprintf("the gateway refuses this config (%d %s), so it starts with no secret resolved", n, plural(n, "problem", "problems"))
		if len(problems) > 0 {
			detail += ": " + strings.Join(problems, "; ")
		}
		out = append(out, Finding{Check: CheckConfig, Status: StatusFail, Detail: detail,
			Fix: "correct every problem (those of provider blocks are listed with the provider); `openclaw config validate` must pass"})
	}

	counts := map[string]int{}
	var missing []string
	for _, r := range d.cfg.Refs {
		if _, ok := d.cfg.Providers[r.Provider]; ok {
			continue
		}
		if _, ok := d.cfg.Invalid[r.Provider]; ok || r.Err != nil {
			continue // reported with the config's problems
		}
		if _, ok := d.cfg.Plugins[r.Provider]; ok {
			continue
		}
		if counts[r.Provider] == 0 {
			missing = append(missing, r.Provider)
		}
		counts[r.Provider]++
	}
	if len(missing) > 0 {
		parts := make([]string, len(missing))
		for i, name := range missing {
			what := "is not configured"
			if source, ok := d.cfg.Other[name]; ok {
				what = `has source "` + source + `", not "exec"`
			}
			parts[i] = fmt.Sprintf("%q %s (%d %s)", name, what, counts[name], plural(counts[name], "ref", "refs"))
		}
		out = append(out, Finding{Check: CheckRefs, Status: StatusFail,
			Detail: "refs name providers the gateway cannot use: " + strings.Join(parts, ", "),
			Fix:    "add the providers under secrets.providers, or correct the refs' provider"})
	}
	if len(d.cfg.Refs) == 0 {
		out = append(out, Finding{Check: CheckRefs, Status: StatusOK, Detail: "the config holds no exec SecretRef: nothing to resolve"})
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// blockProblems is what is wrong with an invalid provider block, without the
// "secrets.providers.NAME:" its error starts with, which the caller's
// sentence already names.
func blockProblems(err error) string {
	var pe *gatewayconfig.ProviderError
	if errors.As(err, &pe) {
		return strings.Join(pe.Problems, "; ")
	}
	return err.Error()
}
