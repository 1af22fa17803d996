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
		if p := s.Pair[k]; p > k {
			k = p // inside brackets, a cast is another expression's
			continue
		}
		if k > a && (s.Is(k, "as") || s.Is(k, "satisfies")) {
			b = k - 1
			break
		}
	}
	for b > a && s.Is(b, "!") {
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
	if !s.Is(b, ")") || b-a < 5 {
		return durationLit{}, false
	}
	open := s.Pair[b]
	if open < 0 || open != b-2 || !s.Is(open-2, ".") {
		return durationLit{}, false
	}
	unit := open - 1
	per, ok := durationUnits[s.Text(unit)]
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
	return durationLit{d: d, unit: unit, close: b, unitName: s.Text(unit)}, true
}

// number reads a numeric literal token (separators allowed).
func (s *srcFile) number(i int) (float64, bool) {
	if k, ok := s.KindOf(i); !ok || k != tNumber {
		return 0, false
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(s.Text(i), "_", ""), 64)
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
		if (k-a)%2 == 0 && !s.IsIdent(k) || (k-a)%2 == 1 && !s.Is(k, ".") {
			return false
		}
	}
	if (b-a)%2 != 0 {
		return false
	}
	last := s.Text(b)
	return last == "Duration" || a == b && last == n.bound && n.bound != ""
}

// cdkModules are the names aws-cdk-lib is imported by.
var cdkModules = map[string]bool{"aws-cdk-lib": true, "aws_cdk": true}

func (s *srcFile) stringValue(i int) (string, bool) {
	if k, ok := s.KindOf(i); !ok || k != tString {
		return "", false
	}
	return unquote(s.Text(i), s.Py)
}

// durationNames finds how the file imports Duration.
func (s *srcFile) durationNames() durationNames {
	var n durationNames
	for i := range s.Toks {
		if s.Py {
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
		return s.Is(j, "require") && s.Is(j+1, "(") && fromCDK(j+2) && s.Is(j+3, ")")
	}
	switch {
	case s.Is(i, "import") && s.Is(i+1, "*") && s.Is(i+2, "as") && s.IsIdent(i+3) && s.Is(i+4, "from") && fromCDK(i+5):
		n.namespace = s.Text(i + 3)
	case s.Is(i, "import") && s.IsIdent(i+1) && !s.Is(i+1, "type") && s.Is(i+2, "from") && fromCDK(i+3):
		n.namespace = s.Text(i + 1)
	case s.Is(i, "import") && s.IsIdent(i+1) && s.Is(i+2, "=") && required(i+3):
		n.namespace = s.Text(i + 1)
	case (s.Is(i, "const") || s.Is(i, "let") || s.Is(i, "var")) && s.IsIdent(i+1) && s.Is(i+2, "=") && required(i+3):
		n.namespace = s.Text(i + 1)
	case s.Is(i, "import") && s.Is(i+1, "{") && s.Pair[i+1] > i && s.Is(s.Pair[i+1]+1, "from") && fromCDK(s.Pair[i+1]+2):
		s.boundIn(i+1, "as", n)
	case (s.Is(i, "const") || s.Is(i, "let") || s.Is(i, "var")) && s.Is(i+1, "{") && s.Pair[i+1] > i &&
		s.Is(s.Pair[i+1]+1, "=") && required(s.Pair[i+1]+2):
		s.boundIn(i+1, ":", n)
	}
}

// boundIn reads `{ A, Duration as D }` (rename "as") or `{ Duration: D }`
// (rename ":") for Duration's name.
func (s *srcFile) boundIn(open int, rename string, n *durationNames) {
	for _, it := range s.split(open, s.Pair[open]) {
		a, b := it[0], it[1]
		if s.Is(a, "type") && a < b {
			continue
		}
		if !s.Is(a, "Duration") {
			continue
		}
		if a+2 == b && s.Is(a+1, rename) && s.IsIdent(b) {
			n.bound = s.Text(b)
		} else if a == b {
			n.bound = "Duration"
		}
	}
}

func (s *srcFile) pyImport(i int, n *durationNames) {
	lineStart := i == 0 || s.Toks[i].NL
	switch {
	case lineStart && s.Is(i, "from") && s.Is(i+1, "aws_cdk") && s.Is(i+2, "import"):
		j, end := i+3, -1
		if s.Is(j, "(") && s.Pair[j] > j {
			j, end = j+1, s.Pair[j]
		}
		for ; j < len(s.Toks); j++ {
			if end >= 0 && j >= end || end < 0 && j > i+3 && s.Toks[j].NL {
				return
			}
			if s.Is(j, "Duration") {
				if s.Is(j+1, "as") && s.IsIdent(j+2) {
					n.bound = s.Text(j + 2)
				} else {
					n.bound = "Duration"
				}
				return
			}
		}
	case lineStart && s.Is(i, "import") && s.Is(i+1, "aws_cdk"):
		if s.Is(i+2, "as") && s.IsIdent(i+3) {
			n.namespace = s.Text(i + 3)
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
