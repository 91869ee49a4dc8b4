package sops

import (
	"fmt"
	"strings"

	gosops "github.com/getsops/sops/v3"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// unambiguous groups the parsed ids by file, after failing those that read
// two ways (see ambiguity). An id whose check could not be made, because
// the deadline passed before the default file was read, is left
// unanswered: the SDK answers it TIMEOUT.
func unambiguous(b *sdk.Batch, refs map[string]ref, trees map[string]*gosops.Tree, files map[string]file) map[string][]string {
	byFile := map[string][]string{}
	for _, id := range b.IDs { // in request order, so each file's ids are too
		ref, ok := refs[id]
		switch {
		case !ok:
			continue
		case ref.shadow != "" && trees[""] == nil:
			continue
		}
		if err := ambiguity(id, ref, trees[""], files); err != nil {
			b.Fail(id, err)
			continue
		}
		byFile[ref.alias] = append(byFile[ref.alias], id)
	}
	return byFile
}

// ambiguity fails an id that reads two ways: as a path in the file its
// alias names, and, taken whole, as a path in the default file, which has
// a top-level key the id starts with (e.g. "prod:x" when the default file
// has a key "prod:x"). Which one the operator meant cannot be known, so
// neither value is given. Only the default file's top-level keys are
// compared: sops keeps keys in clear, so the file need not be decrypted
// for this, and keys read the same before and after decryption (list
// indices may not: sops stores some comments as list items until it
// decrypts them).
func ambiguity(id string, ref ref, defaultTree *gosops.Tree, files map[string]file) error {
	if ref.shadow == "" || len(defaultTree.Branches) == 0 {
		return nil
	}
	if _, matches := member(defaultTree.Branches[0], ref.shadow); matches == 0 {
		return nil
	}
	return fmt.Errorf("%w: %q reads both as %q in %s and as a path under the key %q of the default file; rename the key or the alias",
		protocol.AmbiguousDuplicateKey, id, "/"+strings.Join(ref.path, "/"), files[ref.alias].label(), ref.shadow)
}
