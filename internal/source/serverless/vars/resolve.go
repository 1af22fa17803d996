package vars

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// Placeholder until the resolver lands: nodes without variables pass
// through; anything with a variable is unknown.
func (r *Resolver) resolve(file *yamlpos.File, n *yaml.Node) (Value, error) {
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "${") {
		return Value{Unknown: n.Value + " is not resolved yet"}, nil
	}
	return Value{Node: n, File: file}, nil
}

func (r *Resolver) path(path string) (Value, bool, error) {
	cur := Value{Node: r.root.Root, File: r.root}
	for _, k := range strings.Split(path, ".") {
		v, ok, err := r.Get(cur, k)
		if !ok || err != nil {
			return v, ok, err
		}
		cur = v
	}
	return cur, true, nil
}

func (r *Resolver) resolveText(file *yamlpos.File, at *yaml.Node, text string) (Value, error) {
	if s := r.o.Params["stage"]; s != "" {
		return Value{Node: &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}}, nil
	}
	if v, ok, err := r.path("provider.stage"); ok || err != nil {
		return v, err
	}
	return Value{Node: &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "dev"}}, nil
}
