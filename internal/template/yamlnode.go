package template

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// lookup returns the key and value nodes of key in mapping m.
func lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// get returns the value of key in mapping m.
func get(m *yaml.Node, key string) *yaml.Node {
	_, v := lookup(m, key)
	return v
}

// getFold is get with a case-insensitive key, for OpenAPI extensions
// written in varying case.
func getFold(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if strings.EqualFold(m.Content[i].Value, key) {
			return m.Content[i+1]
		}
	}
	return nil
}

// pairs calls fn for each key/value of mapping m.
func pairs(m *yaml.Node, fn func(k, v *yaml.Node)) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		fn(m.Content[i], m.Content[i+1])
	}
}

// shortTags maps CloudFormation's YAML short forms to the long names.
var shortTags = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join", "!If": "Fn::If",
	"!FindInMap": "Fn::FindInMap", "!Select": "Fn::Select", "!Equals": "Fn::Equals",
	"!Not": "Fn::Not", "!And": "Fn::And", "!Or": "Fn::Or", "!Split": "Fn::Split",
	"!ImportValue": "Fn::ImportValue", "!Base64": "Fn::Base64", "!GetAZs": "Fn::GetAZs",
	"!Cidr": "Fn::Cidr", "!Transform": "Fn::Transform", "!Length": "Fn::Length",
	"!ToJsonString": "Fn::ToJsonString",
}

// intrinsic recognises an intrinsic function in either form — a short tag
// (`!Ref X`) or a one-key mapping (`{"Ref": "X"}`) — and returns its long
// name and argument.
func intrinsic(n *yaml.Node) (name string, arg *yaml.Node, ok bool) {
	if n == nil {
		return "", nil, false
	}
	if n.Style&yaml.TaggedStyle != 0 && strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		long, known := shortTags[n.Tag]
		if !known {
			long = "Fn::" + strings.TrimPrefix(n.Tag, "!")
		}
		a := *n
		a.Tag = ""
		a.Style &^= yaml.TaggedStyle
		return long, &a, true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
			return k, n.Content[1], true
		}
	}
	return "", nil, false
}

// isNoValue reports whether n is `!Ref AWS::NoValue`.
func isNoValue(n *yaml.Node) bool {
	name, arg, ok := intrinsic(n)
	return ok && name == "Ref" && arg.Kind == yaml.ScalarNode && arg.Value == "AWS::NoValue"
}

// Lookup returns the key and value nodes of key in mapping m, for packages
// that splice text into a template (scaffold) and need its nodes.
func Lookup(m *yaml.Node, key string) (k, v *yaml.Node) { return lookup(m, key) }

// LineBreak is the line ending data uses, "\r\n" or "\n".
func LineBreak(data []byte) string { return lineBreak(data) }
