package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/clidoc"
)

// programDoc describes the command line, with the flag sets the commands
// parse: --help, the man page and the completions are written from it.
func programDoc() clidoc.Doc {
	var o options
	var b blockValues
	d := clidoc.Doc{
		Name:    "openclaw-resolver-run",
		Summary: "resolve ids through an exec provider exactly as the OpenClaw gateway would",
		Usage: []clidoc.Form{
			{Usage: "--command /abs/resolver [flags] ID...", Summary: "run the provider block the flags give, each flag mirroring a key of secrets.providers.NAME in openclaw.json"},
			{Usage: "--config [FILE] [--provider NAME] [flags] [ID...]", Summary: "run a provider block of openclaw.json exactly as written; without ids, for every ref of the provider in the file"},
		},
		Description: []string{
			`It runs the resolver as the gateway does (command-path policy, empty
environment plus passEnv and env, cwd = the command's directory, timeouts,
output limit, parsing), and shows what the gateway does not: the
resolver's stderr, what its exit status means, and what to change.`,
			`--config alone finds the file as the gateway does (OPENCLAW_CONFIG_PATH,
OPENCLAW_STATE_DIR, ~/.openclaw/openclaw.json); --config=FILE reads FILE,
and so does --config FILE when FILE cannot be an id (it starts with /, ./
or ../) or is an existing *.json or *.json5 file. passEnv is then read
from the gateway's environment: this one, plus the .env files the gateway
reads (from its working directory, --gateway-cwd, too) and the file's env
block; each passEnv variable is said to be set, and from where, or not
set.`,
			`Flags may come before or after the ids; after --, every argument is an
id. A first argument naming a command (doctor, agent, completion, man) is
that command: an id of the same name must follow a flag or --.`,
			`The resolver's stderr is always shown (redacted: values of the batch and
secret-looking env and passEnv values are replaced), and on a provider
failure the exit status's meaning, the resolver's reason and a hint.`,
		},
		Flags:    newFlagSet(&o, &b),
		Commands: append([]clidoc.Command{doctorDoc().AsCommand("doctor"), agentDoc().AsCommand("agent")}, clidoc.Commands()...),
		Exit: []clidoc.ExitStatus{
			{Code: exitOK, Meaning: "every id resolved"},
			{Code: exitIDFailed, Meaning: "the provider ran, some ids failed"},
			{Code: exitProvider, Meaning: "the whole provider failed (policy, limits, exit status, bad output)"},
			{Code: exitConfig, Meaning: "openclaw.json could not be read, or has no runnable provider of that name"},
			{Code: exitUsage, Meaning: "usage: a bad command line"},
		},
		SeeAlso: []string{"openclaw-sops-resolver(1)", "openclaw-vault-resolver(1)", "openclaw-aws-resolver(1)", "openclaw-1password-resolver(1)", "openclaw-resolver-conformance(1)"},
		Source:  sdk.DocSource(),
	}
	return d
}

// doctorDoc describes `doctor`, for its --help and its part of the man
// page.
func doctorDoc() clidoc.Doc {
	var c doctorConfig
	return clidoc.Doc{
		Name:    "openclaw-resolver-run doctor",
		Summary: "check a whole install against openclaw.json and give, per exec SecretRef, the real gateway's verdict, never a value",
		Usage:   []clidoc.Form{{Usage: "[--config FILE] [--json] [--no-color]"}},
		Description: []string{
			`Every provider block is checked before it runs (the gateway's command-path
policy, passEnv names not set in the gateway's environment, secrets in
plain text in env, settings the gateway refuses, directories above the
command that others can write); execref resolvers are asked to check their
own configuration; then every provider is run once, as the gateway does at
startup, and each ref is reported: ok with its length only, or the
gateway's code, the full reason and what to change.`,
			`The config is found as the gateway finds it (OPENCLAW_CONFIG_PATH,
OPENCLAW_STATE_DIR, ~/.openclaw/openclaw.json) unless --config names it,
and loaded as the gateway loads it (${VAR} substituted). passEnv values
come from the gateway's environment as the gateway builds it: this
process's, the .env files it reads (the current directory's,
~/.openclaw/.env, ...) and the config's env block. Run doctor as the user,
and from the directory, the gateway runs as and from.`,
		},
		Flags: newDoctorFlagSet(&c),
		Exit: []clidoc.ExitStatus{
			{Code: doctorOK, Meaning: "every ref resolves and no check failed (warnings allowed)"},
			{Code: doctorFailed, Meaning: "a ref does not resolve, or a check failed"},
			{Code: doctorNoConfig, Meaning: "openclaw.json could not be found or read"},
			{Code: doctorUsage, Meaning: "usage: a bad command line"},
		},
	}
}

// docCommand runs `completion` or `man`.
func docCommand(name string) func(args []string, stdout, stderr io.Writer) int {
	return func(args []string, stdout, stderr io.Writer) int {
		err := clidoc.Run(programDoc(), name, args, stdout)
		if err == nil {
			return exitOK
		}
		fmt.Fprintf(stderr, "openclaw-resolver-run %s: %v\n", name, err)
		if errors.Is(err, clidoc.ErrUsage) {
			return exitUsage
		}
		return 1 // stdout could not be written
	}
}
