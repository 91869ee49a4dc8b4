package licenses

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// apacheTerms is in the full Apache-2.0 text only; lintian rejects a
// copyright file that holds it.
const apacheTerms = "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION"

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The repository's own LICENSE: the full Apache-2.0 text with its
// appendix filled in.
func apache(t *testing.T) []byte { return readFile(t, "../../../LICENSE") }

func TestClassifyCutsTheFullTextOfACommonLicence(t *testing.T) {
	l, err := Classify(Module{Path: "example.com/a"}, []File{{Rel: "LICENSE", Text: apache(t)}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.IDs, []string{"Apache-2.0"}) || !slices.Equal(l.Common, []string{"Apache-2.0"}) {
		t.Errorf("IDs %v, Common %v; want Apache-2.0 for both", l.IDs, l.Common)
	}
	if l.Text != "" {
		t.Errorf("text kept: %q; want none, /usr/share/common-licenses has it", l.Text)
	}
	if !slices.Equal(l.Copyright, []string{"2026 The execref authors"}) {
		t.Errorf("copyright %q, want the appendix's notice", l.Copyright)
	}
}

// go.opentelemetry.io/otel's LICENSE is Apache-2.0 followed by the Go
// authors' BSD-3-Clause licence: the second must stay.
func TestClassifyKeepsWhatFollowsACommonLicence(t *testing.T) {
	text := string(apache(t)) + "\n--------------------------------------------------------------------------------\n\n" + string(readFile(t, "testdata/BSD-3-Clause"))
	l, err := Classify(Module{Path: "example.com/a"}, []File{{Rel: "LICENSE", Text: []byte(text)}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.IDs, []string{"Apache-2.0", "BSD-3-Clause"}) || !slices.Equal(l.Common, []string{"Apache-2.0"}) {
		t.Errorf("IDs %v, Common %v", l.IDs, l.Common)
	}
	if strings.Contains(l.Text, apacheTerms) || !strings.Contains(l.Text, "Neither the name of Example Org") {
		t.Errorf("kept text should be the BSD licence alone, got:\n%s", l.Text)
	}
	if !slices.Equal(l.Copyright, []string{"2019 Example Org.", "2026 The execref authors"}) {
		t.Errorf("copyright %q", l.Copyright)
	}
}

func TestClassifyKeepsOtherLicencesAndNoticesWhole(t *testing.T) {
	mit := readFile(t, "testdata/MIT")
	notice := []byte("Example Library\nCopyright 2021 Example Corp.\n")
	l, err := Classify(Module{Path: "example.com/a"}, []File{
		{Rel: "LICENSE", Text: mit},
		{Rel: "NOTICE", Text: notice},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.IDs, []string{"MIT"}) || len(l.Common) != 0 {
		t.Errorf("IDs %v, Common %v; want MIT, none", l.IDs, l.Common)
	}
	want := "LICENSE:\n" + strings.TrimRight(string(mit), "\n") + "\n\nNOTICE:\n" + string(notice)
	if l.Text != want {
		t.Errorf("text:\n%s\nwant:\n%s", l.Text, want)
	}
	if !slices.Equal(l.Copyright, []string{"2020 Example Person", "2021 Example Corp."}) {
		t.Errorf("copyright %q", l.Copyright)
	}
}

func TestCopyrightNoticesSkipsLicenceProse(t *testing.T) {
	text := "Copyright [yyyy] [name of copyright owner]\n" +
		"copyright notice, this list of conditions\n" +
		"THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS\n" +
		"COPYRIGHT HOLDERS AND CONTRIBUTORS\n" +
		"   Copyright (c) Microsoft Corporation. All rights reserved.\n" +
		"Copyright © 2014 Someone,\n"
	got := CopyrightNotices(text)
	want := []string{"Microsoft Corporation.", "2014 Someone"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func module(t *testing.T, files map[string]string) Module {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Module{Path: "example.com/m", Version: "v1.0.0", Dir: dir}
}

func TestReadFailsWithoutALicenceFile(t *testing.T) {
	m := module(t, map[string]string{"README.md": "no licence here", "NOTICE": "Copyright 2020 X"})
	_, err := Read(m)
	var me *ModuleError
	if !errors.Is(err, ErrNoLicenseFile) || !errors.As(err, &me) || me.Module != "example.com/m" {
		t.Fatalf("got %v, want a *ModuleError for example.com/m wrapping ErrNoLicenseFile", err)
	}
}

func TestReadFailsOnAnUnknownLicence(t *testing.T) {
	m := module(t, map[string]string{"LICENSE": "You may look at this code but not touch it.\n"})
	if _, err := Read(m); !errors.Is(err, ErrUnknownLicense) {
		t.Fatalf("got %v, want ErrUnknownLicense", err)
	}
}

// Files finds the licences of the module root and of the directories of
// linked packages up to it, not those of packages the binary does not
// link, nor Go files named like licences.
func TestFilesFollowsTheLinkedPackages(t *testing.T) {
	mit := string(readFile(t, "testdata/MIT"))
	bsd := string(readFile(t, "testdata/BSD-3-Clause"))
	m := module(t, map[string]string{
		"LICENSE":                          mit,
		"notice.go":                        "package m",
		"third_party/vendored/LICENSE.txt": bsd,
		"third_party/vendored/pkg/x.go":    "package pkg",
		"third_party/unused/COPYING":       bsd,
	})
	m.PkgDirs = []string{m.Dir, filepath.Join(m.Dir, "third_party/vendored/pkg")}
	files, err := Files(m)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Rel)
	}
	if want := []string{"LICENSE", "third_party/vendored/LICENSE.txt"}; !slices.Equal(got, want) {
		t.Errorf("files %q, want %q", got, want)
	}
}
