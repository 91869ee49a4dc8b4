package sops

import (
	"strings"

	gosops "github.com/getsops/sops/v3"
)

// selectValue finds what path names in a decrypted file (see lookup) and
// renders it as a secret string (see render).
func (r *Resolver) selectValue(doc gosops.TreeBranches, f file, path []string) (string, error) {
	if f.format == "binary" && len(path) == 0 {
		path = []string{"data"} // sops keeps a binary file's bytes under "data"
	}
	node, err := lookup(doc, f, path)
	if err != nil {
		return "", err
	}
	return r.render(node, "/"+strings.Join(path, "/"), f)
}
