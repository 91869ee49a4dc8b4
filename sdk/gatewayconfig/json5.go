package gatewayconfig

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// ParseJSON5 parses a JSON5 document into plain Go values: map[string]any
// (object), []any, string, float64, bool and nil, exactly as the json5 npm
// package (2.2.3, the gateway's) parses the text Node reads from a file:
// invalid UTF-8 is replaced as Node replaces it, a duplicate key's last
// value wins, Infinity and NaN are float64 values, -0 is kept, and a lone
// surrogate from a \u escape (which Go strings cannot hold) becomes U+FFFD.
//
// The error is a *SyntaxError (errors.Is ErrSyntax) whose text is json5's
// own, "JSON5: invalid character 'x' at LINE:COLUMN", columns counted in
// UTF-16 code units as json5 counts them.
func ParseJSON5(data []byte) (any, error) {
	v, err := parseJSON5(data)
	if err != nil {
		return nil, err
	}
	return plain(v), nil
}

// SyntaxError is a JSON5 syntax error at a 1-based line and column.
type SyntaxError struct {
	Line, Column int
	Msg          string // json5's message, e.g. "JSON5: invalid end of input at 3:1"
}

func (e *SyntaxError) Error() string { return e.Msg }
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// parseJSON5 is ParseJSON5 keeping key order (objects are *object).
func parseJSON5(data []byte) (any, error) {
	p := &parser{src: decodeUTF8(data), line: 1, state: "start"}
	for {
		tok, err := p.lex()
		if err != nil {
			return nil, err
		}
		p.tok = tok
		if err := p.parseStep(); err != nil {
			return nil, err
		}
		if tok.kind == tokEOF {
			return finishArrays(p.root), nil
		}
	}
}

// finishArrays replaces the parser's open-array pointers by the arrays.
func finishArrays(v any) any {
	switch x := v.(type) {
	case *[]any:
		out := make([]any, len(*x))
		for i, e := range *x {
			out[i] = finishArrays(e)
		}
		return out
	case *object:
		for k, e := range x.vals {
			x.vals[k] = finishArrays(e)
		}
	}
	return v
}

const eof rune = -1

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokPunct
	tokNull
	tokBool
	tokNumber
	tokString
	tokIdentifier
)

type token struct {
	kind  tokenKind
	punct rune
	value any // bool, float64 or string
}

// parser follows json5's own design, a lexer and a parser that are both
// state machines, the lexer's states partly named after the parser's: the
// positions and texts of its errors depend on exactly when each character
// is read, and they are json5's.
type parser struct {
	src          []rune
	pos          int
	line, column int

	state string // the parse state
	stack []any  // open containers: *object or *[]any (until finishArrays)
	key   string
	root  any
	tok   token

	lexState    string
	c           rune
	buf         jsString // string and identifier text
	num         strings.Builder
	doubleQuote bool
	sign        float64
}

func (p *parser) peek() rune {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return eof
}

func (p *parser) read() rune {
	c := p.peek()
	switch {
	case c == '\n':
		p.line++
		p.column = 0
	case c != eof:
		p.column += jsLen(c)
	default:
		p.column++
	}
	if c != eof {
		p.pos++
	}
	return c
}

func (p *parser) lex() (token, error) {
	p.lexState = "default"
	p.buf = p.buf[:0]
	p.num.Reset()
	p.doubleQuote = false
	p.sign = 1
	for {
		p.c = p.peek()
		tok, done, err := p.lexStep(p.lexState)
		if err != nil || done {
			return tok, err
		}
	}
}

// lexStep runs one step of the lexer in state s; done reports a token.
func (p *parser) lexStep(s string) (tok token, done bool, err error) {
	c := p.c
	none := func() (token, bool, error) { return token{}, false, nil }
	emit := func(t token) (token, bool, error) { return t, true, nil }
	fail := func(err error) (token, bool, error) { return token{}, false, err }
	punct := func() (token, bool, error) { return emit(token{kind: tokPunct, punct: p.read()}) }
	number := func(v float64) (token, bool, error) { return emit(token{kind: tokNumber, value: v}) }
	to := func(state string) (token, bool, error) { p.lexState = state; return none() }
	addNum := func() { p.num.WriteRune(p.read()) }

	switch s {
	case "default":
		switch c {
		case '\t', '\v', '\f', ' ', '\u00A0', '\uFEFF', '\n', '\r', '\u2028', '\u2029':
			p.read()
			return none()
		case '/':
			p.read()
			return to("comment")
		case eof:
			p.read()
			return emit(token{kind: tokEOF})
		}
		if json5SpaceSeparator.contains(c) {
			p.read()
			return none()
		}
		return p.lexStep(p.state)

	case "comment":
		switch c {
		case '*':
			p.read()
			return to("multiLineComment")
		case '/':
			p.read()
			return to("singleLineComment")
		}
		return fail(p.invalidChar(p.read()))

	case "multiLineComment":
		switch c {
		case '*':
			p.read()
			return to("multiLineCommentAsterisk")
		case eof:
			return fail(p.invalidChar(p.read()))
		}
		p.read()
		return none()

	case "multiLineCommentAsterisk":
		switch c {
		case '*':
			p.read()
			return none()
		case '/':
			p.read()
			return to("default")
		case eof:
			return fail(p.invalidChar(p.read()))
		}
		p.read()
		return to("multiLineComment")

	case "singleLineComment":
		switch c {
		case '\n', '\r', '\u2028', '\u2029':
			p.read()
			return to("default")
		case eof:
			p.read()
			return emit(token{kind: tokEOF})
		}
		p.read()
		return none()

	case "value":
		switch c {
		case '{', '[':
			return punct()
		case 'n':
			p.read()
			if err := p.literal("ull"); err != nil {
				return fail(err)
			}
			return emit(token{kind: tokNull})
		case 't':
			p.read()
			if err := p.literal("rue"); err != nil {
				return fail(err)
			}
			return emit(token{kind: tokBool, value: true})
		case 'f':
			p.read()
			if err := p.literal("alse"); err != nil {
				return fail(err)
			}
			return emit(token{kind: tokBool, value: false})
		case '-', '+':
			if p.read() == '-' {
				p.sign = -1
			}
			return to("sign")
		case '.':
			addNum()
			return to("decimalPointLeading")
		case '0':
			addNum()
			return to("zero")
		case '1', '2', '3', '4', '5', '6', '7', '8', '9':
			addNum()
			return to("decimalInteger")
		case 'I':
			p.read()
			if err := p.literal("nfinity"); err != nil {
				return fail(err)
			}
			return number(math.Inf(1))
		case 'N':
			p.read()
			if err := p.literal("aN"); err != nil {
				return fail(err)
			}
			return number(math.NaN())
		case '"', '\'':
			p.doubleQuote = p.read() == '"'
			p.buf = p.buf[:0]
			return to("string")
		}
		return fail(p.invalidChar(p.read()))

	case "identifierNameStartEscape":
		if c != 'u' {
			return fail(p.invalidChar(p.read()))
		}
		p.read()
		u, err := p.unicodeEscape()
		if err != nil {
			return fail(err)
		}
		if u != '$' && u != '_' && !isIDStart(u) {
			return fail(p.invalidIdentifier())
		}
		p.buf.addRune(u)
		return to("identifierName")

	case "identifierName":
		switch c {
		case '$', '_', '\u200C', '\u200D':
			p.buf.addRune(p.read())
			return none()
		case '\\':
			p.read()
			return to("identifierNameEscape")
		}
		if isIDContinue(c) {
			p.buf.addRune(p.read())
			return none()
		}
		return emit(token{kind: tokIdentifier, value: p.buf.String()})

	case "identifierNameEscape":
		if c != 'u' {
			return fail(p.invalidChar(p.read()))
		}
		p.read()
		u, err := p.unicodeEscape()
		if err != nil {
			return fail(err)
		}
		switch u {
		case '$', '_', '\u200C', '\u200D':
		default:
			if !isIDContinue(u) {
				return fail(p.invalidIdentifier())
			}
		}
		p.buf.addRune(u)
		return to("identifierName")

	case "sign":
		switch c {
		case '.':
			addNum()
			return to("decimalPointLeading")
		case '0':
			addNum()
			return to("zero")
		case '1', '2', '3', '4', '5', '6', '7', '8', '9':
			addNum()
			return to("decimalInteger")
		case 'I':
			p.read()
			if err := p.literal("nfinity"); err != nil {
				return fail(err)
			}
			return number(math.Inf(int(p.sign)))
		case 'N':
			p.read()
			if err := p.literal("aN"); err != nil {
				return fail(err)
			}
			return number(math.NaN())
		}
		return fail(p.invalidChar(p.read()))

	case "zero":
		switch c {
		case '.':
			addNum()
			return to("decimalPoint")
		case 'e', 'E':
			addNum()
			return to("decimalExponent")
		case 'x', 'X':
			addNum()
			return to("hexadecimal")
		}
		return number(math.Copysign(0, p.sign))

	case "decimalInteger", "decimalPoint", "decimalFraction":
		switch c {
		case '.':
			if s == "decimalInteger" {
				addNum()
				return to("decimalPoint")
			}
		case 'e', 'E':
			addNum()
			return to("decimalExponent")
		}
		if isDigit(c) {
			addNum()
			if s == "decimalPoint" {
				return to("decimalFraction")
			}
			return none()
		}
		return number(p.decimal())

	case "decimalPointLeading":
		if isDigit(c) {
			addNum()
			return to("decimalFraction")
		}
		return fail(p.invalidChar(p.read()))

	case "decimalExponent":
		switch c {
		case '+', '-':
			addNum()
			return to("decimalExponentSign")
		}
		if isDigit(c) {
			addNum()
			return to("decimalExponentInteger")
		}
		return fail(p.invalidChar(p.read()))

	case "decimalExponentSign":
		if isDigit(c) {
			addNum()
			return to("decimalExponentInteger")
		}
		return fail(p.invalidChar(p.read()))

	case "decimalExponentInteger":
		if isDigit(c) {
			addNum()
			return none()
		}
		return number(p.decimal())

	case "hexadecimal":
		if isHexDigit(c) {
			addNum()
			return to("hexadecimalInteger")
		}
		return fail(p.invalidChar(p.read()))

	case "hexadecimalInteger":
		if isHexDigit(c) {
			addNum()
			return none()
		}
		return number(p.hex())

	case "string":
		switch c {
		case '\\':
			p.read()
			if err := p.escape(); err != nil {
				return fail(err)
			}
			return none()
		case '"', '\'':
			if p.doubleQuote == (c == '"') {
				p.read()
				return emit(token{kind: tokString, value: p.buf.String()})
			}
		case '\n', '\r', eof:
			return fail(p.invalidChar(p.read()))
		}
		// json5 accepts U+2028 and U+2029 here, warning on the console.
		p.buf.addRune(p.read())
		return none()

	// States named after the parser's: what may come next.
	case "start":
		if c == '{' || c == '[' {
			return punct()
		}
		return to("value")

	case "beforePropertyName":
		switch c {
		case '$', '_':
			p.buf.addRune(p.read())
			return to("identifierName")
		case '\\':
			p.read()
			return to("identifierNameStartEscape")
		case '}':
			return punct()
		case '"', '\'':
			p.doubleQuote = p.read() == '"'
			return to("string")
		}
		if isIDStart(c) {
			p.buf.addRune(p.read())
			return to("identifierName")
		}
		return fail(p.invalidChar(p.read()))

	case "afterPropertyName":
		if c == ':' {
			return punct()
		}
		return fail(p.invalidChar(p.read()))

	case "beforePropertyValue":
		return to("value")

	case "afterPropertyValue":
		if c == ',' || c == '}' {
			return punct()
		}
		return fail(p.invalidChar(p.read()))

	case "beforeArrayValue":
		if c == ']' {
			return punct()
		}
		return to("value")

	case "afterArrayValue":
		if c == ',' || c == ']' {
			return punct()
		}
		return fail(p.invalidChar(p.read()))

	case "end":
		return fail(p.invalidChar(p.read()))
	}
	panic("gatewayconfig: unknown JSON5 lexer state " + s)
}

func (p *parser) literal(s string) error {
	for _, want := range s {
		if p.peek() != want {
			return p.invalidChar(p.read())
		}
		p.read()
	}
	return nil
}

// escape reads the escape after a backslash in a string into buf.
func (p *parser) escape() error {
	c := p.peek()
	simple := map[rune]rune{'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v'}
	if r, ok := simple[c]; ok {
		p.read()
		p.buf.addRune(r)
		return nil
	}
	switch c {
	case '0':
		p.read()
		if isDigit(p.peek()) {
			return p.invalidChar(p.read())
		}
		p.buf.addRune(0)
	case 'x':
		p.read()
		n := 0
		for i := 0; i < 2; i++ {
			if !isHexDigit(p.peek()) {
				return p.invalidChar(p.read())
			}
			n = n*16 + hexValue(p.read())
		}
		p.buf.addRune(rune(n))
	case 'u':
		p.read()
		u, err := p.unicodeEscape()
		if err != nil {
			return err
		}
		p.buf = append(p.buf, uint16(u)) // one code unit: surrogates pair up
	case '\n', '\u2028', '\u2029': // a line continuation
		p.read()
	case '\r':
		p.read()
		if p.peek() == '\n' {
			p.read()
		}
	case '1', '2', '3', '4', '5', '6', '7', '8', '9', eof:
		return p.invalidChar(p.read())
	default:
		p.buf.addRune(p.read())
	}
	return nil
}

// unicodeEscape reads the four hex digits of \uXXXX: one UTF-16 code unit.
func (p *parser) unicodeEscape() (rune, error) {
	n := 0
	for i := 0; i < 4; i++ {
		if !isHexDigit(p.peek()) {
			return 0, p.invalidChar(p.read())
		}
		n = n*16 + hexValue(p.read())
	}
	return rune(n), nil
}

// decimal is JavaScript's Number() of the digits read, with the sign: the
// lexer admitted only forms ParseFloat reads the same way ("1.", ".5",
// "1e5"); beyond float64's range it is ±Infinity, as in JavaScript.
func (p *parser) decimal() float64 {
	f, _ := strconv.ParseFloat(p.num.String(), 64)
	return p.sign * f
}

// hex is Number("0x...") with the sign, correctly rounded however long.
func (p *parser) hex() float64 {
	n, _ := new(big.Int).SetString(p.num.String()[2:], 16)
	f, _ := new(big.Float).SetInt(n).Float64()
	return p.sign * f
}

func (p *parser) parseStep() error {
	t := p.tok
	switch p.state {
	case "start":
		if t.kind == tokEOF {
			return p.invalidEOF()
		}
		p.push()
	case "beforePropertyName":
		switch t.kind {
		case tokIdentifier, tokString:
			p.key = t.value.(string)
			p.state = "afterPropertyName"
		case tokPunct:
			p.pop()
		case tokEOF:
			return p.invalidEOF()
		}
	case "afterPropertyName":
		if t.kind == tokEOF {
			return p.invalidEOF()
		}
		p.state = "beforePropertyValue"
	case "beforePropertyValue":
		if t.kind == tokEOF {
			return p.invalidEOF()
		}
		p.push()
	case "beforeArrayValue":
		if t.kind == tokEOF {
			return p.invalidEOF()
		}
		if t.kind == tokPunct && t.punct == ']' {
			p.pop()
			return nil
		}
		p.push()
	case "afterPropertyValue", "afterArrayValue":
		if t.kind == tokEOF {
			return p.invalidEOF()
		}
		switch t.punct {
		case ',':
			if p.state == "afterPropertyValue" {
				p.state = "beforePropertyName"
			} else {
				p.state = "beforeArrayValue"
			}
		case '}', ']':
			p.pop()
		}
	}
	return nil
}

// push adds the token's value to the open container (or makes it the
// root) and opens it if it is a container.
func (p *parser) push() {
	var v any
	switch p.tok.kind {
	case tokPunct:
		if p.tok.punct == '{' {
			v = newObject()
		} else {
			v = &[]any{}
		}
	case tokNull:
		v = nil
	default:
		v = p.tok.value
	}
	if len(p.stack) == 0 {
		p.root = v
	} else {
		switch parent := p.stack[len(p.stack)-1].(type) {
		case *[]any:
			*parent = append(*parent, v)
		case *object:
			parent.set(p.key, v)
		}
	}
	switch v.(type) {
	case *object:
		p.stack = append(p.stack, v)
		p.state = "beforePropertyName"
	case *[]any:
		p.stack = append(p.stack, v)
		p.state = "beforeArrayValue"
	default:
		p.afterValue()
	}
}

func (p *parser) pop() {
	p.stack = p.stack[:len(p.stack)-1]
	p.afterValue()
}

func (p *parser) afterValue() {
	if len(p.stack) == 0 {
		p.state = "end"
		return
	}
	if _, ok := p.stack[len(p.stack)-1].(*[]any); ok {
		p.state = "afterArrayValue"
	} else {
		p.state = "afterPropertyValue"
	}
}

func (p *parser) invalidChar(c rune) error {
	if c == eof {
		return p.invalidEOF()
	}
	return p.syntaxError(fmt.Sprintf("JSON5: invalid character '%s' at %d:%d", formatChar(c), p.line, p.column))
}

func (p *parser) invalidEOF() error {
	return p.syntaxError(fmt.Sprintf("JSON5: invalid end of input at %d:%d", p.line, p.column))
}

// invalidIdentifier points back at the start of the \uXXXX escape.
func (p *parser) invalidIdentifier() error {
	p.column -= 5
	return p.syntaxError(fmt.Sprintf("JSON5: invalid identifier character at %d:%d", p.line, p.column))
}

func (p *parser) syntaxError(msg string) error {
	return &SyntaxError{Line: p.line, Column: p.column, Msg: msg}
}

// formatChar shows a character in an error as json5 does.
func formatChar(c rune) string {
	switch c {
	case '\'':
		return `\'`
	case '"':
		return `\"`
	case '\\':
		return `\\`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	case '\v':
		return `\v`
	case 0:
		return `\0`
	case '\u2028':
		return `\u2028`
	case '\u2029':
		return `\u2029`
	}
	if c < ' ' {
		return fmt.Sprintf(`\x%02x`, c)
	}
	return string(c)
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

func isHexDigit(c rune) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexValue(c rune) int {
	switch {
	case c >= 'a':
		return int(c-'a') + 10
	case c >= 'A':
		return int(c-'A') + 10
	}
	return int(c - '0')
}

func isIDStart(c rune) bool    { return c >= 0 && json5IDStart.contains(c) }
func isIDContinue(c rune) bool { return c >= 0 && json5IDContinue.contains(c) }
