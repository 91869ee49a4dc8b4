package sdk

import (
	"flag"
	"fmt"
	"github.com/execref/execref/sdk/install"
	"io"

	"github.com/execref/execref/sdk/clidoc"
)

// programDoc describes a resolver's command line: --help, the man page and
// the completions are written from it, with the flag set parseArgs parses
// and the backend's commands, so that none of them can drift from what
// the binary accepts.
func programDoc(p Program) clidoc.Doc {
	var o options
	d := clidoc.Doc{
		Name:    p.Name,
		Summary: p.Summary,
		Usage:   []clidoc.Form{{Usage: "[flags]", Summary: "answer one request from stdin (what the gateway runs)"}},
		Description: []string{`An OpenClaw exec SecretRef resolver. The gateway runs it with the provider's
args, writes {"protocolVersion":1,"provider":"…","ids":[…]} on stdin, and
reads {"protocolVersion":1,"values":{…},"errors":{…}} from stdout.`},
		Flags: newFlagSet(p, &o),
		Commands: []clidoc.Command{
			{Name: "check", Usage: "[flags] check", Summary: "check the configuration without fetching a value: one JSON report on stdout, a summary on stderr"},
			{Name: "install", Usage: "install [--dir DIR] [--name NAME]", Flags: installFlags(), Summary: "copy this binary where the gateway can run it (default: bin/ in the OpenClaw state directory) and print the secrets.providers block to paste"},
			{Name: "config", Usage: "config [--dir DIR] [--name NAME]", Flags: installFlags(), Summary: "verify that copy and print its block again"},
			{Name: "agent", Usage: "[flags] agent [--socket PATH] [--cache-ttl D] [--idle-timeout D] [--max-lifetime D]", Flags: agentFlags(&agentOptions{}), Summary: "keep the backend warm and answer batches on a unix socket for the exec side's --agent (docs/agent.md)"},
		},
		Exit: []clidoc.ExitStatus{
			{Code: ExitOK, Meaning: "a response was written (per-id failures are inside it)"},
			{Code: ExitFailure, Meaning: "whole-provider failure of no more precise class"},
			{Code: ExitUsage, Meaning: "usage: bad flag or command"},
			{Code: ExitBadRequest, Meaning: "the request on stdin is unusable"},
			{Code: ExitUnavailable, Meaning: "backend unavailable or too slow"},
			{Code: ExitInternal, Meaning: "internal error (a bug)"},
			{Code: ExitIO, Meaning: "stdout could not be written"},
			{Code: ExitNoPerm, Meaning: "credentials refused"},
			{Code: ExitConfig, Meaning: "configuration missing or invalid"},
		},
		Notes: []string{`The reason for a non-zero status is one line on stderr. Values never appear
on stderr. Protocol: docs/protocol.md in github.com/execref/execref.`},
		SeeAlso: []string{"openclaw-resolver-run(1)", "openclaw-resolver-conformance(1)"},
		Source:  DocSource(),
	}
	cmds, names := commandsOf(p.Backend)
	for _, name := range names {
		c := cmds[name]
		d.Commands = append(d.Commands, clidoc.Command{Name: name, Usage: fmt.Sprintf("[flags] %s %s", name, c.Args), Summary: c.Summary})
	}
	d.Commands = append(d.Commands,
		clidoc.Command{Name: "version", Summary: "print the version"},
		clidoc.Command{Name: "help", Summary: "print this help"},
	)
	d.Commands = append(d.Commands, clidoc.Commands()...)
	return d
}

// installFlags are the flags of install and config, as install.Run
// parses them, for the man page and the completions.
func installFlags() *flag.FlagSet {
	var dir, name string
	return install.Flags("install", &dir, &name)
}

func printHelp(p Program, w io.Writer) {
	clidoc.Help(w, programDoc(p))
}
