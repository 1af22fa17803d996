// Package scaffold builds the asynchronous path GL003 asks for — accept
// the request, queue it, answer 202 with a job ID, work in the background,
// let the client poll a status route — for one endpoint of a template.
// Resources are built with goformation's typed per-service structs, so
// property names and types are checked by the compiler, then rendered as
// YAML or JSON like the template. The user's file is never re-encoded:
// the result is a snippet and byte edits that splice it in.
package scaffold

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/cfn"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// Result is what `gatelint scaffold async` prints or writes.
type Result struct {
	// Snippet holds the new resources, ready to paste under Resources.
	Snippet string
	// Fix splices the snippet into the template and points the endpoint
	// at the new path. It adds resources, so it is unsafe.
	Fix finding.Fix
	// Notes say what is left to the user.
	Notes []string
}

// Async scaffolds the async path for endpoint ("POST /reports") of the
// template at path.
func Async(path string, data []byte, endpoint string, opts cfn.Options) (*Result, error) {
	method, epath, ok := strings.Cut(strings.TrimSpace(endpoint), " ")
	if !ok || epath == "" {
		return nil, fmt.Errorf("--endpoint %q: want METHOD /path, e.g. 'POST /api/reports/generate'", endpoint)
	}
	method, epath = strings.ToUpper(method), strings.TrimSpace(epath)

	mb := model.NewBuilder()
	isTemplate, errs := cfn.Load(mb, path, data, opts)
	m := *mb.Model()
	if len(errs) > 0 {
		return nil, errs[0]
	}
	if !isTemplate {
		return nil, fmt.Errorf("%s: not a CloudFormation template: no Resources section", path)
	}
	e, err := findEndpoint(&m, path, method, epath)
	if err != nil {
		return nil, err
	}
	in := e.Integration
	if in == nil || in.Function == nil || (in.Kind != model.LambdaProxy && in.Kind != model.LambdaSync) {
		return nil, fmt.Errorf("%s: %s is not served synchronously by a Lambda function of this template; the async path moves such a function behind a queue", e.Loc, e.Name())
	}
	f, err := yamlpos.Parse(path, data)
	if err != nil {
		return nil, err
	}
	b := &builder{
		f: f, data: data, e: e, fn: in.Function, vals: &values{},
		resources: mapping(get(f.Root, "Resources")),
		json:      isJSON(data),
		eol:       yamlpos.LineBreak(data),
	}
	if b.resources == nil {
		return nil, fmt.Errorf("%s: Resources is not a mapping", path)
	}
	b.sam = isSAM(get(f.Root, "Transform"))
	return b.build()
}

func findEndpoint(m *model.Model, path, method, epath string) (*model.Endpoint, error) {
	var names []string
	for _, api := range m.APIs {
		for _, e := range api.Endpoints {
			if e.Resource == nil || e.Resource.File != path {
				continue
			}
			if strings.EqualFold(e.Method, method) && e.Path == epath {
				return e, nil
			}
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no API endpoints in this template", path)
	}
	return nil, fmt.Errorf("%s: no endpoint %s %s; the template has %s", path, method, epath, strings.Join(slices.Compact(names), ", "))
}

type builder struct {
	f         *yamlpos.File
	data      []byte
	e         *model.Endpoint
	fn        *model.Function
	vals      *values
	resources *yaml.Node
	sam, json bool
	eol       string

	out   []resource
	notes []string
	edits []finding.TextEdit
	taken map[string]bool
}

// name is a logical ID for a new resource, unique in the template.
func (b *builder) name(suffix string) string {
	if b.taken == nil {
		b.taken = map[string]bool{}
		for i := 0; i+1 < len(b.resources.Content); i += 2 {
			b.taken[b.resources.Content[i].Value] = true
		}
	}
	base := b.fn.Resource.LogicalID + suffix
	id := base
	for n := 2; b.taken[id]; n++ {
		id = fmt.Sprintf("%s%d", base, n)
	}
	b.taken[id] = true
	return id
}

func (b *builder) add(id string, v any) { b.out = append(b.out, resource{id: id, value: v}) }

func (b *builder) build() (*Result, error) {
	ft, ok := b.fn.Timeout.Max()
	timeout := awsfacts.LambdaMaxTimeout
	if ok {
		timeout = ft.D
	} else {
		b.notes = append(b.notes, fmt.Sprintf("the Timeout of %s is not known; the queue is sized for Lambda's maximum, %s", b.fn.Resource.LogicalID, model.Seconds(timeout)))
	}
	ids := ids{
		queue: b.name("JobsQueue"), dlq: b.name("JobsDeadLetterQueue"), table: b.name("JobsTable"),
		mapping: b.name("WorkerMapping"), policy: b.name("WorkerPolicy"),
		enqueue: b.name("Enqueue"), status: b.name("JobStatus"),
	}
	b.common(ids, int64(min(awsfacts.VisibilityTimeoutFactor*timeout, awsfacts.SQSMaxVisibilityTimeout)/time.Second))

	res := b.e.Resource
	switch res.Type {
	case "AWS::Serverless::Function":
		if err := b.samEvent(ids); err != nil {
			return nil, err
		}
	case "AWS::ApiGateway::Method":
		if err := b.restMethod(ids); err != nil {
			return nil, err
		}
	case "AWS::ApiGatewayV2::Route":
		if err := b.httpRoute(ids); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%s: %s is defined in %s (%s); scaffold rewires SAM events, ApiGateway Methods and ApiGatewayV2 Routes — add the integration to the OpenAPI body by hand",
			b.e.Loc, b.e.Name(), res.LogicalID, res.Type)
	}
	b.notes = append(b.notes,
		fmt.Sprintf("%s now receives SQS events (Records[].body is the request body, messageAttributes.jobId the job ID): update its handler, and have it record progress in the jobs table (UpdateItem on jobId: RUNNING, SUCCEEDED, FAILED)", b.fn.Resource.Name()),
		fmt.Sprintf("clients get 202 with {\"jobId\": ...} and a Location header, then poll GET %s", statusPath(b.e.Path)))

	entries := omap{}
	for _, r := range b.out {
		t, err := b.vals.tree(r)
		if err != nil {
			return nil, err
		}
		entries = append(entries, kv{r.id, t})
	}
	snippet, insert, err := b.insertion(entries)
	if err != nil {
		return nil, err
	}
	b.edits = append(b.edits, insert)
	slices.SortFunc(b.edits, func(x, y finding.TextEdit) int { return x.Start - y.Start })
	return &Result{
		Snippet: snippet,
		Fix: finding.Fix{
			Description: fmt.Sprintf("add an asynchronous path for %s: queue, worker mapping, job table, 202 response, status route", b.e.Name()),
			Edits:       b.edits,
			Safety:      finding.Unsafe,
		},
		Notes: b.notes,
	}, nil
}

type ids struct{ queue, dlq, table, mapping, policy, enqueue, status string }

func statusPath(p string) string { return strings.TrimSuffix(p, "/") + "/{jobId}" }

// ---------------------------------------------------------------- edits

// edit is a TextEdit over bytes [start, end) of the template.
func (b *builder) edit(start, end int, text string) finding.TextEdit {
	return finding.TextEdit{File: b.f.Path, Start: start, End: end, NewText: text, StartPos: b.posAt(start), EndPos: b.posAt(end)}
}

// insertion renders entries and the edit that adds them at the end of
// Resources, laid out like the resources already there.
func (b *builder) insertion(entries omap) (string, finding.TextEdit, error) {
	res := b.resources
	firstKey, lastVal := res.Content[0], res.Content[len(res.Content)-1]
	base := b.indentOf(firstKey)
	unit := b.unit(res.Content[0], res.Content[1])
	lastEnd := b.f.Range(lastVal).End.Offset
	if b.json {
		text, err := renderJSONEntries(entries, strings.Repeat(" ", unit), base, b.eol)
		if err != nil {
			return "", finding.TextEdit{}, err
		}
		return text + b.eol, b.edit(lastEnd, lastEnd, ","+b.eol+text), nil
	}
	if res.Style&yaml.FlowStyle != 0 {
		return "", finding.TextEdit{}, fmt.Errorf("%s: Resources is written in flow style; paste the snippet by hand", b.f.Path)
	}
	text, err := renderYAML(entries, unit, base, b.eol)
	if err != nil {
		return "", finding.TextEdit{}, err
	}
	comment := base + "# gatelint scaffold async: " + b.e.Name() + b.eol
	at := b.lineAfter(lastEnd)
	prefix := ""
	if at == len(b.data) && !bytes.HasSuffix(b.data, []byte("\n")) {
		prefix = b.eol
	}
	return text, b.edit(at, at, prefix+comment+text), nil
}

// replaceValue swaps a resource's whole definition (its value) for r,
// keeping its logical ID so references and DependsOn still hold.
func (b *builder) replaceValue(id string, r resource) error {
	key, val := entry(b.resources, id)
	if val == nil {
		return fmt.Errorf("%s: resource %s not found", b.f.Path, id)
	}
	t, err := b.vals.tree(r)
	if err != nil {
		return err
	}
	rg := b.f.Range(val)
	base := b.indentOf(key)
	unit := b.unit(key, val)
	var text string
	if b.json {
		text, err = renderJSONEntries(omap{{"", t}}, strings.Repeat(" ", unit), base, b.eol)
		text = strings.TrimPrefix(text, base+`"": `)
	} else {
		if val.Style&yaml.FlowStyle != 0 {
			return fmt.Errorf("%s: resource %s is written in flow style; rewrite it by hand", b.f.Path, id)
		}
		text, err = renderYAML(t, unit, base+strings.Repeat(" ", unit), b.eol)
		text = strings.TrimSuffix(strings.TrimPrefix(text, base+strings.Repeat(" ", unit)), b.eol)
	}
	if err != nil {
		return err
	}
	b.edits = append(b.edits, b.edit(rg.Start.Offset, rg.End.Offset, text))
	return nil
}

// deleteEntry removes entry i (key and value) of mapping m.
func (b *builder) deleteEntry(m *yaml.Node, i int) {
	key, val := m.Content[i], m.Content[i+1]
	start := b.f.Range(key).Start.Offset
	end := b.f.Range(val).End.Offset
	switch {
	case m.Style&yaml.FlowStyle == 0:
		// Whole lines: from the key's line to the line after the value.
		start = bytes.LastIndexByte(b.data[:start], '\n') + 1
		end = b.lineAfter(end)
	case i+2 < len(m.Content):
		end = b.f.Range(m.Content[i+2]).Start.Offset
	case i > 0:
		start = b.f.Range(m.Content[i-1]).End.Offset
	}
	b.edits = append(b.edits, b.edit(start, end, ""))
}

// lineAfter is the offset just past the line break that ends off's line.
func (b *builder) lineAfter(off int) int {
	if i := bytes.IndexByte(b.data[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(b.data)
}

// indentOf is the whitespace before n on its line.
func (b *builder) indentOf(n *yaml.Node) string {
	at := b.f.Range(n).Start.Offset
	lineStart := bytes.LastIndexByte(b.data[:at], '\n') + 1
	ws := b.data[lineStart:at]
	if len(bytes.TrimLeft(ws, " \t")) > 0 {
		return "" // not alone on its line (minified JSON)
	}
	return string(ws)
}

// unit is the indentation step from key to the first key of its mapping
// value; 2 when it cannot be told.
func (b *builder) unit(key, val *yaml.Node) int {
	if val != nil && val.Kind == yaml.MappingNode && len(val.Content) > 0 {
		if d := len(b.indentOf(val.Content[0])) - len(b.indentOf(key)); d > 0 && d <= 8 {
			return d
		}
	}
	return 2
}

// posAt converts an offset the way the template's positions do.
func (b *builder) posAt(off int) (p loc.Pos) {
	line := bytes.Count(b.data[:off], []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(b.data[:off], '\n') + 1
	p.Line, p.Column, p.Offset = line, len([]rune(string(b.data[lineStart:off])))+1, off
	return p
}

// ---------------------------------------------------------------- YAML helpers

func mapping(n *yaml.Node) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) < 2 {
		return nil
	}
	return n
}

var entry = yamlpos.Lookup

func get(m *yaml.Node, key string) *yaml.Node {
	_, v := entry(m, key)
	return v
}

func isSAM(t *yaml.Node) bool {
	if t == nil {
		return false
	}
	if t.Kind == yaml.ScalarNode {
		return strings.HasPrefix(t.Value, "AWS::Serverless")
	}
	for _, c := range t.Content {
		if isSAM(c) {
			return true
		}
	}
	return false
}

func isJSON(data []byte) bool {
	d := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(d) > 0 && d[0] == '{'
}

// getAttTarget reads X from `!GetAtt X.Arn` or {"Fn::GetAtt": [X, Arn]}.
func getAttTarget(n *yaml.Node) string {
	switch {
	case n == nil:
	case n.Tag == "!GetAtt" && n.Kind == yaml.ScalarNode:
		id, _, _ := strings.Cut(n.Value, ".")
		return id
	case n.Tag == "!GetAtt" && n.Kind == yaml.SequenceNode && len(n.Content) > 0:
		return n.Content[0].Value
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Fn::GetAtt":
		return getAttTarget(&yaml.Node{Kind: n.Content[1].Kind, Tag: "!GetAtt", Value: n.Content[1].Value, Content: n.Content[1].Content})
	}
	return ""
}
