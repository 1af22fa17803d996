package scaffold

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// goformation's typed fields are plain strings; its root package (which
// this project does not import: libraries.md) smuggles intrinsics through
// them as encoded strings. We do the same with our own markers, replaced
// by the intrinsic once the resource is marshalled.
const marker = "\x00gatelint-intrinsic:"

// intrinsic is a CloudFormation function call: {"Ref": "X"},
// {"Fn::GetAtt": ["X", "Arn"]}, {"Fn::Sub": ...}.
type intrinsic struct {
	name string // Ref, Fn::GetAtt, Fn::Sub
	arg  any
}

// raw is a value copied from the user's template as written.
type raw struct{ node *yaml.Node }

// values holds what markers stand for during one build.
type values struct{ list []any }

func (v *values) put(x any) string {
	v.list = append(v.list, x)
	return marker + strconv.Itoa(len(v.list)-1)
}

func (v *values) ref(id string) string { return v.put(intrinsic{"Ref", id}) }
func (v *values) getAtt(id, attr string) string {
	return v.put(intrinsic{"Fn::GetAtt", []any{id, attr}})
}
func (v *values) sub(s string) string { return v.put(intrinsic{"Fn::Sub", s}) }

// subWith is Fn::Sub with variables, for a value taken from the template
// (an API's !Ref) inside an ARN.
func (v *values) subWith(s string, vars map[string]any) string {
	return v.put(intrinsic{"Fn::Sub", []any{s, omapOf(vars)}})
}
func (v *values) raw(n *yaml.Node) string { return v.put(raw{n}) }

// omap is a mapping that keeps its keys' order.
type omap []kv

type kv struct {
	k string
	v any
}

func omapOf(m map[string]any) omap {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(omap, 0, len(keys))
	for _, k := range keys {
		out = append(out, kv{k, m[k]})
	}
	return out
}

// resource is one generated resource, in the order resources print.
type resource struct {
	id    string
	value any // a goformation resource
	// extra properties copied from the user's resource (a Method's
	// authorizer, say), merged after marshalling.
	extra omap
	// keep are top-level entries of a replaced resource (Metadata,
	// Condition, DependsOn) carried over as written.
	keep omap
	// order is the replaced resource's property order, kept so its diff
	// shows only what changed; other properties follow, sorted.
	order []string
}

// tree turns a goformation resource into an ordered tree with markers
// resolved: Type first, then the rest, properties sorted.
func (v *values) tree(r resource) (omap, error) {
	b, err := json.Marshal(r.value)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.id, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", r.id, err)
	}
	out := omap{{"Type", m["Type"]}}
	for _, k := range []string{"DependsOn", "Condition", "Metadata"} {
		if x, ok := m[k]; ok {
			out = append(out, kv{k, v.resolve(x)})
		}
	}
	if p, ok := m["Properties"].(map[string]any); ok {
		props := v.resolve(p).(omap)
		props = append(props, r.extra...)
		rank := func(k string) int {
			if i := slices.Index(r.order, k); i >= 0 {
				return i
			}
			return len(r.order)
		}
		sort.SliceStable(props, func(i, j int) bool {
			ri, rj := rank(props[i].k), rank(props[j].k)
			if ri != rj {
				return ri < rj
			}
			return props[i].k < props[j].k
		})
		out = append(out, kv{"Properties", props})
	}
	return append(out, r.keep...), nil
}

// resolve replaces markers and turns maps into sorted omaps.
func (v *values) resolve(x any) any {
	switch x := x.(type) {
	case map[string]any:
		out := omapOf(x)
		for i := range out {
			out[i].v = v.resolve(out[i].v)
		}
		return out
	case []any:
		for i := range x {
			x[i] = v.resolve(x[i])
		}
		return x
	case string:
		if n, ok := strings.CutPrefix(x, marker); ok {
			i, _ := strconv.Atoi(n)
			return v.resolveValue(v.list[i])
		}
	}
	return x
}

func (v *values) resolveValue(x any) any {
	switch x := x.(type) {
	case intrinsic:
		return intrinsic{x.name, v.resolve(x.arg)}
	case omap:
		for i := range x {
			x[i].v = v.resolve(x[i].v)
		}
		return x
	}
	return x
}

// ---------------------------------------------------------------- YAML

// yamlNode renders a value with CloudFormation's short-form tags.
func yamlNode(x any) *yaml.Node {
	switch x := x.(type) {
	case omap:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for _, e := range x {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: e.k}, yamlNode(e.v))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range x {
			n.Content = append(n.Content, yamlNode(e))
		}
		return n
	case []string:
		items := make([]any, len(x))
		for i, s := range x {
			items[i] = s
		}
		return yamlNode(items)
	case intrinsic:
		tag := "!" + strings.TrimPrefix(x.name, "Fn::")
		if x.name == "Fn::GetAtt" {
			if parts, ok := x.arg.([]any); ok && len(parts) == 2 {
				return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: fmt.Sprint(parts[0]) + "." + fmt.Sprint(parts[1])}
			}
		}
		n := yamlNode(x.arg)
		n.Tag = tag
		return n
	case raw:
		return copyNode(x.node)
	case string:
		// The !!str tag makes the encoder quote what would read as
		// another type (Version: "2012-10-17", "true", "30").
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: x}
		if strings.Contains(x, "\n") {
			n.Style = yaml.LiteralStyle
		}
		return n
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(x)}
	case float64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatFloat(x, 'f', -1, 64)}
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Value: fmt.Sprint(x)}
}

// copyNode copies a node of the user's template without its positions,
// so the encoder lays it out afresh.
func copyNode(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return copyNode(n.Alias)
	}
	c := &yaml.Node{Kind: n.Kind, Tag: n.Tag, Value: n.Value, Style: n.Style &^ (yaml.FlowStyle)}
	if n.Kind == yaml.ScalarNode {
		c.Style = n.Style
	}
	for _, ch := range n.Content {
		c.Content = append(c.Content, copyNode(ch))
	}
	if c.Kind == yaml.DocumentNode && len(c.Content) == 1 {
		return c.Content[0]
	}
	return c
}

// renderYAML writes entries as a block mapping, indent spaces per level,
// every line prefixed with base.
func renderYAML(entries omap, indent int, base, eol string) (string, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(indent)
	if err := enc.Encode(yamlNode(entries)); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	var out strings.Builder
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line == "" {
			continue
		}
		if line != "\n" {
			out.WriteString(base)
		}
		out.WriteString(strings.TrimSuffix(line, "\n") + eol)
	}
	return out.String(), nil
}

// ---------------------------------------------------------------- JSON

// jsonValue turns a value into what encoding/json writes as the long
// intrinsic forms.
func jsonValue(x any) any {
	switch x := x.(type) {
	case omap:
		out := make(jsonObject, len(x))
		for i, e := range x {
			out[i] = kv{e.k, jsonValue(e.v)}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case intrinsic:
		return jsonObject{{x.name, jsonValue(x.arg)}}
	case raw:
		return nodeJSON(x.node)
	}
	return x
}

// nodeJSON converts a node of the user's template, short-form tags
// included, to its JSON form.
func nodeJSON(n *yaml.Node) any {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return nodeJSON(n.Alias)
	}
	var v any
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 1 {
			return nodeJSON(n.Content[0])
		}
		return nil
	case yaml.MappingNode:
		obj := jsonObject{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			obj = append(obj, kv{n.Content[i].Value, nodeJSON(n.Content[i+1])})
		}
		v = obj
	case yaml.SequenceNode:
		arr := []any{}
		for _, c := range n.Content {
			arr = append(arr, nodeJSON(c))
		}
		v = arr
	default:
		switch n.ShortTag() {
		case "!!int", "!!float":
			v = json.Number(n.Value)
		case "!!bool":
			v = n.Value == "true"
		case "!!null":
			v = nil
		default:
			v = n.Value
		}
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		name := n.Tag[1:]
		if name != "Ref" && name != "Condition" {
			name = "Fn::" + name
		}
		if name == "Fn::GetAtt" && n.Kind == yaml.ScalarNode {
			id, attr, _ := strings.Cut(n.Value, ".")
			v = []any{id, attr}
		}
		return jsonObject{{name, v}}
	}
	return v
}

// jsonObject is a JSON object that keeps its keys' order.
type jsonObject []kv

func (o jsonObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshalNoEscape(e.k)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshalNoEscape(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// renderJSONEntries writes entries as `"Key": value` members separated by
// commas, each line after the first prefixed with base, indent per level.
func renderJSONEntries(entries omap, indent, base, eol string) (string, error) {
	var parts []string
	for _, e := range entries {
		k, err := marshalNoEscape(e.k)
		if err != nil {
			return "", err
		}
		v, err := marshalNoEscape(jsonValue(e.v))
		if err != nil {
			return "", err
		}
		var ind bytes.Buffer
		if err := json.Indent(&ind, v, base, indent); err != nil {
			return "", err
		}
		parts = append(parts, base+string(k)+": "+ind.String())
	}
	return strings.ReplaceAll(strings.Join(parts, ","+"\n"), "\n", eol), nil
}
