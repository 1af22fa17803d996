package vars

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// FuzzResolve resolves every node of arbitrary documents: no panic, no
// hang (cycles and runaway nesting end in errors), and a known value
// always has a node.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"custom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\n",
		"x: ${opt:stage, ${self:provider.stage, 'dev'}}-${sls:stage}\nprovider:\n  stage: ${opt:s, 'p'}\n",
		"x: ${file(./a.yml):b}\ny: ${strToBool(${env:X, 'true'})}\n",
		"x: ${self:custom.${self:custom.${self:x}}}\n",
		"x: ${ssm:/a, ${cf:b.c}}\nparams:\n  default:\n    p: ${param:p}\n",
		"x: ${'a}\ny: ${self:\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		file, err := yamlpos.Parse("serverless.yml", []byte(s))
		if err != nil || file.Root == nil {
			return
		}
		r := New(file, Options{Dir: "/nonexistent-project", Params: map[string]string{"stage": "prod"}})
		var visit func(n *yaml.Node, depth int)
		visit = func(n *yaml.Node, depth int) {
			if n == nil || depth > 20 {
				return
			}
			v, err := r.Resolve(file, n)
			if err == nil && v.Unknown == "" && v.Node == nil {
				t.Fatalf("a value with neither node nor reason for %q", n.Value)
			}
			for _, c := range n.Content {
				visit(c, depth+1)
			}
		}
		visit(file.Root, 0)
		_, _ = r.Stage()
	})
}
