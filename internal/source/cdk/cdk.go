// Package cdk reads the templates of a CDK cloud assembly (cdk.out) and
// locates what they define in the CDK app's own source: a user never
// edits cdk.out/*.template.json, whose fixes the next `cdk synth` loses.
//
// It builds on the CloudFormation reader: cfn.Load reads the synthesized
// template into the model as for any template, then every resource and
// value read from it is located again, at the app's line the assembly's
// traces name (the construct's creation, or a property assigned after
// it), and each value's remedy is replaced by an edit of that source
// line (the Duration call, or one inserted property). The template's
// place is kept as a neutral, generated location (model.Builder.Generated)
// that a driver processor adds to findings as related; the rules never
// learn about CDK. Where the app's line cannot be found the template
// location stays, with a note that says why; nothing is located by
// guess. gatelint never runs the app: it reads what `cdk synth` wrote.
package cdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/cfn"
)

// Reader is the CDK source: templates inside a cloud assembly. It must
// come before the CloudFormation reader in the driver's list, which reads
// every other template.
type Reader struct{}

var _ source.Regenerated = Reader{}

// Name is what the source reads.
func (Reader) Name() string { return "CDK cloud assembly template" }

// Wants reports whether a walked file may be a synthesized template.
func (Reader) Wants(path string) bool {
	return strings.HasSuffix(strings.ToLower(path), ".template.json")
}

// Read reads a template of a cloud assembly into b, located in the app's
// source where the assembly's traces allow. A template outside an
// assembly is declined without a word, for the CloudFormation reader.
func (Reader) Read(f *source.File, b *model.Builder) source.Outcome {
	read := f.Include
	if read == nil {
		read = os.ReadFile
	}
	if !Reader.Wants(Reader{}, f.Path) {
		return source.Outcome{}
	}
	st, err := findStack(f.Path, read)
	if st == nil {
		return source.Outcome{}
	}
	out := cfn.Reader{}.Read(f, b)
	if !out.Read {
		return out
	}
	mapAssets(b.Model())
	manifestAt := loc.Range{File: st.manifest}
	if err != nil {
		b.Notef(manifestAt, "the metadata of stack %s cannot be read (%v): its findings stay on the synthesized template", st.name, err)
		out.Label = "CDK template (metadata unreadable)"
		return out
	}
	if st.traced == 0 {
		b.NoteOnce(manifestAt, noTraces)
		out.Label = "CDK template (no construct traces: findings on the template)"
		return out
	}
	r := newRelocator(f, b, st, read)
	r.relocate()
	out.Label = "CDK template (located in the app's source)"
	return out
}

// noTraces is said once per run, however many assemblies lack traces.
const noTraces = "the CDK app was synthesized without construct traces, so findings point at the synthesized templates " +
	"and their fixes are lost at the next synth. For the app's own source lines, synthesize with aws-cdk-lib 2.251 or later " +
	"(traces are on by default, unless the context aws:cdk:disable-creation-stack-traces is set), " +
	"or run `cdk synth --debug` (CDK_DEBUG=true)"

// Reparse checks a patched file: a template through the CloudFormation
// reader; a source file of the app must tokenize with no more problems
// (unclosed strings, comments or brackets) than before.
func (Reader) Reparse(path string, before, after []byte) error {
	if Reader.Wants(Reader{}, path) {
		return cfn.Reader{}.Reparse(path, before, after)
	}
	if strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".map") {
		if json.Valid(before) && !json.Valid(after) {
			return errors.New("it would no longer be valid JSON")
		}
		return nil
	}
	py := isPython(path)
	was, now := parseSource(path, before, py), parseSource(path, after, py)
	if now.Problems > was.Problems {
		return errors.New("the patched source would have an unclosed string, comment or bracket")
	}
	return nil
}

// AfterFix: a fix of the app's source reaches cdk.out, which gatelint
// checks and CDK deploys, only through the next synth.
func (Reader) AfterFix(path string) string {
	if Reader.Wants(Reader{}, path) {
		return ""
	}
	return "the CDK app's source was fixed: run `cdk synth` again, so that cdk.out (what gatelint checks and cdk deploy deploys) has the fixes"
}

// templateResources reads each resource's type and construct path from
// the template as JSON.
func templateResources(data []byte) map[string]struct{ typ, path string } {
	var t struct {
		Resources map[string]struct {
			Type     string `json:"Type"`
			Metadata struct {
				Path string `json:"aws:cdk:path"`
			} `json:"Metadata"`
		} `json:"Resources"`
	}
	out := map[string]struct{ typ, path string }{}
	if json.Unmarshal(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), &t) != nil {
		return out
	}
	for id, r := range t.Resources {
		out[id] = struct{ typ, path string }{r.Type, r.Metadata.Path}
	}
	return out
}

// rel words a path for messages, relative to the working directory when
// it lies below it.
func rel(p string) string {
	if filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
				return r
			}
		}
	}
	return p
}
