// Command fakeop is a fake of the 1Password CLI (op) for tests: `op read`
// and `op inject` as 1Password's CLI reference documents them, over an
// account described by a JSON file (see Data), with exit status 1 and
// "[ERROR] date time message" on stderr for every failure, as op does.
// It also answers `op --version`. It never reaches a network.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is one op invocation; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	errorf := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "[ERROR] %s %s\n", time.Now().Format("2006/01/02 15:04:05"), fmt.Sprintf(format, a...))
		return 1
	}
	var cmd []string
	for _, a := range args {
		switch {
		case a == "--version" || a == "-v":
			d, err := loadData()
			if err != nil {
				return errorf("%v", err)
			}
			d.logCall("version")
			fmt.Fprintln(stdout, d.Version)
			return 0
		case a == "--cache" || strings.HasPrefix(a, "--cache=") || a == "--no-color" || a == "--iso-timestamps":
			// global flags that change nothing here
		default:
			cmd = append(cmd, a)
		}
	}
	if len(cmd) == 0 {
		return errorf("no command given: use op read or op inject")
	}
	d, err := loadData()
	if err != nil {
		return errorf("%v", err)
	}
	d.logEnv()
	if d.Latency > 0 {
		time.Sleep(time.Duration(d.Latency))
	}
	if d.Hang {
		d.logCall("%s hang", cmd[0])
		hang()
	}
	switch cmd[0] {
	case "read":
		return read(d, cmd[1:], stdout, errorf)
	case "inject":
		return inject(d, cmd[1:], stdin, stdout, errorf)
	}
	return errorf("unknown command %q for \"op\"", cmd[0])
}

// hang waits until the process is killed, as op does when it waits for a
// network or a prompt that never comes.
func hang() {
	for {
		time.Sleep(time.Hour)
	}
}

// signedIn checks OP_SERVICE_ACCOUNT_TOKEN as op does before any read.
func (d *Data) signedIn(ref string) *opErr {
	tok, ok := os.LookupEnv("OP_SERVICE_ACCOUNT_TOKEN")
	switch {
	case d.Token == "":
		return nil
	case !ok || tok == "":
		return fail("You are not currently signed in. Please run `op signin --help` for instructions")
	case !strings.HasPrefix(tok, "ops_"):
		return fail("could not read secret '%s': error initializing client: Validation: (failed to session.DecodeSACredentials), Server: (failed to DecodeSACredentials), illegal base64 data at input byte 12", ref)
	case tok != d.Token:
		return fail("(401) Unauthorized: You aren't authorized to perform this action.")
	}
	return nil
}

// read is `op read [--no-newline|-n] [--out-file|-o FILE [--force|-f]] REFERENCE`.
func read(d *Data, args []string, stdout io.Writer, errorf func(string, ...any) int) int {
	var ref, outFile string
	newline, force := true, false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-n" || a == "--no-newline":
			newline = false
		case a == "-f" || a == "--force":
			force = true
		case a == "-o" || a == "--out-file":
			if i+1 == len(args) {
				return errorf("flag needs an argument: %s", a)
			}
			i++
			outFile = args[i]
		case strings.HasPrefix(a, "--out-file="):
			outFile = strings.TrimPrefix(a, "--out-file=")
		case strings.HasPrefix(a, "-") && a != "-":
			return errorf("unknown flag: %s", a)
		case ref != "":
			return errorf("accepts 1 arg(s), received %d", len(args))
		default:
			ref = a
		}
	}
	if ref == "" {
		return errorf("accepts 1 arg(s), received 0")
	}
	d.logCall("read %s", ref)
	if err := d.signedIn(ref); err != nil {
		return errorf("%s", err.msg)
	}
	v, err := d.resolve(ref)
	if err != nil {
		if err.hang {
			hang()
		}
		return errorf("could not read secret '%s': %s", ref, err.msg)
	}
	if newline {
		v += "\n"
	}
	return write(outFile, force, v, stdout, errorf)
}

// inject is `op inject [--in-file|-i FILE] [--out-file|-o FILE [--force|-f]]`,
// the template on stdin without --in-file.
func inject(d *Data, args []string, stdin io.Reader, stdout io.Writer, errorf func(string, ...any) int) int {
	var inFile, outFile string
	force := false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-f" || a == "--force":
			force = true
		case a == "-i" || a == "--in-file" || a == "-o" || a == "--out-file":
			if i+1 == len(args) {
				return errorf("flag needs an argument: %s", a)
			}
			i++
			if a == "-i" || a == "--in-file" {
				inFile = args[i]
			} else {
				outFile = args[i]
			}
		case strings.HasPrefix(a, "--in-file="):
			inFile = strings.TrimPrefix(a, "--in-file=")
		case strings.HasPrefix(a, "--out-file="):
			outFile = strings.TrimPrefix(a, "--out-file=")
		default:
			return errorf("unknown flag or argument: %s", a)
		}
	}
	var tpl []byte
	var err error
	if inFile != "" {
		tpl, err = os.ReadFile(inFile)
	} else {
		tpl, err = io.ReadAll(stdin)
	}
	if err != nil {
		return errorf("could not read the template: %v", err)
	}
	// Signing in comes first, as with op: only a template without
	// references needs no account.
	if strings.Contains(string(tpl), "op://") {
		if err := d.signedIn("op://"); err != nil {
			d.logCall("inject refused")
			return errorf("%s", err.msg)
		}
	}
	out, refs, ierr := d.inject(string(tpl))
	d.logCall("inject %d", refs)
	if ierr != nil {
		if ierr.hang {
			hang()
		}
		return errorf("%s", ierr.msg)
	}
	return write(outFile, force, out, stdout, errorf)
}

// write prints the output, or writes it to a file (mode 0600) that must
// not exist unless forced: op would ask, and a fake cannot.
func write(outFile string, force bool, s string, stdout io.Writer, errorf func(string, ...any) int) int {
	if outFile == "" {
		_, _ = io.WriteString(stdout, s)
		return 0
	}
	if _, err := os.Stat(outFile); err == nil && !force {
		return errorf("%s already exists: use --force to overwrite it (op would prompt)", outFile)
	}
	if err := os.WriteFile(outFile, []byte(s), 0o600); err != nil {
		return errorf("could not write %s: %v", outFile, err)
	}
	return 0
}
