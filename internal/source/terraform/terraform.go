// Package terraform reads Terraform configurations as written — a module
// directory's .tf and .tf.json files with their variables, locals,
// modules and OpenAPI bodies, evaluated offline by hclconfig — and the
// JSON of `terraform show -json` plans, into the model. Values remember
// the bytes they came from and the edits that change them.
//
// A module is a directory, but a source.Reader is offered files. The
// reader is a source.Batcher: before a run reads anything it sees every
// walked file, and then
//
//   - the first walked .tf/.tf.json file of a directory (by name) reads
//     the whole directory as a root module, with the tfvars beside it, the
//     modules it calls and the files they read; the directory's other
//     files are claimed and labelled "read with" that file;
//   - a walked directory that another walked directory calls as a local
//     module (source = "./modules/fn") is not read again as a root: its
//     resources are judged through each caller, with the caller's
//     arguments, and a root reading of its own would repeat each finding
//     with its variables unset. A directory no walked directory calls
//     (or one named on the command line) is a root.
//
// A plan JSON file is recognised by its content and read on its own when
// no configuration is beside it; beside its configuration, the plan's
// variable values are used to read the configuration (its findings are
// then the configuration's, at its .tf lines) and the plan adds nothing
// more.
package terraform

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/terraform/hclconfig"
)

// Reader is the Terraform source.
type Reader struct{}

// Name is what the source reads.
func (Reader) Name() string { return "Terraform configuration" }

// Wants reports whether a walked file may be Terraform's: configuration
// files, and JSON files that may be plans (told by content).
func (Reader) Wants(path string) bool {
	base := strings.ToLower(filepath.Base(path))
	return isConfig(base) || strings.HasSuffix(base, ".json")
}

func isConfig(base string) bool {
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") {
		return false
	}
	return strings.HasSuffix(base, ".tf") || strings.HasSuffix(base, ".tf.json")
}

// Batch sees the whole walk before any file is read.
func (Reader) Batch(paths []string, files []source.Input) source.Reader {
	br := &batch{roots: paths, dirs: map[string][]source.Input{}, files: map[string]bool{}}
	for _, in := range files {
		if abs, err := filepath.Abs(in.Path); err == nil {
			br.files[abs] = true
		}
		if !isConfig(strings.ToLower(filepath.Base(in.Path))) {
			continue
		}
		d := absDir(in.Path)
		br.dirs[d] = append(br.dirs[d], in)
	}
	for d := range br.dirs {
		sort.SliceStable(br.dirs[d], func(i, j int) bool {
			return filepath.Base(br.dirs[d][i].Path) < filepath.Base(br.dirs[d][j].Path)
		})
	}
	return br
}

// Read reads f's directory as a root module (or f as a plan).
func (Reader) Read(f *source.File, b *model.Builder) source.Outcome {
	return (&batch{dirs: map[string][]source.Input{}}).Read(f, b)
}

// Reparse checks a patched file before a fix is written: a .tf, .tf.json
// or .tfvars file must still parse with no more errors than before; an
// OpenAPI document a body reads must still parse.
func (Reader) Reparse(path string, before, after []byte) error { return reparse(path, before, after) }

func absDir(p string) string {
	d, err := filepath.Abs(filepath.Dir(p))
	if err != nil {
		return filepath.Dir(p)
	}
	return d
}

// batch is the reader for one run.
type batch struct {
	roots []string
	dirs  map[string][]source.Input // walked config files by absolute directory
	files map[string]bool           // every walked file, absolute; nil outside a batch

	once   sync.Once
	called map[string]string // absolute directory -> a walked directory that calls it
}

func (*batch) Name() string                                    { return Reader{}.Name() }
func (*batch) Wants(path string) bool                          { return Reader{}.Wants(path) }
func (*batch) Reparse(path string, before, after []byte) error { return reparse(path, before, after) }

// localSource finds module sources that are local paths, in native and
// JSON syntax.
var localSource = regexp.MustCompile(`(?m)"?\bsource"?\s*[=:]\s*"(\.\.?/[^"]*)"`)

// callers finds, once a run, which walked directories another calls.
func (br *batch) callers() map[string]string {
	br.once.Do(func() {
		br.called = map[string]string{}
		dirs := make([]string, 0, len(br.dirs))
		for d := range br.dirs {
			dirs = append(dirs, d)
		}
		sort.Strings(dirs)
		for _, d := range dirs {
			for _, in := range br.dirs[d] {
				data, err := os.ReadFile(in.Path)
				if err != nil || !bytes.Contains(data, []byte("source")) {
					continue
				}
				for _, m := range localSource.FindAllSubmatch(data, -1) {
					target := filepath.Clean(filepath.Join(d, filepath.FromSlash(string(m[1]))))
					if target == d {
						continue
					}
					if _, walked := br.dirs[target]; walked {
						if _, ok := br.called[target]; !ok {
							br.called[target] = filepath.Dir(in.Path)
						}
					}
				}
			}
		}
	})
	return br.called
}

// Read reads one walked file.
func (br *batch) Read(f *source.File, b *model.Builder) source.Outcome {
	base := strings.ToLower(filepath.Base(f.Path))
	if !isConfig(base) {
		if !LooksLikePlan(f.Data) {
			return source.Outcome{Label: "not a Terraform plan", IfNamed: "not a Terraform configuration or plan JSON"}
		}
		return br.readPlan(f, b)
	}
	dir := absDir(f.Path)
	if ins := br.dirs[dir]; len(ins) > 0 {
		first := ins[0]
		for _, in := range ins {
			if in.Named {
				first = in
				break
			}
		}
		if first.Path != f.Path {
			return source.Outcome{Claimed: true, Label: "Terraform configuration, read with its module (" + first.Path + ")"}
		}
		if !f.Named {
			if caller, ok := br.callers()[dir]; ok {
				return source.Outcome{Claimed: true, Label: "Terraform module called by " + caller + ": read through its caller"}
			}
		}
	}
	return br.readModule(f, b)
}

// projectRoot bounds what a module may read: the enclosing repository,
// else the path given that holds the module, else the module itself.
func (br *batch) projectRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	best := ""
	for _, r := range br.roots {
		ar, err := filepath.Abs(r)
		if err != nil {
			continue
		}
		if st, err := os.Stat(ar); err == nil && !st.IsDir() {
			ar = filepath.Dir(ar)
		}
		if rel, err := filepath.Rel(ar, dir); err == nil && !strings.HasPrefix(rel, "..") && (best == "" || len(ar) < len(best)) {
			best = ar
		}
	}
	if best != "" {
		return best
	}
	return dir
}

// varArgs are the explicit variable values: var files in order, then
// --param values (sorted, so a run never depends on map order).
func varArgs(f *source.File, plan string, extra map[string]any) []hclconfig.VarArg {
	var out []hclconfig.VarArg
	for _, p := range f.ParamsFiles {
		out = append(out, hclconfig.VarArg{File: p})
	}
	names := make([]string, 0, len(extra))
	for k := range extra {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		out = append(out, hclconfig.VarArg{Name: k, Value: planVarText(extra[k]), Plan: plan})
	}
	keys := make([]string, 0, len(f.Params))
	for k := range f.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, hclconfig.VarArg{Name: k, Value: f.Params[k]})
	}
	return out
}

// readModule loads the module in f's directory and builds the model: once,
// or once in each environment (a variables file beside it that Terraform
// does not load by itself, such as prod.tfvars: what -var-file chooses),
// every resource tagged with its scenario.
func (br *batch) readModule(f *source.File, b *model.Builder) source.Outcome {
	p := newPaths(f.Path)
	dir := absDir(f.Path)
	self, _ := filepath.Abs(f.Path)
	planFile, plan := br.planBeside(dir)
	var planVars map[string]any
	if plan != nil {
		planVars = plan.Variables
	}
	base := hclconfig.Options{
		ProjectRoot: br.projectRoot(dir),
		Vars:        varArgs(f, planFile, planVars),
		Env:         os.Environ(),
		ReadFile: func(abs string) ([]byte, error) {
			var data []byte
			var err error
			if abs == self {
				data = f.Data
			} else if f.Include != nil {
				data, err = f.Include(p.display(abs))
			} else {
				data, err = os.ReadFile(abs)
			}
			if err == nil {
				p.bytes[abs] = data
			}
			return data, err
		},
	}
	var envs []string
	var errs []finding.InputError
	if len(f.ParamsFiles) == 0 && planFile == "" {
		envs, errs = environments(f, dir, p)
	}
	runs := []*finding.Scenario{nil}
	if len(envs) > 0 {
		set := &finding.Scenarios{}
		runs = nil
		for _, e := range envs {
			sc := &finding.Scenario{Env: envName(e), EnvKind: "var file", Set: set}
			set.List = append(set.List, sc)
			runs = append(runs, sc)
		}
	}
	files := 0
	for i, sc := range runs {
		opts := base
		if sc != nil {
			opts.Vars = append([]hclconfig.VarArg{{File: envs[i]}}, base.Vars...)
		}
		cfg, diags := hclconfig.Load(filepath.Dir(f.Path), opts)
		if cfg == nil {
			return source.Outcome{Claimed: true, Label: "error", Errors: append(errs, inputErrors(p, diags, nil)...)}
		}
		for abs, data := range cfg.Sources {
			if p.bytes[abs] == nil {
				p.bytes[abs] = data
			}
		}
		for _, e := range inputErrors(p, cfg.Diags, cfg) {
			if !containsErr(errs, e) {
				errs = append(errs, e)
			}
		}
		capped(p, cfg.Diags, b)
		bd := newBuild(cfg, b, p)
		bd.scenario = sc
		if planFile != "" && len(f.ParamsFiles) == 0 {
			bd.plan, bd.planFile = plan, planFile
		}
		bd.build()
		files = len(cfg.Root.Module.Files)
	}
	label := "Terraform module (1 file)"
	if files != 1 {
		label = fmt.Sprintf("Terraform module (%d files)", files)
	}
	if len(envs) > 0 {
		label += fmt.Sprintf(", in %d var files", len(envs))
	}
	if len(errs) > 0 {
		label += " (with errors)"
	}
	return source.Outcome{Claimed: true, Read: true, Label: label, Errors: errs, Module: true}
}

func containsErr(errs []finding.InputError, e finding.InputError) bool {
	for _, x := range errs {
		if x == e {
			return true
		}
	}
	return false
}

// environments are the variables files beside a root module that
// Terraform does not load by itself (prod.tfvars, staging.tfvars.json):
// each is one way to deploy it, chosen with -var-file, and the module is
// judged in each. --config-env NAME picks NAME's; a --params-file (or a
// plan) chooses the values itself.
func environments(f *source.File, dir string, p *paths) ([]string, []finding.InputError) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || n == "terraform.tfvars" || n == "terraform.tfvars.json" ||
			strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json") ||
			!strings.HasSuffix(n, ".tfvars") && !strings.HasSuffix(n, ".tfvars.json") {
			continue
		}
		out = append(out, filepath.Join(dir, n))
	}
	sort.Strings(out)
	if name := f.Environments.Name; name != "" {
		var names []string
		for _, e := range out {
			if envName(e) == name {
				return []string{e}, nil
			}
			names = append(names, envName(e))
		}
		if len(out) > 0 {
			return nil, []finding.InputError{{File: p.dispDir, Message: fmt.Sprintf("no var file %s.tfvars beside the module (there are %s)", name, strings.Join(names, ", ")), Usage: true}}
		}
	}
	return out, nil
}

// envName is what a var file's environment is called: its name without
// .tfvars.
func envName(path string) string {
	n := filepath.Base(path)
	n = strings.TrimSuffix(n, ".json")
	return strings.TrimSuffix(n, ".tfvars")
}

// capped notes where the evaluator stopped expanding (a count or for_each
// past its cap of instances, too many dynamic blocks): what lies past the
// cap is not judged, and a silent cap would read as "nothing there".
func capped(p *paths, diags hcl.Diagnostics, b *model.Builder) {
	for _, d := range diags {
		if d.Severity != hcl.DiagWarning || d.Summary != "Too many instances" && d.Summary != "Too many dynamic blocks" {
			continue
		}
		at := loc.Range{File: p.dispDir}
		if d.Subject != nil {
			at = p.rng(*d.Subject)
		}
		b.NoteOnce(at, d.Summary+": "+d.Detail+" The rest are not checked.")
	}
}

// inputErrors are the diagnostics that make an input unreadable in part:
// syntax and structure errors in configuration and variable files. An
// evaluation error is not one: the value it spoils is unknown, and said
// so where a rule would read it.
func inputErrors(p *paths, diags hcl.Diagnostics, cfg *hclconfig.Config) []finding.InputError {
	structural := map[*hcl.Diagnostic]bool{}
	if cfg != nil {
		for _, mi := range cfg.Modules {
			if mi.Module == nil {
				continue
			}
			for _, d := range mi.Module.Diags {
				structural[d] = true
			}
		}
	}
	var out []finding.InputError
	seen := map[string]bool{}
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		file := ""
		line := 0
		if d.Subject != nil {
			file, line = d.Subject.Filename, d.Subject.Start.Line
		}
		isVars := strings.HasSuffix(file, ".tfvars") || strings.HasSuffix(file, ".tfvars.json") ||
			d.Summary == "Cannot read variables file" || d.Summary == "Variables file nested too deeply"
		if cfg != nil && !structural[d] && !isVars {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		e := finding.InputError{File: p.display(file), Line: line, Message: msg}
		if e.File == "" {
			e.File = p.dispDir
		}
		if k := e.Error(); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// reparse checks patched bytes of a file this source read.
func reparse(path string, before, after []byte) error {
	base := strings.ToLower(filepath.Base(path))
	count := func(data []byte) (int, error) {
		switch {
		case isConfig(base):
			_, _, diags := hclconfig.ParseFile(path, data)
			return errCount(diags), diagErr(diags)
		case strings.HasSuffix(base, ".tfvars") || strings.HasSuffix(base, ".tfvars.json"):
			diags := hclconfig.ParseVarsFile(path, data)
			return errCount(diags), diagErr(diags)
		default:
			if _, err := parseDocument(path, data); err != nil {
				return 1, err
			}
			return 0, nil
		}
	}
	n, err := count(after)
	if n == 0 {
		return nil
	}
	was, _ := count(before)
	if n > was {
		return err
	}
	return nil
}

func errCount(diags hcl.Diagnostics) int {
	n := 0
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			n++
		}
	}
	return n
}

func diagErr(diags hcl.Diagnostics) error {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			return errors.New(d.Error())
		}
	}
	return nil
}
