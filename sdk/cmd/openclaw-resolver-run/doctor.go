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
	"github.com/execref/execref/sdk/clidoc"
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

type doctorConfig struct {
	path    string
	json    bool
	noColor bool
}

// newDoctorFlagSet defines doctor's flags; its --help and its part of the
// man page are written from it too (see doctorDoc).
func newDoctorFlagSet(c *doctorConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("openclaw-resolver-run doctor", flag.ContinueOnError)
	fs.StringVar(&c.path, "config", "", "openclaw.json `file` to check (default: where the gateway looks)")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON")
	fs.BoolVar(&c.noColor, "no-color", false, "never colour the report (NO_COLOR does the same)")
	return fs
}

func parseDoctorFlags(args []string, stdout io.Writer) (doctorConfig, error) {
	var c doctorConfig
	fs := newDoctorFlagSet(&c)
	printUsage := func() { clidoc.Help(stdout, doctorDoc()) }
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
