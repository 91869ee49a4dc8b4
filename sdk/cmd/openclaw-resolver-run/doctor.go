package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/doctor"
	"github.com/execref/execref/sdk/gatewayconfig"
)

// Exit statuses of `doctor`.
const (
	doctorOK       = 0          // every ref resolves and no check failed (warnings allowed)
	doctorFailed   = 1          // a ref does not resolve, or a check failed
	doctorNoConfig = exitConfig // openclaw.json could not be found or read
	doctorUsage    = 64         // bad command line
)

const doctorUsageText = `openclaw-resolver-run doctor: check a whole install against openclaw.json
and give, per exec SecretRef, the real gateway's verdict, never a value.

Every provider block is checked before it runs (the gateway's command-path
policy, passEnv names not set in the gateway's environment, secrets in
plain text in env, settings the gateway refuses, directories above the
command that others can write); execref resolvers are asked to check their
own configuration; then every provider is run once, as the gateway does at
startup, and each ref is reported: ok with its length only, or the
gateway's code, the full reason and what to change.

Usage:
  openclaw-resolver-run doctor [--config FILE] [--json] [--no-color]

The config is found as the gateway finds it (OPENCLAW_CONFIG_PATH,
OPENCLAW_STATE_DIR, ~/.openclaw/openclaw.json) unless --config names it,
and loaded as the gateway loads it (${VAR} substituted). passEnv values
come from the gateway's environment as the gateway builds it: this
process's, the .env files it reads (the current directory's,
~/.openclaw/.env, ...) and the config's env block. Run doctor as the user,
and from the directory, the gateway runs as and from.

Flags:
`

type doctorConfig struct {
	path    string
	json    bool
	noColor bool
}

func parseDoctorFlags(args []string, stdout io.Writer) (doctorConfig, error) {
	var c doctorConfig
	fs := flag.NewFlagSet("openclaw-resolver-run doctor", flag.ContinueOnError)
	fs.StringVar(&c.path, "config", "", "openclaw.json `file` to check (default: where the gateway looks)")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON")
	fs.BoolVar(&c.noColor, "no-color", false, "never colour the report (NO_COLOR does the same)")
	printUsage := func() {
		fmt.Fprint(stdout, doctorUsageText)
		sdk.PrintFlags(stdout, fs)
		fmt.Fprint(stdout, "\nExit status: 0 every ref resolves, 1 a ref or a check failed, 3 openclaw.json unreadable, 64 usage.\n")
	}
	if err := sdk.ParseFlags(fs, args, printUsage); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
	}
	return c, nil
}

// doctorMain runs `openclaw-resolver-run doctor ARGS...`.
func doctorMain(args []string, stdout, stderr io.Writer) int {
	c, err := parseDoctorFlags(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return doctorOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-run doctor: %v\n", err)
		return doctorUsage
	}
	cfg, env, err := loadGatewayConfig(c.path)
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-run doctor: %v\n", err)
		return doctorNoConfig
	}

	// Interrupted, the host runner kills the resolvers' process groups.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opt := doctor.Options{Env: env}
	if isTerminal(stderr) {
		opt.Progress = doctor.NewLineProgress(stderr)
	}
	rep := doctor.Run(ctx, cfg, opt)

	if c.json {
		err = doctor.WriteJSON(stdout, rep)
	} else {
		err = doctor.WriteText(stdout, rep, useColor(stdout, c.noColor))
	}
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-run doctor: %v\n", err)
		return doctorFailed
	}
	if !rep.OK {
		return doctorFailed
	}
	return doctorOK
}

// loadGatewayConfig loads the config as the gateway process does (its
// environment with the .env files it reads, then the file, found as it
// finds it unless path names it, with ${VAR} substituted), and returns it
// with that environment.
func loadGatewayConfig(path string) (*gatewayconfig.Config, *gatewayconfig.Environment, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, nil, fmt.Errorf("the current directory, where the gateway reads .env: %w", err)
	}
	return gatewayconfig.LoadGateway(path, os.LookupEnv, cwd)
}

// useColor: only for a person at a terminal who has not asked for none
// (https://no-color.org: NO_COLOR set and not empty).
func useColor(stdout io.Writer, noColor bool) bool {
	return !noColor && os.Getenv("NO_COLOR") == "" && isTerminal(stdout)
}

// isTerminal tells whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
