// Package check runs gatelint: it gathers the inputs, builds one model
// from them, runs the rules and collects findings and input errors.
package check

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gatelint/gatelint/internal/accesslog"
	"github.com/gatelint/gatelint/internal/correlate"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/parallel"
	"github.com/gatelint/gatelint/internal/report"
	"github.com/gatelint/gatelint/internal/template"
	"github.com/gatelint/gatelint/rules"
)

// Config is one run's settings, from flags and the config file.
type Config struct {
	Paths  []string
	Params map[string]string
	Rules  rules.Config
	// Disabled rules, by ID.
	Disabled map[string]bool
	// Severity overrides, by rule ID.
	Severity map[string]finding.Severity
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
	// LogScan, when set, is the logs already read (ScanLogs): a second
	// run over fixed templates joins them again without reading them
	// again, which standard input could not be.
	LogScan *accesslog.Result
	Stdin   io.Reader
	// Progress receives the log scan's progress bar when it is a terminal.
	Progress io.Writer
	// KeepSources keeps every template's bytes in Result.Sources, for
	// fixes and diffs.
	KeepSources bool
	// Live, when set, audits an AWS account too.
	Live *Live
}

// Run checks everything cfg names.
func Run(cfg Config) (*report.Result, *model.Model) {
	res := &report.Result{}
	files, errs := gather(cfg)
	res.Errors = append(res.Errors, errs...)
	res.Stats.FilesRead = len(files)

	// Files are independent: read them in parallel, merge in input order
	// so output never depends on scheduling.
	out := make([]loaded, len(files))
	parallel.Each(len(files), func(i int) { out[i] = load(files[i], cfg) })

	m := &model.Model{}
	for i, l := range out {
		res.Errors = append(res.Errors, l.errs...)
		if cfg.OnFile != nil {
			cfg.OnFile(files[i].path, l.outcome)
		}
		if !l.isTemplate {
			continue
		}
		res.Stats.Templates++
		if cfg.KeepSources {
			if res.Sources == nil {
				res.Sources = map[string][]byte{}
			}
			res.Sources[files[i].path] = l.data
			for p, d := range l.included {
				res.Sources[p] = d
			}
		}
		m.APIs = append(m.APIs, l.m.APIs...)
		m.Functions = append(m.Functions, l.m.Functions...)
		m.Queues = append(m.Queues, l.m.Queues...)
		m.EventSources = append(m.EventSources, l.m.EventSources...)
		m.Unresolved = append(m.Unresolved, l.m.Unresolved...)
	}
	if cfg.Live != nil {
		readLive(cfg.Live, m, res)
	}
	for _, api := range m.APIs {
		res.Stats.Endpoints += len(api.Endpoints)
	}
	for _, fn := range m.Functions {
		res.Stats.Functions++
		if len(fn.Integrations) > 0 {
			res.Stats.LinkedFunctions++
		}
	}
	if len(cfg.Logs) > 0 {
		addLogs(cfg, m, res)
	}
	correlate.Logs(m)
	for _, v := range m.Unresolved {
		res.Notes = append(res.Notes, report.Note{Location: v.Loc, Message: v.Unknown})
	}
	res.Findings = Lint(m, cfg)
	res.TimeoutSummary = timeoutSummary(res.Findings)
	res.Endpoints = endpointViews(m)
	return res, m
}

// ScanLogs reads the access logs cfg names.
func ScanLogs(cfg Config) *accesslog.Result {
	opt := accesslog.Options{Stdin: cfg.Stdin, Format: cfg.LogFormat, Progress: cfg.Progress}
	if cfg.OnFile != nil {
		opt.OnSource = func(s *model.LogSource) {
			outcome := "access log: " + s.Shape
			if s.Gzip {
				outcome += ", gzip"
			}
			cfg.OnFile(s.File, fmt.Sprintf("%s, %d records, %d malformed", outcome, s.Records, s.Malformed))
		}
		opt.OnSkip = cfg.OnFile
	}
	lr := accesslog.Scan(context.Background(), cfg.Logs, opt)
	return &lr
}

// addLogs puts the access logs (read now, or before: cfg.LogScan) into m
// and the report's log views.
func addLogs(cfg Config, m *model.Model, res *report.Result) {
	lr := cfg.LogScan
	if lr == nil {
		lr = ScanLogs(cfg)
	}
	m.Observations = append(m.Observations, lr.Observations...)
	m.LogSources = append(m.LogSources, lr.Sources...)
	res.Errors = append(res.Errors, lr.Errors...)
	res.Stats.LogFiles = len(lr.Sources)
	for _, s := range lr.Sources {
		res.Stats.LogRecords += s.Records
		if s.Malformed > 0 {
			lines := make([]string, len(s.MalformedLines))
			for i, l := range s.MalformedLines {
				lines[i] = strconv.Itoa(l)
			}
			more := ""
			if int64(len(lines)) < s.Malformed {
				more = ", ..."
			}
			res.Notes = append(res.Notes, report.Note{Location: loc.Range{File: s.File},
				Message: fmt.Sprintf("%d malformed %s skipped (line %s%s)", s.Malformed, plural(s.Malformed, "record", "records"), strings.Join(lines, ", "), more)})
		}
		res.Logs = append(res.Logs, report.LogView{File: s.File, Shape: s.Shape, Gzip: s.Gzip, Bytes: s.Bytes,
			Records: s.Records, Malformed: s.Malformed, MalformedLines: s.MalformedLines})
	}
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Lint runs the enabled rules over m and applies suppressions and
// severity overrides.
func Lint(m *model.Model, cfg Config) []finding.Finding {
	ignores := suppressionIndex(m)
	var fs []finding.Finding
	for _, r := range rules.All() {
		if cfg.Disabled[r.ID] {
			continue
		}
		cfg.Rules.Off = cfg.Disabled
		for _, f := range r.Check(m, &cfg.Rules) {
			if suppressed(ignores[resourceKey{f.Resource.File, f.Resource.LogicalID}], r) {
				continue
			}
			if s, ok := cfg.Severity[r.ID]; ok {
				f.Severity = s
			}
			fs = append(fs, f)
		}
	}
	slices.SortStableFunc(fs, func(a, b finding.Finding) int {
		return cmp.Or(
			cmp.Compare(a.Location.File, b.Location.File),
			cmp.Compare(a.Location.Start.Line, b.Location.Start.Line),
			cmp.Compare(a.Location.Start.Column, b.Location.Start.Column),
			cmp.Compare(a.RuleID, b.RuleID),
		)
	})
	return fs
}

type resourceKey struct{ file, id string }

// suppressionIndex maps every resource in m to its Metadata ignores.
func suppressionIndex(m *model.Model) map[resourceKey]map[string]string {
	idx := map[resourceKey]map[string]string{}
	add := func(r *model.Resource) {
		if r != nil && r.Ignore != nil {
			idx[resourceKey{r.File, r.LogicalID}] = r.Ignore
		}
	}
	for _, api := range m.APIs {
		add(api.Resource)
		for _, e := range api.Endpoints {
			add(e.Resource)
			if e.Integration != nil {
				add(e.Integration.Resource)
			}
		}
	}
	for _, fn := range m.Functions {
		add(fn.Resource)
	}
	for _, q := range m.Queues {
		add(q.Resource)
	}
	return idx
}

// suppressed reports whether ignores name r by ID or name.
func suppressed(ignores map[string]string, r *rules.Rule) bool {
	return model.Suppresses(ignores, r.ID, r.Name)
}

type input struct {
	path     string
	explicit bool // named on the command line, not found by walking
}

// templateExt lists what a walk considers; anything else is not a template.
var templateExt = map[string]bool{".yaml": true, ".yml": true, ".json": true, ".template": true}

// gather expands the paths into files: named files as they are, directories
// walked (skipping hidden directories and dependencies).
func gather(cfg Config) ([]input, []finding.InputError) {
	var files []input
	var errs []finding.InputError
	// A file reached twice (". ./t.yaml") is read once: twice, its fixes
	// would be applied twice.
	seenPaths := map[string]bool{}
	first := func(p string) bool {
		k := filepath.Clean(p)
		if abs, err := filepath.Abs(p); err == nil {
			k = abs
		}
		if seenPaths[k] {
			return false
		}
		seenPaths[k] = true
		return true
	}
	for _, p := range cfg.Paths {
		info, err := os.Stat(p)
		if err != nil {
			errs = append(errs, finding.InputError{File: p, Message: finding.PathMessage(err)})
			continue
		}
		if !info.IsDir() {
			if first(p) {
				files = append(files, input{path: p, explicit: true})
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, finding.InputError{File: path, Message: finding.PathMessage(err)})
				return nil
			}
			if excluded(path, p, cfg.Exclude) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				name := d.Name()
				if path != p && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor") {
					return filepath.SkipDir
				}
				return nil
			}
			if !templateExt[strings.ToLower(filepath.Ext(path))] {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				// A linked template is still the user's template; a link to
				// a directory is not followed (it may loop).
				if info, err := os.Stat(path); err != nil || !info.Mode().IsRegular() {
					if cfg.OnFile != nil {
						cfg.OnFile(path, "skipped: a link to something other than a file")
					}
					return nil
				}
			} else if !d.Type().IsRegular() {
				return nil
			}
			if first(path) {
				files = append(files, input{path: path})
			}
			return nil
		})
		if err != nil {
			errs = append(errs, finding.InputError{File: p, Message: finding.PathMessage(err)})
		}
	}
	return files, errs
}

// excluded matches a path against the exclude globs, by its path relative
// to the walked root, by any of its leading directories, or by base name.
func excluded(path, root string, patterns []string) bool {
	if len(patterns) == 0 {
		return false
	}
	rel, err := filepath.Rel(root, path)
	if err != nil {
		rel = path
	}
	rel = filepath.ToSlash(rel)
	for _, pat := range patterns {
		pat = strings.TrimSuffix(filepath.ToSlash(pat), "/**")
		if ok, _ := filepath.Match(pat, rel); ok {
			return true
		}
		if ok, _ := filepath.Match(pat, filepath.Base(path)); ok {
			return true
		}
		if ok, _ := filepath.Match(pat, filepath.ToSlash(path)); ok {
			return true
		}
	}
	return false
}

// loaded is one file's share of the model.
type loaded struct {
	m          model.Model
	isTemplate bool
	errs       []finding.InputError
	outcome    string
	// data and included (OpenAPI files the template reads) are kept
	// for Config.KeepSources.
	data     []byte
	included map[string][]byte
}

// load reads and parses one file into its own model.
func load(in input, cfg Config) (l loaded) {
	defer func() {
		// A bug of ours must cost the user one file, not the run.
		if p := recover(); p != nil {
			l = loaded{outcome: "error", errs: []finding.InputError{{File: in.path,
				Message: fmt.Sprintf("internal error while reading this file (please report it): %v", p)}}}
		}
	}()
	data, err := os.ReadFile(in.path)
	if err != nil {
		l.errs = []finding.InputError{{File: in.path, Message: finding.PathMessage(err)}}
		l.outcome = "error"
		return l
	}
	opts := template.Options{Params: cfg.Params}
	if cfg.KeepSources {
		opts.ReadFile = func(p string) ([]byte, error) {
			d, err := os.ReadFile(p)
			if err == nil {
				if l.included == nil {
					l.included = map[string][]byte{}
				}
				l.included[p] = d
			}
			return d, err
		}
	}
	isTemplate, errs := template.Load(&l.m, in.path, data, opts)
	l.isTemplate = isTemplate
	if cfg.KeepSources {
		l.data = data
	}
	switch {
	case len(errs) > 0 && !isTemplate && !in.explicit && !template.LooksLikeTemplate(data):
		// A walked file that is neither a template nor trying to be one
		// (a YAML file of another tool, a broken package.json) is none of
		// our business.
		l.outcome = "skipped: does not parse and does not look like a template"
	case len(errs) > 0:
		l.errs = errs
		l.outcome = "error"
		if isTemplate {
			l.outcome = "template (with errors)"
		}
	case !isTemplate && in.explicit:
		l.errs = []finding.InputError{{File: in.path, Message: "not a CloudFormation template: no Resources section"}}
		l.outcome = "error"
	case !isTemplate:
		l.outcome = "skipped: not a template (no Resources section)"
	default:
		l.outcome = "template"
	}
	return l
}
