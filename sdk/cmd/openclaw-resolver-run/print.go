package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/redact"
)

// mask tells that a value arrived and how long it is, and nothing of it:
// even a hash prefix would let a weak secret be guessed offline.
func mask(v any) string {
	s, ok := v.(string)
	if !ok {
		return fmt.Sprintf("•••••• (a JSON %T, not a string)", v)
	}
	return fmt.Sprintf("•••••• (%d chars)", utf8.RuneCountInString(s))
}

func show(v any, reveal bool) string {
	if !reveal {
		return mask(v)
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// printTable prints one line per id in the order asked: the value (masked
// unless reveal) or the failure with the code the gateway would show and
// the resolver's full message, redacted (a message may quote another id's
// value). With --config, the places in openclaw.json that use the id end
// the line.
func printTable(w io.Writer, ids []string, results map[string]host.Result, where map[string][]string, reveal bool, red *redact.Redactor) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, id := range protocol.NormalizeIDs(ids) {
		res := results[id]
		used := ""
		if paths := where[id]; len(paths) > 0 {
			used = "\t(" + strings.Join(paths, ", ") + ")"
		}
		if res.Err != nil {
			fmt.Fprintf(tw, "%s\t%s\t%s%s\n", id, host.UserCode(res.Err), red.String(res.Err.Error()), used)
			continue
		}
		fmt.Fprintf(tw, "%s\tok\t%s%s\n", id, show(res.Value, reveal), used)
	}
	return tw.Flush()
}

type jsonResult struct {
	ID       string   `json:"id"`
	Value    any      `json:"value,omitempty"`
	Masked   string   `json:"masked,omitempty"`
	UserCode string   `json:"userCode,omitempty"`
	Error    string   `json:"error,omitempty"`
	UsedAt   []string `json:"usedAt,omitempty"`
}

func printJSON(w io.Writer, ids []string, results map[string]host.Result, where map[string][]string, reveal bool, red *redact.Redactor) error {
	out := []jsonResult{}
	for _, id := range protocol.NormalizeIDs(ids) {
		res, r := results[id], jsonResult{ID: id, UsedAt: where[id]}
		switch {
		case res.Err != nil:
			r.UserCode, r.Error = host.UserCode(res.Err), red.String(res.Err.Error())
		case reveal:
			r.Value = res.Value
		default:
			r.Masked = mask(res.Value)
		}
		out = append(out, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
