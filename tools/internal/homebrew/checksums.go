package homebrew

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
)

// checksumLine is a line of goreleaser's checksums.txt, as sha256sum
// writes it: 64 hex digits, two spaces, the file name.
var checksumLine = regexp.MustCompile(`^([0-9a-f]{64})  ([^/\s]+)$`)

// ReadChecksums reads checksums.txt into file name → SHA-256 (hex).
func ReadChecksums(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sums := map[string]string{}
	s := bufio.NewScanner(f)
	for n := 1; s.Scan(); n++ {
		m := checksumLine.FindStringSubmatch(s.Text())
		if m == nil {
			return nil, fmt.Errorf("%s:%d: not \"<sha256>  <file>\"", path, n)
		}
		if _, dup := sums[m[2]]; dup {
			return nil, fmt.Errorf("%s:%d: %s listed twice", path, n, m[2])
		}
		sums[m[2]] = m[1]
	}
	return sums, s.Err()
}
