package modrelease

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ScratchMarker is the file Check leaves in a scratch directory it has
// made or taken while empty. Check empties repo/, proxy/, bin/ and
// outside/ of the directory it is given, so it requires the marker in a
// directory that is not empty: a mistyped -work must not remove anything
// modrelease did not write.
const ScratchMarker = ".modrelease-check"

const scratchNote = "modrelease check rehearses releases here and removes repo/, proxy/, bin/ and outside/ at each run.\n"

// claimScratch makes dir Check's: a missing or empty directory gets the
// marker; a non-empty one must have it.
func claimScratch(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	case err != nil:
		return err
	case len(entries) > 0:
		if fi, err := os.Lstat(filepath.Join(dir, ScratchMarker)); err != nil || !fi.Mode().IsRegular() {
			return fmt.Errorf("%w: %s is not empty and has no %s, the file modrelease check leaves in the directories it uses; name a new or empty directory", ErrNotScratch, dir, ScratchMarker)
		}
		return nil
	}
	return os.WriteFile(filepath.Join(dir, ScratchMarker), []byte(scratchNote), 0o644)
}
