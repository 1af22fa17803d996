package code

import (
	"strconv"
	"strings"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/source/srctok"
)

// tk is a tokenized file with what the scanners of Python and
// JavaScript share: positions (mapped into the configuration file for
// inline code), edits, argument lists.
type tk struct {
	*srctok.File
	im *inlineMap
	// depth is the bracket depth before each token.
	depth []int
	// called indexes the '(' tokens by the name before them, made on
	// first use.
	called map[string][]int
}

// callsNamed are the '(' tokens that follow the identifier name.
func (t *tk) callsNamed(name string) []int {
	if t.called == nil {
		t.called = map[string][]int{}
		for i := 1; i < len(t.Toks); i++ {
			if t.Is(i, "(") && t.IsIdent(i-1) {
				n := t.Text(i - 1)
				t.called[n] = append(t.called[n], i)
			}
		}
	}
	return t.called[name]
}

func newTK(path string, data []byte, py bool, im *inlineMap) *tk {
	t := &tk{File: srctok.Parse(path, data, py), im: im}
	t.depth = make([]int, len(t.Toks))
	d := 0
	for i, x := range t.Toks {
		if x.Kind == srctok.Punct && x.End-x.Start == 1 {
			switch t.Src[x.Start] {
			case ')', ']', '}':
				d = max(d-1, 0)
			}
		}
		t.depth[i] = d
		if x.Kind == srctok.Punct && x.End-x.Start == 1 {
			switch t.Src[x.Start] {
			case '(', '[', '{':
				d++
			}
		}
	}
	return t
}

// fileOff maps an offset of the code into its file's; -1 when it cannot
// be (a quoted inline string).
func (t *tk) fileOff(off int) int {
	if t.im == nil {
		return off
	}
	in := t.im.in
	switch {
	case in.Map != nil:
		return in.Map(off)
	case in.Verbatim:
		return in.Offset + off
	}
	return -1
}

// rng is bytes [start, end) of the code as a location in its file.
func (t *tk) rng(start, end int) loc.Range {
	if t.im == nil {
		return t.Range(start, end)
	}
	s, e := t.fileOff(start), t.fileOff(end)
	if s < 0 || e < s {
		return t.im.fallback
	}
	return t.im.file.Range(s, e)
}

// tokRange is tokens [i, j) as a location.
func (t *tk) tokRange(i, j int) loc.Range {
	if i < 0 || i >= len(t.Toks) || j <= i {
		return loc.Range{}
	}
	return t.rng(t.Toks[i].Start, t.Toks[min(j, len(t.Toks))-1].End)
}

// edit replaces code bytes [start, end) with text; nil when they cannot
// be mapped into the file.
func (t *tk) edit(start, end int, text string) []finding.TextEdit {
	s, e := t.fileOff(start), t.fileOff(end)
	if s < 0 || e < s {
		return nil
	}
	path := t.Path
	f := t.File
	if t.im != nil {
		f = t.im.file
	}
	return []finding.TextEdit{{File: path, Start: s, End: e, NewText: text, StartPos: f.Pos(s), EndPos: f.Pos(e)}}
}

// replaceTok is the editor that rewrites tokens [i, j).
func (t *tk) replaceTok(i, j int) func(string) []finding.TextEdit {
	if i < 0 || j > len(t.Toks) || j <= i {
		return nil
	}
	start, end := t.Toks[i].Start, t.Toks[j-1].End
	return func(s string) []finding.TextEdit { return t.edit(start, end, s) }
}

// close is the index of the bracket matching token i, or -1.
func (t *tk) close(i int) int {
	if i < 0 || i >= len(t.Pair) {
		return -1
	}
	return t.Pair[i]
}

// arg is one argument of a call: tokens [start, end), with the keyword
// (Python's name=, nothing in JavaScript) split off.
type arg struct {
	name       string
	start, end int // the value's tokens
	from       int // the first token of the whole argument
	star       bool
}

// args splits the arguments between the bracket at open and its match.
func (t *tk) args(open int, py bool) []arg {
	cl := t.close(open)
	if cl < 0 {
		return nil
	}
	var out []arg
	d := t.depth[open] + 1
	start := open + 1
	for i := open + 1; i <= cl; i++ {
		if i < cl && !(t.depth[i] == d && t.Is(i, ",")) {
			continue
		}
		if i > start {
			a := arg{start: start, end: i, from: start}
			switch {
			case py && i-start >= 2 && t.IsIdent(start) && t.Is(start+1, "="):
				a.name, a.start = t.Text(start), start+2
			case t.Is(start, "*") || t.Is(start, "**") || t.Is(start, "..."):
				a.star, a.start = true, start+1
			}
			out = append(out, a)
		}
		start = i + 1
	}
	return out
}

// kw finds a keyword argument.
func kw(as []arg, name string) (arg, bool) {
	for _, a := range as {
		if a.name == name {
			return a, true
		}
	}
	return arg{}, false
}

// positional is the n-th positional argument.
func positional(as []arg, n int) (arg, bool) {
	k := 0
	for _, a := range as {
		if a.name != "" || a.star {
			continue
		}
		if k == n {
			return a, true
		}
		k++
	}
	return arg{}, false
}

// hasStar reports whether some argument is unpacked (**kwargs, ...opts).
func hasStar(as []arg) bool {
	for _, a := range as {
		if a.star {
			return true
		}
	}
	return false
}

// strValue is a string token's text, without prefix and quotes; false
// for anything else (an f-string, a template with substitutions).
func (t *tk) strValue(i int) (string, bool) {
	if i < 0 || i >= len(t.Toks) || t.Toks[i].Kind != srctok.String {
		return "", false
	}
	s := t.Text(i)
	j := strings.IndexAny(s, "'\"`")
	if j < 0 {
		return "", false
	}
	prefix := strings.ToLower(s[:j])
	if strings.Contains(prefix, "f") {
		return "", false
	}
	q := s[j]
	body := s[j:]
	if len(body) >= 6 && strings.HasPrefix(body, strings.Repeat(string(q), 3)) && strings.HasSuffix(body, strings.Repeat(string(q), 3)) {
		return body[3 : len(body)-3], true
	}
	if len(body) < 2 || body[len(body)-1] != q {
		return "", false
	}
	inner := body[1 : len(body)-1]
	if q == '`' && strings.Contains(inner, "${") {
		return "", false
	}
	if strings.Contains(prefix, "r") || !strings.Contains(inner, `\`) {
		return inner, true
	}
	if u, err := strconv.Unquote(`"` + strings.ReplaceAll(inner, `"`, `\"`) + `"`); err == nil {
		return u, true
	}
	return inner, true
}

// numValue is a number token's value.
func (t *tk) numValue(i int) (float64, bool) {
	if i < 0 || i >= len(t.Toks) || t.Toks[i].Kind != srctok.Number {
		return 0, false
	}
	s := strings.ReplaceAll(t.Text(i), "_", "")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "n"), "L")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if n, err := strconv.ParseInt(s, 0, 64); err == nil {
			return float64(n), true
		}
		return 0, false
	}
	return v, true
}

// quote is the quote the file writes strings with most.
func (t *tk) quote() byte {
	single, double := 0, 0
	for i, x := range t.Toks {
		if x.Kind != srctok.String {
			continue
		}
		s := t.Text(i)
		switch {
		case strings.HasPrefix(s, "'"):
			single++
		case strings.HasPrefix(s, `"`):
			double++
		}
	}
	if single > double {
		return '\''
	}
	return '"'
}

// lineIndent is the indentation of the line holding off.
func (t *tk) lineIndent(off int) string {
	ls := t.LineStart(off)
	i := ls
	for i < len(t.Src) && (t.Src[i] == ' ' || t.Src[i] == '\t') {
		i++
	}
	return string(t.Src[ls:i])
}

// insertArg is the edit that adds an argument (text, e.g. "timeout=24")
// to the call whose brackets are at open, in the call's own layout: after
// the last argument on one line, on a line of its own (with the last
// argument's indentation and a trailing comma kept) when the arguments
// are one a line.
func (t *tk) insertArg(open int, text string) []finding.TextEdit {
	cl := t.close(open)
	if cl < 0 {
		return nil
	}
	if cl == open+1 {
		return t.edit(t.Toks[cl].Start, t.Toks[cl].Start, text)
	}
	last := cl - 1
	trailing := t.Is(last, ",")
	if trailing {
		last--
	}
	lastEnd := t.Toks[last].End
	if t.Toks[cl].NL {
		// One argument a line: a new line like the last.
		ind := t.lineIndent(t.Toks[last].Start)
		if trailing {
			return t.edit(t.Toks[last+1].End, t.Toks[last+1].End, "\n"+ind+text+",")
		}
		return t.edit(lastEnd, lastEnd, ",\n"+ind+text)
	}
	if trailing {
		return t.edit(t.Toks[last+1].End, t.Toks[last+1].End, " "+text+",")
	}
	return t.edit(lastEnd, lastEnd, ", "+text)
}
