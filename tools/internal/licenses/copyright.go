package licenses

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Upstream describes the project whose binary is packaged.
type Upstream struct {
	Name      string // execref
	Source    string // https://github.com/execref/execref
	Contact   string
	Copyright string // "2026 The execref authors"
	License   string // SPDX identifier of its own licence: Apache-2.0
}

// WriteCopyright writes b's licences as a Debian machine-readable copyright
// file (https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/),
// for /usr/share/doc/<package>/copyright: the project's own licence, then
// the Go runtime's and each module's, with their texts except those Debian
// ships in /usr/share/common-licenses, which it points to instead.
func WriteCopyright(w io.Writer, up Upstream, b Binary) error {
	var buf bytes.Buffer
	field(&buf, "Format", "https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")
	field(&buf, "Upstream-Name", up.Name)
	field(&buf, "Upstream-Contact", up.Contact)
	field(&buf, "Source", up.Source)
	field(&buf, "Comment", fmt.Sprintf("%s is a statically linked Go program. Besides %s's own code it contains the Go runtime and standard library and the Go modules below, each under its own licence. Their licence files, as their authors wrote them, are in the release archives (licenses/).", b.Name, up.Name))

	used := set{up.License: true}
	buf.WriteString("\n")
	field(&buf, "Files", "*")
	field(&buf, "Copyright", up.Copyright)
	field(&buf, "License", up.License)

	for i, l := range append([]Licensed{b.Go}, b.Modules...) {
		buf.WriteString("\n")
		field(&buf, "Files", l.Module.Path+"/*")
		copyright := strings.Join(l.Copyright, "\n")
		if copyright == "" {
			copyright = "the authors of " + l.Module.Path
		}
		field(&buf, "Copyright", copyright)
		license := strings.Join(l.IDs, " and ")
		if l.Text != "" {
			license += "\n" + l.Text
		}
		field(&buf, "License", license)
		if i == 0 {
			field(&buf, "Comment", fmt.Sprintf("The Go runtime and standard library (%s).", l.Module.Version))
		} else {
			field(&buf, "Comment", fmt.Sprintf("Go module %s %s.", l.Module.Path, l.Module.Version))
		}
		for _, id := range l.Common {
			used.add(id)
		}
	}

	for _, id := range used.sorted() {
		file, ok := commonLicenses[id]
		if !ok {
			return fmt.Errorf("licence %s: its text is neither given nor in /usr/share/common-licenses", id)
		}
		buf.WriteString("\n")
		field(&buf, "License", fmt.Sprintf("%s\nOn Debian systems, the complete text of the %s licence can be found in \"/usr/share/common-licenses/%s\".", id, id, file))
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// field writes one deb822 field: the first line of value after the name,
// the others as continuation lines (" ." for an empty one).
func field(buf *bytes.Buffer, name, value string) {
	lines := strings.Split(strings.TrimRight(value, "\n"), "\n")
	fmt.Fprintf(buf, "%s: %s\n", name, strings.TrimSpace(lines[0]))
	for _, line := range lines[1:] {
		line = strings.TrimRight(strings.ReplaceAll(line, "\r", ""), " \t")
		if strings.TrimSpace(line) == "" {
			buf.WriteString(" .\n")
			continue
		}
		buf.WriteString(" " + line + "\n")
	}
}
