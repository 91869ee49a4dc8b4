package homebrew

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
)

var (
	versionLine = regexp.MustCompile(`(?m)^  version "([^"]*)"$`)
	classLine   = regexp.MustCompile(`(?m)^class (\S+) < Formula$`)
	// A url line and the sha256 line right after it.
	download = regexp.MustCompile(`(?m)^\s+url "([^"]*)"\n\s+sha256 "([^"]*)"$`)
	anyURL   = regexp.MustCompile(`(?m)^\s+url `)
)

// Check checks the formula of each program in tap/Formula against the
// release in dist: its class name; its version; each url points to tag's
// release of an archive in dist whose SHA-256 is the formula's and
// checksums.txt's; and every archive of the program in checksums.txt has
// its url. It reports every mismatch, not only the first.
func Check(tap, dist string, programs []Program, version, tag string) error {
	sums, err := ReadChecksums(filepath.Join(dist, "checksums.txt"))
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range programs {
		errs = append(errs, checkFormula(FormulaPath(tap, p.Name), dist, p, version, tag, sums)...)
	}
	return errors.Join(errs...)
}

func checkFormula(file, dist string, p Program, version, tag string, sums map[string]string) []error {
	data, err := os.ReadFile(file)
	if err != nil {
		return []error{err}
	}
	text := string(data)
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, &MismatchError{Formula: file, What: fmt.Sprintf(format, args...)})
	}

	if m := classLine.FindStringSubmatch(text); m == nil || m[1] != Class(p.Name) {
		bad("want class %s < Formula", Class(p.Name))
	}
	if m := versionLine.FindAllStringSubmatch(text, -1); len(m) != 1 || m[0][1] != version {
		bad("want one version %q, found %q", version, m)
	}

	downloads := download.FindAllStringSubmatch(text, -1)
	if n := len(anyURL.FindAllString(text, -1)); n != len(downloads) {
		bad("%d url lines, %d of them followed by a sha256 line", n, len(downloads))
	}
	listed := map[string]bool{}
	for _, d := range downloads {
		url, sum := d[1], d[2]
		name := path.Base(url)
		listed[name] = true
		if want := ReleaseURL(tag, name); url != want {
			bad("url %s: want %s", url, want)
		}
		if want, ok := sums[name]; !ok {
			bad("%s is not in checksums.txt", name)
		} else if sum != want {
			bad("%s: sha256 %s, checksums.txt says %s", name, sum, want)
		}
		if got, err := fileSHA256(filepath.Join(dist, name)); err != nil {
			bad("%s: %v", name, err)
		} else if got != sum {
			bad("%s: sha256 %s, the file's is %s", name, sum, got)
		}
	}
	for _, pl := range Platforms {
		name := ArchiveName(p.Name, version, pl.Target)
		if _, ok := sums[name]; ok && !listed[name] {
			bad("no url for %s, which checksums.txt lists", name)
		}
	}
	if len(downloads) == 0 {
		bad("no url")
	}
	return errs
}

func fileSHA256(file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
