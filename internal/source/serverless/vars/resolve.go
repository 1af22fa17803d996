package vars

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// maxDepth bounds how deep references may lead: the framework itself
// gives up long before, and a bound keeps a hostile file from exhausting
// the stack where cycle detection cannot see (ever-new keys built by
// nesting).
const maxDepth = 64

// state is one resolution in progress, for cycle detection: the scalars
// being resolved, outermost first.
type state struct {
	stack []frame
}

type frame struct {
	file *yamlpos.File
	node *yaml.Node
	text string
}

func (s *state) push(f frame) error {
	for i, g := range s.stack {
		if g.node == f.node {
			chain := make([]string, 0, len(s.stack)-i+1)
			for _, h := range s.stack[i:] {
				chain = append(chain, h.text)
			}
			chain = append(chain, f.text)
			return &Error{File: s.stack[i].file, Node: s.stack[i].node,
				Msg: "a reference cycle: " + strings.Join(chain, " → ")}
		}
	}
	if len(s.stack) >= maxDepth {
		return &Error{File: f.file, Node: f.node, Msg: fmt.Sprintf("references nest more than %d deep", maxDepth)}
	}
	s.stack = append(s.stack, f)
	return nil
}

func (s *state) pop() { s.stack = s.stack[:len(s.stack)-1] }

type memo struct {
	v   Value
	err error
}

func (r *Resolver) resolve(file *yamlpos.File, n *yaml.Node) (Value, error) {
	return r.resolveIn(&state{}, file, n)
}

func (r *Resolver) resolveIn(s *state, file *yamlpos.File, n *yaml.Node) (Value, error) {
	if n == nil {
		return Value{}, nil
	}
	if n.Kind != yaml.ScalarNode || !strings.Contains(n.Value, "${") || n.Tag != "!!str" && n.Tag != "" {
		return Value{Node: n, File: file}, nil
	}
	if m, ok := r.memo[n]; ok {
		return m.v, m.err
	}
	if err := s.push(frame{file, n, n.Value}); err != nil {
		return Value{}, err
	}
	v, err := r.text(s, file, n, n.Value)
	s.pop()
	if r.memo == nil {
		r.memo = map[*yaml.Node]memo{}
	}
	r.memo[n] = memo{v, err}
	return v, err
}

func (r *Resolver) resolveText(file *yamlpos.File, at *yaml.Node, text string) (Value, error) {
	if at == nil {
		at = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text}
	}
	return r.text(&state{}, file, at, text)
}

// text resolves a string holding variables, written in node at of file:
// a string that is one variable takes that variable's value, of any
// type; a string of several parts is a string.
func (r *Resolver) text(s *state, file *yamlpos.File, at *yaml.Node, text string) (Value, error) {
	parts, err := split(text)
	if err != nil {
		return Value{}, &Error{File: file, Node: at, Msg: err.Error()}
	}
	if len(parts) == 1 && parts[0].variable {
		v, _, err := r.variable(s, file, at, parts[0].text)
		return v, err
	}
	var b strings.Builder
	var refs []Ref
	for _, p := range parts {
		if !p.variable {
			b.WriteString(p.text)
			continue
		}
		v, _, err := r.variable(s, file, at, p.text)
		if err != nil || !v.Known() {
			return v, err
		}
		if v.Node.Kind != yaml.ScalarNode {
			return Value{}, &Error{File: file, Node: at, Msg: p.text + " is not a string, number or boolean: it cannot be part of a string"}
		}
		b.WriteString(v.Node.Value)
		refs = append(refs, v.Refs...)
	}
	return Value{Node: str(b.String()), Refs: refs}, nil
}

// variable resolves one ${...} (text is the whole variable). found is
// false when none of its alternatives has a value; then v.Unknown says
// why.
func (r *Resolver) variable(s *state, file *yamlpos.File, at *yaml.Node, text string) (v Value, found bool, err error) {
	inner := text[2 : len(text)-1]
	alts, err := alternatives(inner)
	if err != nil {
		return Value{}, false, &Error{File: file, Node: at, Msg: text + ": " + err.Error()}
	}
	var unknown string
	for i, alt := range alts {
		v, found, err := r.source(s, file, at, text, alt)
		if err != nil {
			return Value{}, false, err
		}
		if found {
			if i > 0 && len(v.Refs) > 0 {
				v.Refs[0].Fallback = true
			}
			return v, true, nil
		}
		if unknown == "" {
			unknown = v.Unknown
		}
	}
	if unknown == "" {
		unknown = text + " has no value"
	}
	return Value{Unknown: unknown}, false, nil
}

// source resolves one alternative of a variable: a source and address
// ("self:custom.timeout", "file(./x.yml):a"), a quoted string, a number,
// or a nested variable. found is false when the source has no value, so
// the next alternative (the fallback) applies; then v.Unknown says why.
func (r *Resolver) source(s *state, file *yamlpos.File, at *yaml.Node, text, alt string) (v Value, found bool, err error) {
	alt = strings.TrimSpace(alt)
	// The address may itself hold variables: ${self:custom.${sls:stage}}.
	if strings.Contains(alt, "${") {
		if parts, err := split(alt); err == nil && len(parts) == 1 && parts[0].variable {
			return r.variable(s, file, at, parts[0].text)
		}
		sub, err := r.text(s, file, at, alt)
		if err != nil || !sub.Known() {
			return sub, err == nil, err
		}
		alt = sub.Scalar()
	}
	if alt == "" {
		return Value{Unknown: text + " is empty"}, false, nil
	}
	if q := alt[0]; q == '\'' || q == '"' {
		if len(alt) < 2 || alt[len(alt)-1] != q {
			return Value{}, false, &Error{File: file, Node: at, Msg: text + ": an unterminated string"}
		}
		return Value{Node: str(alt[1 : len(alt)-1]), Refs: []Ref{{Text: text, File: file, Node: at, Kind: ""}}}, true, nil
	}
	if _, err := strconv.ParseFloat(alt, 64); err == nil {
		return Value{Node: &yaml.Node{Kind: yaml.ScalarNode, Tag: numberTag(alt), Value: alt}, Refs: []Ref{{Text: text, File: file, Node: at}}}, true, nil
	}
	if alt == "true" || alt == "false" || alt == "null" {
		tag := "!!bool"
		if alt == "null" {
			tag = "!!null"
		}
		return Value{Node: &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: alt}, Refs: []Ref{{Text: text, File: file, Node: at}}}, true, nil
	}
	kind, arg, addr, ok := parseSource(alt)
	if !ok {
		return Value{}, false, &Error{File: file, Node: at, Msg: text + ": " + strconv.Quote(alt) + " is not a variable source"}
	}
	ref := Ref{Text: text, Kind: kind, Key: addr, File: file, Node: at}
	if kind == "file" || kind == "strToBool" {
		ref.Key = arg
	}
	withRef := func(v Value) Value {
		v.Refs = append([]Ref{ref}, v.Refs...)
		return v
	}
	switch kind {
	case "self":
		v, ok, err := r.pathIn(s, addr)
		if err != nil {
			return Value{}, false, err
		}
		if !ok {
			return Value{Unknown: text + ": serverless.yml has no " + orRoot(addr)}, false, nil
		}
		return withRef(v), v.Unknown != "" || v.Node != nil && v.Node.Tag != "!!null", nil
	case "opt":
		if val, ok := r.o.Params[addr]; ok {
			return withRef(Value{Node: str(val)}), true, nil
		}
		return Value{Unknown: text + ": no --param " + addr + "=... was given"}, false, nil
	case "param":
		return r.param(s, text, addr, withRef)
	case "sls":
		switch addr {
		case "stage":
			v, err := r.stage(s, file, at)
			if err != nil {
				return Value{}, false, err
			}
			return withRef(v), true, nil
		}
		return Value{Unknown: text + " is known only when the framework runs"}, true, nil
	case "env":
		if r.o.Env != nil {
			if val, ok := r.o.Env(addr); ok {
				return withRef(Value{Node: str(val)}), true, nil
			}
		}
		return Value{Unknown: text + ": the environment variable " + addr + " is not set here"}, false, nil
	case "file":
		return r.file(s, file, at, text, arg, addr, withRef)
	case "strToBool":
		return r.strToBool(s, file, at, text, arg, withRef)
	case "aws":
		if addr == "region" {
			return r.region(s, withRef)
		}
		if strings.HasPrefix(addr, "ssm:") || strings.HasPrefix(addr, "s3:") {
			if r.o.Version >= 4 {
				return Value{Unknown: text + " is read from AWS at deploy time"}, true, nil
			}
		}
		return Value{Unknown: text + " is read from the AWS account at deploy time"}, true, nil
	case "ssm":
		return Value{Unknown: text + " is read from SSM Parameter Store at deploy time"}, true, nil
	case "cf":
		return Value{Unknown: text + " is read from another stack's outputs at deploy time"}, true, nil
	case "s3":
		return Value{Unknown: text + " is read from S3 at deploy time"}, true, nil
	}
	return Value{Unknown: text + " is resolved by the " + kind + " resolver at deploy time"}, true, nil
}

func orRoot(addr string) string {
	if addr == "" {
		return "content"
	}
	return addr
}

func (r *Resolver) stage(s *state, file *yamlpos.File, at *yaml.Node) (Value, error) {
	if val, ok := r.o.Params["stage"]; ok {
		return Value{Node: str(val), Refs: []Ref{{Text: "${opt:stage}", Kind: "opt", Key: "stage"}}}, nil
	}
	v, ok, err := r.pathIn(s, "provider.stage")
	if err != nil || ok && (v.Unknown != "" || v.Node != nil && v.Node.Tag != "!!null") {
		return v, err
	}
	return Value{Node: str("dev"), Refs: []Ref{{Text: "the framework's default stage", Kind: "default", Key: "stage"}}}, nil
}

func (r *Resolver) region(s *state, withRef func(Value) Value) (Value, bool, error) {
	if val, ok := r.o.Params["region"]; ok {
		return withRef(Value{Node: str(val)}), true, nil
	}
	v, ok, err := r.pathIn(s, "provider.region")
	if err != nil || ok {
		return withRef(v), ok || err != nil, err
	}
	return withRef(Value{Node: str("us-east-1")}), true, nil
}

// param is ${param:name}: the stage's entry of the file's params, else
// its default entry, else a --param of that name.
func (r *Resolver) param(s *state, text, name string, withRef func(Value) Value) (Value, bool, error) {
	stage, err := r.stage(s, nil, nil)
	if err != nil {
		return Value{}, false, err
	}
	if stage.Known() {
		for _, p := range []string{"params." + stage.Scalar() + "." + name, "params.default." + name} {
			if v, ok, err := r.pathIn(s, p); err != nil || ok {
				return withRef(v), true, err
			}
		}
	}
	if val, ok := r.o.Params[name]; ok {
		return withRef(Value{Node: str(val)}), true, nil
	}
	return Value{Unknown: text + ": no params entry and no --param " + name + "=... was given"}, false, nil
}

func (r *Resolver) strToBool(s *state, file *yamlpos.File, at *yaml.Node, text, arg string, withRef func(Value) Value) (Value, bool, error) {
	arg = strings.TrimSpace(arg)
	if strings.Contains(arg, "${") {
		v, err := r.text(s, file, at, arg)
		if err != nil || !v.Known() {
			return v, err == nil, err
		}
		arg = v.Scalar()
	}
	switch strings.TrimSpace(arg) {
	case "true", "1":
		return withRef(Value{Node: &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"}}), true, nil
	case "false", "0":
		return withRef(Value{Node: &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "false"}}), true, nil
	}
	return Value{}, false, &Error{File: file, Node: at, Msg: text + ": strToBool takes true, false, 1 or 0, not " + strconv.Quote(arg)}
}

// file is ${file(path):address}: a YAML or JSON document in the project,
// or its value at address. A path that leaves the project directory is
// refused: gatelint reads only what the user gave it. A JavaScript file
// is code, which gatelint never runs.
func (r *Resolver) file(s *state, from *yamlpos.File, at *yaml.Node, text, arg, addr string, withRef func(Value) Value) (Value, bool, error) {
	arg = strings.TrimSpace(arg)
	if strings.Contains(arg, "${") {
		v, err := r.text(s, from, at, arg)
		if err != nil || !v.Known() {
			return v, err == nil, err
		}
		arg = v.Scalar()
	}
	arg = strings.Trim(arg, `'"`)
	if arg == "" {
		return Value{}, false, &Error{File: from, Node: at, Msg: text + ": no file named"}
	}
	path := arg
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.o.Dir, path)
	}
	path = filepath.Clean(path)
	rel, err := filepath.Rel(filepath.Clean(r.o.Dir), path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return Value{}, false, &Error{File: from, Node: at, Msg: text + ": " + arg + " is outside the project directory " + r.o.Dir + "; gatelint reads only files within it"}
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".js", ".cjs", ".mjs", ".ts":
		return Value{Unknown: text + " is computed by code, which gatelint does not run"}, true, nil
	}
	f, err := r.load(path)
	if os.IsNotExist(err) {
		return Value{Unknown: text + ": " + arg + " does not exist"}, false, nil
	}
	if err != nil {
		return Value{}, false, &Error{File: from, Node: at, Msg: text + ": " + err.Error()}
	}
	root := Value{Node: f.Root, File: f}
	if f.Root == nil {
		return Value{Unknown: text + ": " + arg + " is empty"}, false, nil
	}
	if addr == "" {
		return withRef(root), true, nil
	}
	v, ok, err := r.walk(s, root, addr)
	if err != nil || !ok {
		if err == nil {
			v.Unknown = text + ": " + arg + " has no " + addr
		}
		return v, false, err
	}
	return withRef(v), true, nil
}

func (r *Resolver) load(path string) (*yamlpos.File, error) {
	if f, ok := r.files[path]; ok {
		return f.f, f.err
	}
	read := r.o.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	data, err := read(path)
	var f *yamlpos.File
	if err == nil {
		f, err = yamlpos.Parse(path, data)
	}
	if r.files == nil {
		r.files = map[string]loaded{}
	}
	r.files[path] = loaded{f, err}
	return f, err
}

type loaded struct {
	f   *yamlpos.File
	err error
}

func (r *Resolver) path(path string) (Value, bool, error) {
	return r.pathIn(&state{}, path)
}

func (r *Resolver) pathIn(s *state, path string) (Value, bool, error) {
	root, err := r.resolveIn(s, r.root, r.root.Root)
	if err != nil {
		return Value{}, false, err
	}
	if path == "" {
		return root, r.root.Root != nil, nil
	}
	return r.walk(s, root, path)
}

// walk follows a dotted address from cur, resolving every step.
func (r *Resolver) walk(s *state, cur Value, path string) (Value, bool, error) {
	refs := cur.Refs
	for _, k := range strings.Split(path, ".") {
		if !cur.Known() {
			return cur, true, nil
		}
		var child *yaml.Node
		switch cur.Node.Kind {
		case yaml.MappingNode:
			child = yamlpos.Get(cur.Node, k)
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(k); err == nil && i >= 0 && i < len(cur.Node.Content) {
				child = cur.Node.Content[i]
			}
		}
		if child == nil {
			return Value{}, false, nil
		}
		v, err := r.resolveIn(s, cur.File, child)
		if err != nil {
			return Value{}, false, err
		}
		refs = append(refs[:len(refs):len(refs)], v.Refs...)
		cur = v
	}
	cur.Refs = refs
	return cur, true, nil
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func numberTag(s string) string {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return "!!int"
	}
	return "!!float"
}

// parseSource splits "self:custom.t" into ("self", "", "custom.t") and
// "file(./x.yml):a.b" into ("file", "./x.yml", "a.b").
func parseSource(alt string) (kind, arg, addr string, ok bool) {
	i := strings.IndexAny(alt, ":(")
	if i <= 0 {
		return "", "", "", false
	}
	kind = alt[:i]
	for _, c := range kind {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return "", "", "", false
		}
	}
	rest := alt[i:]
	if rest[0] == '(' {
		depth, j := 0, 0
		for j = 0; j < len(rest); j++ {
			if rest[j] == '(' {
				depth++
			} else if rest[j] == ')' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j == len(rest) {
			return "", "", "", false
		}
		arg, rest = rest[1:j], rest[j+1:]
		if rest == "" {
			return kind, arg, "", true
		}
		if rest[0] != ':' {
			return "", "", "", false
		}
	}
	return kind, arg, strings.TrimSpace(rest[1:]), true
}

type part struct {
	text     string
	variable bool
}

// split cuts a string into its literal text and its ${...} variables,
// whose braces may nest.
func split(s string) ([]part, error) {
	var parts []part
	lit := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) || s[i+1] != '{' || !startsVariable(s[i+2:]) {
			continue
		}
		end, err := closing(s, i)
		if err != nil {
			return nil, err
		}
		if i > lit {
			parts = append(parts, part{text: s[lit:i]})
		}
		parts = append(parts, part{text: s[i : end+1], variable: true})
		lit = end + 1
		i = end
	}
	if lit < len(s) {
		parts = append(parts, part{text: s[lit:]})
	}
	return parts, nil
}

// startsVariable reports whether s, what follows a "${", opens one of
// the framework's variables: a source type (lower-case letter, then
// letters, digits, dots and dashes) and ':' or '('. Anything else is
// left as it is written, as the framework's parser does
// (lib/configuration/variables/parse.js, state "foreign"): CloudFormation's
// ${AWS::Region} in a !Sub, API Gateway's ${stageVariables.name}.
func startsVariable(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == ':' || c == '(':
			return true
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-':
		default:
			return false
		}
	}
	return false
}

// closing finds the brace that closes the variable starting at s[i],
// skipping quoted fallbacks.
func closing(s string, i int) (int, error) {
	depth := 0
	var quote byte
	for j := i; j < len(s); j++ {
		c := s[j]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return j, nil
			}
		}
	}
	return 0, fmt.Errorf("%s: a variable with no closing }", s[i:])
}

// alternatives splits a variable's content at its top-level commas: the
// source, then its fallbacks.
func alternatives(s string) ([]string, error) {
	var out []string
	depth, start := 0, 0
	var quote byte
	for j := 0; j < len(s); j++ {
		c := s[j]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '{' || c == '(':
			depth++
		case c == '}' || c == ')':
			depth--
		case c == ',' && depth == 0:
			out = append(out, s[start:j])
			start = j + 1
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("an unterminated string")
	}
	out = append(out, s[start:])
	return out, nil
}
