// Package driver runs gatelint once over its inputs: it walks the paths
// given, hands each file to the configuration source that claims it,
// reads the logs and the live account asked for, joins them all into one
// model, runs the rules, and passes the findings through a chain of
// processors (suppress, severity, baseline, sort). It knows sources only
// through source.Reader and the log container's kinds; what to do with
// the result (fix, render, exit) is the runner's.
package driver

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/gatelint/gatelint/internal/baseline"
	"github.com/gatelint/gatelint/internal/correlate"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/parallel"
	"github.com/gatelint/gatelint/internal/report"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/cdk"
	"github.com/gatelint/gatelint/internal/source/cfn"
	"github.com/gatelint/gatelint/internal/source/code"
	"github.com/gatelint/gatelint/internal/source/serverless"
	"github.com/gatelint/gatelint/internal/source/terraform"
	"github.com/gatelint/gatelint/rules"
)

// Readers are the configuration sources, in the order a file is offered
// to them: a new source is one line here. A template inside a CDK cloud
// assembly must reach the CDK reader before the CloudFormation reader,
// which takes every other template; so must a serverless.yml, which the
// Serverless reader claims and any other YAML file it declines.
var Readers = []source.Reader{cdk.Reader{}, serverless.Reader{}, cfn.Reader{}, terraform.Reader{}}

// Config is one run's settings, from flags and the config file.
type Config struct {
	Paths  []string
	Params map[string]string
	// ParamsFiles are parameter files a source reads itself (a .tfvars
	// --params-file), in the order given.
	ParamsFiles []string
	// ParamsFile is the --params-file whose values Params holds.
	ParamsFile string
	// Environments selects the environments templates are judged in
	// (--config-file, --config-env).
	Environments source.Environments
	// FlagParams names the parameters given with --param: each must be
	// declared by some template read.
	FlagParams []string
	Rules      rules.Config
	// Disabled rules, by ID.
	Disabled map[string]bool
	// Severity overrides, by rule ID.
	Severity map[string]finding.Severity
	// Baseline, when set, holds findings not to report again.
	Baseline *baseline.File
	// Exclude holds glob patterns of paths not to walk into.
	Exclude []string
	// OnFile, when set, is told what became of each file read: "template",
	// "error", or why it was skipped (for --verbose and the corpus test);
	// for access logs, "access log: " and the shape detected.
	OnFile func(path, outcome string)
	// Logs are access-log inputs (files, directories, globs, "-" for
	// Stdin); LogFormat is the stage's $context format (--log-format).
	Logs      []string
	LogFormat string
	// LogScan, when set, is the logs already read (a Result's LogScan): a
	// second run over fixed files joins them again without reading them
	// again, which standard input could not be.
	LogScan *LogScan
	Stdin   io.Reader
	// Progress receives the log scan's progress bar when it is a terminal.
	Progress io.Writer
	// KeepSources keeps every file's bytes in Result.Sources, for fixes
	// and diffs.
	KeepSources bool
	// Live, when set, audits an AWS account too.
	Live *Live
}

// Result is one run: what to report, the model it was judged on, and
// which source read each file, so a fix is checked by the source that
// read it.
type Result struct {
	*report.Result
	Model *model.Model
	// Baselined counts findings the baseline held back.
	Baselined int
	// LogScan is the logs read, for a second run (Config.LogScan).
	LogScan *LogScan
	// Code is what the handler-code scan read.
	Code    *code.Result
	readers map[string]source.Reader
}

// Reparse checks the patched bytes of a file this run read, through the
// source that read it. A file no source read is refused: a fix is never
// written unchecked.
func (r *Result) Reparse(path string, before, after []byte) error {
	rd := r.readers[path]
	if rd == nil {
		return fmt.Errorf("no source read this file, so the patched file cannot be checked")
	}
	return rd.Reparse(path, before, after)
}

// AfterFix says, once each, what the user must run for fixes written to
// paths to reach the files that were read (run `cdk synth` again).
func (r *Result) AfterFix(paths []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range paths {
		if rg, ok := r.readers[p].(source.Regenerated); ok {
			if s := rg.AfterFix(p); s != "" && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// Run checks everything cfg names.
func Run(cfg Config) *Result {
	res := &Result{Result: &report.Result{}, readers: map[string]source.Reader{}}
	files, errs := source.Walk(cfg.Paths, source.WalkOptions{Exclude: cfg.Exclude, Wants: wanted, OnSkip: cfg.OnFile})
	res.Errors = append(res.Errors, errs...)
	res.Stats.FilesRead = len(files)

	// Files are independent: read them in parallel, merge in input order
	// so output never depends on scheduling.
	readers := batch(cfg.Paths, files)
	out := make([]loaded, len(files))
	parallel.Each(len(files), func(i int) { out[i] = load(readers, files[i], cfg) })

	m := &model.Model{}
	declared := map[string]bool{}
	nestedIn := nestedFiles(files, out)
	for i, l := range out {
		if by, ok := nestedIn[files[i].Path]; ok {
			// Judged once, with the values its parent gives it.
			if cfg.OnFile != nil {
				cfg.OnFile(files[i].Path, by.outcome())
			}
			if by.nested {
				res.Stats.Templates++
			}
			continue
		}
		res.Errors = append(res.Errors, l.errs...)
		for _, d := range l.declared {
			declared[d] = true
		}
		if cfg.OnFile != nil {
			cfg.OnFile(files[i].Path, l.outcome)
		}
		if l.reader == nil {
			continue
		}
		if l.module {
			res.Stats.Modules++
		} else {
			res.Stats.Templates++
		}
		for p, d := range l.sources {
			if cfg.KeepSources {
				if res.Sources == nil {
					res.Sources = map[string][]byte{}
				}
				res.Sources[p] = d
			}
			res.readers[p] = l.reader
		}
		m.Add(l.m)
	}
	res.Errors = append(res.Errors, undeclared(cfg.FlagParams, declared)...)
	// Cross-stack references, once every template is read.
	correlate.Imports(m)
	if cfg.Live != nil {
		// What the account runs is one deploy: the configuration joins it
		// as read first.
		onlyPrimary(m)
		readLive(cfg.Live, m, res.Result)
	}
	// What a file read under several scenarios defines counts once, in
	// whichever scenarios it exists.
	type thing struct{ file, address, method, path string }
	counted := map[thing]bool{}
	for _, api := range m.APIs {
		for _, e := range api.Endpoints {
			k := thing{api.Resource.File, api.Resource.Address, e.Method, e.Path}
			if api.Resource.Scenario == nil || !counted[k] {
				counted[k] = true
				res.Stats.Endpoints++
			}
		}
	}
	linked := map[thing]bool{}
	for _, fn := range m.Functions {
		k := thing{fn.Resource.File, fn.Resource.Address, "λ", ""}
		if fn.Resource.Scenario == nil || !counted[k] {
			counted[k] = true
			res.Stats.Functions++
		}
		if len(fn.Integrations) > 0 && (fn.Resource.Scenario == nil || !linked[k]) {
			linked[k] = true
			res.Stats.LinkedFunctions++
		}
	}
	// The handler code of the functions someone waits for: its files are
	// checked by the code source when a fix patches them.
	res.Code = code.Scan(m, code.Options{})
	for p, d := range res.Code.Sources {
		if cfg.KeepSources {
			if res.Sources == nil {
				res.Sources = map[string][]byte{}
			}
			res.Sources[p] = d
		}
		if res.readers[p] == nil {
			res.readers[p] = code.Reader{}
		}
	}
	if len(cfg.Logs) > 0 {
		res.LogScan = addLogs(cfg, m, res.Result)
	}
	correlate.Logs(m)
	unjoined(correlate.Functions(m), res.Result)
	seenNote := map[model.Note]bool{}
	said := map[string]bool{}
	for _, n := range m.Notes {
		// Each scenario's reading notes the same things; a note marked
		// Once (how to get a CDK app's source lines) is said once per run.
		if seenNote[n] || n.Once && said[n.Message] {
			continue
		}
		seenNote[n], said[n.Message] = true, true
		res.Notes = append(res.Notes, report.Note{Location: n.Loc, Message: n.Message})
	}
	res.Findings = Lint(m, cfg)
	res.TimeoutSummary = timeoutSummary(res.Findings)
	res.Functions = functionViews(m, &cfg.Rules, res.Findings)
	res.PhantomSummary = phantomSummary(res.Functions)
	if cfg.Baseline != nil {
		res.Findings, res.Baselined = cfg.Baseline.Filter(res.Findings)
	}
	res.Endpoints = endpointViews(m)
	res.Model = m
	return res
}

// wanted reports whether some source may read a walked file of this name.
func wanted(path string) bool {
	for _, r := range Readers {
		if r.Wants(path) {
			return true
		}
	}
	return false
}

// batch gives each reader that reads more than one file at a time
// (source.Batcher) the whole walk, before any file is read.
func batch(paths []string, files []source.Input) []source.Reader {
	out := make([]source.Reader, len(Readers))
	for i, r := range Readers {
		out[i] = r
		if b, ok := r.(source.Batcher); ok {
			out[i] = b.Batch(paths, files)
		}
	}
	return out
}

// loaded is one file's share of the model.
type loaded struct {
	m       *model.Model
	reader  source.Reader // the one that read it; nil when none did
	errs    []finding.InputError
	outcome string
	module  bool // read as a Terraform module, not a template
	// sources are the bytes of the file and of those it includes, by path.
	sources map[string][]byte
	// declared names the parameters the file declares; nested the files
	// it read as nested stacks, includes those it read as its parts.
	declared, nested, includes []string
}

// load offers one file to the readers, in order, until one claims it.
func load(readers []source.Reader, in source.Input, cfg Config) (l loaded) {
	defer func() {
		// A bug of ours must cost the user one file, not the run.
		if p := recover(); p != nil {
			l = loaded{outcome: "error", errs: []finding.InputError{{File: in.Path,
				Message: fmt.Sprintf("internal error while reading this file (please report it): %v", p)}}}
		}
	}()
	if why := sniffLarge(in); why != "" {
		return loaded{outcome: why}
	}
	data, err := os.ReadFile(in.Path)
	if err != nil {
		return loaded{outcome: "error", errs: []finding.InputError{{File: in.Path, Message: finding.PathMessage(err)}}}
	}
	var first *source.Outcome
	for _, r := range readers {
		if !in.Named && !r.Wants(in.Path) {
			continue
		}
		sources := map[string][]byte{in.Path: data}
		f := &source.File{Path: in.Path, Data: data, Named: in.Named, Params: cfg.Params, ParamsFiles: cfg.ParamsFiles, ParamsFile: cfg.ParamsFile, FlagParams: cfg.FlagParams, Environments: cfg.Environments,
			Include: func(p string) ([]byte, error) {
				d, err := os.ReadFile(p)
				if err == nil {
					sources[p] = d
				}
				return d, err
			}}
		b := model.NewBuilder()
		o := r.Read(f, b)
		if o.Claimed {
			l := loaded{errs: o.Errors, outcome: o.Label, declared: o.Declared, nested: o.Nested, includes: o.Includes, module: o.Module}
			if o.Read {
				l.m, l.reader, l.sources = b.Model(), r, sources
			}
			return l
		}
		// A reader that declines without a word (not its kind of file at
		// all) leaves the explaining to the next.
		if first == nil && (o.Label != "" || len(o.Errors) > 0) {
			first = &o
		}
	}
	switch {
	case first == nil:
		return loaded{outcome: "skipped: no source reads this file"}
	case !in.Named:
		return loaded{outcome: "skipped: " + first.Label}
	case len(first.Errors) > 0:
		return loaded{outcome: "error", errs: first.Errors}
	}
	why := first.IfNamed
	if why == "" {
		why = strings.TrimPrefix(first.Label, "skipped: ")
	}
	return loaded{outcome: "error", errs: []finding.InputError{{File: in.Path, Message: why}}}
}

// onlyPrimary keeps, of each file read under several scenarios, the
// first scenario's share of m.
func onlyPrimary(m *model.Model) {
	m.APIs = slices.DeleteFunc(m.APIs, func(a *model.API) bool { return !a.Resource.Scenario.Primary() })
	m.Functions = slices.DeleteFunc(m.Functions, func(f *model.Function) bool { return !f.Resource.Scenario.Primary() })
	m.Queues = slices.DeleteFunc(m.Queues, func(q *model.Queue) bool { return !q.Resource.Scenario.Primary() })
	m.EventSources = slices.DeleteFunc(m.EventSources, func(es *model.EventSource) bool { return !es.Function.Resource.Scenario.Primary() })
}

// ParamsFile reads a --params-file through the source whose format it is
// surely in (by name or content), else the first that reads it: its
// values, or self when that source reads the file itself (File.ParamsFiles).
func ParamsFile(path string, data []byte) (values map[string]string, self bool, err error) {
	best := 0
	var firstErr error
	for _, r := range Readers {
		pr, ok := r.(source.ParamsReader)
		if !ok {
			continue
		}
		v, s, sure, e := pr.ParamsFile(path, data)
		if e != nil && firstErr == nil {
			firstErr = e
		}
		if e == nil && sure > best {
			best, values, self = sure, v, s
		}
	}
	if best == 0 {
		if firstErr == nil {
			firstErr = fmt.Errorf("%s: not a parameters file gatelint reads", path)
		}
		return nil, false, firstErr
	}
	return values, self, nil
}
