package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/clidoc"
)

// programDoc describes the command line, with the flag set parseFlags
// parses: --help, the man page and the completions are written from it.
func programDoc() clidoc.Doc {
	var c config
	var v flagValues
	return clidoc.Doc{
		Name:    "openclaw-resolver-conformance",
		Summary: "prove that an exec SecretRef resolver, in any language, behaves as the OpenClaw gateway needs",
		Usage: []clidoc.Form{
			{Usage: "--fixture FILE [flags] [RESOLVER]", Summary: "run every case against the resolver and report"},
			{Usage: "--list", Summary: "list the cases"},
		},
		Description: []string{
			`It runs the resolver only as the gateway does (command-path policy, empty
environment plus passEnv/env, cwd = the binary's directory, timeoutMs,
noOutputTimeoutMs, maxOutputBytes) and checks every answer against a fixture
that says what the resolver can resolve (docs/conformance.md; schema:
conformance/schema/fixture.schema.json).`,
			`RESOLVER is the resolver binary as installed; it replaces the fixture's
provider.command. The command is checked against the gateway's command-path
policy first: if the gateway would refuse it, INSTALL-001 says why and no
other case runs.`,
			`--transport exec,plugin,agent runs every case over each transport in turn.
exec runs the resolver once per batch, as the gateway does: the only transport
a resolver in any language speaks. plugin keeps it running and calls it over
go-plugin; agent starts its agent (RESOLVER ARGS --verbose agent --socket S,
with the environment the exec side gets) and runs each batch with --agent S
added, failing any batch the exec side resolved itself. Both need a resolver
built on the execref SDK, and plugin one built with -tags execref_plugin (go
install builds without it): the command refuses them for another, before
anything runs. A case that cannot apply over a transport is reported skipped
there, with the reason.`,
		},
		Flags:    newFlagSet(&c, &v),
		Args:     clidoc.File,
		Commands: clidoc.Commands(),
		Exit: []clidoc.ExitStatus{
			{Code: exitOK, Meaning: "every required case passed"},
			{Code: exitFailed, Meaning: "a required case failed"},
			{Code: exitUsage, Meaning: "usage or fixture error"},
		},
		SeeAlso: []string{"openclaw-resolver-run(1)"},
		Source:  sdk.DocSource(),
	}
}

// docCommand runs `completion` or `man`.
func docCommand(name string, args []string, stdout, stderr io.Writer) int {
	err := clidoc.Run(programDoc(), name, args, stdout)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "openclaw-resolver-conformance %s: %v\n", name, err)
	if errors.Is(err, clidoc.ErrUsage) {
		return exitUsage
	}
	return exitFailed // stdout could not be written
}
