package cfn

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// The positioned-YAML helpers, as the reader uses them everywhere.
var (
	lookup  = yamlpos.Lookup
	get     = yamlpos.Get
	getFold = yamlpos.GetFold
	pairs   = yamlpos.Pairs
	scalar  = yamlpos.Scalar
)

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
