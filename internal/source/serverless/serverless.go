// Package serverless reads Serverless Framework services (serverless.yml,
// serverless.yaml, serverless.json) as written, with their variables
// resolved offline by package vars, into the model the compiled
// CloudFormation template would give: the same functions, endpoints,
// integration timeouts, queues and stages, under the logical IDs the
// framework gives them (naming.go), but located on the lines of
// serverless.yml, so findings and fixes land where the user writes. The
// framework's semantics are v3's unless frameworkVersion says 4.
// `resources` is plain CloudFormation, read by the CloudFormation reader
// from its place in the file. serverless.ts and serverless.js are code,
// which gatelint never runs.
package serverless

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// Reader is the Serverless Framework source.
type Reader struct{}

// Name is what the source reads.
func (Reader) Name() string { return "Serverless Framework service" }

// Wants reports whether a walked file may be a service file, by its name.
func (Reader) Wants(path string) bool {
	switch strings.ToLower(filepath.Base(path)) {
	case "serverless.yml", "serverless.yaml", "serverless.json":
		return true
	}
	return isCode(path)
}

// isCode reports whether path is a service written as code.
func isCode(path string) bool {
	switch strings.ToLower(filepath.Base(path)) {
	case "serverless.ts", "serverless.js", "serverless.mjs", "serverless.cjs":
		return true
	}
	return false
}

// looksLikeService tells a file that may be a service from one that
// cannot be, before parsing it (a named 30 MB template is not parsed a
// second time for this reader), and a service file that does not parse
// from any other YAML: it names the framework's own top-level key.
var looksLikeService = regexp.MustCompile(`(?m)^[ \t{]*"?service"?\s*:`)

// Read reads one service file into b.
func (Reader) Read(f *source.File, b *model.Builder) source.Outcome {
	if isCode(f.Path) {
		if !bytes.Contains(f.Data, []byte("provider")) {
			return source.Outcome{}
		}
		b.Notef(loc.Range{File: f.Path}, "%s is a Serverless service written as code, which gatelint does not run: run `serverless print` to see the configuration it makes, or `serverless package` and check .serverless/cloudformation-template-update-stack.json", filepath.Base(f.Path))
		return source.Outcome{Claimed: true, Label: "Serverless service in code (not run)"}
	}
	if !looksLikeService.Match(f.Data) {
		return source.Outcome{}
	}
	yf, err := yamlpos.Parse(f.Path, f.Data)
	if err != nil {
		return source.Outcome{Claimed: true, Label: "error", Errors: []finding.InputError{yamlpos.ParseError(f.Path, err)}}
	}
	if !IsService(yf.Root) {
		// Another tool's YAML, or a service for another cloud: the next
		// reader's word stands.
		return source.Outcome{}
	}
	errs, files := read(b, yf, f)
	o := source.Outcome{Claimed: true, Read: true, Label: "Serverless service", Declared: declared(f.Data), Includes: files}
	if len(errs) > 0 {
		o.Label, o.Errors = "Serverless service (with errors)", errs
	}
	return o
}

// optionRef finds the CLI options and params a service reads.
var optionRef = regexp.MustCompile(`\$\{\s*(?:opt|param):([\w.-]+)`)

// declared are what --param may set: the framework's own options (stage,
// region) and every ${opt:} and ${param:} the file reads.
func declared(data []byte) []string {
	out := []string{"stage", "region"}
	for _, m := range optionRef.FindAllSubmatch(data, -1) {
		if n := string(m[1]); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// IsService reports whether root reads as a Serverless service for AWS:
// `service:` and `provider: name: aws` (or `provider: aws`).
func IsService(root *yaml.Node) bool {
	if root == nil || root.Kind != yaml.MappingNode || yamlpos.Get(root, "service") == nil {
		return false
	}
	p := yamlpos.Get(root, "provider")
	if p == nil {
		return false
	}
	if p.Kind == yaml.ScalarNode {
		return p.Value == "aws"
	}
	return yamlpos.Scalar(yamlpos.Get(p, "name")) == "aws"
}

// Reparse checks a patched service file before a fix is written: it must
// still read as a service, with no more errors than before. A file a
// ${file()} reads must still parse.
func (Reader) Reparse(path string, before, after []byte) error {
	now, err := yamlpos.Parse(path, after)
	if err != nil {
		return yamlpos.ParseError(path, err)
	}
	was, err := yamlpos.Parse(path, before)
	if err != nil || !IsService(was.Root) {
		return nil // a file a variable reads: it parses, which is all it must
	}
	if !IsService(now.Root) {
		return errors.New("it would no longer be a Serverless service")
	}
	f := &source.File{Path: path, Include: func(string) ([]byte, error) { return nil, errNotRead }}
	wasErrs, _ := read(model.NewBuilder(), was, f)
	nowErrs, _ := read(model.NewBuilder(), now, f)
	if len(nowErrs) > len(wasErrs) {
		return fmt.Errorf("it would read with more errors: %w", nowErrs[len(nowErrs)-1])
	}
	return nil
}

// errNotRead is what Reparse says of a file a variable names: nothing is
// wrong with it, it is just not read again.
var errNotRead = errors.New("not read")
