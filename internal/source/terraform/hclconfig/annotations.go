package hclconfig

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

const annotationPrefix = "gatelint:ignore"

// scanAnnotations finds gatelint:ignore comments in native-syntax source.
// own maps the line of a comment that stands alone on its line; trailing maps
// the line of a comment that follows code.
func scanAnnotations(filename string, src []byte) (own, trailing map[int][]Annotation) {
	if !strings.Contains(string(src), annotationPrefix) {
		return nil, nil
	}
	tokens, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	lastCodeLine := 0
	for _, t := range tokens {
		switch t.Type {
		case hclsyntax.TokenNewline, hclsyntax.TokenEOF:
			continue
		case hclsyntax.TokenComment:
		default:
			lastCodeLine = t.Range.End.Line
			continue
		}
		a, ok := parseAnnotation(string(t.Bytes))
		if !ok {
			continue
		}
		a.Range = t.Range
		// A "#" or "//" comment token includes its newline: end it on its line.
		if a.Range.End.Line > a.Range.Start.Line && a.Range.End.Column == 1 {
			a.Range.End = hcl.Pos{Line: a.Range.Start.Line, Column: a.Range.Start.Column + len(strings.TrimRight(string(t.Bytes), "\r\n")), Byte: t.Range.Start.Byte + len(strings.TrimRight(string(t.Bytes), "\r\n"))}
		}
		line := t.Range.Start.Line
		if lastCodeLine == line {
			if trailing == nil {
				trailing = map[int][]Annotation{}
			}
			trailing[line] = append(trailing[line], a)
			continue
		}
		if own == nil {
			own = map[int][]Annotation{}
		}
		own[line] = append(own[line], a)
	}
	return own, trailing
}

// parseAnnotation reads "# gatelint:ignore GL002,GL003 reason" (also "//",
// "/* */" and an optional colon after ignore).
func parseAnnotation(text string) (Annotation, bool) {
	s := strings.TrimSpace(text)
	switch {
	case strings.HasPrefix(s, "#"):
		s = s[1:]
	case strings.HasPrefix(s, "//"):
		s = s[2:]
	case strings.HasPrefix(s, "/*"):
		s = strings.TrimSuffix(s[2:], "*/")
	default:
		return Annotation{}, false
	}
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, annotationPrefix) {
		return Annotation{}, false
	}
	s = strings.TrimPrefix(s, annotationPrefix)
	if s != "" && s[0] != ' ' && s[0] != '\t' && s[0] != ':' {
		return Annotation{}, false
	}
	s = strings.TrimSpace(strings.TrimPrefix(s, ":"))
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return Annotation{Rules: []string{"all"}}, true
	}
	var rules []string
	i := 0
	for ; i < len(fields); i++ {
		parts := strings.Split(strings.Trim(fields[i], ","), ",")
		ok := true
		for _, p := range parts {
			if !isRuleID(p) {
				ok = false
			}
		}
		if !ok {
			break
		}
		rules = append(rules, parts...)
		if !strings.HasSuffix(fields[i], ",") && (i+1 >= len(fields) || !strings.HasPrefix(fields[i+1], ",")) {
			i++
			break
		}
	}
	if len(rules) == 0 {
		rules = []string{"all"}
	}
	reason := strings.TrimSpace(strings.Join(fields[i:], " "))
	reason = strings.TrimSpace(strings.TrimPrefix(reason, "--"))
	return Annotation{Rules: rules, Reason: reason}, true
}

func isRuleID(s string) bool {
	if s == "all" {
		return true
	}
	if len(s) < 3 {
		return false
	}
	letters := 0
	for letters < len(s) && s[letters] >= 'A' && s[letters] <= 'Z' {
		letters++
	}
	if letters == 0 || letters == len(s) {
		return false
	}
	for _, c := range s[letters:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// annotationsAt returns the annotations that apply to a block or attribute
// starting on line: those on the comment lines just above it (a run of
// consecutive annotation lines) and one at the end of the line itself.
func (f *File) annotationsAt(line int) []Annotation {
	if f == nil || (f.annotations == nil && f.trailing == nil) {
		return nil
	}
	var out []Annotation
	for l := line - 1; l > 0; l-- {
		as, ok := f.annotations[l]
		if !ok {
			break
		}
		out = append(as, out...)
	}
	out = append(out, f.trailing[line]...)
	return out
}

// Ignores reports whether the annotations suppress rule.
func Ignores(anns []Annotation, rule string) (Annotation, bool) {
	for _, a := range anns {
		for _, r := range a.Rules {
			if r == "all" || strings.EqualFold(r, rule) {
				return a, true
			}
		}
	}
	return Annotation{}, false
}
