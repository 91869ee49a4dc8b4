package modrelease

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A non-empty -work without the marker is refused before anything in it
// is removed.
func TestCheckRefusesADirectoryItDidNotMake(t *testing.T) {
	work := t.TempDir()
	mine := filepath.Join(work, "repo", "mine.txt")
	if err := os.MkdirAll(filepath.Dir(mine), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mine, []byte("not modrelease's"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Check(CheckOptions{Source: t.TempDir(), Work: work, Version: "v1.0.0"})
	if !errors.Is(err, ErrNotScratch) {
		t.Fatalf("got %v, want ErrNotScratch", err)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("a file check did not write was removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(work, ScratchMarker)); err == nil {
		t.Error("the marker was written into a directory check refused")
	}
}

// A new or empty -work gets the marker; a marked one is emptied of what
// an earlier check left, even when this check then fails (here: the
// source is no git repository).
func TestCheckMarksAndReusesItsScratchDirectory(t *testing.T) {
	for name, work := range map[string]string{
		"new":   filepath.Join(t.TempDir(), "new"),
		"empty": t.TempDir(),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Check(CheckOptions{Source: t.TempDir(), Work: work, Version: "v1.0.0"}); err == nil {
				t.Fatal("check of a directory that is no repository succeeded")
			}
			if _, err := os.Stat(filepath.Join(work, ScratchMarker)); err != nil {
				t.Fatalf("no marker: %v", err)
			}
			old := filepath.Join(work, "proxy", "old")
			if err := os.MkdirAll(old, 0o755); err != nil {
				t.Fatal(err)
			}
			_, err := Check(CheckOptions{Source: t.TempDir(), Work: work, Version: "v1.0.0"})
			if err == nil || errors.Is(err, ErrNotScratch) {
				t.Fatalf("second check: %v, want the marked directory taken, then a git error", err)
			}
			if _, err := os.Stat(old); err == nil {
				t.Error("what an earlier check left in proxy/ is still there")
			}
		})
	}
}
