package main

import (
	"flag"
	"os"
	"strings"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// configFlag is --config with an optional value. The flag package has no
// such flags, so it is a boolean one (--config alone means "find the file
// as the gateway does") whose --config=FILE form names the file;
// parseInterleaved also gives it the next argument when that cannot be an
// id (--config FILE).
type configFlag struct {
	set  bool
	path string
}

func (c *configFlag) String() string   { return c.path }
func (c *configFlag) IsBoolFlag() bool { return true }

func (c *configFlag) Set(v string) error {
	switch v {
	case "true":
		c.set, c.path = true, ""
	case "false":
		c.set, c.path = false, ""
	default:
		c.set, c.path = true, v
	}
	return nil
}

// parseInterleaved parses flags wherever they are among the ids: the flag
// package stops at the first argument that is not a flag, so parsing
// resumes after each id. After "--" everything is an id.
func parseInterleaved(fs *flag.FlagSet, args []string, usage func(), cfg *configFlag) ([]string, error) {
	var ids []string
	for {
		if err := sdk.ParseFlags(fs, args, usage); err != nil {
			return nil, err
		}
		rest := fs.Args()
		terminated, bareConfig := scan(fs, args[:len(args)-len(rest)])
		switch {
		case terminated:
			return append(ids, rest...), nil
		case len(rest) == 0:
			return ids, nil
		case bareConfig && cfg.path == "" && isConfigFile(rest[0]):
			cfg.path = rest[0]
		default:
			ids = append(ids, rest[0])
		}
		args = rest[1:]
	}
}

// scan walks the arguments the flag package consumed, as it did: whether
// the last one was the "--" that ends the flags (not the value of a flag
// such as --arg --), and whether it was a bare --config.
func scan(fs *flag.FlagSet, consumed []string) (terminated, bareConfig bool) {
	for i := 0; i < len(consumed); i++ {
		a := consumed[i]
		last := i == len(consumed)-1
		if a == "--" {
			return last, false
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBool(f) {
			i++ // its value
			continue
		}
		if last && name == "config" {
			return false, true
		}
	}
	return false, false
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// isConfigFile tells whether the argument after a bare --config is its
// file: it cannot be an id (a path with a slash at its start, ./, ../), or
// it is an existing *.json or *.json5 file.
func isConfigFile(arg string) bool {
	if protocol.ValidateID(arg) != nil {
		return true
	}
	if !strings.HasSuffix(arg, ".json") && !strings.HasSuffix(arg, ".json5") {
		return false
	}
	fi, err := os.Stat(arg)
	return err == nil && fi.Mode().IsRegular()
}
