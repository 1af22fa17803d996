package serverless

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
)

// readService reads src as dir/serverless.yml (with the other files
// given beside it) and checks the model's links.
func readService(t *testing.T, src string, params map[string]string, others ...string) (*model.Model, source.Outcome, string) {
	t.Helper()
	dir := t.TempDir()
	for i := 0; i+1 < len(others); i += 2 {
		p := filepath.Join(dir, others[i])
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(others[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "serverless.yml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	b := model.NewBuilder()
	o := Reader{}.Read(&source.File{Path: path, Data: []byte(src), Params: params, Include: os.ReadFile}, b)
	if err := b.Model().Validate(); err != nil {
		t.Fatalf("model does not validate: %v", err)
	}
	return b.Model(), o, path
}

// endpoints lists a model's endpoints as "TYPE METHOD path address kind
// timeout origin waiting", sorted.
func endpoints(m *model.Model) []string {
	var out []string
	for _, api := range m.APIs {
		for _, e := range api.Endpoints {
			s := string(api.Type) + " " + strings.TrimSpace(e.Method+" "+e.Path) + " " + e.Resource.Address
			if in := e.Integration; in != nil {
				s += " " + in.Kind.String()
				if v, ok := in.Timeout.Max(); ok {
					s += " " + model.Seconds(v.D) + " " + originName(v.Origin)
				}
				if in.Function != nil {
					s += " -> " + in.Function.Resource.Address
				}
				if in.Streaming {
					s += " streaming"
				}
			}
			s += " " + [...]string{"client", "connection", "nobody"}[e.Waiting]
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func originName(o model.Origin) string {
	return [...]string{"literal", "default", "inherited", "variable", "lookup", "live"}[o]
}

// apply applies edits to data.
func apply(t *testing.T, data []byte, edits []finding.TextEdit) []byte {
	t.Helper()
	sort.Slice(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	var out []byte
	last := 0
	for _, e := range edits {
		if e.Start < last {
			t.Fatalf("overlapping edits %+v", edits)
		}
		out = append(append(out, data[last:e.Start]...), e.NewText...)
		last = e.End
	}
	return append(out, data[last:]...)
}

// fnNamed finds a function by its key in serverless.yml.
func fnNamed(t *testing.T, m *model.Model, name string) *model.Function {
	t.Helper()
	for _, fn := range m.Functions {
		if fn.Resource.Display == name {
			return fn
		}
	}
	t.Fatalf("no function %s", name)
	return nil
}

const sec = time.Second
