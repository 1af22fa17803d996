package cfn_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/cfn"
	"github.com/gatelint/gatelint/internal/source/yamlpos/yamlpostest"
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
	ok, errs := cfnLoad(t, &m, path, []byte(src), cfn.Options{Params: params, ReadFile: memFS(files)})
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
			return loc.Range{File: path, Start: yamlpostest.PosAt(src, start), End: yamlpostest.PosAt(src, start+len(sub))}
		}
		n--
		from += i + len(sub)
	}
}

// wantSpan asserts got covers exactly sub (see span).
func wantSpan(t testing.TB, what string, got loc.Range, src, anchor, sub string, n int) {
	t.Helper()
	if want := span(t, src, anchor, sub, n); got != want {
		t.Errorf("%s: range %+v (%q), want %+v (%q)", what, got, yamlpostest.Slice(src, got), want, sub)
	}
}

// condOf writes a value's conditions as the template does: "IsProd and
// !UseCache".
func condOf(v model.Value) string {
	var parts []string
	for _, c := range v.When {
		if c.Holds {
			parts = append(parts, c.Name)
		} else {
			parts = append(parts, "!"+c.Name)
		}
	}
	return strings.Join(parts, " and ")
}

// paramOf is the parameter (or mapping entry) a value came through.
func paramOf(v model.Value) string {
	switch v.Origin {
	case model.Variable:
		return strings.TrimPrefix(v.Via.Name, "parameter ")
	case model.Lookup:
		return v.Via.Name
	}
	return ""
}

// paramLocOf is where that parameter's Default (or mapping entry) is.
func paramLocOf(v model.Value) loc.Range {
	if v.Origin == model.Variable || v.Origin == model.Lookup {
		return v.Via.Loc
	}
	return loc.Range{}
}

// editTo is v's edit that makes it n, in its own unit.
func editTo(v model.Value, n int64) []finding.TextEdit {
	return v.Remedy.Edit(v.Unit.Duration(n))
}

// cfnLoad reads a template into m as the driver would, and checks the
// graph the reader built.
func cfnLoad(t testing.TB, m *model.Model, path string, data []byte, opts cfn.Options) (bool, []finding.InputError) {
	t.Helper()
	b := model.NewBuilder()
	ok, errs := cfn.Load(b, path, data, opts)
	*m = *b.Model()
	if err := m.Validate(); err != nil {
		t.Errorf("the model of %s is not consistent: %v", path, err)
	}
	return ok, errs
}
