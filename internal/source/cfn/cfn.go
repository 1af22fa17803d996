// Package cfn reads CloudFormation, SAM, CDK-synthesized and OpenAPI
// documents as written — never transformed — and fills the model with
// values that remember the exact bytes they came from, and the edits
// that change them. It also reads the files CloudFormation parameter
// values are kept in.
package cfn

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/samconfig"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// Reader is the CloudFormation source.
type Reader struct{}

// Name is what the source reads.
func (Reader) Name() string { return "CloudFormation template" }

// templateExt lists what a walk offers the reader.
var templateExt = map[string]bool{".yaml": true, ".yml": true, ".json": true, ".template": true}

// Wants reports whether a walked file may be a template, by its name.
func (Reader) Wants(path string) bool { return templateExt[strings.ToLower(filepath.Ext(path))] }

// Read reads one template into b, in each environment its samconfig
// file defines (or the one selected).
func (Reader) Read(f *source.File, b *model.Builder) source.Outcome {
	var declared, nested []string
	opts := Options{Params: f.Params, ReadFile: f.Include,
		OnParameters: func(names []string) { declared = append(declared, names...) },
		OnNested:     func(path string) { nested = append(nested, path) }}
	var envErrs []finding.InputError
	if LooksLikeTemplate(f.Data) || f.Named {
		opts.Envs, envErrs = environments(f)
		if f.ParamsFile != "" {
			read := f.Include
			if read == nil {
				read = os.ReadFile
			}
			if data, err := read(f.ParamsFile); err == nil {
				opts.ParamsAt, opts.FlagParams = LocateParams(f.ParamsFile, data), f.FlagParams
			}
		}
	}
	isTemplate, errs := Load(b, f.Path, f.Data, opts)
	if isTemplate {
		errs = append(envErrs, errs...)
	}
	o := read(f, isTemplate, errs)
	o.Declared, o.Nested = declared, nested
	return o
}

// read words what became of a template.
func read(f *source.File, isTemplate bool, errs []finding.InputError) source.Outcome {
	switch {
	case len(errs) > 0 && !isTemplate && !LooksLikeTemplate(f.Data):
		// A YAML file of another tool, or a broken package.json: none of
		// our business unless named.
		return source.Outcome{Label: "does not parse and does not look like a template", Errors: errs}
	case len(errs) > 0 && !isTemplate:
		return source.Outcome{Claimed: true, Label: "error", Errors: errs}
	case len(errs) > 0:
		return source.Outcome{Claimed: true, Read: true, Label: "template (with errors)", Errors: errs}
	case !isTemplate:
		return source.Outcome{Label: "not a template (no Resources section)", IfNamed: "not a CloudFormation template: no Resources section"}
	}
	return source.Outcome{Claimed: true, Read: true, Label: "template"}
}

// Reparse checks a patched template (or an OpenAPI document a template
// includes, or its samconfig file) before a fix is written: it must still
// read, with no more problems than before, and stay what it was.
func (Reader) Reparse(path string, before, after []byte) error {
	if samconfig.IsName(path) {
		was, err := samconfig.Parse(path, before)
		if err != nil {
			return nil // nothing of it was read
		}
		now, err := samconfig.Parse(path, after)
		if err != nil {
			return err
		}
		if len(now.Envs) != len(was.Envs) {
			return errors.New("it would define other environments")
		}
		return nil
	}
	noIncludes := Options{ReadFile: func(string) ([]byte, error) { return nil, errNotRead }}
	ok, errs := Load(model.NewBuilder(), path, after, noIncludes)
	if ok && len(errs) == 0 {
		return nil
	}
	wasOK, wasErrs := Load(model.NewBuilder(), path, before, noIncludes)
	switch {
	case wasOK && !ok:
		if len(errs) > 0 {
			return errs[0]
		}
		return errors.New("it would no longer be a template")
	case wasOK || len(errs) > len(wasErrs):
		return errs[0]
	}
	// A --params-file must still give the same parameters.
	if was, err := ParseParamsFile(path, before); err == nil && len(was) > 0 {
		now, err := ParseParamsFile(path, after)
		if err != nil {
			return err
		}
		if !maps.EqualFunc(was, now, func(string, string) bool { return true }) {
			return errors.New("it would give other parameters")
		}
		return nil
	}
	// Not a template before either: an OpenAPI document a template reads,
	// which must still parse and still be one.
	was, err := yamlpos.Parse(path, before)
	if err != nil {
		return nil // it did not parse before: nothing of it was read
	}
	now, err := yamlpos.Parse(path, after)
	if err != nil {
		return yamlpos.ParseError(path, err)
	}
	if isOpenAPI(was.Root) && !isOpenAPI(now.Root) {
		return errors.New("it would no longer be an OpenAPI document")
	}
	return nil
}

// errNotRead is what a reader that reads no included file (Reparse) says
// of one: nothing is wrong with the file, it is just not read.
var errNotRead = errors.New("not read")

// isOpenAPI reports whether a document's root reads as OpenAPI.
func isOpenAPI(n *yaml.Node) bool {
	return get(n, "paths") != nil || get(n, "openapi") != nil || get(n, "swagger") != nil
}

// looksLikeTemplate is how a walked file that fails to parse is told from
// any other YAML or JSON file: it names CloudFormation's own keys.
var looksLikeTemplate = regexp.MustCompile(`(?m)^\s*"?(AWSTemplateFormatVersion|Resources|Transform)"?\s*:`)

// LooksLikeTemplate reports whether data, which may not parse, reads like
// a CloudFormation template. A UTF-16 file cannot be matched as text; it
// counts, so that its error ("save it as UTF-8") is not skipped silently.
func LooksLikeTemplate(data []byte) bool {
	return looksLikeTemplate.Match(data) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff})
}

// environments finds the samconfig file SAM CLI would read for f (beside
// it, or the one given) and the environments in it that deploy f: those
// whose template_file names it, or names none.
func environments(f *source.File) ([]Env, []finding.InputError) {
	path := f.Environments.File
	if path == "" {
		path = samconfig.Find(filepath.Dir(f.Path), samconfig.Exists)
	}
	if path == "" {
		return nil, nil
	}
	read := f.Include
	if read == nil {
		read = os.ReadFile
	}
	data, err := read(path)
	if err != nil {
		return nil, []finding.InputError{{File: path, Message: finding.PathMessage(err), Usage: f.Environments.File != ""}}
	}
	sc, err := samconfig.Parse(path, data)
	if err != nil {
		return nil, []finding.InputError{{File: path, Message: "cannot read the SAM config: " + err.Error()}}
	}
	selected, err := sc.Select(f.Environments.Name)
	if err != nil {
		return nil, []finding.InputError{{File: path, Message: err.Error(), Usage: true}}
	}
	self, _ := filepath.Abs(f.Path)
	var out []Env
	for _, e := range selected {
		if e.TemplateFile != "" {
			tf := e.TemplateFile
			if !filepath.IsAbs(tf) {
				tf = filepath.Join(filepath.Dir(path), tf)
			}
			if abs, _ := filepath.Abs(tf); abs != self {
				continue
			}
		}
		env := Env{Name: e.Name, Kind: samconfig.Kind, Params: map[string]EnvParam{}}
		for _, p := range e.Params {
			env.Params[p.Key] = EnvParam{Env: e.Name, Kind: samconfig.Kind, Value: p.Value, Loc: p.Loc, Edit: p.Edit}
		}
		out = append(out, env)
	}
	return out, nil
}
