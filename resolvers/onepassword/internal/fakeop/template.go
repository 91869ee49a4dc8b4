package main

import (
	"os"
	"strings"
)

// inject renders a template as 1Password's template syntax describes it
// (developer.1password.com/docs/cli/secrets-template-syntax): enclosed
// references "{{ op://… }}" (spaces around the reference are padding),
// "{{ "literal" }}" for text that must stay as it is, unenclosed
// references "op://…" not preceded by a letter, digit, "-", "+", "\" or
// ".", and variables $NAME, ${NAME} and ${NAME:-default} from the
// environment. It stops at the first reference that fails. refs counts
// the references met.
func (d *Data) inject(tpl string) (out string, refs int, err *opErr) {
	var b strings.Builder
	for i := 0; i < len(tpl); {
		switch {
		case strings.HasPrefix(tpl[i:], "{{"):
			if lit, n, ok := literal(tpl[i:]); ok {
				b.WriteString(lit)
				i += n
				continue
			}
			end := strings.Index(tpl[i+2:], "}}")
			if end < 0 {
				b.WriteString(tpl[i:])
				return b.String(), refs, nil
			}
			whole := tpl[i : i+2+end+2]
			inner := strings.TrimSpace(whole[2 : len(whole)-2])
			i += len(whole)
			switch ref := substitute(inner); {
			case strings.HasPrefix(ref, "op://") && d.InjectVerbatim:
				refs++
				b.WriteString(whole)
			case strings.HasPrefix(ref, "op://"):
				refs++
				v, err := d.resolve(ref)
				if err != nil {
					return "", refs, err
				}
				b.WriteString(v)
			default:
				b.WriteString(whole)
			}
		case tpl[i] == '$':
			name, def, hasDef, n := variable(tpl[i:])
			if n == 0 {
				b.WriteByte('$')
				i++
				continue
			}
			v, ok := lookupFold(name)
			if !ok && hasDef {
				v = def
			}
			b.WriteString(v)
			i += n
		case strings.HasPrefix(tpl[i:], "op://") && (i == 0 || !strings.ContainsRune(unenclosedBefore, rune(tpl[i-1]))):
			n := len("op://")
			for n < len(tpl[i:]) && strings.ContainsRune(unenclosedChars, rune(tpl[i+n])) {
				n++
			}
			refs++
			v, err := d.resolve(tpl[i : i+n])
			if err != nil {
				return "", refs, err
			}
			b.WriteString(v)
			i += n
		default:
			b.WriteByte(tpl[i])
			i++
		}
	}
	return b.String(), refs, nil
}

// literal reads `{{ "text" }}` at the start of s, the escape for text
// that must stay as it is: \" stands for a quote inside it.
func literal(s string) (text string, n int, ok bool) {
	i := 2
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i == len(s) || s[i] != '"' {
		return "", 0, false
	}
	var b strings.Builder
	for i++; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], `\"`):
			b.WriteByte('"')
			i++
		case s[i] == '"':
			j := i + 1
			for j < len(s) && s[j] == ' ' {
				j++
			}
			if strings.HasPrefix(s[j:], "}}") {
				return b.String(), j + 2, true
			}
			return "", 0, false
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, false
}

const (
	unenclosedBefore = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-+\\."
	unenclosedChars  = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-?_./="
)

// substitute replaces the variables in s.
func substitute(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '$' {
			if name, def, hasDef, n := variable(s[i:]); n > 0 {
				v, ok := lookupFold(name)
				if !ok && hasDef {
					v = def
				}
				b.WriteString(v)
				i += n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// variable parses "$NAME", "${ NAME }" or "${NAME:-default}" at the start
// of s; n is 0 when s starts with none. A name starts with a letter or
// "_" and holds letters, digits and "_".
func variable(s string) (name, def string, hasDef bool, n int) {
	if strings.HasPrefix(s, "${") {
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return "", "", false, 0
		}
		body := s[2:end]
		if k := strings.Index(body, ":-"); k >= 0 {
			body, def, hasDef = body[:k], body[k+2:], true
		}
		body = strings.TrimSpace(body)
		if !validName(body) {
			return "", "", false, 0
		}
		return body, def, hasDef, end + 1
	}
	k := 1
	for k < len(s) && isNameChar(s[k], k == 1) {
		k++
	}
	if k == 1 {
		return "", "", false, 0
	}
	return s[1:k], "", false, k
}

func validName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isNameChar(s[i], i == 0) {
			return false
		}
	}
	return s != ""
}

func isNameChar(c byte, first bool) bool {
	letter := c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	return letter || !first && '0' <= c && c <= '9'
}

// lookupFold finds an environment variable by name, case-insensitively,
// as op's template variables are.
func lookupFold(name string) (string, bool) {
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}
