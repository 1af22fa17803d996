package samconfig

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// parseYAML reads samconfig.yaml: env: {command: {parameters: {...}}}.
func parseYAML(path string, data []byte) ([]table, error) {
	f, err := yamlpos.Parse(path, data)
	if err != nil {
		e := yamlpos.ParseError(path, err)
		return nil, fmt.Errorf("%s:%d: %s", path, e.Line, e.Message)
	}
	if f.Root == nil || f.Root.Kind != yaml.MappingNode {
		return nil, nil
	}
	var out []table
	yamlpos.Pairs(f.Root, func(ek, ev *yaml.Node) {
		yamlpos.Pairs(ev, func(ck, cv *yaml.Node) {
			ps := yamlpos.Get(cv, "parameters")
			if ps == nil {
				return
			}
			t := table{env: ek.Value, command: ck.Value, line: ck.Line, start: f.Range(ck).Start.Offset, keys: map[string]value{}}
			yamlpos.Pairs(ps, func(k, v *yaml.Node) {
				switch v.Kind {
				case yaml.ScalarNode:
					t.keys[k.Value] = value{strs: []str{scalarStr(f, v)}}
				case yaml.SequenceNode:
					var val value
					for _, it := range v.Content {
						if it.Kind == yaml.ScalarNode {
							val.strs = append(val.strs, scalarStr(f, it))
						}
					}
					t.keys[k.Value] = val
				}
			})
			out = append(out, t)
		})
	})
	return out, nil
}

// scalarStr is a YAML scalar with where its text stands: byte for byte
// when the file writes it as it reads (plain or quoted, one line, no
// escapes); otherwise only the whole scalar is located.
func scalarStr(f *yamlpos.File, n *yaml.Node) str {
	r := f.Range(n)
	s := str{s: n.Value, at: r.Start.Offset, end: r.End.Offset}
	start := f.ValueStart(r.Start.Offset)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		start++
	}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 && start+len(n.Value) <= len(f.Data) && string(f.Data[start:start+len(n.Value)]) == n.Value {
		s.raw = make([]int, len(n.Value)+1)
		for i := range s.raw {
			s.raw[i] = start + i
		}
	}
	return s
}
