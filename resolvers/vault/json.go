package vault

import (
	"bytes"
	"encoding/json"
)

func toJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // decoded JSON always encodes
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "map"
	case []any:
		return "list"
	case bool:
		return "boolean"
	case json.Number, float64, int, int64:
		return "number"
	}
	return "non-string value"
}
