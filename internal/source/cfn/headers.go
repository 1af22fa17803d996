package cfn

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// Required request headers matter for one question (GL007): does the API
// refuse a retried POST that carries no idempotency key?

const headerParam = "method.request.header."

// requiredHeaders reads an AWS::ApiGateway::Method's RequestParameters,
// {method.request.header.X: true}.
func (r *reader) requiredHeaders(e *model.Endpoint, params *yaml.Node) {
	pairs(params, func(k, v *yaml.Node) {
		if name, ok := cutFold(k.Value, headerParam); ok && r.isTrue(v) {
			e.RequiredHeaders = append(e.RequiredHeaders, strings.ToLower(name))
		}
	})
}

// samRequiredHeaders reads a SAM Api event's RequestParameters: a list of
// names (not required) or {name: {Required: true}}.
func (r *reader) samRequiredHeaders(e *model.Endpoint, params *yaml.Node) {
	if params == nil || params.Kind != yaml.SequenceNode {
		return
	}
	for _, item := range params.Content {
		pairs(item, func(k, v *yaml.Node) {
			if name, ok := cutFold(k.Value, headerParam); ok && r.isTrue(get(v, "Required")) {
				e.RequiredHeaders = append(e.RequiredHeaders, strings.ToLower(name))
			}
		})
	}
}

// openAPIRequiredHeaders reads required header parameters of an operation
// and of its path item.
func (r *reader) openAPIRequiredHeaders(f *yamlpos.File, e *model.Endpoint, lists ...*yaml.Node) {
	for _, list := range lists {
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, p := range list.Content {
			in, _ := r.ev.str(f, get(p, "in")).literal()
			name, _ := r.ev.str(f, get(p, "name")).literal()
			if strings.EqualFold(in, "header") && name != "" && r.isTrue(get(p, "required")) {
				e.RequiredHeaders = append(e.RequiredHeaders, strings.ToLower(name))
			}
		}
	}
}

func (r *reader) isTrue(n *yaml.Node) bool {
	if n == nil || n.Kind != yaml.ScalarNode {
		return false
	}
	return strings.EqualFold(n.Value, "true")
}

// cutFold is strings.CutPrefix ignoring the prefix's case.
func cutFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return "", false
	}
	return s[len(prefix):], true
}
