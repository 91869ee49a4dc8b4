package onepassword

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/execref/execref/protocol"
)

// opReference writes r as the secret reference the SDK takes:
// op://vault/item/field or op://vault/item/section/field, and r's ?query
// (checked by the SDK's parser later: see sdkMode.checkSyntax).
//
// The SDK's syntax has no quoting and no escaping: its parser accepts
// ASCII letters, digits, '-', '_', '.' and the space in names, and refuses
// everything else (measured with the v0.4.1 core: quotes, '\', '%2F', '(',
// '@', ':', '#', '=', a tab, a non-breaking space, 'é'). A name with any
// other character cannot be written, so it is refused here, before the
// batch is sent, with the way out: 1Password's 26-character id fits
// every slot a name does.
func opReference(r reference) (string, error) {
	names := [][2]string{{"vault", r.vault}, {"item", r.item}, {"section", r.section}, {"field", r.field}}
	if r.section == "" {
		names = slices.Delete(names, 2, 3)
	}
	text := "op:/"
	for _, n := range names {
		if err := checkReferenceName(n[0], n[1]); err != nil {
			return "", err
		}
		text += "/" + n[1]
	}
	if r.query != "" {
		text += "?" + r.query
	}
	return text, nil
}

// checkReferenceName refuses a name the SDK's reference syntax cannot
// carry.
func checkReferenceName(what, name string) error {
	if name == "" {
		return fmt.Errorf("%w: the %s name is empty", protocol.InvalidID, what)
	}
	if i := strings.IndexFunc(name, func(c rune) bool { return !referenceChar(c) }); i >= 0 {
		c, _ := utf8.DecodeRuneInString(name[i:])
		return fmt.Errorf("%w: the %s name %q has %q, which 1Password's secret reference syntax cannot express "+
			"(it allows letters, digits, '-', '_', '.' and spaces, and has no quoting); use the %s's 26-character id instead",
			protocol.InvalidID, what, name, c, what)
	}
	return nil
}

func referenceChar(c rune) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.ContainsRune("-_. ", c)
}
