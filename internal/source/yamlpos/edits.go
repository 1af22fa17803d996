package yamlpos

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
)

// Edit builds a TextEdit over bytes [start, end) of f.
func (f *File) Edit(start, end int, text string) finding.TextEdit {
	return finding.TextEdit{File: f.Path, Start: start, End: end, NewText: text, StartPos: f.Pos(start), EndPos: f.Pos(end)}
}

// ReplaceNumber returns an editor that rewrites the number scalar n in
// place, keeping its quotes: only the digits change.
func ReplaceNumber(f *File, n *yaml.Node) func(int64) []finding.TextEdit {
	if f.Shared(n) {
		return nil // written once for several uses: an edit changes them all
	}
	return func(x int64) []finding.TextEdit {
		start := f.ValueStart(f.Offset(n.Line, n.Column))
		end := f.End(n, start)
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && end-start >= 2 {
			start, end = start+1, end-1
		}
		return []finding.TextEdit{f.Edit(start, end, strconv.FormatInt(x, 10))}
	}
}

// ReplaceNode returns an editor that writes the number over all of n (an
// `!Ref AWS::NoValue`, say), tag and brackets included.
func ReplaceNode(f *File, n *yaml.Node) func(int64) []finding.TextEdit {
	if f.Shared(n) {
		return nil
	}
	return func(x int64) []finding.TextEdit {
		r := f.Range(n)
		return f.Parses([]finding.TextEdit{f.Edit(r.Start.Offset, r.End.Offset, strconv.FormatInt(x, 10))})
	}
}

// InsertProperty returns an editor that adds `key: n` as the first entry
// of mapping m, written the way m's own entries are: block or flow, quoted
// keys or plain, on its own line with the same indentation. It returns nil
// when m has no entries to imitate.
func InsertProperty(f *File, m *yaml.Node, key string) func(int64) []finding.TextEdit {
	if m == nil || m.Kind != yaml.MappingNode || len(m.Content) < 2 || f.Shared(m) {
		return nil
	}
	first := m.Content[0]
	at := f.Offset(first.Line, first.Column)
	lineStart := f.LineStart(at)
	// What stands before the first key on its line, read backwards so a
	// minified template's one long line is not copied for every resource.
	sameLine, complexKey := false, false // `{ "A": 1` or `- A: 1`; `? A`
	for i := at - 1; i >= lineStart; i-- {
		switch f.Data[i] {
		case ' ', '\t':
		case '-':
			sameLine = true
		default:
			sameLine, complexKey = true, true
			i = lineStart // stop
		}
	}
	if m.Style&yaml.FlowStyle == 0 && complexKey {
		return nil // a line before `? A` would split the key from its `?`
	}
	return func(x int64) []finding.TextEdit {
		prefix := string(f.Data[lineStart:at]) // only indentation when used below
		k := key
		if first.Style&yaml.DoubleQuotedStyle != 0 {
			k = `"` + key + `"`
		}
		entry := k + ": " + strconv.FormatInt(x, 10)
		var text string
		switch {
		case m.Style&yaml.FlowStyle != 0 && sameLine:
			text = entry + ", "
		case m.Style&yaml.FlowStyle != 0:
			text = entry + "," + LineBreak(f.Data) + prefix
		default:
			// Block style: the new line takes the first key's column.
			indent := strings.Map(func(r rune) rune {
				if r == '\t' {
					return r
				}
				return ' '
			}, prefix)
			text = entry + LineBreak(f.Data) + indent
		}
		return f.Parses([]finding.TextEdit{f.Edit(at, at, text)})
	}
}

// InsertNested returns an editor that adds `key: {inner: n}` to mapping
// m, for a resource without Properties: as m's first entry, in m's own
// style (a block mapping gets `key:` and an indented `inner: n` line). It
// returns nil where InsertProperty would.
func InsertNested(f *File, m *yaml.Node, key, inner string) func(int64) []finding.TextEdit {
	if InsertProperty(f, m, key) == nil {
		return nil
	}
	first := m.Content[0]
	at := f.Offset(first.Line, first.Column)
	lineStart := f.LineStart(at)
	flow := m.Style&yaml.FlowStyle != 0
	return func(x int64) []finding.TextEdit {
		k, in := key, inner
		if first.Style&yaml.DoubleQuotedStyle != 0 {
			k, in = `"`+key+`"`, `"`+inner+`"`
		}
		entry := in + ": " + strconv.FormatInt(x, 10)
		var text string
		if flow {
			text = k + ": {" + entry + "}, "
		} else {
			indent := strings.Map(func(r rune) rune {
				if r == '\t' {
					return r
				}
				return ' '
			}, string(f.Data[lineStart:at]))
			nl := LineBreak(f.Data)
			text = k + ":" + nl + indent + "  " + entry + nl + indent
		}
		return f.Parses([]finding.TextEdit{f.Edit(at, at, text)})
	}
}

// FillEmpty returns an editor that writes `key: n` into the empty flow
// mapping m (`Properties: {}`); nil when m is not one.
func FillEmpty(f *File, m *yaml.Node, key string) func(int64) []finding.TextEdit {
	if m == nil || m.Kind != yaml.MappingNode || len(m.Content) > 0 || m.Style&yaml.FlowStyle == 0 {
		return nil
	}
	r := f.Range(m)
	if r.End.Offset-r.Start.Offset < 2 || f.Data[r.Start.Offset] != '{' || f.Data[r.End.Offset-1] != '}' {
		return nil
	}
	return func(x int64) []finding.TextEdit {
		k := key
		if f.Root != nil && f.Root.Style&yaml.FlowStyle != 0 {
			k = `"` + key + `"`
		}
		return f.Parses([]finding.TextEdit{f.Edit(r.Start.Offset, r.End.Offset, "{"+k+": "+strconv.FormatInt(x, 10)+"}")})
	}
}

// Parses returns edits when the file still parses with them applied, and
// nil otherwise: YAML has corners (a complex key whose `?` stands on the
// line before it, say) where a new line changes what follows, and a fix
// that breaks the file is worse than none. It costs a parse, but only for
// a finding that offers the fix.
func (f *File) Parses(edits []finding.TextEdit) []finding.TextEdit {
	patched := make([]byte, 0, len(f.Data)+64)
	last := 0
	for _, e := range edits { // in order, as the editors build them
		patched = append(append(patched, f.Data[last:e.Start]...), e.NewText...)
		last = e.End
	}
	patched = append(patched, f.Data[last:]...)
	var doc yaml.Node
	if yaml.Unmarshal(patched, &doc) != nil {
		return nil
	}
	return edits
}

// LineBreak is the line ending data uses, "\r\n" or "\n", so a CRLF file
// stays CRLF.
func LineBreak(data []byte) string {
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// ReplaceString returns an editor that rewrites the string scalar n,
// keeping its tag (a `!Sub` leaves `$context` variables alone) and quoting
// the new text the way the file quotes: JSON strings in JSON, single
// quotes in YAML unless n was double-quoted.
func ReplaceString(f *File, n *yaml.Node) func(string) []finding.TextEdit {
	if f.Shared(n) {
		return nil
	}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		// A block scalar's text runs over lines the node does not mark the
		// end of; rewriting it is not worth a wrong guess.
		return nil
	}
	return func(s string) []finding.TextEdit {
		start := f.ValueStart(f.Offset(n.Line, n.Column))
		end := f.End(n, start)
		var text string
		if n.Style&yaml.DoubleQuotedStyle != 0 || (f.Root != nil && f.Root.Style&yaml.FlowStyle != 0) {
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if enc.Encode(s) != nil {
				return nil
			}
			text = strings.TrimSuffix(b.String(), "\n")
		} else {
			text = "'" + strings.ReplaceAll(s, "'", "''") + "'"
		}
		return f.Parses([]finding.TextEdit{f.Edit(start, end, text)})
	}
}
