// Package vars resolves the Serverless Framework's variables (${self:...},
// ${opt:...}, ${sls:stage}, ${env:...}, ${file(...):...}, ${strToBool(...)},
// fallbacks and nesting) offline, the way the framework's resolver does
// before it compiles serverless.yml, while keeping what every value came
// from: the node it is written in, in which file, through which
// references. Variables the framework reads from AWS at deploy time
// (${ssm:}, ${cf:}, ${s3:}, ${aws:}) resolve to values that say they are
// unknown, and why.
//
// Resolution is lazy, one node at a time, as the reader asks for what it
// needs: a part of the file the reader never reads is never resolved, so a
// ${ssm:} in a section gatelint does not judge costs nothing and says
// nothing.
package vars

import (
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// Options are what the framework would take from the command line and the
// machine.
type Options struct {
	// Dir is the project directory (the one holding serverless.yml):
	// ${file()} paths are relative to it and may not leave it.
	Dir string
	// Params are the CLI options, for ${opt:name} (--param stage=prod).
	Params map[string]string
	// Env looks up an environment variable for ${env:NAME}; nil: none is
	// set. The caller decides what the environment is (the process's,
	// .env files).
	Env func(name string) (string, bool)
	// Version is the framework's major version (3 or 4): v4 reads
	// ${aws:ssm:...} and ${aws:s3:...} too.
	Version int
	// ReadFile reads a file ${file()} names; nil: os.ReadFile. The reader
	// passes source.File.Include so the file's bytes are kept for fixes.
	ReadFile func(path string) ([]byte, error)
}

// Resolver resolves the variables of one serverless.yml.
type Resolver struct {
	root *yamlpos.File
	o    Options
	// memo holds each scalar's resolution: a value read by many functions
	// (provider.timeout) is resolved once.
	memo map[*yaml.Node]memo
	// files are the documents ${file()} read, by path.
	files map[string]loaded
}

// New makes the resolver of root, the parsed serverless.yml.
func New(root *yamlpos.File, o Options) *Resolver {
	return &Resolver{root: root, o: o}
}

// Value is a node after resolution.
type Value struct {
	// Node is the resolved node: n itself when it holds no variable, the
	// node a whole-value reference leads to (a mapping ${file()} reads, the
	// scalar ${self:custom.timeout} names), or a new scalar for a string
	// made of several parts or of a value with no place (an ${opt:} or
	// ${env:} value). Nil when Unknown is set.
	Node *yaml.Node
	// File is the file Node is written in; nil for a new scalar.
	File *yamlpos.File
	// Refs are the references followed to reach the value, outermost
	// first; empty for a node that holds no variable.
	Refs []Ref
	// Unknown says why the value cannot be known offline: "${ssm:/app/t}
	// is read from SSM Parameter Store at deploy time". Empty when known.
	Unknown string
}

// Ref is one reference followed.
type Ref struct {
	// Text is the variable as written: "${self:custom.timeout}".
	Text string
	// Kind is its source: "self", "opt", "sls", "env", "file",
	// "strToBool", "param", "ssm", "cf", "s3", "aws"; "default" for the
	// framework's own default (the stage "dev"); "" for a literal fallback.
	Kind string
	// Key is what it names: "custom.timeout", "stage", "./config.yml".
	Key string
	// File and Node are the scalar the reference is written in.
	File *yamlpos.File
	Node *yaml.Node
	// Fallback is true when the reference's own source had no value and
	// the value came from its fallback (", 'dev'").
	Fallback bool
}

// Known reports whether the value could be resolved.
func (v Value) Known() bool { return v.Unknown == "" && v.Node != nil }

// Scalar is the resolved node's value when it is a scalar; "" otherwise.
func (v Value) Scalar() string { return yamlpos.Scalar(v.Node) }

// Literal reports whether the value is written as it is where the reader
// found it: no variable on the way.
func (v Value) Literal() bool { return len(v.Refs) == 0 }

// Error is a variable that cannot be resolved at all: a reference cycle,
// a ${file()} that leaves the project or does not exist, a malformed
// variable. It names the file and line of the variable.
type Error struct {
	File *yamlpos.File
	Node *yaml.Node
	Msg  string
}

func (e *Error) Error() string {
	if e.File == nil || e.Node == nil {
		return e.Msg
	}
	return e.File.Range(e.Node).String() + ": " + e.Msg
}

// Resolve resolves n, a node of file (root, or a file a reference led
// to). A mapping or sequence is returned as it is (its children resolve
// when asked for); a scalar's variables are resolved.
func (r *Resolver) Resolve(file *yamlpos.File, n *yaml.Node) (Value, error) {
	return r.resolve(file, n)
}

// Get resolves the value of key in the resolved mapping m (a mapping in
// file), or a zero Value when m has no such key.
func (r *Resolver) Get(m Value, key string) (Value, bool, error) {
	if m.Node == nil || m.Node.Kind != yaml.MappingNode {
		return Value{}, false, nil
	}
	v := yamlpos.Get(m.Node, key)
	if v == nil {
		return Value{}, false, nil
	}
	rv, err := r.Resolve(m.File, v)
	return rv, true, err
}

// Path resolves a dotted path from the document's root
// ("provider.timeout"), every step resolved.
func (r *Resolver) Path(path string) (Value, bool, error) {
	return r.path(path)
}

// Files are the files ${file()} variables read so far, in sorted order:
// they are part of the service (a resources file it includes is not a
// template of its own).
func (r *Resolver) Files() []string {
	var out []string
	for p, l := range r.files {
		if l.err == nil {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// Stage is ${sls:stage}: --param stage, else provider.stage, else "dev".
func (r *Resolver) Stage() (string, error) {
	v, err := r.resolveText(r.root, nil, "${sls:stage}")
	if err != nil {
		return "", err
	}
	if !v.Known() {
		return "", nil
	}
	return v.Scalar(), nil
}
