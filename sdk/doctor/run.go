package doctor

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/redact"
)

// Options are what Run needs besides the config.
type Options struct {
	// Env is the gateway process's environment (gatewayconfig.GatewayEnv),
	// the source of passEnv values. Nil means an empty one.
	Env *gatewayconfig.Environment
	// Progress is told as each provider starts and ends. It may be nil.
	Progress Progress
}

// Progress hears about providers as they run, from several goroutines at
// once (up to maxProviderConcurrency).
type Progress interface {
	Started(provider string, refs int)
	Finished(provider string, ok, failed int, elapsed time.Duration)
}

// Run checks every provider block of cfg and resolves every exec ref as
// the gateway does at startup: refs grouped per provider, each provider
// run once, at most maxProviderConcurrency at a time. Providers no ref
// uses are checked but not run. The report holds no value: resolved
// values are measured, and scrubbed from every message that could quote
// them, together with the secret-looking env values.
func Run(ctx context.Context, cfg *gatewayconfig.Config, opt Options) *Report {
	d := newDoctor(cfg, opt)
	rep := &Report{Config: cfg.Path, Findings: d.configFindings(), Providers: []Provider{}, Refs: []Ref{}}
	if opt.Env != nil {
		rep.Notes = append(rep.Notes, opt.Env.Notes...)
	}

	names := providerNames(cfg)
	rep.Providers = make([]Provider, len(names))
	outcomes := make([]map[string]outcome, len(names))

	sem := make(chan struct{}, d.limits.MaxProviderConcurrency)
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			rep.Providers[i], outcomes[i] = d.provider(ctx, name, opt.Progress)
		}()
	}
	wg.Wait()
	// Only now does the redactor know every value: what quotes a
	// resolver's words is built from here on.
	d.diagnose(outcomes)
	for i := range rep.Providers {
		d.settleSelfCheck(&rep.Providers[i])
	}

	byProvider := map[string]map[string]outcome{}
	findings := map[string][]Finding{}
	for i, name := range names {
		byProvider[name] = outcomes[i]
		findings[name] = rep.Providers[i].Findings
	}
	for _, ref := range cfg.Refs {
		rep.Refs = append(rep.Refs, d.verdict(ref, byProvider, findings[ref.Provider]))
	}
	d.scrub(rep)
	rep.summarize()
	return rep
}

// doctor holds what one Run shares between providers.
type doctor struct {
	cfg     *gatewayconfig.Config
	runner  *host.Runner
	lookup  lookupFunc
	sources sources
	limits  gatewayconfig.Resolution
	groups  map[string][]string // provider → unique trimmed ids, in order
	red     redact.Redactor
}

func newDoctor(cfg *gatewayconfig.Config, opt Options) *doctor {
	d := &doctor{cfg: cfg, lookup: noEnv, limits: effectiveLimits(cfg.Resolution), groups: groupRefs(cfg.Refs)}
	if opt.Env != nil {
		d.lookup, d.sources = opt.Env.Lookup, opt.Env.Source
	}
	d.runner = &host.Runner{LookupEnv: d.lookup}
	return d
}

// provider checks one provider block, asks an execref resolver to check
// itself, and resolves the provider's ids.
func (d *doctor) provider(ctx context.Context, name string, progress Progress) (Provider, map[string]outcome) {
	p, valid := d.cfg.Providers[name]
	ids := d.groups[name]
	rep := Provider{Name: name, Command: p.Command, Refs: len(ids), Findings: []Finding{}}
	if progress != nil {
		progress.Started(name, len(ids))
	}
	start := time.Now()
	if plugin, ok := d.cfg.Plugins[name]; ok {
		rep.Findings = append(rep.Findings, Finding{Check: CheckPlugin, Status: StatusWarn,
			Detail: `published by plugin "` + plugin.PluginID + `" (integration "` + plugin.IntegrationID + `"): its command comes from the plugin's manifest, which doctor does not read; its refs are not checked`,
			Fix:    "openclaw secrets audit --allow-exec resolves them"})
		if progress != nil {
			progress.Finished(name, 0, 0, time.Since(start))
		}
		return rep, nil
	}
	if !valid {
		// The gateway's schema refuses the block; nothing in it can be
		// trusted enough to run.
		rep.Findings = append(rep.Findings, Finding{Check: CheckConfig, Status: StatusFail,
			Detail: "secrets.providers." + name + " is invalid: " + blockProblems(d.cfg.Invalid[name]),
			Fix:    "correct the provider block: the gateway refuses the whole config until it is valid (`openclaw config validate` says the same)"})
		if progress != nil {
			progress.Finished(name, 0, len(ids), time.Since(start))
		}
		return rep, nil
	}

	d.red.Add(host.SecretEnv(p, d.lookup)...)
	invalid := d.cfg.Invalid[name]
	if invalid != nil {
		rep.Findings = append(rep.Findings, Finding{Check: CheckConfig, Status: StatusFail,
			Detail: "secrets.providers." + name + ": " + invalid.Error(),
			Fix:    "correct the provider block: the gateway refuses the whole config until it is valid (`openclaw config validate` says the same)"})
	}
	command := checkCommand(name, p.Command, p.TrustedDirs)
	rep.Findings = append(rep.Findings, command)
	if f := checkParentDirs(p.Command); f.Check != "" {
		rep.Findings = append(rep.Findings, f)
	}
	rep.Findings = append(rep.Findings, checkPassEnv(p, d.lookup, d.sources)...)
	rep.Findings = append(rep.Findings, checkEnvSecrets(p)...)

	if command.Status == StatusOK && invalid == nil {
		if module, ok := host.BuiltWithSDK(host.CommandPath(p.Command)); ok {
			rep.Resolver = module
			rep.Findings = append(rep.Findings, d.checkOutdated(name, host.CommandPath(p.Command))...)
			rep.Findings = append(rep.Findings, selfCheck(ctx, d.runner, name, p)...)
		}
	}

	var outcomes map[string]outcome
	if len(ids) > 0 && invalid == nil {
		rep.Ran = true
		outcomes = d.resolve(ctx, name, p, ids)
	}
	if progress != nil {
		ok, failed := 0, 0
		for _, o := range outcomes {
			if o.err == nil {
				ok++
			} else {
				failed++
			}
		}
		if invalid != nil {
			failed = len(ids)
		}
		progress.Finished(name, ok, failed, time.Since(start))
	}
	return rep, outcomes
}

// providerNames are the providers to report, sorted: the exec providers,
// the blocks the gateway's schema refuses, and those plugins publish.
func providerNames(cfg *gatewayconfig.Config) []string {
	names := append(keys(cfg.Providers), keys(cfg.Invalid)...)
	names = append(names, keys(cfg.Plugins)...)
	slices.Sort(names)
	return slices.Compact(names)
}
