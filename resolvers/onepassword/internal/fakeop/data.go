package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Data is the fake's account and behaviour, read on every call from
// $FAKEOP_DATA, else fakeop.json beside the executable (a resolver may
// give op no environment of ours, as the bundled one does).
type Data struct {
	// Token, when set, is the only OP_SERVICE_ACCOUNT_TOKEN accepted.
	Token  string  `json:"token,omitempty"`
	Vaults []Vault `json:"vaults"`
	// Latency is waited at the start of every call but --version.
	Latency Duration `json:"latency,omitempty"`
	// Hang makes every call but --version hang until it is killed.
	Hang bool `json:"hang,omitempty"`
	// Fail makes every call fail: "network", "ratelimit", "unauthorized".
	Fail string `json:"fail,omitempty"`
	// Log, when set, gets one line per call: "read REF", "inject N" (the
	// number of references in the template), "version".
	Log string `json:"log,omitempty"`
	// Version is what --version prints (default 2.31.1).
	Version string `json:"version,omitempty"`
	// LogEnv lists variables whose values each call logs ("env NAME=V",
	// "env NAME unset"); OP_SERVICE_ACCOUNT_TOKEN is logged by length.
	LogEnv []string `json:"logEnv,omitempty"`
	// InjectVerbatim makes inject copy enclosed references through
	// unresolved, as an op that did not take them for references would.
	InjectVerbatim bool `json:"injectVerbatim,omitempty"`

	path string // where the data was read from
}

// Vault is a vault of the account.
type Vault struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Items []Item `json:"items"`
}

// Item is an item with fields, sections and files. Hang and Fail apply
// to every call that reads it.
type Item struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Sections []Section `json:"sections,omitempty"`
	Fields   []Field   `json:"fields,omitempty"`
	Files    []File    `json:"files,omitempty"`
	Hang     bool      `json:"hang,omitempty"`
	Fail     string    `json:"fail,omitempty"` // also "permission"
	// KilledOnce: the first call that reads the item is killed (SIGKILL)
	// before it answers, as the OOM killer or a user would end op; later
	// calls answer. A file beside the data remembers it.
	KilledOnce bool `json:"killedOnce,omitempty"`
}

// Section groups fields; Field.Section and File.Section name its id.
type Section struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Field is one field; Section is "" for the item's top level.
type Field struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	Type    string `json:"type,omitempty"` // default CONCEALED
	Value   string `json:"value"`
	Section string `json:"section,omitempty"`
}

// File is an attached file; a reference names it by its name.
type File struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Content string `json:"content"`
	Section string `json:"section,omitempty"`
}

// Duration is a time.Duration written as "50ms" in JSON.
type Duration time.Duration

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}

// MarshalJSON writes the duration back as text.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// loadData reads the account.
func loadData() (*Data, error) {
	path := os.Getenv("FAKEOP_DATA")
	if path == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		path = filepath.Join(filepath.Dir(exe), "fakeop.json")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fakeop: no account data: %w", err)
	}
	var d Data
	d.path = path
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("fakeop: %s: %w", path, err)
	}
	if d.Version == "" {
		d.Version = "2.31.1"
	}
	return &d, nil
}

// logEnv logs the variables of LogEnv, never a token's value.
func (d *Data) logEnv() {
	for _, name := range d.LogEnv {
		v, ok := os.LookupEnv(name)
		switch {
		case !ok:
			d.logCall("env %s unset", name)
		case name == "OP_SERVICE_ACCOUNT_TOKEN":
			d.logCall("env %s len=%d", name, len(v))
		default:
			d.logCall("env %s=%s", name, v)
		}
	}
}

// logCall appends one line to the log, in one write so that concurrent
// calls do not interleave.
func (d *Data) logCall(format string, args ...any) {
	if d == nil || d.Log == "" {
		return
	}
	f, err := os.OpenFile(d.Log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = f.WriteString(fmt.Sprintf(format, args...) + "\n")
}
