package aws

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/execref/execref/protocol"
)

// pick renders what an id asks of a fetched value.
func (r *Resolver) pick(v value, ref ref) (string, error) {
	switch {
	case ref.binary && !v.isBinary:
		return "", fmt.Errorf("%w: %s holds a SecretString, not a SecretBinary: ask for it with the sm: prefix", protocol.InvalidValue, ref.item)
	case ref.binary:
		return base64.StdEncoding.EncodeToString(v.binary), nil
	case v.isBinary:
		return "", fmt.Errorf("%w: %s holds a SecretBinary: ask for it with the smb: prefix, which returns it base64-encoded", protocol.InvalidValue, ref.item)
	case ref.key == "":
		return v.text, nil
	}
	return r.jsonKey(v.text, ref)
}

// jsonKey selects a key of a JSON object value.
func (r *Resolver) jsonKey(text string, ref ref) (string, error) {
	var object map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &object); err != nil || object == nil {
		return "", fmt.Errorf("%w: %s is not a JSON object, so it has no key %q", protocol.InvalidValue, ref.item, ref.key)
	}
	raw, ok := object[ref.key]
	if !ok {
		return "", fmt.Errorf("%w: %s has no key %q", protocol.NotFound, ref.item, ref.key)
	}
	if n := keyCount(text, ref.key); n > 1 {
		return "", fmt.Errorf("%w: %s has key %q %d times: remove all but one", protocol.AmbiguousDuplicateKey, ref.item, ref.key, n)
	}
	switch raw[0] {
	case '"':
		var s string
		_ = json.Unmarshal(raw, &s) // valid: it was decoded above
		return s, nil
	case '{', '[':
		if !r.jsonValues {
			return "", fmt.Errorf("%w: key %q of %s is a JSON %s (pass --json to get it as JSON text)", protocol.InvalidValue, ref.key, ref.item, map[byte]string{'{': "object", '[': "array"}[raw[0]])
		}
		var compact bytes.Buffer
		_ = json.Compact(&compact, raw)
		return compact.String(), nil
	case 'n':
		return "", fmt.Errorf("%w: key %q of %s is null", protocol.InvalidValue, ref.key, ref.item)
	}
	return string(raw), nil // a number or a boolean, as written
}

// keyCount counts the members named key of a JSON object. Decoding keeps
// the last of duplicates silently, so they are counted on the text.
func keyCount(text, key string) int {
	dec := json.NewDecoder(strings.NewReader(text))
	if _, err := dec.Token(); err != nil { // the object's '{'
		return 0
	}
	n := 0
	for dec.More() {
		name, err := dec.Token()
		if err != nil {
			break
		}
		if name, _ := name.(string); name == key {
			n++
		}
		var member json.RawMessage
		if dec.Decode(&member) != nil {
			break
		}
	}
	return n
}
