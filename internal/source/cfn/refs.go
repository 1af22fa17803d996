package cfn

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// OpenAPI $ref: an operation's x-amazon-apigateway-integration written
// once under components (`$ref: '#/components/x-amazon-apigateway-
// integrations/get-items'`, as HTTP APIs and the terraform-aws-modules
// examples write it), and path items or integrations in other local
// files (`$ref: 'paths/items.yaml'`, `'integrations.yaml#/get'`). A
// chain of refs is followed; one that comes back to itself is an error,
// as it is for API Gateway's import.

// refs is what the reader keeps of the documents $refs reach.
type refs struct {
	files map[string]*yamlpos.File
	// integrations are the model's integration for each integration node
	// read, so that one written once and referred to by several
	// operations is one integration (one finding, one fix).
	integrations map[*yaml.Node]*model.Integration
}

const maxRefChain = 32

// doc is an OpenAPI document: the file it is in and its root, which a
// "#/..." pointer starts from (a body inline in a template is a node of
// the template).
type doc struct {
	f    *yamlpos.File
	root *yaml.Node
}

// deref follows n's $ref, if it has one, to the node it points at and the
// document that holds it; nil when it cannot be followed (said as an
// error).
func (r *reader) deref(d doc, n *yaml.Node) (doc, *yaml.Node) {
	var chain []string
	for range maxRefChain {
		ref := scalar(get(n, "$ref"))
		if ref == "" {
			return d, n
		}
		file, pointer, _ := strings.Cut(ref, "#")
		target := d
		if file != "" {
			if strings.Contains(file, "://") {
				return d, nil // a remote document: nothing local to read
			}
			f := r.refFile(d.f, get(n, "$ref"), file)
			if f == nil {
				return d, nil
			}
			target = doc{f, f.Root}
		}
		key := target.f.Path + "#" + pointer
		for _, c := range chain {
			if c == key {
				r.errorIn(d.f, get(n, "$ref"), "$ref %q comes back to itself (%s): API Gateway cannot import a cycle", ref, strings.Join(append(chain, key), " → "))
				return d, nil
			}
		}
		chain = append(chain, key)
		next := pointerIn(target.root, pointer)
		if next == nil {
			r.errorIn(d.f, get(n, "$ref"), "$ref %q points at nothing in %s", ref, target.f.Path)
			return d, nil
		}
		d, n = target, next
	}
	r.errorIn(d.f, n, "a chain of more than %d $refs", maxRefChain)
	return d, nil
}

// refFile reads a local file a $ref names, relative to the file it is in.
func (r *reader) refFile(from *yamlpos.File, at *yaml.Node, name string) *yamlpos.File {
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(from.Path), p)
	}
	if r.refs == nil {
		r.refs = &refs{files: map[string]*yamlpos.File{}}
	}
	if f, ok := r.refs.files[p]; ok {
		return f
	}
	r.refs.files[p] = nil
	data, err := r.opts.ReadFile(p)
	switch {
	case errors.Is(err, errNotRead):
		return nil
	case errors.Is(err, fs.ErrNotExist):
		r.errorIn(from, at, "$ref %s: %s is not there: the deploy would fail", name, p)
		return nil
	case err != nil:
		r.errorIn(from, at, "$ref %s: cannot read %s: %v", name, p, err)
		return nil
	}
	f, err := yamlpos.Parse(p, data)
	if err != nil {
		e := yamlpos.ParseError(p, err)
		e.Message += " (a $ref of " + from.Range(at).String() + ")"
		r.errs = append(r.errs, e)
		return nil
	}
	r.refs.files[p] = f
	return f
}

// pointerIn resolves a JSON pointer ("/components/x/y"; "" is the root).
func pointerIn(root *yaml.Node, pointer string) *yaml.Node {
	n := root
	if pointer == "" || pointer == "/" {
		return n
	}
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch {
		case n == nil:
			return nil
		case n.Kind == yaml.MappingNode:
			n = get(n, tok)
		case n.Kind == yaml.SequenceNode:
			var i int
			if _, err := fmt.Sscan(tok, &i); err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
		default:
			return nil
		}
	}
	return n
}

// errorIn is an input error at n of file f (the template or a document it
// reaches).
func (r *reader) errorIn(f *yamlpos.File, n *yaml.Node, format string, args ...any) {
	e := finding.InputError{File: f.Path, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line = n.Line
	}
	r.errs = append(r.errs, e)
}

// sharedIntegration returns the integration already read from node n, if
// any; remember records one.
func (r *reader) sharedIntegration(n *yaml.Node) *model.Integration {
	if r.refs == nil {
		return nil
	}
	return r.refs.integrations[n]
}

func (r *reader) remember(n *yaml.Node, in *model.Integration) {
	if r.refs == nil {
		r.refs = &refs{files: map[string]*yamlpos.File{}}
	}
	if r.refs.integrations == nil {
		r.refs.integrations = map[*yaml.Node]*model.Integration{}
	}
	r.refs.integrations[n] = in
}

// aliasNote says when a file's aliases were not expanded.
func aliasNote(b *model.Builder, f *yamlpos.File) {
	if f.AliasBomb {
		b.Notef(rangeOf(f, f.Root), "the YAML aliases of %s would expand to far more nodes than the file has (an alias bomb?): they were not expanded, and what they stand for is not checked", f.Path)
	}
}
