package yamlpos

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"gopkg.in/yaml.v3"
)

// A JSON document is parsed here rather than by yaml.v3, into the nodes
// yaml.v3 would build (flow mappings and sequences, double-quoted and
// plain scalars, the same lines and columns), for two reasons: a syntax
// error is named by its line and column (yaml.v3 gives at most a line,
// and a line past the end of a truncated file), and a large document
// costs a fraction of the memory (nodes come from slabs, children slices
// are exact, and values the caller does not need are checked but not
// built).

// SyntaxError is a document that does not parse, where it stops.
type SyntaxError struct {
	// Line and Column are where the problem is, as editors count them
	// (1-based; columns in code points); Column is 0 when not known.
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// Options tune Parse.
type Options struct {
	// Skip, when set, is asked for each value of a JSON object member,
	// with the keys that lead to it from the root: a value it skips is
	// checked but not built, and stands as a node of its kind with no
	// content. YAML documents are built whole.
	Skip func(path []string) bool
}

// looksJSON reports whether data is a JSON document: its first character
// (after a BOM and spaces) opens an object or an array.
func looksJSON(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

// jsonParser builds nodes from f.Data.
type jsonParser struct {
	f    *File
	d    []byte
	i    int
	skip func([]string) bool
	path []string
	// slab hands out nodes; stack holds the children of the collections
	// being parsed, copied out exactly sized when each closes.
	slab  []yaml.Node
	stack []*yaml.Node
	// zeroCopy makes unescaped strings share the document's bytes.
	zeroCopy bool
	// The position of the last node, to turn the next offset into a
	// line and column without rescanning the line (a minified template is
	// one long line).
	line, lineOff, col int
	depth              int
}

const maxJSONDepth = 10000

func parseJSON(f *File, o Options) (*yaml.Node, error) {
	p := &jsonParser{f: f, d: f.Data, skip: o.Skip, zeroCopy: o.Skip != nil, line: 1, lineOff: f.yamlLineStart[0], col: 1}
	p.i = f.yamlLineStart[0] // after a BOM
	p.space()
	root, err := p.value(true)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.d) {
		return nil, p.errorf(p.i, "unexpected %s after the end of the JSON document", p.what(p.i))
	}
	return root, nil
}

// node hands out a node at offset off, positioned as yaml.v3 would.
func (p *jsonParser) node(kind yaml.Kind, off int) *yaml.Node {
	if len(p.slab) == 0 {
		p.slab = make([]yaml.Node, 1024)
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	n.Kind = kind
	n.Line, n.Column = p.position(off)
	return n
}

// position converts a byte offset, never before the last one asked, to
// yaml.v3's line and rune column.
func (p *jsonParser) position(off int) (int, int) {
	starts := p.f.yamlLineStart
	if p.line < len(starts) && starts[p.line] <= off {
		// A later line: find it (lines are few next to bytes).
		lo, hi := p.line, len(starts)-1
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if starts[mid] <= off {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		p.line, p.lineOff, p.col = lo+1, starts[lo], 1
	}
	if p.f.ascii {
		p.col += off - p.lineOff
	} else {
		p.col += utf8.RuneCount(p.d[p.lineOff:off])
	}
	p.lineOff = off
	return p.line, p.col
}

func (p *jsonParser) space() {
	for p.i < len(p.d) {
		switch p.d[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// value parses the value at p.i; build is false for a value skipped.
func (p *jsonParser) value(build bool) (*yaml.Node, error) {
	if p.i >= len(p.d) {
		return nil, p.eof("a value")
	}
	switch c := p.d[p.i]; {
	case c == '{':
		return p.object(build)
	case c == '[':
		return p.array(build)
	case c == '"':
		start := p.i
		s, err := p.str(build)
		if err != nil || !build {
			return nil, err
		}
		n := p.node(yaml.ScalarNode, start)
		n.Tag, n.Style, n.Value = "!!str", yaml.DoubleQuotedStyle, s
		return n, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(build)
	case c == 't', c == 'f', c == 'n':
		for _, lit := range [...]struct{ word, tag string }{{"true", "!!bool"}, {"false", "!!bool"}, {"null", "!!null"}} {
			if bytes.HasPrefix(p.d[p.i:], []byte(lit.word)) {
				start := p.i
				p.i += len(lit.word)
				if !build {
					return nil, nil
				}
				n := p.node(yaml.ScalarNode, start)
				n.Tag, n.Value = lit.tag, lit.word
				return n, nil
			}
		}
	}
	return nil, p.errorf(p.i, "unexpected %s where a value should be", p.what(p.i))
}

func (p *jsonParser) enter() error {
	if p.depth++; p.depth > maxJSONDepth {
		return p.errorf(p.i, "nested more than %d levels deep", maxJSONDepth)
	}
	return nil
}

func (p *jsonParser) object(build bool) (*yaml.Node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	var n *yaml.Node
	if build {
		n = p.node(yaml.MappingNode, p.i)
		n.Tag, n.Style = "!!map", yaml.FlowStyle
	}
	mark := len(p.stack)
	p.i++
	p.space()
	if p.i < len(p.d) && p.d[p.i] == '}' {
		p.i++
		return n, nil
	}
	for {
		p.space()
		if p.i >= len(p.d) {
			return nil, p.eof("an object member's name")
		}
		if p.d[p.i] != '"' {
			return nil, p.errorf(p.i, "unexpected %s where an object member's name (a string) should be", p.what(p.i))
		}
		kstart := p.i
		key, err := p.str(true)
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.d) {
			return nil, p.eof("':'")
		}
		if p.d[p.i] != ':' {
			return nil, p.errorf(p.i, "unexpected %s after object member name %q: expected ':'", p.what(p.i), key)
		}
		p.i++
		p.space()
		keep := build
		if keep && p.skip != nil && p.depth <= 4 {
			p.path = append(p.path, key)
			keep = !p.skip(p.path)
		}
		var k *yaml.Node
		if build {
			k = p.node(yaml.ScalarNode, kstart)
			k.Tag, k.Style, k.Value = "!!str", yaml.DoubleQuotedStyle, key
		}
		vstart := p.i
		v, err := p.value(keep)
		if p.skip != nil && build && p.depth <= 4 {
			p.path = p.path[:len(p.path)-1]
		}
		if err != nil {
			return nil, err
		}
		if build {
			if !keep {
				v = p.placeholder(vstart)
			}
			p.stack = append(p.stack, k, v)
		}
		p.space()
		if p.i >= len(p.d) {
			return nil, p.eof("',' or '}'")
		}
		switch p.d[p.i] {
		case ',':
			p.i++
			continue
		case '}':
			p.i++
			if build {
				n.Content = p.children(mark)
			}
			return n, nil
		}
		return nil, p.errorf(p.i, "unexpected %s after an object member: expected ',' or '}'", p.what(p.i))
	}
}

func (p *jsonParser) array(build bool) (*yaml.Node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	var n *yaml.Node
	if build {
		n = p.node(yaml.SequenceNode, p.i)
		n.Tag, n.Style = "!!seq", yaml.FlowStyle
	}
	mark := len(p.stack)
	p.i++
	p.space()
	if p.i < len(p.d) && p.d[p.i] == ']' {
		p.i++
		return n, nil
	}
	for {
		p.space()
		v, err := p.value(build)
		if err != nil {
			return nil, err
		}
		if build {
			p.stack = append(p.stack, v)
		}
		p.space()
		if p.i >= len(p.d) {
			return nil, p.eof("',' or ']'")
		}
		switch p.d[p.i] {
		case ',':
			p.i++
			continue
		case ']':
			p.i++
			if build {
				n.Content = p.children(mark)
			}
			return n, nil
		}
		return nil, p.errorf(p.i, "unexpected %s after an array element: expected ',' or ']'", p.what(p.i))
	}
}

// placeholder stands for a value skipped: its kind and position, no
// content.
func (p *jsonParser) placeholder(off int) *yaml.Node {
	switch p.d[off] {
	case '{':
		n := p.node(yaml.MappingNode, off)
		n.Tag, n.Style = "!!map", yaml.FlowStyle
		return n
	case '[':
		n := p.node(yaml.SequenceNode, off)
		n.Tag, n.Style = "!!seq", yaml.FlowStyle
		return n
	}
	n := p.node(yaml.ScalarNode, off)
	n.Tag, n.Value = "!!null", "null"
	return n
}

// children moves the stack's nodes from mark on into an exact slice.
func (p *jsonParser) children(mark int) []*yaml.Node {
	out := make([]*yaml.Node, len(p.stack)-mark)
	copy(out, p.stack[mark:])
	clear(p.stack[mark:])
	p.stack = p.stack[:mark]
	return out
}

func (p *jsonParser) number(build bool) (*yaml.Node, error) {
	start := p.i
	d := p.d
	if d[p.i] == '-' {
		p.i++
	}
	digits := func() bool {
		s := p.i
		for p.i < len(d) && d[p.i] >= '0' && d[p.i] <= '9' {
			p.i++
		}
		return p.i > s
	}
	float := false
	switch {
	case p.i < len(d) && d[p.i] == '0':
		p.i++
	case !digits():
		return nil, p.errorf(start, "malformed number %q", p.token(start))
	}
	if p.i < len(d) && d[p.i] == '.' {
		p.i++
		float = true
		if !digits() {
			return nil, p.errorf(start, "malformed number %q", p.token(start))
		}
	}
	if p.i < len(d) && (d[p.i] == 'e' || d[p.i] == 'E') {
		p.i++
		float = true
		if p.i < len(d) && (d[p.i] == '+' || d[p.i] == '-') {
			p.i++
		}
		if !digits() {
			return nil, p.errorf(start, "malformed number %q", p.token(start))
		}
	}
	if !build {
		return nil, nil
	}
	n := p.node(yaml.ScalarNode, start)
	n.Tag, n.Value = "!!int", p.text(start, p.i)
	if float {
		n.Tag = "!!float"
	}
	return n, nil
}

// token is the text of a malformed token, for messages.
func (p *jsonParser) token(start int) string {
	e := start
	for e < len(p.d) && e-start < 40 && !bytes.ContainsRune([]byte(" \t\r\n,]}"), rune(p.d[e])) {
		e++
	}
	return string(p.d[start:e])
}

func (p *jsonParser) text(s, e int) string {
	if p.zeroCopy && e > s {
		return unsafe.String(&p.d[s], e-s)
	}
	return string(p.d[s:e])
}

// str reads the string at p.i; its value is returned when build is set.
func (p *jsonParser) str(build bool) (string, error) {
	start := p.i
	d := p.d
	p.i++
	s := p.i
	for p.i < len(d) {
		switch c := d[p.i]; {
		case c == '"':
			p.i++
			if !build {
				return "", nil
			}
			return p.text(s, p.i-1), nil
		case c == '\\':
			return p.escaped(start, s, build)
		case c < 0x20:
			return "", p.errorf(p.i, "a control character (%U) inside a string: write it escaped", rune(c))
		}
		p.i++
	}
	return "", p.eofIn(start, "a string")
}

// escaped reads the rest of a string with escapes, from p.i (a
// backslash); the text before it starts at s.
func (p *jsonParser) escaped(start, s int, build bool) (string, error) {
	d := p.d
	var b []byte
	if build {
		b = append(b, d[s:p.i]...)
	}
	for p.i < len(d) {
		c := d[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b), nil
		case c < 0x20:
			return "", p.errorf(p.i, "a control character (%U) inside a string: write it escaped", rune(c))
		case c != '\\':
			b = append(b, c)
			p.i++
			continue
		}
		if p.i+1 >= len(d) {
			return "", p.eofIn(start, "a string")
		}
		esc := d[p.i+1]
		switch esc {
		case '"', '\\', '/':
			b = append(b, esc)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := p.hex(p.i + 2)
			if !ok {
				return "", p.errorf(p.i, "malformed escape %q", p.token(p.i))
			}
			p.i += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := p.hex(p.i + 4); ok && p.i+3 < len(d) && d[p.i+2] == '\\' && d[p.i+3] == 'u' {
					if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
						r = pair
						p.i += 6
					}
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", p.errorf(p.i, "unknown escape \\%c in a string", esc)
		}
		p.i += 2
	}
	return "", p.eofIn(start, "a string")
}

// hex reads four hex digits at i.
func (p *jsonParser) hex(i int) (rune, bool) {
	if i+4 > len(p.d) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.d[i:i+4]), 16, 32)
	return rune(v), err == nil
}

// what describes the character at i for messages: "','", "end of line".
func (p *jsonParser) what(i int) string {
	r, _ := utf8.DecodeRune(p.d[i:])
	switch r {
	case '\n', '\r':
		return "end of line"
	}
	return strconv.QuoteRune(r)
}

func (p *jsonParser) errorf(off int, format string, args ...any) error {
	pos := p.f.Pos(off)
	return &SyntaxError{Line: pos.Line, Column: pos.Column, Msg: fmt.Sprintf(format, args...)}
}

// eof is a document that ends where want was expected.
func (p *jsonParser) eof(want string) error {
	return p.f.endOfFile(fmt.Sprintf("expected %s (is the file cut short?)", want))
}

// eofIn is a document that ends inside a token that started at start.
func (p *jsonParser) eofIn(start int, what string) error {
	pos := p.f.Pos(start)
	return p.f.endOfFile(fmt.Sprintf("inside %s that starts at %d:%d (is the file cut short?)", what, pos.Line, pos.Column))
}

// endOfFile is the error of a document that ends too soon, at its last
// character (not on a line past the end).
func (f *File) endOfFile(msg string) *SyntaxError {
	end := len(bytes.TrimRight(f.Data, " \t\r\n"))
	pos := f.Pos(end)
	return &SyntaxError{Line: pos.Line, Column: pos.Column,
		Msg: fmt.Sprintf("unexpected end of file at %d:%d: %s", pos.Line, pos.Column, msg)}
}
