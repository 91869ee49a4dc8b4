package host

import (
	"encoding/json"
	"strconv"
)

// ValueSecrets returns the texts of a resolved value that must never be
// shown: the value itself when it is a string, else every string leaf of
// the JSON value (objects and arrays, which the gateway accepts, nest
// them) and the text of every number in it. A tool adds them to a
// redact.Redactor, as it does a string value.
func ValueSecrets(v any) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case float64:
			out = append(out, strconv.FormatFloat(v, 'f', -1, 64))
			if b, err := json.Marshal(v); err == nil {
				out = append(out, string(b))
			}
		case json.Number:
			out = append(out, v.String())
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}
