package cdk

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The literal forms of a setting that gatelint reads and rewrites in the
// app's source: a Duration call with a number (Duration.seconds(60),
// cdk.Duration.minutes(2), Duration.millis(90_000)), a bare number
// assigned to an L1 property (cfn.timeout = 45), and a string literal in
// AccessLogFormat.custom('...'). Anything else (a variable, arithmetic,
// a call of the app's own) is not a literal: it gets no edit.

var durationUnits = map[string]time.Duration{
	"millis": time.Millisecond, "seconds": time.Second, "minutes": time.Minute, "hours": time.Hour, "days": 24 * time.Hour,
}

// durationLit is a Duration call with a literal number.
type durationLit struct {
	d time.Duration
	// unit is the unit method's token; close the call's closing parenthesis.
	unit, close int
	unitName    string
}

// trimCast drops a trailing TypeScript `as T`, `satisfies T` or `!` from a
// value's tokens.
func (s *srcFile) trimCast(v [2]int) [2]int {
	a, b := v[0], v[1]
	for k := a; k <= b; k++ {
		if p := s.pair[k]; p > k {
			k = p // inside brackets, a cast is another expression's
			continue
		}
		if k > a && (s.is(k, "as") || s.is(k, "satisfies")) {
			b = k - 1
			break
		}
	}
	for b > a && s.is(b, "!") {
		b--
	}
	return [2]int{a, b}
}

// duration reads a Duration call with a literal argument from a value's
// tokens: <receiver>.<unit>(<number>), the receiver being Duration
// however the file imports it.
func (s *srcFile) duration(v [2]int, names durationNames) (durationLit, bool) {
	v = s.trimCast(v)
	a, b := v[0], v[1]
	if !s.is(b, ")") || b-a < 5 {
		return durationLit{}, false
	}
	open := s.pair[b]
	if open < 0 || open != b-2 || !s.is(open-2, ".") {
		return durationLit{}, false
	}
	unit := open - 1
	per, ok := durationUnits[s.text(unit)]
	if !ok || !names.isDuration(s, a, open-3) {
		return durationLit{}, false
	}
	n, ok := s.number(open + 1)
	if !ok {
		return durationLit{}, false
	}
	d := time.Duration(n * float64(per))
	if d <= 0 || float64(d) != n*float64(per) || d%time.Millisecond != 0 {
		return durationLit{}, false
	}
	return durationLit{d: d, unit: unit, close: b, unitName: s.text(unit)}, true
}

// number reads a numeric literal token (separators allowed).
func (s *srcFile) number(i int) (float64, bool) {
	if k, ok := s.kind(i); !ok || k != tNumber {
		return 0, false
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(s.text(i), "_", ""), 64)
	return n, err == nil && n >= 0
}

// durationCall writes d as a unit call: in unit when it divides evenly,
// else in seconds, else in milliseconds.
func durationCall(d time.Duration, unit string) string {
	if per, ok := durationUnits[unit]; ok && d%per == 0 {
		return unit + "(" + strconv.FormatInt(int64(d/per), 10) + ")"
	}
	if d%time.Second == 0 {
		return "seconds(" + strconv.FormatInt(int64(d/time.Second), 10) + ")"
	}
	return "millis(" + strconv.FormatInt(d.Milliseconds(), 10) + ")"
}

// durationNames is how a file can name aws-cdk-lib's Duration: bound
// directly (import { Duration }, Duration as D, from aws_cdk import
// Duration) or through the library's namespace (import * as cdk, const
// cdk = require('aws-cdk-lib'), import aws_cdk as cdk).
type durationNames struct {
	bound     string // "Duration", "D"
	namespace string // "cdk", "aws_cdk_lib_1"
}

// expr is how a new Duration is written in the file, or "" when the file
// has no name for it.
func (n durationNames) expr() string {
	switch {
	case n.bound != "":
		return n.bound
	case n.namespace != "":
		return n.namespace + ".Duration"
	}
	return ""
}

// isDuration reports whether tokens [a, b] name Duration: the bound name,
// or any chain that ends in .Duration (cdk.Duration, core.Duration).
func (n durationNames) isDuration(s *srcFile, a, b int) bool {
	if a > b {
		return false
	}
	for k := a; k <= b; k++ {
		if (k-a)%2 == 0 && !s.isIdent(k) || (k-a)%2 == 1 && !s.is(k, ".") {
			return false
		}
	}
	if (b-a)%2 != 0 {
		return false
	}
	last := s.text(b)
	return last == "Duration" || a == b && last == n.bound && n.bound != ""
}

// cdkModules are the names aws-cdk-lib is imported by.
var cdkModules = map[string]bool{"aws-cdk-lib": true, "aws_cdk": true}

func (s *srcFile) stringValue(i int) (string, bool) {
	if k, ok := s.kind(i); !ok || k != tString {
		return "", false
	}
	return unquote(s.text(i), s.py)
}

// durationNames finds how the file imports Duration.
func (s *srcFile) durationNames() durationNames {
	var n durationNames
	for i := range s.toks {
		if s.py {
			s.pyImport(i, &n)
		} else {
			s.jsImport(i, &n)
		}
	}
	return n
}

func (s *srcFile) jsImport(i int, n *durationNames) {
	fromCDK := func(j int) bool { v, ok := s.stringValue(j); return ok && cdkModules[v] }
	// require('aws-cdk-lib') at j
	required := func(j int) bool {
		return s.is(j, "require") && s.is(j+1, "(") && fromCDK(j+2) && s.is(j+3, ")")
	}
	switch {
	case s.is(i, "import") && s.is(i+1, "*") && s.is(i+2, "as") && s.isIdent(i+3) && s.is(i+4, "from") && fromCDK(i+5):
		n.namespace = s.text(i + 3)
	case s.is(i, "import") && s.isIdent(i+1) && !s.is(i+1, "type") && s.is(i+2, "from") && fromCDK(i+3):
		n.namespace = s.text(i + 1)
	case s.is(i, "import") && s.isIdent(i+1) && s.is(i+2, "=") && required(i+3):
		n.namespace = s.text(i + 1)
	case (s.is(i, "const") || s.is(i, "let") || s.is(i, "var")) && s.isIdent(i+1) && s.is(i+2, "=") && required(i+3):
		n.namespace = s.text(i + 1)
	case s.is(i, "import") && s.is(i+1, "{") && s.pair[i+1] > i && s.is(s.pair[i+1]+1, "from") && fromCDK(s.pair[i+1]+2):
		s.boundIn(i+1, "as", n)
	case (s.is(i, "const") || s.is(i, "let") || s.is(i, "var")) && s.is(i+1, "{") && s.pair[i+1] > i &&
		s.is(s.pair[i+1]+1, "=") && required(s.pair[i+1]+2):
		s.boundIn(i+1, ":", n)
	}
}

// boundIn reads `{ A, Duration as D }` (rename "as") or `{ Duration: D }`
// (rename ":") for Duration's name.
func (s *srcFile) boundIn(open int, rename string, n *durationNames) {
	for _, it := range s.split(open, s.pair[open]) {
		a, b := it[0], it[1]
		if s.is(a, "type") && a < b {
			continue
		}
		if !s.is(a, "Duration") {
			continue
		}
		if a+2 == b && s.is(a+1, rename) && s.isIdent(b) {
			n.bound = s.text(b)
		} else if a == b {
			n.bound = "Duration"
		}
	}
}

func (s *srcFile) pyImport(i int, n *durationNames) {
	lineStart := i == 0 || s.toks[i].nl
	switch {
	case lineStart && s.is(i, "from") && s.is(i+1, "aws_cdk") && s.is(i+2, "import"):
		j, end := i+3, -1
		if s.is(j, "(") && s.pair[j] > j {
			j, end = j+1, s.pair[j]
		}
		for ; j < len(s.toks); j++ {
			if end >= 0 && j >= end || end < 0 && j > i+3 && s.toks[j].nl {
				return
			}
			if s.is(j, "Duration") {
				if s.is(j+1, "as") && s.isIdent(j+2) {
					n.bound = s.text(j + 2)
				} else {
					n.bound = "Duration"
				}
				return
			}
		}
	case lineStart && s.is(i, "import") && s.is(i+1, "aws_cdk"):
		if s.is(i+2, "as") && s.isIdent(i+3) {
			n.namespace = s.text(i + 3)
		} else if n.namespace == "" {
			n.namespace = "aws_cdk"
		}
	}
}

// unquote decodes a JavaScript or Python string literal (a template
// literal without substitutions too); false for what it cannot decode
// (raw, byte or f-strings, substitutions).
func unquote(lit string, py bool) (string, bool) {
	if py {
		lit = strings.TrimPrefix(strings.TrimPrefix(lit, "u"), "U")
	}
	if len(lit) < 2 {
		return "", false
	}
	q := lit[0]
	if q != '\'' && q != '"' && (q != '`' || py) || lit[len(lit)-1] != q {
		return "", false
	}
	body := lit[1 : len(lit)-1]
	if py && len(lit) >= 6 && strings.HasPrefix(lit, strings.Repeat(string(q), 3)) {
		body = lit[3 : len(lit)-3]
	}

	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if q == '`' && c == '$' && i+1 < len(body) && body[i+1] == '{' {
			return "", false // a substitution: not a literal
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(body) {
			return "", false
		}
		switch e := body[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '0':
			b.WriteByte(0)
		case '\n':
		case 'x', 'u':
			size := 2
			if e == 'u' {
				size = 4
			}
			if e == 'u' && !py && i+1 < len(body) && body[i+1] == '{' {
				end := strings.IndexByte(body[i:], '}')
				if end < 0 {
					return "", false
				}
				r, err := strconv.ParseUint(body[i+2:i+end], 16, 32)
				if err != nil || !utf8.ValidRune(rune(r)) {
					return "", false
				}
				b.WriteRune(rune(r))
				i += end
				continue
			}
			if i+1+size > len(body) {
				return "", false
			}
			r, err := strconv.ParseUint(body[i+1:i+1+size], 16, 32)
			if err != nil {
				return "", false
			}
			b.WriteRune(rune(r))
			i += size
		default:
			b.WriteByte(e)
		}
	}
	return b.String(), true
}

// quote writes s as a string literal in quote q (', " or `).
func quote(s string, q byte) string {
	var b strings.Builder
	b.WriteByte(q)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == q:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case q == '`' && c == '$' && i+1 < len(s) && s[i+1] == '{':
			b.WriteString(`\$`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(q)
	return b.String()
}
