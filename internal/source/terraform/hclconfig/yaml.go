package hclconfig

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"gopkg.in/yaml.v3"
)

// yamlDecodeFunc is Terraform's yamldecode: mappings become objects,
// sequences tuples, scalars strings, numbers, bools or null.
var yamlDecodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "src", Type: cty.String}},
	Type: func(args []cty.Value) (cty.Type, error) {
		if !args[0].IsKnown() {
			return cty.DynamicPseudoType, nil
		}
		v, err := yamlDecode(args[0].AsString())
		if err != nil {
			return cty.NilType, err
		}
		return v.Type(), nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) { return yamlDecode(args[0].AsString()) },
})

func yamlDecode(src string) (cty.Value, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		return cty.NilVal, fmt.Errorf("invalid YAML: %w", err)
	}
	if doc.Kind == 0 {
		return cty.NullVal(cty.DynamicPseudoType), nil
	}
	budget := maxYAMLNodes
	return yamlToCty(&doc, &budget, 0)
}

func yamlToCty(n *yaml.Node, budget *int, depth int) (cty.Value, error) {
	*budget--
	if *budget < 0 {
		return cty.NilVal, errors.New("YAML document too large (aliases expand beyond the limit)")
	}
	if depth > maxNesting {
		return cty.NilVal, errors.New("YAML document nested too deeply")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		return yamlToCty(n.Content[0], budget, depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		return yamlToCty(n.Alias, budget, depth+1)
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return cty.EmptyTupleVal, nil
		}
		elems := make([]cty.Value, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlToCty(c, budget, depth+1)
			if err != nil {
				return cty.NilVal, err
			}
			elems = append(elems, v)
		}
		return cty.TupleVal(elems), nil
	case yaml.MappingNode:
		attrs := map[string]cty.Value{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, vn := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" || k.Value == "<<" && k.Tag != "!!str" {
				mv, err := yamlToCty(vn, budget, depth+1)
				if err != nil {
					return cty.NilVal, err
				}
				if mv.Type().IsObjectType() {
					for kk, vv := range mv.AsValueMap() {
						if _, ok := attrs[kk]; !ok {
							attrs[kk] = vv
						}
					}
				}
				continue
			}
			v, err := yamlToCty(vn, budget, depth+1)
			if err != nil {
				return cty.NilVal, err
			}
			attrs[k.Value] = v
		}
		return cty.ObjectVal(attrs), nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return cty.NullVal(cty.DynamicPseudoType), nil
		case "!!bool":
			b, err := strconv.ParseBool(strings.ToLower(n.Value))
			if err != nil {
				return cty.StringVal(n.Value), nil
			}
			return cty.BoolVal(b), nil
		case "!!int", "!!float":
			s := strings.ReplaceAll(n.Value, "_", "")
			if f, ok := new(big.Float).SetString(s); ok {
				return cty.NumberVal(f), nil
			}
			if i, err := strconv.ParseInt(s, 0, 64); err == nil {
				return cty.NumberIntVal(i), nil
			}
			return cty.StringVal(n.Value), nil
		}
		return cty.StringVal(n.Value), nil
	}
	return cty.NullVal(cty.DynamicPseudoType), nil
}
