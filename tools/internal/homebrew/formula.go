package homebrew

import (
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/template"
)

//go:embed formula.rb.tmpl
var formulaTemplate string

var formula = template.Must(template.New("formula").Parse(formulaTemplate))

// Release is what the formulae are generated from.
type Release struct {
	Version   string            // the archives' version: 1.2.3, 1.2.3+git…
	Tag       string            // the git tag the archives are released under, printed by --version: v1.2.3
	Checksums map[string]string // checksums.txt: archive name → SHA-256
}

// Archive is one platform's download.
type Archive struct {
	Platform
	URL    string
	SHA256 string
}

// OS groups the archives of one on_macos/on_linux block.
type OS struct {
	OS       string
	Archives []Archive
}

type formulaData struct {
	Program
	Class   string
	Version string
	OSes    []OS
	Test    string
	// The agent's files, for programs with Agent.
	LaunchdPlist, SystemdUnit string
}

// WriteFormula writes p's formula for r: one url and sha256 for each
// platform whose archive checksums.txt lists. At least one must be.
func WriteFormula(w io.Writer, p Program, r Release) error {
	test, err := p.test(r.Tag)
	if err != nil {
		return err
	}
	d := formulaData{Program: p, Class: Class(p.Name), Version: r.Version, Test: test, LaunchdPlist: LaunchdPlist, SystemdUnit: SystemdUnit}
	for _, pl := range Platforms {
		name := ArchiveName(p.Name, r.Version, pl.Target)
		sum, ok := r.Checksums[name]
		if !ok {
			continue
		}
		a := Archive{Platform: pl, URL: ReleaseURL(r.Tag, name), SHA256: sum}
		if n := len(d.OSes); n > 0 && d.OSes[n-1].OS == pl.OS {
			d.OSes[n-1].Archives = append(d.OSes[n-1].Archives, a)
		} else {
			d.OSes = append(d.OSes, OS{OS: pl.OS, Archives: []Archive{a}})
		}
	}
	if len(d.OSes) == 0 {
		return fmt.Errorf("%s: checksums.txt lists no archive of version %s", p.Name, r.Version)
	}
	return formula.Execute(w, d)
}

// FormulaPath is where a tap keeps a formula.
func FormulaPath(tap, name string) string {
	return filepath.Join(tap, "Formula", name+".rb")
}

// WriteTap writes the formula of each program into tap/Formula/.
func WriteTap(tap string, programs []Program, r Release) error {
	if err := os.MkdirAll(filepath.Join(tap, "Formula"), 0o755); err != nil {
		return err
	}
	for _, p := range programs {
		f, err := os.Create(FormulaPath(tap, p.Name))
		if err != nil {
			return err
		}
		if err := WriteFormula(f, p, r); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
