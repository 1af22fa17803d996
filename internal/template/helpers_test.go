package template_test

import (
	"io/fs"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/template"
)

const path = "t.yaml"

// load reads src as t.yaml and fails the test on any input error, since
// most tables describe valid templates.
func load(t testing.TB, src string, params map[string]string) *model.Model {
	t.Helper()
	return loadFiles(t, src, params, nil)
}

// loadFiles is load with included files served from memory, so a test
// never depends on the working directory.
func loadFiles(t testing.TB, src string, params map[string]string, files map[string]string) *model.Model {
	t.Helper()
	var m model.Model
	ok, errs := template.Load(&m, path, []byte(src), template.Options{Params: params, ReadFile: memFS(files)})
	if !ok || len(errs) > 0 {
		t.Fatalf("Load = %v, %v; want a template without errors", ok, errs)
	}
	return &m
}

func memFS(files map[string]string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
}

func function(t testing.TB, m *model.Model, id string) *model.Function {
	t.Helper()
	for _, fn := range m.Functions {
		if fn.Resource.LogicalID == id {
			return fn
		}
	}
	t.Fatalf("no function %s in the model", id)
	return nil
}

func api(t testing.TB, m *model.Model, id string) *model.API {
	t.Helper()
	for _, a := range m.APIs {
		if a.Resource.LogicalID == id {
			return a
		}
	}
	var ids []string
	for _, a := range m.APIs {
		ids = append(ids, a.Resource.LogicalID)
	}
	t.Fatalf("no API %s in the model (have %v)", id, ids)
	return nil
}

func endpoint(t testing.TB, a *model.API, method, p string) *model.Endpoint {
	t.Helper()
	for _, e := range a.Endpoints {
		if e.Method == method && e.Path == p {
			return e
		}
	}
	t.Fatalf("no endpoint %q %q on %s (have %v)", method, p, a.Resource.LogicalID, endpointNames(a))
	return nil
}

func endpointNames(a *model.API) []string {
	var out []string
	for _, e := range a.Endpoints {
		out = append(out, e.Method+" "+e.Path)
	}
	return out
}

// one asserts vs holds a single value and returns it.
func one(t testing.TB, vs model.Values) model.Value {
	t.Helper()
	if len(vs) != 1 {
		t.Fatalf("got %d values %+v, want 1", len(vs), vs)
	}
	return vs[0]
}

// posAt computes a position the way an editor counts: lines end at "\n",
// columns are code points from the line start (a leading BOM excluded).
// It is written independently of the reader so the two check each other.
func posAt(src string, off int) loc.Pos {
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

// span returns the range of the n-th (0-based) occurrence of sub that
// comes after the first occurrence of anchor ("" for the whole file).
func span(t testing.TB, src, anchor, sub string, n int) loc.Range {
	t.Helper()
	from := 0
	if anchor != "" {
		i := strings.Index(src, anchor)
		if i < 0 {
			t.Fatalf("anchor %q not in the source", anchor)
		}
		from = i + len(anchor)
	}
	for {
		i := strings.Index(src[from:], sub)
		if i < 0 {
			t.Fatalf("%q (occurrence %d after %q) not in the source", sub, n, anchor)
		}
		if n == 0 {
			start := from + i
			return loc.Range{File: path, Start: posAt(src, start), End: posAt(src, start+len(sub))}
		}
		n--
		from += i + len(sub)
	}
}

// wantSpan asserts got covers exactly sub (see span).
func wantSpan(t testing.TB, what string, got loc.Range, src, anchor, sub string, n int) {
	t.Helper()
	if want := span(t, src, anchor, sub, n); got != want {
		t.Errorf("%s: range %+v (%q), want %+v (%q)", what, got, slice(src, got), want, sub)
	}
}

func slice(src string, r loc.Range) string {
	if r.Start.Offset < 0 || r.End.Offset > len(src) || r.Start.Offset > r.End.Offset {
		return "<out of bounds>"
	}
	return src[r.Start.Offset:r.End.Offset]
}

// apply splices edits into src, the way a fix is applied.
func apply(t testing.TB, src string, edits []finding.TextEdit) string {
	t.Helper()
	edits = append([]finding.TextEdit(nil), edits...)
	sort.Slice(edits, func(i, j int) bool { return edits[i].Start > edits[j].Start })
	for _, e := range edits {
		if e.Start < 0 || e.Start > e.End || e.End > len(src) {
			t.Fatalf("edit %+v out of bounds of %d bytes", e, len(src))
		}
		if e.StartPos != posAt(src, e.Start) || e.EndPos != posAt(src, e.End) {
			t.Errorf("edit %+v: positions disagree with offsets (want %+v..%+v)", e, posAt(src, e.Start), posAt(src, e.End))
		}
		src = src[:e.Start] + e.NewText + src[e.End:]
	}
	return src
}

// node walks a parsed document by mapping keys and sequence indexes
// ("0", "1").
func node(t testing.TB, n *yaml.Node, keys ...string) *yaml.Node {
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
