package gatewayconfig

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// maxDotEnvBytes: the gateway skips a larger .env file.
const maxDotEnvBytes = 1 << 20

// dotEnvEntry is one variable of a .env file.
type dotEnvEntry struct{ key, value string }

// dotEnvLine is the grammar of the dotenv package (17.x) the gateway uses,
// a JavaScript regular expression applied to the whole file. Its \s and
// . are spelled out with JavaScript's meaning: \s includes the Unicode
// spaces and U+FEFF, . excludes U+2028 and U+2029.
var dotEnvLine = sync.OnceValue(func() *regexp.Regexp {
	ws := `[\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]`
	notEOL := `[^\n\r\x{2028}\x{2029}]`
	return regexp.MustCompile(`(?m)(?:^|^)` + ws + `*(?:export` + ws + `+)?([\w.-]+)(?:` + ws + `*=` + ws + `*?|:` + ws + `+?)(` +
		ws + `*'(?:\\'|[^'])*'|` + ws + `*"(?:\\"|[^"])*"|` + ws + "*`(?:\\\\`|[^`])*`|[^#\\r\\n]+)?" +
		ws + `*(?:#` + notEOL + `*)?(?:$|$)`)
})

// parseDotEnv parses a .env file as dotenv's parse() does: KEY=VALUE or
// KEY: VALUE lines, optional "export ", values in single, double or back
// quotes (which may span lines; "\n" and "\r" are expanded in double
// quotes only), # comments; a later line for the same key wins. Keys
// that are not portable variable names (letters, digits, _) are dropped,
// as the gateway drops them.
func parseDotEnv(data []byte) []dotEnvEntry {
	text := strings.ReplaceAll(string(decodeUTF8(data)), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var order []string
	values := map[string]string{}
	for _, m := range dotEnvLine().FindAllStringSubmatch(text, -1) {
		key, value := m[1], jsTrim(m[2])
		quote := byte(0)
		if value != "" {
			quote = value[0]
		}
		if len(value) >= 2 && (quote == '\'' || quote == '"' || quote == '`') && value[len(value)-1] == quote {
			value = value[1 : len(value)-1]
		}
		if quote == '"' {
			value = strings.ReplaceAll(value, `\n`, "\n")
			value = strings.ReplaceAll(value, `\r`, "\r")
		}
		if _, seen := values[key]; !seen {
			order = append(order, key)
		}
		values[key] = value
	}
	var out []dotEnvEntry
	for _, k := range (&object{order: order}).keys() { // JavaScript's key order
		if name := strings.TrimSpace(k); portableName().MatchString(name) {
			out = append(out, dotEnvEntry{name, values[k]})
		}
	}
	return out
}

// errDotEnvSkipped: the gateway would skip this .env file (missing, not a
// regular file, too large); not an error for it.
var errDotEnvSkipped = errors.New("skipped")

// readDotEnv reads a .env file as the gateway does: symlinks followed, a
// regular file of at most 1 MiB. A missing file is errDotEnvSkipped with
// no further word; other skips say why.
func readDotEnv(path string) ([]dotEnvEntry, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, errDotEnvSkipped
		}
		return nil, fmt.Errorf("%w: %v", errDotEnvSkipped, err)
	}
	fi, err := os.Stat(real)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: %v", errDotEnvSkipped, err)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%w: %s is not a regular file", errDotEnvSkipped, path)
	case fi.Size() > maxDotEnvBytes:
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", errDotEnvSkipped, path, maxDotEnvBytes)
	}
	data, err := os.ReadFile(real)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errDotEnvSkipped, err)
	}
	if len(data) > maxDotEnvBytes {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", errDotEnvSkipped, path, maxDotEnvBytes)
	}
	return parseDotEnv(data), nil
}
