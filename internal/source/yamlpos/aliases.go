package yamlpos

import (
	"gopkg.in/yaml.v3"
)

// YAML anchors and aliases, and merge keys (<<), are expanded where the
// readers read values, as the tools that deploy templates (SAM CLI,
// CloudFormation's YAML parser) expand them: an alias stands for its
// anchor's node, shared rather than copied, and a mapping that merges
// others gets their keys it does not set itself. An alias bomb (aliases
// of aliases that would expand to millions of nodes) is not expanded:
// the budget is counted before anything changes, and File.AliasBomb
// says so for the reader to report.

// aliasBudget bounds the nodes the expanded document may have, as a
// multiple of the nodes written (and at least a floor for small files).
const (
	aliasFactor = 10
	aliasFloor  = 10000
)

// expandAliases replaces the aliases under root by their anchors' nodes
// and applies merge keys, unless the expansion would exceed the budget.
func (f *File) expandAliases(root *yaml.Node) {
	written, aliased := 0, false
	var count func(n *yaml.Node)
	seen := map[*yaml.Node]bool{}
	count = func(n *yaml.Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		written++
		if n.Kind == yaml.AliasNode {
			aliased = true
			return
		}
		for _, c := range n.Content {
			count(c)
		}
	}
	count(root)
	if !aliased {
		return
	}
	// The size of each node once expanded, shared nodes counted at every
	// use, capped so that counting a bomb stays cheap.
	budget := max(aliasFloor, aliasFactor*written)
	size := map[*yaml.Node]int{}
	var sizeOf func(n *yaml.Node, depth int) int
	sizeOf = func(n *yaml.Node, depth int) int {
		if n == nil {
			return 0
		}
		if s, ok := size[n]; ok {
			return s
		}
		if depth > 1000 {
			return budget + 1
		}
		size[n] = budget + 1 // an alias cycle is over any budget
		s := 1
		if n.Kind == yaml.AliasNode {
			s = sizeOf(n.Alias, depth+1)
		}
		for _, c := range n.Content {
			if s += sizeOf(c, depth+1); s > budget {
				s = budget + 1
				break
			}
		}
		size[n] = s
		return s
	}
	if sizeOf(root, 0) > budget {
		f.AliasBomb = true
		return
	}
	f.shared = map[*yaml.Node]bool{}
	done := map[*yaml.Node]bool{}
	var expand func(n *yaml.Node) *yaml.Node
	expand = func(n *yaml.Node) *yaml.Node {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			f.markShared(n.Alias)
			return expand(n.Alias)
		}
		if done[n] {
			return n
		}
		done[n] = true
		for i, c := range n.Content {
			n.Content[i] = expand(c)
		}
		if n.Kind == yaml.MappingNode && merge(n) {
			// Its entries are partly another mapping's: no property is
			// inserted into it.
			f.shared[n] = true
		}
		return n
	}
	expand(root)
}

// merge applies a mapping's merge keys: `<<: *base` or `<<: [*a, *b]`
// adds the keys of those mappings that it does not set itself (the first
// listed winning), as YAML 1.1's merge key does.
func merge(m *yaml.Node) bool {
	var own, merged []*yaml.Node
	has := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag != "!!str" {
			merged = append(merged, m.Content[i+1])
			continue
		}
		own = append(own, k, m.Content[i+1])
		has[k.Value] = true
	}
	if len(merged) == 0 {
		return false
	}
	var from []*yaml.Node
	for _, v := range merged {
		switch v.Kind {
		case yaml.MappingNode:
			from = append(from, v)
		case yaml.SequenceNode:
			from = append(from, v.Content...)
		}
	}
	for _, src := range from {
		if src.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(src.Content); i += 2 {
			if k := src.Content[i]; !has[k.Value] {
				own = append(own, k, src.Content[i+1])
				has[k.Value] = true
			}
		}
	}
	m.Content = own
	return true
}

// markShared records n and everything under it as reached through an
// alias: an edit there would change every use of the anchor, so none is
// offered.
func (f *File) markShared(n *yaml.Node) {
	if n == nil || f.shared[n] {
		return
	}
	f.shared[n] = true
	for _, c := range n.Content {
		f.markShared(c)
	}
}

// Shared reports whether n is written once and used through aliases.
func (f *File) Shared(n *yaml.Node) bool { return f.shared[n] }
