// Package yamlpostest has the helpers tests of positioned YAML share:
// positions counted the way an editor counts them, independently of the
// reader, so the two check each other.
package yamlpostest

import (
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
)

// PosAt computes a position the way an editor counts: lines end at "\n",
// columns are code points from the line start (a leading BOM excluded).
// It is written independently of the reader so the two check each other.
func PosAt(src string, off int) loc.Pos {
	lineStart, line := 0, 1
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	if line == 1 && strings.HasPrefix(src, "\ufeff") && off >= 3 {
		lineStart = 3
	}
	return loc.Pos{Line: line, Column: utf8.RuneCountInString(src[lineStart:off]) + 1, Offset: off}
}

// Slice is the text of src that r covers.
func Slice(src string, r loc.Range) string {
	if r.Start.Offset < 0 || r.End.Offset > len(src) || r.Start.Offset > r.End.Offset {
		return "<out of bounds>"
	}
	return src[r.Start.Offset:r.End.Offset]
}

// Apply splices edits into src, the way a fix is applied.
func Apply(t testing.TB, src string, edits []finding.TextEdit) string {
	t.Helper()
	edits = append([]finding.TextEdit(nil), edits...)
	sort.Slice(edits, func(i, j int) bool { return edits[i].Start > edits[j].Start })
	for _, e := range edits {
		if e.Start < 0 || e.Start > e.End || e.End > len(src) {
			t.Fatalf("edit %+v out of bounds of %d bytes", e, len(src))
		}
		if e.StartPos != PosAt(src, e.Start) || e.EndPos != PosAt(src, e.End) {
			t.Errorf("edit %+v: positions disagree with offsets (want %+v..%+v)", e, PosAt(src, e.Start), PosAt(src, e.End))
		}
		src = src[:e.Start] + e.NewText + src[e.End:]
	}
	return src
}

// Node walks a parsed document by mapping keys and sequence indexes
// ("0", "1").
func Node(t testing.TB, n *yaml.Node, keys ...string) *yaml.Node {
	t.Helper()
	for _, k := range keys {
		switch n.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == k {
					next = n.Content[i+1]
					break
				}
			}
			if next == nil {
				t.Fatalf("no key %q", k)
			}
			n = next
		case yaml.SequenceNode:
			i := int(k[0] - '0')
			if len(k) != 1 || i >= len(n.Content) {
				t.Fatalf("no index %q", k)
			}
			n = n.Content[i]
		default:
			t.Fatalf("cannot walk %q into a %v node", k, n.Kind)
		}
	}
	return n
}
