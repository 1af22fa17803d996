package code

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/model"
)

// fnWith builds a model with one function behind a REST proxy
// integration whose code is files (name → text) in a fresh directory.
func fnWith(t *testing.T, runtime, handler string, files map[string]string, env map[string]string) (*model.Model, *model.Function, string) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := model.NewBuilder()
	fn := b.Function(&model.Function{Resource: &model.Resource{Address: "Fn", Kind: model.KindFunction},
		Code: &model.Code{Dir: dir, Handler: handler, Runtime: runtime}})
	if len(env) > 0 {
		fn.Env = map[string]model.EnvVar{}
		for k, v := range env {
			fn.Env[k] = model.EnvVar{Value: v, Known: true}
		}
	}
	api := b.API(&model.API{Resource: &model.Resource{Address: "Api"}, Type: model.REST})
	in := &model.Integration{Resource: &model.Resource{Address: "M"}, Kind: model.LambdaProxy, Function: fn,
		Timeout: model.Values{{Known: true, D: 29 * time.Second, Unit: model.InMillis, Origin: model.Default}}}
	b.Endpoint(api, &model.Endpoint{Method: "POST", Path: "/ask", Resource: &model.Resource{Address: "M"}, Integration: in})
	if err := b.Model().Validate(); err != nil {
		t.Fatal(err)
	}
	return b.Model(), fn, dir
}

// describeCall is a call as tests compare it: "client: timeout×attempts".
func describeCall(c *model.Call) string {
	var b strings.Builder
	b.WriteString(c.Client + ": ")
	switch {
	case c.Unbounded:
		b.WriteString("none")
	case !c.Timeout.Known:
		b.WriteString("unknown (" + c.Timeout.Unknown + ")")
	default:
		b.WriteString(c.Timeout.Setting + " " + model.Seconds(c.Timeout.D))
		if c.Timeout.Origin == model.Default {
			b.WriteString(" default")
		}
		if c.Timeout.Via.Name != "" {
			b.WriteString(" via " + c.Timeout.Via.Name)
		}
	}
	if c.Connect.Known {
		b.WriteString(", " + c.Connect.Setting + " " + model.Seconds(c.Connect.D))
	}
	if c.Attempts > 1 {
		fmt.Fprintf(&b, " ×%d", c.Attempts)
	}
	if c.Total {
		b.WriteString(" total")
	}
	if c.Fast {
		b.WriteString(" fast")
	}
	return b.String()
}

func callsOf(fn *model.Function) []string {
	var out []string
	for _, c := range fn.Calls {
		out = append(out, describeCall(c))
	}
	return out
}

// applyFix applies every call's fix for budget and returns the files
// changed, checked by Reparse.
func applyFix(t *testing.T, fn *model.Function, res *Result, budget time.Duration) map[string]string {
	t.Helper()
	byFile := map[string][]byte{}
	for p, d := range res.Sources {
		byFile[p] = d
	}
	out := map[string]string{}
	for _, c := range fn.Calls {
		if c.Fix == nil {
			continue
		}
		_, eds := c.Fix(budget)
		if len(eds) == 0 {
			continue
		}
		sort.Slice(eds, func(i, j int) bool { return eds[i].Start > eds[j].Start })
		for _, e := range eds {
			d := byFile[e.File]
			if d == nil {
				var err error
				if d, err = os.ReadFile(e.File); err != nil {
					t.Fatal(err)
				}
			}
			nd := append([]byte{}, d[:e.Start]...)
			nd = append(nd, e.NewText...)
			nd = append(nd, d[e.End:]...)
			if err := (Reader{}).Reparse(e.File, d, nd); err != nil {
				t.Errorf("fix of %s: %v", c.Client, err)
			}
			byFile[e.File] = nd
			out[filepath.Base(e.File)] = string(nd)
		}
	}
	return out
}
