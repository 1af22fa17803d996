package cfn

import (
	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// Known are what another tool generates around CloudFormation it embeds,
// by the logical IDs it gives them: a Serverless service's functions
// (HelloLambdaFunction) and API (ApiGatewayRestApi), which resources
// written by hand beside them reference.
type Known struct {
	Functions map[string]*model.Function
	APIs      map[string]*model.API
	// Vars resolves the tool's own variables where the embedded
	// CloudFormation writes them as a plain string (a Serverless
	// `VisibilityTimeout: ${self:custom.visibility}`), which the tool
	// resolves before CloudFormation sees the template. Nil when it has
	// none.
	Vars Vars
}

// Vars resolves another tool's variables in scalars of the embedded
// CloudFormation. Each is asked only of a plain scalar holding "${" that
// is not the argument of an intrinsic function.
type Vars interface {
	// Duration is the setting at n in unit u, located and remedied as
	// the tool would (an edit where the variable's value is written).
	Duration(f *yamlpos.File, n *yaml.Node, setting string, u model.Unit) model.Value
	// Text is the string n resolves to; ok false, with why, when it is
	// not known offline.
	Text(f *yamlpos.File, n *yaml.Node) (text string, ok bool, why string)
}

// Embedded is CloudFormation read from inside another tool's file.
type Embedded struct{ r *reader }

// ReadEmbedded reads node, a mapping of f holding Resources (and Outputs,
// Conditions) the way a template's root does, into b: a Serverless
// service's `resources`, read where it is written so findings and fixes
// land on its lines. The tool's variables are resolved through
// known.Vars. Nil when node holds no Resources.
func ReadEmbedded(b *model.Builder, f *yamlpos.File, node *yaml.Node, known Known) (*Embedded, []finding.InputError) {
	if res := get(node, "Resources"); res == nil || res.Kind != yaml.MappingNode {
		return nil, nil
	}
	sub := *f
	sub.Root = node
	r := newReader(b, &sub, Options{ReadFile: func(string) ([]byte, error) { return nil, errNotRead }}, nil, nil, nil)
	for id, fn := range known.Functions {
		r.functions[id] = fn
	}
	for id, api := range known.APIs {
		r.apis[id] = api
	}
	r.vars = known.Vars
	r.read()
	return &Embedded{r: r}, r.errs
}

// Queue is the queue the embedded resources define under id; nil when
// none.
func (e *Embedded) Queue(id string) *model.Queue {
	if e == nil {
		return nil
	}
	return e.r.queues[id]
}
