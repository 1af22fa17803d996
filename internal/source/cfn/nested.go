package cfn

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// Nested stacks: an AWS::CloudFormation::Stack whose TemplateURL, or an
// AWS::Serverless::Application whose Location, is a local path (as `sam
// build` and `aws cloudformation package` take them) is read as part of
// this deploy, with the Parameters this template passes it. Its values
// are judged where its template writes them, the parent's line related
// ("via stack ApiStack"); its Outputs are what the parent (and the
// stacks it passes them to) may invoke.

// nesting is what a nested stack's template is read with.
type nesting struct {
	stack  string        // the parent's logical ID for it
	parent *yamlpos.File // the parent template
	passed map[string]*param
	chain  []string // the templates above it, for cycles
	// read counts the nested templates read for the root template: a
	// tree of stacks that each nest several is bounded in all, not only in
	// depth.
	read *int
}

// passedValue is where a parent passes a parameter's value: node, or
// the Default of the parent's parameter param that node refers to (nil
// node: a value given on the command line).
type passedValue struct {
	stack string
	file  *yamlpos.File
	node  *yaml.Node
	param string
}

// output is a nested stack's output as its parent may use it.
type output struct {
	value     string
	known     bool
	fn        *model.Function
	qualifier string
}

const (
	maxNesting = 16
	maxNested  = 50
)

// nestedStacks reads each nested stack with a local template.
func (r *reader) nestedStacks() {
	for _, rs := range r.order {
		var loc *yaml.Node
		switch rs.typ {
		case "AWS::CloudFormation::Stack":
			loc = get(rs.props, "TemplateURL")
		case "AWS::Serverless::Application":
			loc = get(rs.props, "Location")
			if loc != nil && loc.Kind == yaml.MappingNode && get(loc, "ApplicationId") != nil {
				continue // an application of the Serverless Application Repository
			}
		default:
			continue
		}
		if loc == nil {
			continue
		}
		r.nestedStack(rs, loc)
	}
}

func (r *reader) nestedStack(rs *resource, at *yaml.Node) {
	p, ok := r.ev.str(r.f, at).literal()
	if !ok || p == "" || strings.Contains(p, "://") || strings.HasPrefix(p, "s3:") {
		return // in S3 or computed: nothing local to read
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(r.f.Path), p)
	}
	chain := []string{filepath.Clean(r.f.Path)}
	if r.opts.nesting != nil {
		chain = append(slices.Clip(r.opts.nesting.chain), chain...)
	}
	if slices.Contains(chain, filepath.Clean(p)) {
		r.errorf(at, "stack %s nests %s, which nests this template again: a cycle CloudFormation cannot deploy", rs.id, p)
		return
	}
	if len(chain) >= maxNesting {
		r.errorf(at, "stack %s is nested more than %d deep; not read further", rs.id, maxNesting)
		return
	}
	count := new(int)
	if r.opts.nesting != nil {
		count = r.opts.nesting.read
	}
	if *count >= maxNested {
		r.errorf(at, "more than %d nested stacks under one template; stack %s is not read", maxNested, rs.id)
		return
	}
	*count++
	data, err := r.opts.ReadFile(p)
	if errors.Is(err, errNotRead) {
		return
	}
	if errors.Is(err, fs.ErrNotExist) {
		r.errorf(at, "the template of stack %s, %s, is not there: the deploy would fail", rs.id, p)
		return
	}
	if err != nil {
		r.errorf(at, "cannot read the template of stack %s, %s: %v", rs.id, p, err)
		return
	}
	opts := Options{ReadFile: r.opts.ReadFile, OnNested: r.opts.OnNested, OnParameters: r.opts.OnParameters,
		nesting: &nesting{stack: rs.id, parent: r.f, passed: r.passedParams(rs), chain: chain, read: count}}
	child, isTemplate, errs := load(r.b, p, data, opts)
	if r.opts.OnNested != nil {
		r.opts.OnNested(p)
	}
	if child != nil {
		errs = child.errs
	}
	for i := range errs {
		if errs[i].File == p && !strings.Contains(errs[i].Message, "nested stack") {
			errs[i].Message += fmt.Sprintf(" (nested stack %s of %s)", rs.id, r.f.Range(at))
		}
	}
	r.errs = append(r.errs, errs...)
	if !isTemplate {
		if len(errs) == 0 {
			r.errorf(at, "the template of stack %s, %s, is not a CloudFormation template (no Resources section)", rs.id, p)
		}
		return
	}
	if r.outputs == nil {
		r.outputs = map[string]map[string]output{}
	}
	r.outputs[rs.id] = child.outputValues()
}

// passedParams evaluates the Parameters a parent passes a nested stack.
func (r *reader) passedParams(rs *resource) map[string]*param {
	out := map[string]*param{}
	pairs(get(rs.props, "Parameters"), func(k, v *yaml.Node) {
		p := &param{passed: &passedValue{stack: rs.id, file: r.f, node: v}}
		if name, arg, ok := intrinsic(v); ok && name == "Ref" && arg.Kind == yaml.ScalarNode {
			// Through a parameter of this template: it is set where that
			// one is (its Default, a grandparent, the command line).
			if pp := r.ev.params[arg.Value]; pp != nil {
				switch {
				case pp.passed != nil:
					p.passed = pp.passed
				case pp.override:
					p.passed = &passedValue{stack: rs.id, param: arg.Value}
				case pp.dflt != nil:
					p.passed = &passedValue{stack: rs.id, file: r.f, node: pp.dflt, param: arg.Value}
				}
			}
		}
		ps := r.ev.str(r.f, v)
		if s, ok := ps.literal(); ok {
			p.value, p.known = s, true
		} else if len(ps) == 1 && ps[0].Fn != nil {
			p.fn, p.qualifier = ps[0].Fn, ps[0].Qualifier
		} else if o, ok := r.nestedOutput(ps); ok {
			p.value, p.known, p.fn, p.qualifier = o.value, o.known, o.fn, o.qualifier
		}
		out[k.Value] = p
	})
	return out
}

// nestedOutput resolves a GetAtt Stack.Outputs.Name of a nested stack
// read before.
func (r *reader) nestedOutput(ps parts) (output, bool) {
	if len(ps) != 1 || ps[0].Ref == "" || !strings.HasPrefix(ps[0].Attr, "Outputs.") {
		return output{}, false
	}
	o, ok := r.outputs[ps[0].Ref][strings.TrimPrefix(ps[0].Attr, "Outputs.")]
	return o, ok
}

// outputValues are the template's Outputs as a parent sees them: text,
// or the function they name.
func (r *reader) outputValues() map[string]output {
	out := map[string]output{}
	pairs(get(r.f.Root, "Outputs"), func(k, v *yaml.Node) {
		ps := r.ev.str(r.f, get(v, "Value"))
		var o output
		if s, ok := ps.literal(); ok {
			o.value, o.known = s, true
		}
		o.fn, o.qualifier = r.functionTarget(ps)
		out[k.Value] = o
	})
	return out
}

// passedParam lays the values a parent passes over the template's
// parameters (CloudFormation gives a nested stack no others: not those of
// the command line).
func (r *reader) passedParam(out map[string]*param) {
	if r.opts.nesting == nil {
		return
	}
	for k, p := range r.opts.nesting.passed {
		out[k] = p
	}
}

// passedVia words a value a parent passes, for paramValue.
func (e *evaluator) passedVia(v *model.Value, name string, p *param) {
	pv := p.passed
	u := v.Unit
	if pv.param != "" {
		// Passed on from a parameter of the parent.
		v.Via = model.Via{Name: fmt.Sprintf("parameter %s, as stack %s passes it from parameter %s", name, pv.stack, pv.param),
			SetHere: fmt.Sprintf("as the Default of parameter %s, via stack %s", pv.param, pv.stack)}
		if pv.node != nil {
			v.Via.Loc = pv.file.Range(pv.node)
		}
		at := v.Via.Loc
		v.Remedy = model.Remedy{Advice: func(d time.Duration) string {
			a := fmt.Sprintf(" Deploy with %s=%d", pv.param, u.Count(d))
			if !at.IsZero() {
				a += fmt.Sprintf(" or change its Default at %s", at)
			}
			return a + "."
		}}
	} else {
		at := pv.file.Range(pv.node)
		v.Via = model.Via{Name: fmt.Sprintf("parameter %s, as stack %s passes it", name, pv.stack), Loc: at, SetHere: "via stack " + pv.stack}
		v.Remedy = model.Remedy{Advice: func(d time.Duration) string {
			return fmt.Sprintf(" Change the %s that stack %s passes at %s to %d.", name, pv.stack, at, u.Count(d))
		}}
	}
	if pv.node == nil {
		return
	}
	what := fmt.Sprintf("the %s that stack %s passes", name, pv.stack)
	if pv.param != "" {
		what = "the Default of parameter " + pv.param
	}
	if pv.node.Kind == yaml.ScalarNode && pv.node.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.TaggedStyle) == 0 {
		edit := yamlpos.ReplaceNumber(pv.file, pv.node)
		v.Remedy.Shared = func(d time.Duration, w string) (finding.Fix, bool) {
			edits := edit(u.Count(d))
			return finding.Fix{Description: fmt.Sprintf("set %s to %d (for %s)", what, u.Count(d), w), Edits: edits}, len(edits) > 0
		}
	}
}

// elsewhere is the function of another template a part names: one a
// parent passed as a parameter, or a nested stack's output.
func (r *reader) elsewhere(p part) (*model.Function, string) {
	if p.Fn != nil {
		return p.Fn, p.Qualifier
	}
	if o, ok := r.nestedOutput(parts{p}); ok && o.fn != nil {
		return o.fn, o.qualifier
	}
	return nil, ""
}
