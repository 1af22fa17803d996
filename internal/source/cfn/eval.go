package cfn

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// part is a piece of a string an intrinsic builds: literal text, a
// reference to a resource (Ref or GetAtt), or something known only at
// deploy time.
type part struct {
	Lit     string
	Ref     string // logical ID
	Attr    string // GetAtt attribute; empty for Ref
	Unknown string // why the text is not known ("AWS::Region")
	// Import is the name a Fn::ImportValue imports (Unknown says
	// "Fn::ImportValue"), as text with what is known only at deploy in
	// ${...}; another template of the run may export it (exports.go).
	Import string
	// Fn is a function of another template the text names: an output of
	// a nested stack, or a parameter a parent stack passed it (nested.go).
	Fn        *model.Function
	Qualifier string
}

type parts []part

// literal returns the whole text when every part is literal.
func (ps parts) literal() (string, bool) {
	var b strings.Builder
	for _, p := range ps {
		if p.Ref != "" || p.Unknown != "" {
			return "", false
		}
		b.WriteString(p.Lit)
	}
	return b.String(), true
}

// text renders the parts as CloudFormation's Fn::Sub would write them, for
// pattern matching over partly unknown strings.
func (ps parts) text() string {
	var b strings.Builder
	for _, p := range ps {
		switch {
		case p.Ref != "" && p.Attr != "":
			b.WriteString("${" + p.Ref + "." + p.Attr + "}")
		case p.Ref != "":
			b.WriteString("${" + p.Ref + "}")
		case p.Unknown != "":
			b.WriteString("${" + p.Unknown + "}")
		default:
			b.WriteString(p.Lit)
		}
	}
	return b.String()
}

// tri is a condition's value: true, false or not known before deploy.
type tri int

const (
	unknownTri tri = iota
	trueTri
	falseTri
)

// param is a template parameter and the value it resolves to.
type param struct {
	value    string
	known    bool
	override bool       // from --param or --params-file
	dflt     *yaml.Node // the Default scalar
	allowed  *yaml.Node // AllowedValues, when given
	chosen   bool       // one of AllowedValues, chosen by the scenario
	env      *EnvParam  // given by the environment
	// rejected says why the value given is not used (CloudFormation
	// would refuse it); the run reports it as an input error.
	rejected string
	// passed is where a parent stack passes the value (nested.go); fn
	// is the function of another template it names.
	passed    *passedValue
	fn        *model.Function
	qualifier string
}

// evaluator resolves intrinsics against one template's parameters,
// conditions and mappings. Nodes may come from the template or from files
// it includes, so every call names the file the node is in.
type evaluator struct {
	params     map[string]*param
	conditions *yaml.Node
	condCache  map[string]tri
	condBusy   map[string]bool
	mappings   *yaml.Node
	resources  map[string]*resource
	file       *yamlpos.File // the template, where parameters and mappings are
	// touched are the parameters what is judged depends on: those a
	// duration, a condition or an endpoint type read (while tracking).
	touched  map[string]bool
	tracking int
	// vars resolves the variables of the tool that embeds this
	// CloudFormation (ReadEmbedded); nil for a template of its own.
	vars Vars
}

// foreign reports whether n is a plain string holding another tool's
// variable, which e.vars resolves.
func (e *evaluator) foreign(n *yaml.Node) bool {
	return e.vars != nil && n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "${")
}

var pseudoParams = map[string]bool{
	"AWS::AccountId": true, "AWS::NotificationARNs": true, "AWS::Partition": true,
	"AWS::Region": true, "AWS::StackId": true, "AWS::StackName": true, "AWS::URLSuffix": true,
}

// num resolves n to the duration(s) it can take. dflt is what applies
// when the value is absent (nil n, or an !If branch of AWS::NoValue); the
// values take its setting and unit.
func (e *evaluator) num(f *yamlpos.File, n *yaml.Node, dflt model.Value) model.Values {
	return e.numCond(f, n, dflt, nil)
}

func (e *evaluator) numCond(f *yamlpos.File, n *yaml.Node, dflt model.Value, when []model.Cond) model.Values {
	u := dflt.Unit
	if n == nil || isNoValue(n) {
		d := dflt
		d.When = when
		if n != nil && d.Remedy.Edit != nil {
			// Inserting the property would write it a second time.
			d.Remedy.Edit = inUnit(u, yamlpos.ReplaceNode(f, n))
		}
		return model.Values{d}
	}
	r := f.Range(n)
	v := model.Value{Loc: r, When: when, Unit: u, Setting: dflt.Setting}
	name, arg, isFn := intrinsic(n)
	if !isFn && e.foreign(n) {
		v := e.vars.Duration(f, n, dflt.Setting, u)
		v.When = when
		return model.Values{v}
	}
	if !isFn {
		if n.Kind != yaml.ScalarNode {
			v.Unknown = fmt.Sprintf("%s: expected a number", r)
			return model.Values{v}
		}
		if x, ok := parseNum(n.Value); ok {
			v.Known, v.D, v.Origin = true, u.Duration(x), model.Literal
			// A number written as a block scalar (`>-` and a line) has no
			// digits at a known place to replace.
			if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
				v.Remedy.Edit = inUnit(u, yamlpos.ReplaceNumber(f, n))
			}
		} else {
			v.Unknown = fmt.Sprintf("%q is not a number", n.Value)
		}
		return model.Values{v}
	}
	switch name {
	case "Ref":
		e.paramValue(&v, arg.Value)
		return model.Values{v}
	case "Fn::If":
		if arg.Kind != yaml.SequenceNode || len(arg.Content) != 3 {
			v.Unknown = "malformed Fn::If"
			return model.Values{v}
		}
		c := arg.Content[0].Value
		switch e.cond(c) {
		case trueTri:
			return e.numCond(f, arg.Content[1], dflt, when)
		case falseTri:
			return e.numCond(f, arg.Content[2], dflt, when)
		}
		// Each branch gets its own slice: they must not share appends.
		return append(e.numCond(f, arg.Content[1], dflt, append(slices.Clip(when), model.Cond{Name: c, Holds: true})),
			e.numCond(f, arg.Content[2], dflt, append(slices.Clip(when), model.Cond{Name: c, Holds: false}))...)
	case "Fn::FindInMap":
		node, how := e.findInMap(f, arg)
		if node == nil {
			v.Unknown = how
			return model.Values{v}
		}
		vs := e.numCond(e.file, node, dflt, when)
		for i := range vs {
			if vs[i].Origin == model.Literal {
				// Like a parameter: the finding points at the lookup in
				// the resource; the mapping's value is where it is set.
				at := vs[i].Loc
				vs[i].Loc, vs[i].Origin = r, model.Lookup
				vs[i].Via = model.Via{Name: how, Loc: at, SetHere: "in " + how}
				vs[i].Remedy = model.Remedy{Advice: func(d time.Duration) string {
					return fmt.Sprintf(" Change %s at %s to %d.", how, at, u.Count(d))
				}}
			}
		}
		return vs
	}
	v.Unknown = fmt.Sprintf("%s is resolved only at deploy time", name)
	return model.Values{v}
}

// paramValue resolves v, a !Ref to name, through the parameter's value:
// an override given on the command line, else its Default, which a fix
// may change only on request (other resources may read it too).
func (e *evaluator) paramValue(v *model.Value, name string) {
	p := e.params[name]
	e.touched[name] = true
	v.Origin = model.Variable
	v.Via = model.Via{Name: "parameter " + name, SetHere: "as the Default of parameter " + name}
	if p != nil && p.env != nil && !p.override {
		e.envValue(v, name, p)
		return
	}
	if p != nil && p.chosen && !p.override {
		e.chosenValue(v, name, p)
		return
	}
	switch {
	case p == nil:
		v.Unknown = fmt.Sprintf("!Ref %s is not a parameter with a value", name)
		return
	case p.rejected != "":
		v.Unknown = p.rejected
		return
	case p.passed != nil && !p.known:
		v.Unknown = fmt.Sprintf("stack %s passes parameter %s a value known only at deploy", p.passed.stack, name)
		return
	case !p.known:
		v.Unknown = fmt.Sprintf("parameter %s has no default; pass --param %s=VALUE", name, name)
		return
	}
	x, ok := parseNum(p.value)
	if !ok {
		v.Unknown = fmt.Sprintf("parameter %s is %q, not a number", name, p.value)
		return
	}
	u := v.Unit
	v.Known, v.D = true, u.Duration(x)
	if p.passed != nil {
		e.passedVia(v, name, p)
		return
	}
	var shared func(int64) []finding.TextEdit
	if !p.override && p.dflt != nil {
		v.Via.Loc = e.file.Range(p.dflt)
		if p.dflt.Kind == yaml.ScalarNode && p.dflt.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			shared = yamlpos.ReplaceNumber(e.file, p.dflt)
		}
	}
	at := v.Via.Loc
	v.Remedy.Advice = func(d time.Duration) string {
		a := fmt.Sprintf(" Deploy with %s=%d", name, u.Count(d))
		if !at.IsZero() {
			a += fmt.Sprintf(" or change its Default at %s", at)
		}
		return a + "."
	}
	if shared != nil {
		v.Remedy.Shared = func(d time.Duration, what string) (finding.Fix, bool) {
			edits := shared(u.Count(d))
			return finding.Fix{Description: fmt.Sprintf("set the Default of parameter %s to %d (for %s)", name, u.Count(d), what), Edits: edits}, len(edits) > 0
		}
	}
}

// parseNum accepts integers and integral floats, as CloudFormation does
// for numeric properties written as "30" or 30.0.
func parseNum(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if x, err := strconv.ParseInt(s, 10, 64); err == nil {
		return x, true
	}
	if x, err := strconv.ParseFloat(s, 64); err == nil && x == math.Trunc(x) && !math.IsInf(x, 0) && math.Abs(x) < 1e15 {
		return int64(x), true
	}
	return 0, false
}

// findInMap resolves Fn::FindInMap when its keys are known.
func (e *evaluator) findInMap(f *yamlpos.File, arg *yaml.Node) (*yaml.Node, string) {
	if arg.Kind != yaml.SequenceNode || len(arg.Content) < 3 {
		return nil, "malformed Fn::FindInMap"
	}
	var keys [3]string
	for i := 0; i < 3; i++ {
		s, ok := e.str(f, arg.Content[i]).literal()
		if !ok {
			return nil, "Fn::FindInMap key is known only at deploy time"
		}
		keys[i] = s
	}
	node := get(get(get(e.mappings, keys[0]), keys[1]), keys[2])
	if node == nil {
		return nil, fmt.Sprintf("Mappings %s/%s/%s not found", keys[0], keys[1], keys[2])
	}
	return node, fmt.Sprintf("Mappings.%s.%s.%s", keys[0], keys[1], keys[2])
}

// str resolves n to text, keeping references to resources and what is
// known only at deploy time as parts.
func (e *evaluator) str(f *yamlpos.File, n *yaml.Node) parts {
	if n == nil {
		return nil
	}
	name, arg, isFn := intrinsic(n)
	if !isFn && e.foreign(n) {
		s, ok, why := e.vars.Text(f, n)
		if !ok {
			return parts{{Unknown: why}}
		}
		return parts{{Lit: s}}
	}
	if !isFn {
		if n.Kind == yaml.ScalarNode {
			return parts{{Lit: n.Value}}
		}
		return parts{{Unknown: "a " + kindName(n)}}
	}
	switch name {
	case "Ref":
		return parts{e.ref(arg.Value)}
	case "Fn::GetAtt":
		var res, attr string
		if arg.Kind == yaml.ScalarNode {
			res, attr, _ = strings.Cut(arg.Value, ".")
		} else if arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 {
			res = arg.Content[0].Value
			attr = e.str(f, arg.Content[1]).text()
		}
		return parts{{Ref: res, Attr: attr}}
	case "Fn::Sub":
		return e.sub(f, arg)
	case "Fn::Join":
		if arg.Kind != yaml.SequenceNode || len(arg.Content) != 2 {
			return parts{{Unknown: "malformed Fn::Join"}}
		}
		delim := arg.Content[0].Value
		items := arg.Content[1]
		if items.Kind != yaml.SequenceNode {
			return parts{{Unknown: "Fn::Join over a computed list"}}
		}
		var out parts
		for i, it := range items.Content {
			if i > 0 && delim != "" {
				out = append(out, part{Lit: delim})
			}
			out = append(out, e.str(f, it)...)
		}
		return out
	case "Fn::If":
		if arg.Kind != yaml.SequenceNode || len(arg.Content) != 3 {
			return parts{{Unknown: "malformed Fn::If"}}
		}
		switch e.cond(arg.Content[0].Value) {
		case trueTri:
			return e.str(f, arg.Content[1])
		case falseTri:
			return e.str(f, arg.Content[2])
		}
		// Text is used to link resources; the first real branch is the
		// one a reader of the template sees as the main case.
		if isNoValue(arg.Content[1]) {
			return e.str(f, arg.Content[2])
		}
		return e.str(f, arg.Content[1])
	case "Fn::Select":
		if arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 && arg.Content[1].Kind == yaml.SequenceNode {
			i, ok := e.str(f, arg.Content[0]).literal()
			if idx, err := strconv.Atoi(i); ok && err == nil && idx >= 0 && idx < len(arg.Content[1].Content) {
				return e.str(f, arg.Content[1].Content[idx])
			}
		}
	case "Fn::FindInMap":
		if node, _ := e.findInMap(f, arg); node != nil {
			return e.str(e.file, node)
		}
	case "Fn::ImportValue":
		return parts{{Unknown: name, Import: e.str(f, arg).text()}}
	}
	return parts{{Unknown: name}}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

// ref resolves Ref X: a parameter's value, a pseudo parameter (unknown), or
// a resource reference.
func (e *evaluator) ref(name string) part {
	if p, ok := e.params[name]; ok {
		if e.tracking > 0 {
			e.touched[name] = true
		}
		if p.fn != nil {
			return part{Unknown: name, Fn: p.fn, Qualifier: p.qualifier}
		}
		if p.known {
			return part{Lit: p.value}
		}
		return part{Unknown: name}
	}
	if pseudoParams[name] {
		return part{Unknown: name}
	}
	return part{Ref: name}
}

// sub expands Fn::Sub, in its string and its [string, {vars}] forms.
func (e *evaluator) sub(f *yamlpos.File, arg *yaml.Node) parts {
	var tmpl string
	var vars *yaml.Node
	switch {
	case arg.Kind == yaml.ScalarNode:
		tmpl = arg.Value
	case arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 && arg.Content[0].Kind == yaml.ScalarNode:
		tmpl, vars = arg.Content[0].Value, arg.Content[1]
	default:
		return parts{{Unknown: "malformed Fn::Sub"}}
	}
	var out parts
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			break
		}
		out = append(out, part{Lit: tmpl[:i]})
		v := tmpl[i+2 : i+j]
		tmpl = tmpl[i+j+1:]
		switch {
		case strings.HasPrefix(v, "!"):
			out = append(out, part{Lit: "${" + v[1:] + "}"})
		case get(vars, v) != nil:
			out = append(out, e.str(f, get(vars, v))...)
		default:
			if res, attr, ok := strings.Cut(v, "."); ok {
				out = append(out, part{Ref: res, Attr: attr})
			} else {
				out = append(out, e.ref(v))
			}
		}
	}
	return append(out, part{Lit: tmpl})
}

// cond evaluates a named condition.
func (e *evaluator) cond(name string) tri {
	if t, ok := e.condCache[name]; ok {
		return t
	}
	if e.condBusy[name] {
		return unknownTri // a cycle; CloudFormation would reject it
	}
	e.condBusy[name] = true
	e.tracking++
	t := e.condExpr(get(e.conditions, name))
	e.tracking--
	delete(e.condBusy, name)
	e.condCache[name] = t
	return t
}

func (e *evaluator) condExpr(n *yaml.Node) tri {
	name, arg, ok := intrinsic(n)
	if !ok {
		return unknownTri
	}
	switch name {
	case "Condition":
		return e.cond(arg.Value)
	case "Fn::Equals":
		if arg.Kind != yaml.SequenceNode || len(arg.Content) != 2 {
			return unknownTri
		}
		a, okA := e.str(e.file, arg.Content[0]).literal()
		b, okB := e.str(e.file, arg.Content[1]).literal()
		if !okA || !okB {
			return unknownTri
		}
		if a == b {
			return trueTri
		}
		return falseTri
	case "Fn::Not":
		if arg.Kind == yaml.SequenceNode && len(arg.Content) == 1 {
			switch e.condExpr(arg.Content[0]) {
			case trueTri:
				return falseTri
			case falseTri:
				return trueTri
			}
		}
		return unknownTri
	case "Fn::And", "Fn::Or":
		if arg.Kind != yaml.SequenceNode {
			return unknownTri
		}
		decisive, other := falseTri, trueTri // And: one false decides
		if name == "Fn::Or" {
			decisive, other = trueTri, falseTri
		}
		result := other
		for _, c := range arg.Content {
			switch e.condExpr(c) {
			case decisive:
				return decisive
			case unknownTri:
				result = unknownTri
			}
		}
		return result
	}
	return unknownTri
}

// rangeOf is a shorthand for a node's range in f, nil-safe.
func rangeOf(f *yamlpos.File, n *yaml.Node) loc.Range {
	if n == nil {
		return loc.Range{}
	}
	return f.Range(n)
}

// envValue resolves v through a parameter an environment gives: located
// at the environment's line, fixed there (on request, as a Default is),
// never at the template's Default.
func (e *evaluator) envValue(v *model.Value, name string, p *param) {
	ep, u := p.env, v.Unit
	x, ok := parseNum(p.value)
	if !ok {
		v.Unknown = fmt.Sprintf("parameter %s is %q in %s %s, not a number", name, p.value, ep.Kind, ep.Env)
		return
	}
	v.Known, v.D = true, u.Duration(x)
	// The line is the related location; the message and the fix's
	// description name only the file, so that environments that set the
	// value alike make one finding, whose fix edits each of their lines.
	v.Via = model.Via{Name: "parameter " + name, Loc: ep.Loc, SetHere: "in " + ep.Kind + " " + ep.Env}
	file := ep.Loc.File
	v.Remedy.Advice = func(d time.Duration) string {
		if file == "" {
			return fmt.Sprintf(" Deploy with %s=%d (%s %s).", name, u.Count(d), ep.Kind, ep.Env)
		}
		return fmt.Sprintf(" Deploy with %s=%d: change it in %s, where it is set.", name, u.Count(d), file)
	}
	if ep.Edit != nil {
		v.Remedy.Shared = func(d time.Duration, what string) (finding.Fix, bool) {
			edits := ep.Edit(strconv.FormatInt(u.Count(d), 10))
			return finding.Fix{Description: fmt.Sprintf("set parameter %s to %d in %s (for %s)", name, u.Count(d), file, what), Edits: edits}, len(edits) > 0
		}
	}
}

// chosenValue resolves v through a parameter whose AllowedValues the
// scenario chose among: set there, and changed there.
func (e *evaluator) chosenValue(v *model.Value, name string, p *param) {
	u := v.Unit
	x, ok := parseNum(p.value)
	if !ok {
		v.Unknown = fmt.Sprintf("parameter %s is %q, not a number", name, p.value)
		return
	}
	v.Known, v.D = true, u.Duration(x)
	v.Via = model.Via{Name: "parameter " + name, SetHere: "among the AllowedValues of parameter " + name}
	for _, it := range p.allowed.Content {
		if it.Value == p.value {
			v.Via.Loc = e.file.Range(it)
		}
	}
	at := v.Via.Loc
	v.Remedy.Advice = func(d time.Duration) string {
		return fmt.Sprintf(" Deploy with %s=%d, and change its AllowedValues at %s to allow it.", name, u.Count(d), at)
	}
}
