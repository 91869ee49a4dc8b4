package gatewayconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// The gateway's limits on $include.
const (
	maxIncludeDepth   = 10
	maxIncludeBytes   = 2 << 20
	maxIncludePathLen = 4096
)

// includer resolves $include directives as the gateway does when it loads
// its config: {"$include": "./file.json5"} (or a list of files, merged in
// order) is replaced by the file's content, parsed as JSON5; keys beside
// $include are merged over it (objects recursively, arrays concatenated).
// Files must lie in the config's directory or in OPENCLAW_INCLUDE_ROOTS,
// also once symlinks are resolved; each must be a regular file of at most
// 2 MiB with a single link, nested at most 10 deep, without cycles.
type includer struct {
	configPath string
	root       includeRoot
	allowed    []includeRoot
	files      []string
}

// includeRoot is a directory includes may come from, as written and with
// symlinks resolved.
type includeRoot struct{ dir, real string }

// includeFrame is the file being processed and the chain that led to it.
type includeFrame struct {
	base    string
	visited []string
	depth   int
}

func newIncluder(configPath string, allowedRoots []string) *includer {
	abs, err := filepath.Abs(configPath)
	if err != nil {
		abs = configPath
	}
	in := &includer{configPath: abs, root: newIncludeRoot(filepath.Dir(abs))}
	for _, r := range allowedRoots {
		in.allowed = append(in.allowed, newIncludeRoot(r))
	}
	return in
}

func newIncludeRoot(dir string) includeRoot {
	dir = filepath.Clean(dir)
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		real = dir
	}
	return includeRoot{dir: dir, real: filepath.Clean(real)}
}

// includeRoots reads OPENCLAW_INCLUDE_ROOTS: a list of directories
// separated by ':' (';' on Windows), each may start with ~.
func includeRoots(env Env) ([]string, error) {
	raw := env.get("OPENCLAW_INCLUDE_ROOTS")
	if raw == "" {
		return nil, nil
	}
	var roots []string
	seen := map[string]bool{}
	for _, entry := range filepath.SplitList(raw) {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		abs, err := homeRelative(env, entry)
		if err != nil {
			return nil, err
		}
		if !seen[abs] {
			seen[abs] = true
			roots = append(roots, abs)
		}
	}
	return roots, nil
}

func (in *includer) resolve(root any) (any, error) {
	return in.process(root, includeFrame{base: in.configPath, visited: []string{in.configPath}})
}

func (in *includer) fail(format string, args ...any) error {
	return fmt.Errorf("%w: %s: $include: %s", ErrInvalid, in.configPath, fmt.Sprintf(format, args...))
}

func (in *includer) process(v any, f includeFrame) (any, error) {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			p, err := in.process(e, f)
			if err != nil {
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	case *object:
		if _, ok := x.get("$include"); ok {
			return in.processInclude(x, f)
		}
		out := newObject()
		for _, k := range x.keys() {
			p, err := in.process(x.vals[k], f)
			if err != nil {
				return nil, err
			}
			out.set(k, p)
		}
		return out, nil
	}
	return v, nil
}

func (in *includer) processInclude(o *object, f includeFrame) (any, error) {
	value := o.vals["$include"]
	included, err := in.includeValue(value, f)
	if err != nil {
		return nil, err
	}
	var siblings []string
	for _, k := range o.keys() {
		if k != "$include" {
			siblings = append(siblings, k)
		}
	}
	if len(siblings) == 0 {
		return included, nil
	}
	if _, ok := included.(*object); !ok {
		name := "$include"
		if s, isString := value.(string); isString {
			name = s
		}
		return nil, in.fail("%s: Sibling keys require included content to be an object", name)
	}
	rest := newObject()
	for _, k := range siblings {
		p, err := in.process(o.vals[k], f)
		if err != nil {
			return nil, err
		}
		rest.set(k, p)
	}
	return deepMerge(included, rest), nil
}

func (in *includer) includeValue(value any, f includeFrame) (any, error) {
	switch x := value.(type) {
	case string:
		return in.loadFile(x, f)
	case []any:
		var loaded []any
		for _, item := range x {
			s, ok := item.(string)
			if !ok {
				return nil, in.fail("Invalid $include array item: expected string, got %s", jsTypeof(item))
			}
			v, err := in.loadFile(s, f)
			if err != nil {
				return nil, err
			}
			loaded = append(loaded, v)
		}
		var merged any = newObject()
		for _, v := range loaded {
			merged = deepMerge(merged, v)
		}
		return merged, nil
	}
	return nil, in.fail("Invalid $include value: expected string or array of strings, got %s", jsTypeof(value))
}

func (in *includer) loadFile(includePath string, f includeFrame) (any, error) {
	resolved, root, err := in.resolvePath(includePath, f.base)
	if err != nil {
		return nil, err
	}
	for _, v := range f.visited {
		if v == resolved {
			return nil, in.fail("Circular include detected: %s", strings.Join(append(append([]string{}, f.visited...), resolved), " -> "))
		}
	}
	if f.depth >= maxIncludeDepth {
		return nil, in.fail("Maximum include depth (%d) exceeded at: %s", maxIncludeDepth, includePath)
	}
	data, err := in.read(includePath, resolved, root)
	if err != nil {
		return nil, err
	}
	in.files = append(in.files, resolved)
	parsed, err := parseJSON5(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: $include: Failed to parse include file: %s (resolved: %s): %w", ErrInvalid, in.configPath, includePath, resolved, err)
	}
	return in.process(parsed, includeFrame{base: resolved, visited: append(append([]string{}, f.visited...), resolved), depth: f.depth + 1})
}

// resolvePath places an include path (relative to the including file)
// and checks it stays within the roots, lexically and once symlinks are
// resolved.
func (in *includer) resolvePath(includePath, base string) (string, includeRoot, error) {
	if strings.ContainsRune(includePath, 0) {
		return "", includeRoot{}, in.fail("Include path must not contain null bytes")
	}
	if jsLength(includePath) >= maxIncludePathLen {
		return "", includeRoot{}, in.fail("Include path exceeds maximum length (%d characters)", maxIncludePathLen)
	}
	resolved := includePath
	if !filepath.IsAbs(resolved) {
		resolved = filepath.Join(filepath.Dir(base), includePath)
	}
	resolved = filepath.Clean(resolved)
	if jsLength(resolved) >= maxIncludePathLen {
		return "", includeRoot{}, in.fail("Resolved include path exceeds maximum length (%d characters)", maxIncludePathLen)
	}
	lexical, ok := in.containing(resolved, func(r includeRoot) string { return r.dir })
	if !ok {
		return "", includeRoot{}, in.fail("Include path escapes config directory: %s (root: %s)", includePath, in.root.dir)
	}
	real, err := filepath.EvalSymlinks(resolved)
	switch {
	case err == nil:
		root, ok := in.containing(real, func(r includeRoot) string { return r.real })
		if !ok {
			return "", includeRoot{}, in.fail("Include path resolves outside config directory (symlink): %s (root: %s)", includePath, in.root.dir)
		}
		return resolved, root, nil
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return resolved, lexical, nil
	}
	return "", includeRoot{}, in.fail("Failed to resolve include file realpath: %s (resolved: %s): %v", includePath, resolved, err)
}

func (in *includer) containing(p string, dir func(includeRoot) string) (includeRoot, bool) {
	for _, r := range append([]includeRoot{in.root}, in.allowed...) {
		if pathInside(dir(r), p) {
			return r, true
		}
	}
	return includeRoot{}, false
}

// read reads an include file with the gateway's guards: a regular file
// (symlinks followed, within the root), one link, at most 2 MiB.
func (in *includer) read(includePath, resolved string, root includeRoot) ([]byte, error) {
	real, err := filepath.EvalSymlinks(resolved)
	if err != nil {
		return nil, in.fail("Failed to read include file: %s (resolved: %s)", includePath, resolved)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, in.fail("Failed to read include file: %s (resolved: %s)", includePath, resolved)
	}
	if !pathInside(root.real, real) || !fi.Mode().IsRegular() || fi.Size() > maxIncludeBytes || linkCount(fi) > 1 {
		return nil, in.fail("Include file failed security checks (regular file, max %d bytes, no hardlinks): %s", maxIncludeBytes, includePath)
	}
	data, err := os.ReadFile(real)
	if err != nil {
		return nil, in.fail("Failed to read include file: %s (resolved: %s)", includePath, resolved)
	}
	return data, nil
}

// pathInside: target is root or below it.
func pathInside(root, target string) bool {
	rel, err := filepath.Rel(root, target)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// findInclude finds an $include directive left in a document.
func findInclude(v any, path string) (string, bool) {
	switch x := v.(type) {
	case []any:
		for i, e := range x {
			if at, ok := findInclude(e, indexPath(path, i)); ok {
				return at, true
			}
		}
	case *object:
		if _, ok := x.get("$include"); ok {
			return path, true
		}
		for _, k := range x.keys() {
			if at, ok := findInclude(x.vals[k], keyPath(path, k)); ok {
				return at, true
			}
		}
	}
	return "", false
}

// deepMerge merges override over base as the gateway merges includes:
// objects key by key (recursively), arrays concatenated, anything else
// replaced; keys that could reach a prototype are dropped.
func deepMerge(base, override any) any {
	if ba, ok := base.([]any); ok {
		if oa, ok := override.([]any); ok {
			return append(append([]any{}, ba...), oa...)
		}
	}
	bo, baseIsObject := base.(*object)
	oo, overrideIsObject := override.(*object)
	if !baseIsObject || !overrideIsObject {
		return override
	}
	merged := sanitize(bo)
	for _, k := range oo.keys() {
		if prototypeKey(k) {
			continue
		}
		v := oo.vals[k]
		current, has := merged.get(k)
		switch val := v.(type) {
		case *object:
			if cur, ok := current.(*object); has && ok {
				merged.set(k, deepMerge(cur, val))
			} else {
				merged.set(k, sanitize(val))
			}
		case []any:
			if cur, ok := current.([]any); has && ok {
				merged.set(k, append(append([]any{}, cur...), val...))
			} else {
				merged.set(k, val)
			}
		default:
			merged.set(k, v)
		}
	}
	return merged
}

func sanitize(o *object) *object {
	out := newObject()
	for _, k := range o.keys() {
		if prototypeKey(k) {
			continue
		}
		v := o.vals[k]
		if inner, ok := v.(*object); ok {
			v = sanitize(inner)
		}
		out.set(k, v)
	}
	return out
}

func prototypeKey(k string) bool { return k == "__proto__" || k == "prototype" || k == "constructor" }

// jsTypeof is JavaScript's typeof of a JSON value.
func jsTypeof(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "object"
}
