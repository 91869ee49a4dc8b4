package onepassword

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/execref/execref/protocol"
)

// The id syntax is the bundled resolver's (dist/extensions/onepassword/
// onepassword-secret-id.js in openclaw@2026.9.6), rule for rule, so that
// every id that works with it works here and means the same reference:
//
//	vault/item/field              op://vault/item/field
//	vault/item/section/field      op://vault/item/section/field
//	opb64:<base64url>             the reference above, for names the
//	                              gateway's id grammar refuses
//
// Each part is a name or a 26-character 1Password id.
const (
	opb64Prefix   = "opb64:"
	opScheme      = "op://"
	maxNativeID   = 2048 // bytes of a decoded reference, as the bundled resolver allows
	shapeAdvice   = `use "op://<vault>/<item>/<field>", "<vault>/<item>/<field>", or "<vault>/<item>/<section>/<field>"`
	invalidPrefix = "invalid 1Password SecretRef id"
)

// errMalformedOpb64 is the bundled resolver's one message for every
// payload that does not round-trip.
var errMalformedOpb64 = errors.New("the encoded reference is malformed")

// parseID turns an id into the reference it names. Its errors wrap
// protocol.InvalidID.
func parseID(id string) (reference, error) {
	native, err := decodeID(id)
	if err != nil {
		return reference{}, invalidID(err)
	}
	ref, err := parseReference(native)
	if err != nil {
		return reference{}, invalidID(err)
	}
	return ref, nil
}

func invalidID(err error) error {
	return fmt.Errorf("%w: %s: %w", protocol.InvalidID, invalidPrefix, err)
}

// decodeID undoes the opb64: encoding, strictly: the payload must be
// unpadded base64url of UTF-8 text that encodes back to exactly the same
// payload, so that one reference has one encoded id.
func decodeID(id string) (string, error) {
	payload, encoded := strings.CutPrefix(id, opb64Prefix)
	if !encoded {
		return id, nil
	}
	for _, c := range []byte(payload) {
		if !isBase64URL(c) {
			return "", errMalformedOpb64
		}
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(payload)
	if err != nil || payload == "" || !utf8.Valid(raw) || base64.RawURLEncoding.EncodeToString(raw) != payload {
		return "", errMalformedOpb64
	}
	return string(raw), nil
}

func isBase64URL(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// parseReference checks a decoded reference as the bundled resolver does
// (safe text, then shape) and splits it.
func parseReference(native string) (reference, error) {
	if err := checkNative(native); err != nil {
		return reference{}, err
	}
	path, query, _ := strings.Cut(strings.TrimPrefix(native, opScheme), "?")
	parts := strings.Split(path, "/")
	if len(parts) != 3 && len(parts) != 4 {
		return reference{}, errors.New(shapeAdvice)
	}
	for _, p := range parts {
		if p == "" {
			return reference{}, errors.New(shapeAdvice)
		}
	}
	ref := reference{vault: parts[0], item: parts[1], field: parts[len(parts)-1], query: query}
	if len(parts) == 4 {
		ref.section = parts[2]
	}
	ref.uri = native
	if !strings.HasPrefix(native, opScheme) {
		ref.uri = opScheme + native
	}
	return ref, nil
}

// checkNative is the bundled resolver's assertSafeNativeSecretId.
func checkNative(s string) error {
	switch {
	case s == "":
		return errors.New("the value is empty")
	case len(s) > maxNativeID:
		return fmt.Errorf("the value exceeds %d bytes", maxNativeID)
	case strings.TrimSpace(s) != s || strings.HasPrefix(s, "/") || strings.Contains(s, `\`):
		return errors.New("leading/trailing whitespace, absolute paths, and backslashes are not allowed")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return errors.New("only printable ASCII characters are allowed")
		}
	}
	for _, seg := range strings.Split(s, "/") {
		if seg == "." || seg == ".." {
			return errors.New(`"." and ".." path segments are not allowed`)
		}
	}
	return nil
}

// encodeID is the id to write in openclaw.json for a reference: the
// reference itself when the gateway's grammar accepts it, else its opb64:
// form. It is the bundled plugin's encodeOnePasswordSecretId.
func encodeID(ref string) (string, error) {
	if err := checkNative(ref); err != nil {
		return "", invalidID(err)
	}
	if _, err := parseReference(ref); err != nil {
		return "", invalidID(err)
	}
	if protocol.ValidateID(ref) == nil && !strings.HasPrefix(ref, opb64Prefix) {
		return ref, nil
	}
	id := opb64Prefix + base64.RawURLEncoding.EncodeToString([]byte(ref))
	if protocol.ValidateID(id) != nil {
		return "", invalidID(errors.New("the encoded reference exceeds OpenClaw's exec SecretRef limit; " +
			"use 1Password vault, item, section, and field IDs to shorten it"))
	}
	return id, nil
}
