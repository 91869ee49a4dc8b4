package licenses

import (
	"regexp"
	"sort"
	"strings"

	"github.com/google/licensecheck"
)

// Licensed is what a module's licence files say.
type Licensed struct {
	Module    Module
	Files     []File
	IDs       []string // SPDX identifiers of the licences found, sorted
	Common    []string // those whose full text Debian ships in /usr/share/common-licenses
	Copyright []string // the copyright notices found, without "Copyright (c)"
	Text      string   // the files' text less the full texts of Common licences
}

// commonLicenses maps the SPDX identifiers of licences whose full text
// Debian ships to the file in /usr/share/common-licenses. Debian policy
// (12.5) wants a copyright file to point there rather than repeat them,
// and lintian rejects a copyright file with the full Apache-2.0 text.
var commonLicenses = map[string]string{
	"Apache-2.0":        "Apache-2.0",
	"MPL-1.1":           "MPL-1.1",
	"MPL-2.0":           "MPL-2.0",
	"CC0-1.0":           "CC0-1.0",
	"GPL-2.0":           "GPL-2",
	"GPL-2.0-only":      "GPL-2",
	"GPL-2.0-or-later":  "GPL-2",
	"GPL-3.0":           "GPL-3",
	"GPL-3.0-only":      "GPL-3",
	"GPL-3.0-or-later":  "GPL-3",
	"LGPL-2.1":          "LGPL-2.1",
	"LGPL-2.1-only":     "LGPL-2.1",
	"LGPL-2.1-or-later": "LGPL-2.1",
	"LGPL-3.0":          "LGPL-3",
	"LGPL-3.0-only":     "LGPL-3",
	"LGPL-3.0-or-later": "LGPL-3",
}

// fullText is the shortest match taken for a licence's full text rather
// than a header or a notice that names it (those run to a few hundred
// bytes, the shortest full text above to several thousand).
const fullText = 5000

// Read reads and classifies the licence files of m.
func Read(m Module) (Licensed, error) {
	files, err := Files(m)
	if err != nil {
		return Licensed{}, err
	}
	return Classify(m, files)
}

// Classify says which licences files (those of m) hold, and keeps their text
// but for the full texts /usr/share/common-licenses has.
func Classify(m Module, files []File) (Licensed, error) {
	l := Licensed{Module: m, Files: files}
	var licences int
	ids, common, copyrights := set{}, set{}, set{}
	var parts []string
	for _, f := range files {
		text := string(f.Text)
		for _, c := range CopyrightNotices(text) {
			copyrights.add(c)
		}
		if f.notice() {
			parts = append(parts, labelled(f.Rel, text))
			continue
		}
		licences++
		matches := licensecheck.Scan(f.Text).Match
		// Cut from the end so that earlier offsets stay valid.
		sort.Slice(matches, func(i, j int) bool { return matches[i].Start > matches[j].Start })
		kept := text
		for _, match := range matches {
			if match.IsURL {
				continue
			}
			ids.add(match.ID)
			if _, ok := commonLicenses[match.ID]; ok && match.End-match.Start >= fullText {
				common.add(match.ID)
				kept = kept[:match.Start] + kept[match.End:]
			}
		}
		if !blank(kept) {
			parts = append(parts, labelled(f.Rel, kept))
		}
	}
	switch {
	case licences == 0:
		return l, &ModuleError{Module: m.Path, Version: m.Version, Dir: m.Dir, Err: ErrNoLicenseFile}
	case len(ids) == 0:
		return l, &ModuleError{Module: m.Path, Version: m.Version, Dir: m.Dir, Err: ErrUnknownLicense}
	}
	l.IDs, l.Common, l.Copyright = ids.sorted(), common.sorted(), copyrights.sorted()
	if len(parts) == 1 {
		// One file: no need to say which.
		_, parts[0], _ = strings.Cut(parts[0], "\n")
	}
	l.Text = strings.Join(parts, "\n")
	return l, nil
}

func labelled(name, text string) string {
	return name + ":\n" + strings.Trim(text, "\n") + "\n"
}

// blank is true of text that holds nothing but white space and the rules
// authors draw between two licences in one file.
func blank(text string) bool {
	return strings.TrimSpace(strings.Trim(text, "-=*_ \t\r\n")) == ""
}

// copyrightLine matches a copyright notice: "Copyright 2019 The age
// Authors", "Copyright (c) Microsoft Corporation.", but neither the
// Apache-2.0 appendix's "Copyright [yyyy] [name of copyright owner]" nor
// licence prose such as "copyright notice" or "COPYRIGHT HOLDERS".
var copyrightLine = regexp.MustCompile(`^Copyright\s*(?:\([cC]\)|©)?\s*([0-9A-Z].*)$`)

// CopyrightNotices returns the copyright notices in a licence text.
func CopyrightNotices(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		m := copyrightLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		c := strings.TrimSpace(m[1])
		c = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(c, "All rights reserved."), "All Rights Reserved."))
		c = strings.TrimRight(strings.TrimSpace(c), ",")
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

type set map[string]bool

func (s set) add(v string) { s[v] = true }

func (s set) sorted() []string {
	out := make([]string, 0, len(s))
	for v := range s {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}
