package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/host"
)

// fromConfig takes the provider block, the refs and the gateway's
// environment from openclaw.json, loaded as the gateway loads it: its
// environment first (.env files as seen from the gateway's working
// directory), then the file (located in that environment unless named),
// its env block, ${VAR} substitution. What the gateway would make of it
// is told on w.
func (j *job) fromConfig(o options, w io.Writer) error {
	cwd := o.gatewayCwd
	if cwd == "" {
		var err error
		if cwd, err = os.Getwd(); err != nil {
			return fmt.Errorf("the gateway's working directory: %w (give --gateway-cwd)", err)
		}
	}
	cfg, env, err := gatewayconfig.LoadGateway(o.config.path, os.LookupEnv, cwd)
	if err != nil {
		return err
	}
	name, err := pickProvider(cfg, o.name, o.set["provider"])
	if err != nil {
		return err
	}
	j.name, j.provider = name, cfg.Providers[name]
	j.runner.LookupEnv = env.Lookup
	fmt.Fprintf(w, "openclaw-resolver-run: provider %q from %s; the gateway's environment as seen from %s\n", name, cfg.Path, cwd)
	for _, issue := range cfg.Issues {
		fmt.Fprintf(w, "  warning: the gateway refuses this file: %v\n", issue)
	}
	printPassEnv(w, j.provider, env)
	for _, m := range cfg.Missing {
		if in(m.Path, "secrets.providers."+name) {
			fmt.Fprintf(w, "  note: ${%s} at %s is not set; the gateway keeps the text as written\n", m.Name, m.Path)
		}
	}
	for _, note := range env.Notes {
		fmt.Fprintf(w, "  note: %s\n", note)
	}
	return j.refsFrom(cfg, w)
}

// refsFrom records where the file uses each id of the provider and, when
// no ids were given, takes them all. A ref the gateway refuses is told
// and left out.
func (j *job) refsFrom(cfg *gatewayconfig.Config, w io.Writer) error {
	given := len(j.ids) > 0
	j.where = map[string][]string{}
	for _, r := range cfg.Refs {
		if r.Provider != j.name {
			continue
		}
		if r.Err != nil {
			fmt.Fprintf(w, "  warning: the gateway refuses this SecretRef: %v\n", r.Err)
			continue
		}
		id := protocol.TrimSpace(r.ID)
		j.where[id] = append(j.where[id], r.Path)
		if !given {
			j.ids = append(j.ids, r.ID)
		}
	}
	if len(j.ids) == 0 {
		return fmt.Errorf("no SecretRef in %s uses provider %q: give the ids to resolve", cfg.Path, j.name)
	}
	return nil
}

// in tells whether a config path is prefix or below it.
func in(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+".") || strings.HasPrefix(path, prefix+"[")
}

// pickProvider is the provider to run: the one --provider names, or the
// file's only one. A name that is not a runnable exec provider is refused
// with what the file has instead.
func pickProvider(cfg *gatewayconfig.Config, name string, named bool) (string, error) {
	all := providerNames(cfg)
	if !named {
		if len(all) != 1 {
			return "", fmt.Errorf("--provider is required: %s has %d providers (%s)", cfg.Path, len(all), listOrNone(all))
		}
		name = all[0]
	}
	if _, ok := cfg.Providers[name]; ok {
		return name, nil
	}
	if err, ok := cfg.Invalid[name]; ok {
		return "", fmt.Errorf("%s: the gateway refuses this provider block: %v", cfg.Path, err)
	}
	if pi, ok := cfg.Plugins[name]; ok {
		return "", fmt.Errorf("secrets.providers.%s in %s is plugin %q's integration %q: the gateway builds its command from the plugin's manifest, which this runner does not read", name, cfg.Path, pi.PluginID, pi.IntegrationID)
	}
	if source, ok := cfg.Other[name]; ok {
		return "", fmt.Errorf("secrets.providers.%s in %s has source %q: this runner runs exec providers only", name, cfg.Path, source)
	}
	return "", fmt.Errorf("%s has no provider %q under secrets.providers; it has: %s", cfg.Path, name, listOrNone(all))
}

func providerNames(cfg *gatewayconfig.Config) []string {
	var names []string
	for n := range cfg.Providers {
		names = append(names, n)
	}
	for n := range cfg.Invalid {
		names = append(names, n)
	}
	for n := range cfg.Plugins {
		names = append(names, n)
	}
	for n := range cfg.Other {
		names = append(names, n)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// printPassEnv says, for each passEnv name, whether the gateway's
// environment sets it and from where.
func printPassEnv(w io.Writer, p host.Provider, env *gatewayconfig.Environment) {
	for _, name := range p.PassEnv {
		_, set := env.Lookup(name)
		_, overridden := p.Env[name]
		switch {
		case overridden:
			fmt.Fprintf(w, "  passEnv %s: env.%s in the block wins over it\n", name, name)
		case !set:
			fmt.Fprintf(w, "  passEnv %s: not set in the gateway's environment; the gateway drops it silently, and the resolver runs without it\n", name)
		case env.Origin(name) != "":
			fmt.Fprintf(w, "  passEnv %s: set, from %s\n", name, env.Origin(name))
		default:
			fmt.Fprintf(w, "  passEnv %s: set\n", name)
		}
	}
}
