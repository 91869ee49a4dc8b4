package doctor

import (
	"errors"
	"strconv"
	"strings"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/host"
)

// Codes the gateway gives refs that never reach a resolver; host.UserCode
// has the others.
const (
	codeNotConfigured   = "SECRET_PROVIDER_NOT_CONFIGURED"
	codeProviderInvalid = host.CodeProviderInvalid
)

// maxResolverMessage bounds what a resolver's own message may add to a
// reason: it comes from outside, so it is kept to one short line.
const maxResolverMessage = 300

// verdict is the report for one ref of the config.
func (d *doctor) verdict(ref gatewayconfig.Ref, byProvider map[string]map[string]outcome, findings []Finding) Ref {
	id := protocol.TrimSpace(ref.ID)
	r := Ref{Path: ref.Path, Provider: ref.Provider, ID: ref.ID}
	fail := func(code, gateway, reason, fix string) Ref {
		r.Status, r.Code, r.Gateway, r.Reason, r.Fix = StatusFail, code, gateway, reason, fix
		return r
	}
	if ref.Err != nil {
		return fail(host.CodeRefInvalid, "", "the gateway refuses this SecretRef, and with it the whole config: "+ref.Err.Error(),
			`correct the ref: an exec SecretRef is exactly {source: "exec", provider, id}, with a provider and an id in the gateway's grammar`)
	}
	if plugin, ok := d.cfg.Plugins[ref.Provider]; ok {
		r.Status = StatusWarn
		r.Reason = `provider "` + ref.Provider + `" is published by plugin "` + plugin.PluginID + `" (integration "` + plugin.IntegrationID +
			`"): its command comes from the plugin's manifest, which doctor does not read, so this ref is not checked`
		r.Fix = "openclaw secrets audit --allow-exec resolves it"
		return r
	}
	if err := d.cfg.Invalid[ref.Provider]; err != nil {
		return fail(codeProviderInvalid, "", "secrets.providers."+ref.Provider+" is invalid, so the gateway refuses the config: "+blockProblems(err),
			"correct secrets.providers."+ref.Provider+" (see its config finding)")
	}
	if _, ok := d.cfg.Providers[ref.Provider]; !ok {
		if source, other := d.cfg.Other[ref.Provider]; other {
			msg := `Secret provider "` + ref.Provider + `" has source "` + source + `" but ref requests "exec".`
			return fail(codeProviderInvalid, msg, msg, `make the ref's source "`+source+`", or point it at an exec provider`)
		}
		// The gateway fails the provider's whole group with one error,
		// which names the group's first id.
		first := "exec:" + ref.Provider + ":" + d.groups[ref.Provider][0]
		msg := `Secret provider "` + ref.Provider + `" is not configured (ref: ` + first + `).`
		return fail(codeNotConfigured, msg, msg, d.missingProviderFix(ref.Provider))
	}
	o, ok := byProvider[ref.Provider][id]
	if !ok {
		// Every grouped id has an outcome; this is a bug, said plainly.
		return fail(host.CodeProviderUnavailable, "", "doctor has no result for this ref", "")
	}
	if o.err == nil {
		r.Status, r.Length = StatusOK, o.length
		return r
	}
	gw := gatewaySentence(ref.Provider, id, o.err)
	if o.whole != nil {
		return fail(host.UserCode(o.err), gw, providerReason(gw, &o.whole.diag), hints(o.whole.diag.Hint, findings))
	}
	return fail(host.UserCode(o.err), gw, d.idReason(gw, o.err), perIDFix(o.err))
}

// gatewaySentence is what the gateway prints for the failure.
func gatewaySentence(provider, id string, err error) string {
	var perID *protocol.Error
	if errors.As(err, &perID) {
		shown := ""
		if perID.Code == protocol.NotFound || perID.Code == protocol.AmbiguousDuplicateKey {
			shown = " (" + string(perID.Code) + ")"
		}
		return `Exec provider "` + provider + `" failed for id "` + id + `"` + shown + "."
	}
	return err.Error()
}

// providerReason is the gateway's sentence for a whole-provider failure
// plus what the gateway hides: how the run ended, what that means, and the
// resolver's own last word on stderr (redacted).
func providerReason(gateway string, diag *host.Diagnosis) string {
	r := gateway
	switch {
	case diag.Status != "" && diag.Meaning != "":
		r += " (" + diag.Status + ": " + diag.Meaning + ")"
	case diag.Meaning != "":
		r += " (" + diag.Meaning + ")"
	}
	if diag.Reason != "" {
		r += " The resolver said: " + diag.Reason
	}
	return r
}

// idReason is the gateway's sentence for an id's failure plus the
// resolver's own code and message, which the gateway hides. The message
// is redacted before it is escaped and cut: once escaped or cut, a value
// in it matches none of the redactor's forms.
func (d *doctor) idReason(gateway string, err error) string {
	var perID *protocol.Error
	if !errors.As(err, &perID) {
		return gateway
	}
	said := string(perID.Code)
	if said == "" {
		said = "an error without a code"
	}
	if m := oneLine(d.red.String(perID.Message), maxResolverMessage); m != "" {
		said += ": " + m
	}
	return gateway + " The resolver said " + said
}

// hints adds to the fix of a whole-provider failure what the provider's
// checks found that may explain it: a failed self-check, a passEnv name
// not set.
func hints(fix string, findings []Finding) string {
	var checks, passEnv []string
	for _, f := range findings {
		switch {
		case f.Status == StatusFail && strings.HasPrefix(f.Check, selfCheckPrefix):
			// The detail is under the provider; its name says where.
			failed := "the resolver's own check " + strconv.Quote(strings.TrimPrefix(f.Check, selfCheckPrefix)) + " failed"
			if f.Code != "" {
				failed += " (" + f.Code + ")"
			}
			checks = append(checks, failed)
		case f.Status == StatusWarn && f.Check == CheckPassEnv:
			passEnv = append(passEnv, f.Detail)
		}
	}
	// The most precise first: what the resolver found, then what the
	// gateway dropped, then what the exit status means in general.
	parts := append(checks, passEnv...)
	if fix != "" {
		parts = append(parts, fix)
	}
	return strings.Join(parts, "; ")
}

// missingProviderFix names the providers that do exist.
func (d *doctor) missingProviderFix(name string) string {
	fix := "add secrets.providers." + name + " to the config, or correct the ref's provider"
	if len(d.cfg.Providers) == 0 {
		return fix + " (no exec provider is configured)"
	}
	known := make([]string, 0, len(d.cfg.Providers))
	for n := range d.cfg.Providers {
		known = append(known, n)
	}
	return fix + " (configured: " + strings.Join(sorted(known), ", ") + ")"
}

// oneLine makes outside text safe to print on one line: control
// characters escaped, length capped.
func oneLine(s string, max int) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == max {
			b.WriteString("…")
			break
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			b.WriteString(strconv.QuoteRune(r)[1 : len(strconv.QuoteRune(r))-1])
		} else {
			b.WriteRune(r)
		}
		n++
	}
	return b.String()
}
