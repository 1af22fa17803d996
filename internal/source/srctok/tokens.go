// Package srctok tokenizes JavaScript, TypeScript and Python source for
// the readers that find one construct, call or value in it without a
// parser of the whole language: the CDK source locator and the handler
// code scanner. It is the CDK reader's tokenizer (issue 13), shared.
//
// Source is read as tokens, never with a line regex: from one token,
// bracket matching, comma splitting and `key:` / `key=` recognition find
// a call's arguments and the one member to change. One tokenizer serves
// JavaScript and TypeScript (types never hold an unbalanced bracket, so
// they need nothing of their own), another Python. Strings, template
// literals (with their substitutions), regular expressions and comments
// are single tokens, so nothing inside them is taken for code.
// docs/cdk-source-parsing.md and docs/handler-code-parsing.md record how
// this was chosen and measured.
package srctok

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gatelint/gatelint/internal/loc"
)

// Kind is what a Token is.
type Kind uint8

const (
	Ident  Kind = iota // identifiers and keywords
	Punct              // operators and brackets
	String             // a string literal; in JavaScript also a whole template literal
	Number
	Regex
)

// Token is one significant Token: bytes [start, end) of the source. nl
// says a line break comes between it and the Token before.
type Token struct {
	Kind       Kind
	Start, End int
	NL         bool
}

// File is one file of the app, tokenized, with its brackets matched.
type File struct {
	Path string
	Src  []byte
	Toks []Token
	// pair is, for each bracket Token, the index of the bracket that
	// matches it; -1 for other tokens and unmatched brackets.
	Pair []int
	Py   bool
	// lines are the offsets lines start at, made on first use.
	lines []int
	// problems counts what did not tokenize cleanly: unterminated strings,
	// comments and template literals, and unmatched brackets. A fix may
	// not add any (Reparse).
	Problems int
}

// Parse tokenizes src as Python when py is set, else as
// JavaScript or TypeScript. It takes time linear in len(src) and never
// fails: broken input gives tokens and problems.
func Parse(path string, src []byte, py bool) *File {
	s := &File{Path: path, Src: src, Py: py}
	if py {
		s.Toks, s.Problems = tokenizePython(src)
	} else {
		s.Toks, s.Problems = tokenizeJS(src)
	}
	s.pairBrackets()
	return s
}

// IsPython says from a file's name whether it is Python source.
func IsPython(path string) bool { return strings.HasSuffix(strings.ToLower(path), ".py") }

func (s *File) Text(i int) string {
	if i < 0 || i >= len(s.Toks) {
		return ""
	}
	t := s.Toks[i]
	return string(s.Src[t.Start:t.End])
}

// is reports whether Token i is the punctuation or word p.
func (s *File) Is(i int, p string) bool {
	if i < 0 || i >= len(s.Toks) {
		return false
	}
	t := s.Toks[i]
	return t.End-t.Start == len(p) && string(s.Src[t.Start:t.End]) == p
}

func (s *File) KindOf(i int) (Kind, bool) {
	if i < 0 || i >= len(s.Toks) {
		return 0, false
	}
	return s.Toks[i].Kind, true
}

func (s *File) IsIdent(i int) bool {
	k, ok := s.KindOf(i)
	return ok && k == Ident
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
func (s *File) pairBrackets() {
	s.Pair = make([]int, len(s.Toks))
	var stack []int
	for i, t := range s.Toks {
		s.Pair[i] = -1
		if t.Kind != Punct || t.End-t.Start != 1 {
			continue
		}
		switch c := s.Src[t.Start]; c {
		case '(', '[', '{':
			stack = append(stack, i)
		case ')', ']', '}':
			// A closer that matches no opener on the stack is a problem;
			// the openers above a matching one are unclosed.
			k := len(stack) - 1
			for k >= 0 && s.Src[s.Toks[stack[k]].Start] != openerOf(c) {
				k--
			}
			if k < 0 {
				s.Problems++
				continue
			}
			s.Problems += len(stack) - 1 - k
			o := stack[k]
			s.Pair[o], s.Pair[i] = i, o
			stack = stack[:k]
		}
	}
	s.Problems += len(stack)
}

// tokenAt is the index of the Token that holds offset off, or of the
// first Token after it; -1 past the last Token.
func (s *File) TokenAt(off int) int {
	i, _ := slices.BinarySearchFunc(s.Toks, off, func(t Token, off int) int {
		if t.End <= off {
			return -1
		}
		return 1
	})
	if i >= len(s.Toks) {
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
// tokens, counted problems, and for each Token next's end, kind and
// whether it closed (skip for a comment, which is no Token).
func scan(src []byte, blank func(i int) bool, next func(i int, out []Token) (end int, kind Kind, ok, skip bool)) ([]Token, int) {
	var out []Token
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
			out = append(out, Token{Kind: kind, Start: i, End: end, NL: nl})
			nl = false
		}
		i = max(end, i+1)
	}
	return out, problems
}

// tokenizeJS tokenizes JavaScript or TypeScript, dropping comments.
func tokenizeJS(src []byte) ([]Token, int) {
	// regexAllowed: a / here starts a regular expression, not a division.
	regexAllowed := func(out []Token) bool {
		if len(out) == 0 {
			return true
		}
		t := out[len(out)-1]
		s := string(src[t.Start:t.End])
		switch t.Kind {
		case Ident:
			return regexAfter[s]
		case Punct:
			return s != ")" && s != "]" && s != "}" && s != "++" && s != "--"
		}
		return false
	}
	blank := func(i int) bool { return isSpace(src[i]) }
	return scan(src, blank, func(i int, out []Token) (int, Kind, bool, bool) {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/', c == '#' && i == 0 && i+1 < len(src) && src[i+1] == '!':
			return lineEnd(src, i), 0, true, true
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end, ok := blockComment(src, i)
			return end, 0, ok, true
		case c == '\'' || c == '"':
			end, ok := quoted(src, i, c)
			return end, String, ok, false
		case c == '`':
			end, ok := template(src, i)
			return end, String, ok, false
		case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
			return number(src, i), Number, true, false
		case isIdentStart(c) || c == '#' || c == '\\':
			j := i + 1
			for j < len(src) && (isIdentPart(src[j]) || src[j] == '\\') {
				j++
			}
			return j, Ident, true, false
		case c == '/' && regexAllowed(out):
			end, ok := regex(src, i)
			return end, Regex, ok, false
		}
		return punct(src, i, jsPuncts), Punct, true, false
	})
}

// tokenizePython tokenizes Python, dropping comments. Strings take any
// prefix (r, b, u, f and their pairs); triple-quoted strings span lines;
// an f-string's replacement fields may hold strings of their own.
func tokenizePython(src []byte) ([]Token, int) {
	blank := func(i int) bool {
		return isSpace(src[i]) || src[i] == '\\' && i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r')
	}
	return scan(src, blank, func(i int, _ []Token) (int, Kind, bool, bool) {
		c := src[i]
		switch {
		case c == '#':
			return lineEnd(src, i), 0, true, true
		case c == '\'' || c == '"':
			end, ok := pyString(src, i, false)
			return end, String, ok, false
		case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
			return number(src, i), Number, true, false
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			if j < len(src) && (src[j] == '\'' || src[j] == '"') && j-i <= 2 && stringPrefix(src[i:j]) {
				end, ok := pyString(src, j, bytes.ContainsAny(src[i:j], "fF"))
				return end, String, ok, false
			}
			return j, Ident, true, false
		}
		return punct(src, i, pyPuncts), Punct, true, false
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

// LineStarts are the offsets at which the source's lines start, made on
// first use.
func (s *File) LineStarts() []int {
	if s.lines == nil {
		s.lines = []int{0}
		for i, c := range s.Src {
			if c == '\n' {
				s.lines = append(s.lines, i+1)
			}
		}
	}
	return s.lines
}

// Pos is where byte off is: 1-based line and column (columns count
// Unicode code points), and off itself.
func (s *File) Pos(off int) loc.Pos {
	s.LineStarts()
	off = max(0, min(off, len(s.Src)))
	l, _ := slices.BinarySearch(s.lines, off+1)
	start := s.lines[l-1]
	return loc.Pos{Line: l, Column: utf8.RuneCount(s.Src[start:off]) + 1, Offset: off}
}

// Range is bytes [start, end) of the file as a location.
func (s *File) Range(start, end int) loc.Range {
	return loc.Range{File: s.Path, Start: s.Pos(start), End: s.Pos(end)}
}

// LineStart is the offset the line holding off starts at.
func (s *File) LineStart(off int) int {
	s.LineStarts()
	l, _ := slices.BinarySearch(s.lines, off+1)
	return s.lines[max(l-1, 0)]
}
