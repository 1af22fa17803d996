// Package runner is one invocation of `gatelint check`, flags already
// parsed: it settles the configuration (flags over .gatelint.yaml over
// defaults), runs the driver, records or applies a baseline, plans and
// writes fixes and runs again over the fixed files, renders the report
// and decides the exit code. The cli package only turns flags into
// Options.
package runner

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/baseline"
	"github.com/gatelint/gatelint/internal/config"
	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/fix"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/report"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/cfn"
	"github.com/gatelint/gatelint/internal/term"
	"github.com/gatelint/gatelint/rules"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitError    = 2
)

// UsageError is an error in how gatelint was called (exit 2, with a
// pointer to --help).
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

func usage(err error) error { return UsageError{err} }

// Options are the check command's settings as given.
type Options struct {
	Paths []string
	// Format and Output choose the report (Output "" is standard output).
	Format, Output string
	// Params are --param Key=Value; ParamsFile --params-file.
	Params     []string
	ParamsFile string
	// ConfigEnv and SAMConfigFile are --config-env and --config-file: the
	// environment to judge templates in (default: every one), and the
	// samconfig file that defines them (default: the one beside each
	// template).
	ConfigEnv, SAMConfigFile string
	// ConfigFile is --config; empty looks for config.DefaultName.
	ConfigFile string
	// FailOn is --fail-on; empty defers to the config file.
	FailOn string
	// RestMaxTimeout is --rest-max-timeout in ms, nil when not given.
	RestMaxTimeout *int64
	Logs           []string
	LogFormat      string
	NoColor        bool
	Quiet, Verbose bool
	Fix, Diff      bool
	UnsafeFixes    bool
	FixParameters  bool
	Baseline       string
	WriteBaseline  string
	// Live, when set, audits an AWS account too.
	Live *driver.Live
	// Version is reported in SARIF and HTML.
	Version string
}

// Check runs one check and returns its exit code.
func Check(o Options, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	cfg, threshold, err := settle(o, stdin, stderr)
	if err != nil {
		return ExitError, err
	}
	// --diff shows unsafe fixes too, for review; --fix applies them only
	// when asked.
	fixOpts := fix.Options{Unsafe: o.UnsafeFixes || o.Diff}

	started := time.Now()
	if o.WriteBaseline != "" {
		// Everything found now is recorded; nothing is reported.
		cfg.Baseline = nil
	}
	res := driver.Run(cfg)
	res.Generated = started
	if err := usageErrors(res); err != nil {
		return ExitError, err
	}
	if o.ConfigEnv != "" && !judgedIn(res.Model, o.ConfigEnv) {
		return ExitError, usage(fmt.Errorf("--config-env %s: no template checked is deployed with a samconfig file that defines it (name the file with --config-file)", o.ConfigEnv))
	}
	if o.WriteBaseline != "" {
		b := baseline.New(res.Findings)
		if err := writeBaselineFile(o.WriteBaseline, b); err != nil {
			return ExitError, err
		}
		if !o.Quiet {
			fmt.Fprintf(stderr, "gatelint: recorded %d findings in %s\n", len(b.Findings), o.WriteBaseline)
		}
		cfg.Baseline = b
		res.Findings, res.Baselined = b.Filter(res.Findings)
	}
	baselined := func(r *driver.Result) {
		if r.Baselined > 0 && !o.Quiet {
			fmt.Fprintf(stderr, "gatelint: %d findings in the baseline not shown\n", r.Baselined)
		}
	}
	baselined(res)

	notFixed := 0
	if o.Diff || o.Fix {
		fixOpts.Reparse = res.Reparse
		plan := fix.Prepare(res.Findings, res.Sources, fixOpts)
		for _, err := range plan.Refused {
			fmt.Fprintf(stderr, "gatelint: %v\n", err)
		}
		if plan.Hidden > 0 && !o.Quiet {
			fmt.Fprintf(stderr, "gatelint: %s not applied (--unsafe-fixes applies them)\n", report.Plural(plan.Hidden, "unsafe fix", "unsafe fixes"))
		}
		if o.Diff {
			return finishDiff(o, stdout, plan, res, threshold)
		}
		written, errs := fix.Write(plan.Changes, cfg.Paths)
		for _, err := range errs {
			fmt.Fprintf(stderr, "gatelint: %v\n", err)
		}
		if !o.Quiet {
			n := 0
			for _, c := range written {
				n += c.Fixes
			}
			fmt.Fprintf(stderr, "gatelint: fixed %s in %s\n", report.Plural(n, "finding", "findings"), report.Plural(len(written), "file", "files"))
			var paths []string
			for _, c := range written {
				paths = append(paths, c.Path)
			}
			for _, next := range res.AfterFix(paths) {
				fmt.Fprintf(stderr, "gatelint: %s\n", next)
			}
		}
		if len(written) > 0 {
			// Report what the fixed files say now, joined to the same logs:
			// they are read once (standard input can only be read once).
			cfg.LogScan = res.LogScan
			res = driver.Run(cfg)
			res.Generated = started
			baselined(res)
		}
		notFixed = len(plan.Refused) + len(errs)
	}

	out := stdout
	var outFile *os.File
	if o.Output != "" {
		outFile, err = os.Create(o.Output)
		if err != nil {
			return ExitError, err
		}
		out = outFile
	}
	ropts := report.Options{
		Color:   !o.NoColor && o.Output == "" && term.IsTerminal(out) && os.Getenv("NO_COLOR") == "",
		Quiet:   o.Quiet,
		Rules:   rules.All(),
		Version: o.Version,
		Diff: func(f finding.Fix) string {
			// One fix alone, as a pull-request comment shows it.
			p := fix.Prepare([]finding.Finding{{Fixes: []finding.Fix{f}}}, res.Sources, fix.Options{Unsafe: true, Reparse: res.Reparse})
			return fix.DiffString(p.Changes)
		},
		// HTML shows fixes as diffs of the files checked and links them
		// relative to the report.
		ReportDir:  filepath.Dir(o.Output),
		ReadSource: os.ReadFile,
	}
	if err := report.Write(out, o.Format, res.Result, ropts); err != nil {
		return ExitError, err
	}
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			return ExitError, err
		}
	}
	if notFixed > 0 {
		// A file left alone is an input that could not be handled.
		return ExitError, nil
	}
	return exitCode(res.Result, threshold), nil
}

// settle turns the options and the config file into the driver's
// configuration: flags win over the file, the file over the defaults.
func settle(o Options, stdin io.Reader, stderr io.Writer) (driver.Config, finding.Severity, error) {
	cfgPath, named := o.ConfigFile, o.ConfigFile != ""
	if !named {
		cfgPath = config.DefaultName
	}
	file, err := config.Load(cfgPath, named)
	if err != nil {
		return driver.Config{}, 0, err
	}
	cfg := driver.Config{
		Paths:     o.Paths,
		Params:    map[string]string{},
		Rules:     rules.DefaultConfig(),
		Disabled:  map[string]bool{},
		Severity:  map[string]finding.Severity{},
		Exclude:   file.Exclude,
		Logs:      o.Logs,
		LogFormat: o.LogFormat,
		Stdin:     stdin,
		Progress:  stderr,
		Live:      o.Live,
	}
	if len(cfg.Paths) == 0 && len(cfg.Logs) == 0 && o.Live == nil {
		cfg.Paths = []string{"."}
	}
	for k, s := range file.Rules {
		r := rules.Lookup(k)
		if s.Enabled != nil && !*s.Enabled {
			cfg.Disabled[r.ID] = true
		}
		if s.Severity != nil {
			cfg.Severity[r.ID] = *s.Severity
		}
	}
	if file.Margin != nil {
		cfg.Rules.Margin = time.Duration(*file.Margin) * time.Millisecond
	}
	if file.NearTimeoutPercent != nil {
		cfg.Rules.NearTimeoutPercent = *file.NearTimeoutPercent
	}
	if file.CallMargin != nil {
		cfg.Rules.CallMargin = time.Duration(*file.CallMargin) * time.Millisecond
	}
	if file.AsyncThreshold != nil {
		cfg.Rules.AsyncThreshold = *file.AsyncThreshold
	}
	if file.RestMaxTimeout != nil {
		cfg.Rules.RestMaxTimeout = time.Duration(*file.RestMaxTimeout) * time.Millisecond
	}
	if o.RestMaxTimeout != nil {
		cfg.Rules.RestMaxTimeout = time.Duration(*o.RestMaxTimeout) * time.Millisecond
	}
	failOn := file.FailOn
	if o.FailOn != "" {
		failOn = o.FailOn
	}
	threshold, err := parseFailOn(failOn)
	if err != nil {
		return cfg, 0, usage(err)
	}
	if o.ParamsFile != "" {
		data, err := os.ReadFile(o.ParamsFile)
		if err != nil {
			return cfg, 0, err
		}
		// Its format, by name or content: CloudFormation's values, or a
		// Terraform .tfvars file the Terraform source reads itself.
		ps, self, err := driver.ParamsFile(o.ParamsFile, data)
		if err != nil {
			return cfg, 0, err
		}
		if self {
			cfg.ParamsFiles = append(cfg.ParamsFiles, o.ParamsFile)
		} else {
			cfg.ParamsFile = o.ParamsFile
		}
		if t := cfn.DeploymentTemplate(data); t != "" && len(o.Paths) == 0 && len(cfg.Logs) == 0 && o.Live == nil {
			// A Git sync deployment file names the template it deploys.
			cfg.Paths = []string{t}
		}
		for k, v := range ps {
			cfg.Params[k] = v
		}
	}
	for _, p := range o.Params {
		k, v, err := ParseParam(p)
		if err != nil {
			return cfg, 0, usage(err)
		}
		cfg.Params[k] = v
		if !slices.Contains(cfg.FlagParams, k) {
			cfg.FlagParams = append(cfg.FlagParams, k)
		}
	}
	if o.Verbose {
		cfg.OnFile = func(path, outcome string) { fmt.Fprintf(stderr, "%s: %s\n", path, outcome) }
	}
	if !slices.Contains(report.Formats, o.Format) {
		return cfg, 0, usage(fmt.Errorf("unknown --format %q (want %s)", o.Format, strings.Join(report.Formats, ", ")))
	}
	if o.Baseline != "" {
		data, err := os.ReadFile(o.Baseline)
		if err != nil {
			return cfg, 0, usage(fmt.Errorf("--baseline: %w", err))
		}
		if cfg.Baseline, err = baseline.Parse(o.Baseline, data); err != nil {
			return cfg, 0, err
		}
	}
	cfg.Rules.FixParameters = o.FixParameters
	cfg.Environments = source.Environments{File: o.SAMConfigFile, Name: o.ConfigEnv}
	if o.SAMConfigFile != "" {
		if _, err := os.Stat(o.SAMConfigFile); err != nil {
			return cfg, 0, usage(fmt.Errorf("--config-file: %w", err))
		}
	}
	// Fixes, diffs and byte columns need the bytes as read.
	cfg.KeepSources = true
	return cfg, threshold, nil
}

// usageErrors is the error in how gatelint was called that only reading
// the inputs told (an environment a samconfig file does not define).
func usageErrors(res *driver.Result) error {
	for _, e := range res.Errors {
		if e.Usage {
			return usage(errors.New(e.Message))
		}
	}
	return nil
}

// judgedIn reports whether anything in m was read in environment env.
func judgedIn(m *model.Model, env string) bool {
	in := func(r *model.Resource) bool { return r != nil && r.Scenario != nil && r.Scenario.Env == env }
	for _, a := range m.APIs {
		if in(a.Resource) {
			return true
		}
	}
	for _, f := range m.Functions {
		if in(f.Resource) {
			return true
		}
	}
	for _, q := range m.Queues {
		if in(q.Resource) {
			return true
		}
	}
	return false
}

// ParseParam reads one --param Key=Value.
func ParseParam(s string) (string, string, error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return "", "", fmt.Errorf("--param %q: want Key=Value", s)
	}
	return strings.TrimSpace(k), v, nil
}

// exitCode is 2 for input errors, 1 for findings at or above threshold.
func exitCode(res *report.Result, threshold finding.Severity) int {
	// A live audit that read part of the account reports what it could
	// not read and goes on: only an account read not at all is exit 2.
	inputErrors := len(res.Errors)
	if res.Live != nil {
		if res.Live.Unreadable {
			return ExitError
		}
		inputErrors -= res.Live.Errors
	}
	if inputErrors > 0 {
		return ExitError
	}
	code := ExitOK
	for _, f := range res.Findings {
		if threshold > 0 && f.Severity >= threshold {
			code = ExitFindings
		}
	}
	return code
}

// finishDiff prints the plan as a patch in place of the report.
func finishDiff(o Options, stdout io.Writer, plan *fix.Plan, res *driver.Result, threshold finding.Severity) (int, error) {
	out := stdout
	if o.Output != "" {
		f, err := os.Create(o.Output)
		if err != nil {
			return ExitError, err
		}
		defer f.Close()
		out = f
	}
	if err := fix.Diff(out, plan.Changes); err != nil {
		return ExitError, err
	}
	if len(plan.Refused) > 0 {
		return ExitError, nil
	}
	return exitCode(res.Result, threshold), nil
}

// writeBaselineFile writes b beside where it goes and renames it there,
// so an interrupted run leaves the old baseline.
func writeBaselineFile(path string, b *baseline.File) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".gatelint-*")
	if err != nil {
		return fmt.Errorf("--write-baseline: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := b.Write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("--write-baseline %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("--write-baseline %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("--write-baseline %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("--write-baseline: %w", err)
	}
	return nil
}

// parseFailOn reads --fail-on; 0 means never.
func parseFailOn(s string) (finding.Severity, error) {
	switch strings.ToLower(s) {
	case "":
		return finding.Warning, nil
	case "never", "none":
		return 0, nil
	}
	sev, err := finding.ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("--fail-on: %w", err)
	}
	return sev, nil
}
