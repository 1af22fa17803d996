package cdk

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// call is a call or construction the trace points at: new X.Y(...),
// f(...), a.b.c(...), or, for a property assignment, x.timeout = 45.
type call struct {
	// first is the first token of the expression (`new`, the callee);
	// head the last token of the callee, open and close the parentheses.
	first, head, open, close int
	callee                   string
	// args are the arguments' first and last tokens.
	args [][2]int
	// assign is set for `lhs = rhs`: then value is the right-hand side.
	assign bool
	value  [2]int
}

// lineStarts are the offsets at which the source's lines start.
func (s *srcFile) lineStarts() []int { return s.LineStarts() }

// offsetOf turns a 1-based line and a 1-based column in UTF-16 code units
// (V8's) into a byte offset; a column past the line's end stops at it.
func (s *srcFile) offsetOf(line, col int) (int, bool) {
	ls := s.lineStarts()
	if line < 1 || line > len(ls) {
		return 0, false
	}
	off := ls[line-1]
	for units := 1; units < col && off < len(s.Src) && s.Src[off] != '\n'; {
		r, size := utf8.DecodeRune(s.Src[off:])
		units++
		if r >= 0x10000 {
			units++
		}
		off += size
	}
	return off, true
}

// lineOf is the 1-based line of a byte offset.
func (s *srcFile) lineOf(off int) int {
	n, _ := slices.BinarySearch(s.lineStarts(), off+1)
	return n
}

// callAt finds the call a V8 position points at: the `new` of a
// construction, the callee of a call (a.b.addMethod → addMethod), the `(`
// of a call of an imported function in TypeScript (tsc emits
// `(0, helpers_1.makeFunction)(...)` and the source map lands on the
// parenthesis), or the `=` of an assignment.
func (s *srcFile) callAt(off int) (*call, error) {
	i := s.TokenAt(off)
	if i < 0 {
		return nil, fmt.Errorf("the position is past the end of the file")
	}
	if s.Toks[i].Start > off && i > 0 && s.Is(i, "=") && s.Toks[i-1].End <= off {
		// The mapped column of an assignment lands on the space before =.
	} else if s.Toks[i].Start > off && s.lineOf(s.Toks[i].Start) != s.lineOf(off) {
		return nil, fmt.Errorf("nothing is written at the position")
	}
	if s.Is(i, ".") || s.Is(i, "?.") {
		i++
	}
	switch {
	case s.Is(i, "new"):
		return s.construction(i)
	case s.Is(i, "("):
		if s.Is(i-1, ")") {
			// (0, helpers_1.makeFunction)(...): the callee is after the comma.
			if o := s.Pair[i-1]; o >= 0 {
				c, err := s.callFrom(o, i-2, i)
				if c != nil && s.Is(o+2, ",") && o+3 <= i-2 {
					c.callee = strings.Join(strings.Fields(string(s.Src[s.Toks[o+3].Start:s.Toks[i-2].End])), "")
				}
				return c, err
			}
		}
		j := i - 1
		if s.Is(j, ">") { // f<T>(...)
			for j > 0 && !s.Is(j, "<") {
				j--
			}
			j--
		}
		if !s.IsIdent(j) {
			return nil, fmt.Errorf("the parenthesis at the position follows no callee")
		}
		return s.callFrom(s.chainStart(j), j, i)
	case s.IsIdent(i):
		if j := s.afterTypeArgs(i + 1); s.Is(j, "(") {
			return s.callFrom(s.chainStart(i), i, j)
		}
		// `cfn.timeout = 45` whose column is on the name.
		if s.Is(i+1, "=") {
			return s.assignment(i + 1)
		}
		return nil, fmt.Errorf("%s at the position is not called", s.Text(i))
	case s.Is(i, "="):
		return s.assignment(i)
	}
	return nil, fmt.Errorf("%q at the position is not a call", s.Text(i))
}

// construction reads `new a.b.C<T>(...)` from the `new` at i.
func (s *srcFile) construction(i int) (*call, error) {
	j := i + 1
	for s.IsIdent(j) && (s.Is(j+1, ".") || s.Is(j+1, "?.")) && s.IsIdent(j+2) {
		j += 2
	}
	if !s.IsIdent(j) {
		return nil, fmt.Errorf("new without a constructor")
	}
	open := s.afterTypeArgs(j + 1)
	if !s.Is(open, "(") {
		return nil, fmt.Errorf("new %s without arguments", s.Text(j))
	}
	c, err := s.callFrom(i+1, j, open)
	if c != nil {
		c.first = i
	}
	return c, err
}

// chainStart walks back from the callee's last name over `a.b.` (and
// `x().`): the first token of the callee, for display.
func (s *srcFile) chainStart(j int) int {
	for j >= 2 && (s.Is(j-1, ".") || s.Is(j-1, "?.")) && s.IsIdent(j-2) {
		j -= 2
	}
	return j
}

// afterTypeArgs skips a TypeScript type argument list at j (<T, U<V>>),
// returning the token after it, or j when there is none.
func (s *srcFile) afterTypeArgs(j int) int {
	if !s.Is(j, "<") || s.Py {
		return j
	}
	depth := 0
	for k := j; k < len(s.Toks) && k < j+256; k++ {
		switch s.Text(k) {
		case "<":
			depth++
		case ">":
			depth--
		case ">>":
			depth -= 2
		case ">>>":
			depth -= 3
		case ";", "{", ")", "(", "=":
			return j
		}
		if depth <= 0 {
			return k + 1
		}
	}
	return j
}

// callFrom builds the call whose callee runs from token first to head and
// whose argument list opens at open.
func (s *srcFile) callFrom(first, head, open int) (*call, error) {
	close := s.Pair[open]
	if close < 0 {
		return nil, fmt.Errorf("the call's parenthesis is not closed")
	}
	c := &call{first: first, head: head, open: open, close: close,
		callee: strings.Join(strings.Fields(string(s.Src[s.Toks[first].Start:s.Toks[head].End])), "")}
	c.args = s.split(open, close)
	return c, nil
}

// split returns the comma-separated items between the brackets at open
// and close, each as its first and last token.
func (s *srcFile) split(open, close int) [][2]int {
	var items [][2]int
	start := open + 1
	for j := open + 1; j < close; j++ {
		if p := s.Pair[j]; p > j {
			j = p // skip a bracketed group
			continue
		}
		if s.Is(j, ",") {
			if j > start {
				items = append(items, [2]int{start, j - 1})
			}
			start = j + 1
		}
	}
	if close > start {
		items = append(items, [2]int{start, close - 1})
	}
	return items
}

// assignment reads `lhs = rhs` around the = at i: the right-hand side
// runs to the end of the statement.
func (s *srcFile) assignment(i int) (*call, error) {
	if i == 0 || !s.IsIdent(i-1) {
		return nil, fmt.Errorf("the assignment has no property on its left")
	}
	end := i + 1
	for ; end < len(s.Toks); end++ {
		if p := s.Pair[end]; p > end {
			end = p
			continue
		}
		if s.Is(end, ";") || s.Is(end, ",") || s.Pair[end] >= 0 && s.Pair[end] < end ||
			end > i+1 && s.Toks[end].NL && !s.Is(end, ".") && !s.Is(end, "?.") {
			break
		}
	}
	if end == i+1 {
		return nil, fmt.Errorf("the assignment has no value")
	}
	return &call{first: s.chainStart(i - 1), head: i - 1, assign: true, value: [2]int{i + 1, end - 1},
		callee: s.Text(i - 1)}, nil
}

// callsOnLine are the calls that start on a 1-based line, for frames
// that give only a line (Python host frames; columns the renderer cut).
func (s *srcFile) callsOnLine(line int) []*call {
	var out []*call
	start, ok := s.offsetOf(line, 1)
	if !ok {
		return nil
	}
	for i := s.TokenAt(start); i >= 0 && i < len(s.Toks) && s.lineOf(s.Toks[i].Start) == line; i++ {
		if !s.IsIdent(i) {
			continue
		}
		if s.Is(i, "new") {
			if c, err := s.construction(i); err == nil {
				out = append(out, c)
				i = c.head
			}
			continue
		}
		j := i
		for s.Is(j+1, ".") && s.IsIdent(j+2) {
			j += 2
		}
		if open := s.afterTypeArgs(j + 1); s.Is(open, "(") {
			if c, err := s.callFrom(i, j, open); err == nil {
				out = append(out, c)
			}
		}
		i = j
	}
	return out
}

// member is one member of an object literal or one keyword argument.
type member struct {
	key string
	// keyTok is the key's token; value the value's first and last tokens.
	keyTok int
	value  [2]int
	spread bool
}

// members reads the object literal whose braces are at open and close:
// `key: value`, `'key': value`, shorthand `key`, `...spread`; computed
// keys and methods count as members with no usable key.
func (s *srcFile) members(open, close int) []member {
	var out []member
	for _, it := range s.split(open, close) {
		a, b := it[0], it[1]
		switch {
		case s.Is(a, "..."):
			out = append(out, member{spread: true, value: [2]int{a + 1, b}, keyTok: a})
		case a+2 <= b && s.Is(a+1, ":"):
			k := s.Text(a)
			if kind, _ := s.KindOf(a); kind == tString {
				k = strings.Trim(k, `'"`)
			}
			out = append(out, member{key: k, keyTok: a, value: [2]int{a + 2, b}})
		case a == b && s.IsIdent(a):
			out = append(out, member{key: s.Text(a), keyTok: a, value: [2]int{a, a}})
		default:
			out = append(out, member{keyTok: a, value: [2]int{a, b}})
		}
	}
	return out
}

// kwargs reads a Python call's keyword arguments (key=value) and
// **spreads.
func (s *srcFile) kwargs(c *call) []member {
	var out []member
	for _, it := range c.args {
		a, b := it[0], it[1]
		switch {
		case s.Is(a, "**"):
			out = append(out, member{spread: true, value: [2]int{a + 1, b}, keyTok: a})
		case s.IsIdent(a) && s.Is(a+1, "=") && a+2 <= b:
			out = append(out, member{key: s.Text(a), keyTok: a, value: [2]int{a + 2, b}})
		}
	}
	return out
}

// props is the props a construct call passes: its last argument when that
// is one object literal (JavaScript, TypeScript), or its keyword
// arguments (Python). obj is the literal's braces, -1 when there is none.
func (s *srcFile) props(c *call) (ms []member, obj [2]int) {
	if s.Py {
		return s.kwargs(c), [2]int{-1, -1}
	}
	if len(c.args) == 0 {
		return nil, [2]int{-1, -1}
	}
	// `{...} as Props` or `{...} satisfies Props` is still the literal.
	v := s.trimCast(c.args[len(c.args)-1])
	a, b := v[0], v[1]
	if s.Is(a, "{") && s.Pair[a] == b {
		return s.members(a, b), [2]int{a, b}
	}
	return nil, [2]int{-1, -1}
}

// lookupMember finds key among ms, the last one written winning as in
// JavaScript; spreads after it may still override it.
func lookupMember(ms []member, key string) (m member, found, spreadAfter bool) {
	for _, x := range ms {
		switch {
		case x.spread:
			spreadAfter = found
		case x.key == key:
			m, found, spreadAfter = x, true, false
		}
	}
	return m, found, spreadAfter
}

// hasSpread reports whether ms spread another object in.
func hasSpread(ms []member) bool {
	for _, m := range ms {
		if m.spread {
			return true
		}
	}
	return false
}

// objectAt returns the object literal a value's tokens are, or false.
func (s *srcFile) objectAt(v [2]int) ([]member, bool) {
	a, b := v[0], v[1]
	if s.Is(a, "{") && s.Pair[a] == b {
		return s.members(a, b), true
	}
	// Python: StageOptions(access_log_format=...) as a nested props value.
	if s.Py && s.IsIdent(a) && s.Is(b, ")") {
		for j := a; j < b; j++ {
			if s.Is(j, "(") && s.Pair[j] == b {
				c, err := s.callFrom(a, j-1, j)
				if err == nil {
					return s.kwargs(c), true
				}
			}
		}
	}
	return nil, false
}

// indentOf is the whitespace that starts the line of offset off.
func (s *srcFile) indentOf(off int) string {
	start := off
	for start > 0 && s.Src[start-1] != '\n' {
		start--
	}
	end := start
	for end < len(s.Src) && (s.Src[end] == ' ' || s.Src[end] == '\t') {
		end++
	}
	return string(s.Src[start:end])
}

// insertion says where and how to add `member` (already written as
// "key: value" or "key=value") to the props of c: inside its object
// literal, laid out like its neighbours, or as a new last argument.
func (s *srcFile) insertion(c *call, obj [2]int, member string) (int, string) {
	if s.Py || obj[0] < 0 {
		// A new keyword argument, or a props object as a new argument.
		if !s.Py {
			member = "{ " + member + " }"
		}
		if len(c.args) == 0 {
			return s.Toks[c.open].End, member
		}
		last := c.args[len(c.args)-1][1]
		if s.Is(last+1, ",") {
			last++
		}
		multiline := s.Toks[c.args[len(c.args)-1][0]].NL
		if !multiline {
			if s.Is(last, ",") {
				return s.Toks[last].End, " " + member + ","
			}
			return s.Toks[last].End, ", " + member
		}
		ind := s.indentOf(s.Toks[c.args[len(c.args)-1][0]].Start)
		if s.Is(last, ",") {
			return s.Toks[last].End, "\n" + ind + member + ","
		}
		return s.Toks[last].End, ",\n" + ind + member
	}
	open, close := obj[0], obj[1]
	items := s.split(open, close)
	if len(items) == 0 {
		if s.Toks[close].NL {
			ind := s.indentOf(s.Toks[close].Start)
			return s.Toks[open].End, "\n" + ind + "  " + member + ",\n" + ind
		}
		return s.Toks[open].End, " " + member + " "
	}
	last := items[len(items)-1]
	trailing := s.Is(last[1]+1, ",")
	if !s.Toks[items[0][0]].NL {
		if trailing {
			return s.Toks[last[1]+1].End, " " + member + ","
		}
		return s.Toks[last[1]].End, ", " + member
	}
	ind := s.indentOf(s.Toks[last[0]].Start)
	if trailing {
		return s.Toks[last[1]+1].End, "\n" + ind + member + ","
	}
	return s.Toks[last[1]].End, ",\n" + ind + member
}
