package cdk

import (
	"bytes"
	"slices"
	"strings"
)

// The CDK app's source is read as tokens, never with a line regex: a
// trace points at one token (the `new` of a construct call, a callee, an
// `=`), and from there bracket matching, comma splitting and `key:` /
// `key=` recognition find the props object and the one member to change.
// One tokenizer serves JavaScript and TypeScript (types never hold an
// unbalanced bracket, so they need nothing of their own), another Python.
// Strings, template literals (with their substitutions), regular
// expressions and comments are single tokens, so nothing inside them is
// taken for code. docs/cdk-source-parsing.md records how this was chosen
// and measured.

// tokKind is what a token is.
type tokKind uint8

const (
	tIdent  tokKind = iota // identifiers and keywords
	tPunct                 // operators and brackets
	tString                // a string literal; in JavaScript also a whole template literal
	tNumber
	tRegex
)

// token is one significant token: bytes [start, end) of the source. nl
// says a line break comes between it and the token before.
type token struct {
	kind       tokKind
	start, end int
	nl         bool
}

// srcFile is one file of the app, tokenized, with its brackets matched.
type srcFile struct {
	path string
	src  []byte
	toks []token
	// pair is, for each bracket token, the index of the bracket that
	// matches it; -1 for other tokens and unmatched brackets.
	pair []int
	py   bool
	// lines are the offsets lines start at, made on first use.
	lines []int
	// problems counts what did not tokenize cleanly: unterminated strings,
	// comments and template literals, and unmatched brackets. A fix may
	// not add any (Reparse).
	problems int
}

// parseSource tokenizes src as Python when py is set, else as
// JavaScript or TypeScript. It takes time linear in len(src) and never
// fails: broken input gives tokens and problems.
func parseSource(path string, src []byte, py bool) *srcFile {
	s := &srcFile{path: path, src: src, py: py}
	if py {
		s.toks, s.problems = tokenizePython(src)
	} else {
		s.toks, s.problems = tokenizeJS(src)
	}
	s.pairBrackets()
	return s
}

// isPython says from a file's name whether it is Python source.
func isPython(path string) bool { return strings.HasSuffix(strings.ToLower(path), ".py") }

func (s *srcFile) text(i int) string {
	if i < 0 || i >= len(s.toks) {
		return ""
	}
	t := s.toks[i]
	return string(s.src[t.start:t.end])
}

// is reports whether token i is the punctuation or word p.
func (s *srcFile) is(i int, p string) bool {
	if i < 0 || i >= len(s.toks) {
		return false
	}
	t := s.toks[i]
	return t.end-t.start == len(p) && string(s.src[t.start:t.end]) == p
}

func (s *srcFile) kind(i int) (tokKind, bool) {
	if i < 0 || i >= len(s.toks) {
		return 0, false
	}
	return s.toks[i].kind, true
}

func (s *srcFile) isIdent(i int) bool {
	k, ok := s.kind(i)
	return ok && k == tIdent
}

func openerOf(c byte) byte {
	switch c {
	case ')':
		return '('
	case ']':
		return '['
	case '}':
		return '{'
	}
	return 0
}

// pairBrackets matches every (, [ and { with its closer in one pass.
func (s *srcFile) pairBrackets() {
	s.pair = make([]int, len(s.toks))
	var stack []int
	for i, t := range s.toks {
		s.pair[i] = -1
		if t.kind != tPunct || t.end-t.start != 1 {
			continue
		}
		switch c := s.src[t.start]; c {
		case '(', '[', '{':
			stack = append(stack, i)
		case ')', ']', '}':
			// A closer that matches no opener on the stack is a problem;
			// the openers above a matching one are unclosed.
			k := len(stack) - 1
			for k >= 0 && s.src[s.toks[stack[k]].start] != openerOf(c) {
				k--
			}
			if k < 0 {
				s.problems++
				continue
			}
			s.problems += len(stack) - 1 - k
			o := stack[k]
			s.pair[o], s.pair[i] = i, o
			stack = stack[:k]
		}
	}
	s.problems += len(stack)
}

// tokenAt is the index of the token that holds offset off, or of the
// first token after it; -1 past the last token.
func (s *srcFile) tokenAt(off int) int {
	i, _ := slices.BinarySearchFunc(s.toks, off, func(t token, off int) int {
		if t.end <= off {
			return -1
		}
		return 1
	})
	if i >= len(s.toks) {
		return -1
	}
	return i
}

// jsPuncts are JavaScript's multi-character operators, longest first.
var jsPuncts = []string{">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
	"=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=",
	"&=", "|=", "^=", "**", "<<", ">>"}

var pyPuncts = []string{"**=", "//=", ">>=", "<<=", "...", "->", ":=", "==", "!=", "<=", ">=", "**", "//",
	"<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="}

// regexAfter are the words after which a / starts a regular expression.
var regexAfter = map[string]bool{"return": true, "typeof": true, "instanceof": true, "in": true, "of": true,
	"new": true, "delete": true, "void": true, "throw": true, "case": true, "do": true, "else": true,
	"yield": true, "await": true}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' }

// punct returns the end of the operator starting at i.
func punct(src []byte, i int, ops []string) int {
	for _, p := range ops {
		if len(src)-i >= len(p) && src[i] == p[0] && string(src[i:i+len(p)]) == p {
			return i + len(p)
		}
	}
	return i + 1
}

// number returns the end of the numeric literal at i (digits, letters of
// hex, octal and binary forms and suffixes, separators, a fraction and
// an exponent).
func number(src []byte, i int) int {
	start := i
	hex := i+1 < len(src) && src[i] == '0' && (src[i+1]|0x20) == 'x'
	i++
	for i < len(src) {
		c := src[i]
		switch {
		case isIdentPart(c) || c == '.':
			i++
		case (c == '+' || c == '-') && !hex && i > start && (src[i-1]|0x20) == 'e':
			i++
		default:
			return i
		}
	}
	return i
}

// quoted returns the end of the string starting with quote q at i, and
// whether it was closed on its line.
func quoted(src []byte, i int, q byte) (int, bool) {
	for i++; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case q:
			return i + 1, true
		case '\n':
			return i, false
		}
	}
	return len(src), false
}

// blockComment returns the end of the /* comment */ at i.
func blockComment(src []byte, i int) (int, bool) {
	if j := bytes.Index(src[i+2:], []byte("*/")); j >= 0 {
		return i + 2 + j + 2, true
	}
	return len(src), false
}

func lineEnd(src []byte, i int) int {
	for i < len(src) && src[i] != '\n' {
		i++
	}
	return i
}

// template returns the end of the template literal at i, nested
// templates and substitutions included, without recursion.
func template(src []byte, i int) (int, bool) {
	// Each level is a template (-1) or a substitution with its open
	// braces counted.
	levels := []int{-1}
	for i++; i < len(src); {
		top := len(levels) - 1
		c := src[i]
		if levels[top] < 0 {
			switch {
			case c == '\\':
				i += 2
			case c == '`':
				levels = levels[:top]
				i++
				if len(levels) == 0 {
					return i, true
				}
			case c == '$' && i+1 < len(src) && src[i+1] == '{':
				levels = append(levels, 0)
				i += 2
			default:
				i++
			}
			continue
		}
		switch {
		case c == '{':
			levels[top]++
			i++
		case c == '}':
			if levels[top] == 0 {
				levels = levels[:top]
			} else {
				levels[top]--
			}
			i++
		case c == '\'' || c == '"':
			i, _ = quoted(src, i, c)
		case c == '`':
			levels = append(levels, -1)
			i++
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			i = lineEnd(src, i)
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			i, _ = blockComment(src, i)
		default:
			i++
		}
	}
	return len(src), false
}

// regex returns the end of the regular expression literal at i, flags
// included, and whether it was closed on its line.
func regex(src []byte, i int) (int, bool) {
	inClass := false
	for i++; i < len(src) && src[i] != '\n'; i++ {
		switch src[i] {
		case '\\':
			i++
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '/':
			if !inClass {
				i++
				for i < len(src) && isIdentPart(src[i]) {
					i++
				}
				return i, true
			}
		}
	}
	return min(i, len(src)), false
}

// scan is the loop both tokenizers share: blanks and line breaks between
// tokens, counted problems, and for each token next's end, kind and
// whether it closed (skip for a comment, which is no token).
func scan(src []byte, blank func(i int) bool, next func(i int, out []token) (end int, kind tokKind, ok, skip bool)) ([]token, int) {
	var out []token
	problems := 0
	nl := false
	for i := 0; i < len(src); {
		if src[i] == '\n' {
			nl = true
			i++
			continue
		}
		if blank(i) {
			i++
			continue
		}
		end, kind, ok, skip := next(i, out)
		if !ok {
			problems++
		}
		if skip {
			nl = nl || bytes.IndexByte(src[i:end], '\n') >= 0
		} else {
			out = append(out, token{kind: kind, start: i, end: end, nl: nl})
			nl = false
		}
		i = max(end, i+1)
	}
	return out, problems
}

// tokenizeJS tokenizes JavaScript or TypeScript, dropping comments.
func tokenizeJS(src []byte) ([]token, int) {
	// regexAllowed: a / here starts a regular expression, not a division.
	regexAllowed := func(out []token) bool {
		if len(out) == 0 {
			return true
		}
		t := out[len(out)-1]
		s := string(src[t.start:t.end])
		switch t.kind {
		case tIdent:
			return regexAfter[s]
		case tPunct:
			return s != ")" && s != "]" && s != "}" && s != "++" && s != "--"
		}
		return false
	}
	blank := func(i int) bool { return isSpace(src[i]) }
	return scan(src, blank, func(i int, out []token) (int, tokKind, bool, bool) {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/', c == '#' && i == 0 && i+1 < len(src) && src[i+1] == '!':
			return lineEnd(src, i), 0, true, true
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end, ok := blockComment(src, i)
			return end, 0, ok, true
		case c == '\'' || c == '"':
			end, ok := quoted(src, i, c)
			return end, tString, ok, false
		case c == '`':
			end, ok := template(src, i)
			return end, tString, ok, false
		case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
			return number(src, i), tNumber, true, false
		case isIdentStart(c) || c == '#' || c == '\\':
			j := i + 1
			for j < len(src) && (isIdentPart(src[j]) || src[j] == '\\') {
				j++
			}
			return j, tIdent, true, false
		case c == '/' && regexAllowed(out):
			end, ok := regex(src, i)
			return end, tRegex, ok, false
		}
		return punct(src, i, jsPuncts), tPunct, true, false
	})
}

// tokenizePython tokenizes Python, dropping comments. Strings take any
// prefix (r, b, u, f and their pairs); triple-quoted strings span lines;
// an f-string's replacement fields may hold strings of their own.
func tokenizePython(src []byte) ([]token, int) {
	blank := func(i int) bool {
		return isSpace(src[i]) || src[i] == '\\' && i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r')
	}
	return scan(src, blank, func(i int, _ []token) (int, tokKind, bool, bool) {
		c := src[i]
		switch {
		case c == '#':
			return lineEnd(src, i), 0, true, true
		case c == '\'' || c == '"':
			end, ok := pyString(src, i, false)
			return end, tString, ok, false
		case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
			return number(src, i), tNumber, true, false
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			if j < len(src) && (src[j] == '\'' || src[j] == '"') && j-i <= 2 && stringPrefix(src[i:j]) {
				end, ok := pyString(src, j, bytes.ContainsAny(src[i:j], "fF"))
				return end, tString, ok, false
			}
			return j, tIdent, true, false
		}
		return punct(src, i, pyPuncts), tPunct, true, false
	})
}

func stringPrefix(b []byte) bool {
	for _, c := range b {
		switch c | 0x20 {
		case 'r', 'b', 'u', 'f':
		default:
			return false
		}
	}
	return true
}

// pyString returns the end of the Python string whose quote is at i. In
// an f-string, a replacement field ({...}, not {{) is code: strings in it
// are skipped whole, so their quotes do not end the f-string.
func pyString(src []byte, i int, f bool) (int, bool) {
	q := src[i]
	triple := i+2 < len(src) && src[i+1] == q && src[i+2] == q
	if triple {
		i += 3
	} else {
		i++
	}
	depth := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\\':
			i += 2
			continue
		case f && c == '{' && depth == 0 && i+1 < len(src) && src[i+1] == '{':
			i += 2
			continue
		case f && c == '{':
			depth++
		case f && c == '}' && depth > 0:
			depth--
		case depth > 0 && (c == '\'' || c == '"') && c != q:
			// A string inside a replacement field, in the other quote.
			i, _ = quoted(src, i, c)
			continue
		case c == q && (!triple || i+2 < len(src) && src[i+1] == q && src[i+2] == q):
			if triple {
				return i + 3, true
			}
			return i + 1, true
		case c == '\n' && !triple:
			return i, false
		}
		i++
	}
	return len(src), false
}
