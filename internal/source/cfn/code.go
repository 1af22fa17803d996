package cfn

import (
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// code reads where a function's handler code is (model.Code) and the
// environment variables it is given, for the code scanner: SAM's CodeUri
// (its own or the Globals'), InlineCode and an image's DockerContext;
// CloudFormation's Code as a local path (what `aws cloudformation
// package` uploads) or ZipFile; a CDK asset (aws:asset:path) in the
// cloud assembly beside the template. Code in S3 is nobody's to read.
func (r *reader) code(rs *resource, fn *model.Function) {
	sam := rs.typ == "AWS::Serverless::Function"
	prop := func(key string) *yaml.Node {
		if n := get(rs.props, key); n != nil || !sam {
			return n
		}
		return get(get(r.globals, "Function"), key)
	}
	text := func(n *yaml.Node) string {
		s, _ := r.ev.str(r.f, n).literal()
		return s
	}
	c := &model.Code{Handler: text(prop("Handler")), Runtime: text(prop("Runtime"))}
	dir := filepath.Dir(r.f.Path)
	local := func(n *yaml.Node, setting string) {
		p := text(n)
		if p == "" || strings.Contains(p, "://") {
			return
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		c.Dir, c.Loc, c.Setting = p, rangeOf(r.f, n), setting
	}
	meta := get(rs.node, "Metadata")
	switch {
	case sam && prop("InlineCode") != nil:
		c.Inline, c.Loc, c.Setting = r.inline(prop("InlineCode"), c), rangeOf(r.f, prop("InlineCode")), "InlineCode"
	case sam && get(meta, "DockerContext") != nil:
		local(get(meta, "DockerContext"), "DockerContext")
	case sam:
		if n := prop("CodeUri"); n != nil && n.Kind == yaml.ScalarNode {
			local(n, "CodeUri")
		}
	case get(meta, "aws:asset:path") != nil && scalar(get(meta, "aws:asset:property")) == "Code":
		// A CDK asset staged in the cloud assembly: a copy of the app's
		// directory (the CDK reader maps it back to the source).
		local(get(meta, "aws:asset:path"), "aws:asset:path")
	default:
		code := get(rs.props, "Code")
		switch {
		case code != nil && code.Kind == yaml.ScalarNode:
			local(code, "Code")
		case get(code, "ZipFile") != nil:
			c.Inline, c.Loc, c.Setting = r.inline(get(code, "ZipFile"), c), rangeOf(r.f, get(code, "ZipFile")), "ZipFile"
		}
	}
	if c.Dir != "" || c.Inline != nil {
		fn.Code = c
	}
	fn.Env = r.environment(rs, sam)
}

// inline is the handler code written in the template: a YAML block's
// lines are the file's lines less their indentation, so offsets map back
// line by line; a quoted or JSON string is read but cannot be edited.
func (r *reader) inline(n *yaml.Node, c *model.Code) *model.InlineCode {
	if _, arg, ok := intrinsic(n); ok && arg != nil && arg.Kind == yaml.ScalarNode {
		n = arg // !Sub | ...: the text is the code, ${} and all
	}
	if n.Kind != yaml.ScalarNode {
		return nil
	}
	ext := ".py"
	if rt := strings.ToLower(c.Runtime); strings.HasPrefix(rt, "nodejs") {
		ext = ".js"
	} else if rt != "" && !strings.HasPrefix(rt, "python") {
		return nil
	}
	// Offset tells one function's code from another's in the same file,
	// for whoever scans it once: where its value starts.
	start := r.f.ValueStart(r.f.Offset(n.Line, n.Column))
	in := &model.InlineCode{File: r.f.Path, Offset: start, Text: []byte(n.Value), Ext: ext}
	if n.Style&(yaml.LiteralStyle) == 0 {
		if n.Style == 0 && strings.IndexByte(n.Value, '\n') < 0 && start+len(n.Value) <= len(r.f.Data) && string(r.f.Data[start:start+len(n.Value)]) == n.Value {
			in.Verbatim = true
		}
		return in
	}
	// A literal block: the content starts on the line after the
	// indicator, each line indented alike.
	d := r.f.Data
	at := start
	for at < len(d) && d[at] != '\n' {
		at++
	}
	at++
	lines := []int{} // the file offset of each line of n.Value
	indent := -1
	for i := at; i < len(d); {
		end := i
		for end < len(d) && d[end] != '\n' {
			end++
		}
		sp := 0
		for i+sp < end && d[i+sp] == ' ' {
			sp++
		}
		if indent < 0 && i+sp < end && d[i+sp] != '\r' {
			indent = sp
		}
		if indent >= 0 && sp < indent && i+sp < end && d[i+sp] != '\r' {
			break // the block is over
		}
		lines = append(lines, i)
		i = end + 1
	}
	if indent < 0 {
		return in
	}
	text := n.Value
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	in.Map = func(off int) int {
		k := 0
		for k+1 < len(starts) && starts[k+1] <= off {
			k++
		}
		if k >= len(lines) {
			return -1
		}
		o := lines[k] + indent + off - starts[k]
		if o > len(d) {
			return -1
		}
		return o
	}
	return in
}

// environment reads Environment.Variables (SAM's Globals under the
// function's own), as the function will see them where the template
// tells.
func (r *reader) environment(rs *resource, sam bool) map[string]model.EnvVar {
	out := map[string]model.EnvVar{}
	read := func(vars *yaml.Node, via string) {
		if vars == nil || vars.Kind != yaml.MappingNode {
			return
		}
		pairs(vars, func(k, v *yaml.Node) {
			ev := model.EnvVar{Loc: rangeOf(r.f, v), Via: via}
			if name, arg, ok := intrinsic(v); ok && name == "Ref" && arg != nil {
				if _, isParam := r.ev.params[arg.Value]; isParam {
					ev.Via = "parameter " + arg.Value
				}
			}
			if s, ok := r.ev.str(r.f, v).literal(); ok && v.Kind == yaml.ScalarNode {
				ev.Value, ev.Known = s, true
				if _, _, fn := intrinsic(v); !fn {
					ev.Edit = yamlpos.ReplaceString(r.f, v)
				}
			} else {
				ev.Unknown = "the template sets it to " + r.ev.str(r.f, v).text() + ", known only at deploy"
			}
			out[k.Value] = ev
		})
	}
	if sam {
		read(get(get(get(r.globals, "Function"), "Environment"), "Variables"), "Globals")
	}
	read(get(get(rs.props, "Environment"), "Variables"), "")
	if len(out) == 0 {
		return nil
	}
	return out
}
