// Package report renders a run's findings as text, JSON, SARIF, reviewdog's
// rdjson, GitHub workflow commands, a Markdown pull-request comment or a
// self-contained HTML page. It only
// renders: everything it prints was decided by the rules and the caller.
package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/rules"
)

// Stats are the counts a summary reports, so a clean run still shows what
// was looked at.
type Stats struct {
	FilesRead int
	Templates int
	// Modules counts Terraform root modules and plans read.
	Modules         int
	Endpoints       int
	Functions       int
	LinkedFunctions int
	LogFiles        int
	LogRecords      int64
	// FunctionLogFiles are the function-log inputs read, Invocations the
	// invocations in them.
	FunctionLogFiles int
	Invocations      int64
}

// Note is a part of an input gatelint could not judge: a value no rule
// could resolve (a !Ref to a parameter without a default, say), an OpenAPI
// file not found, a duplicate key. It is reported so a clean run is not
// mistaken for a checked one, but it is not a finding.
type Note struct {
	Location loc.Range
	Message  string
}

// Result is everything a run has to report.
type Result struct {
	// Findings are rendered in the order given; the caller sorts them.
	Findings []finding.Finding
	Errors   []finding.InputError
	Notes    []Note
	Stats    Stats
	// TimeoutSummary is one sentence over every timeout the logs showed
	// ("23 requests timed out ... Affected endpoints: ..."); empty when none.
	TimeoutSummary string
	// Endpoints, Logs and Live describe what was looked at, for reports
	// that show more than findings (HTML); empty when not applicable.
	Endpoints []EndpointView
	Logs      []LogView
	Live      *LiveView
	// Functions are the functions whose own logs were read, with what
	// they showed; PhantomSummary is one sentence over their phantom
	// executions (empty when none).
	Functions      []FunctionView
	PhantomSummary string
	// Generated is when the run happened.
	Generated time.Time
	// Sources holds each template as read, by path, when the caller asked
	// for it (check.Config.KeepSources): fixes are byte offsets into these
	// bytes, and reports that count columns in bytes read them.
	Sources map[string][]byte
}

// Options control rendering.
type Options struct {
	// Color turns on ANSI colour in text output; the caller decides whether
	// the output is a terminal.
	Color bool
	// Quiet limits text output to finding and error lines, for editors and
	// grep.
	Quiet bool
	// Rules describe the rules in SARIF's driver.rules.
	Rules []*rules.Rule
	// Version is the tool version SARIF and HTML report.
	Version string
	// Diff renders a fix as a unified diff, for reports that show fixes
	// as patches (markdown); nil where no sources are at hand.
	Diff func(finding.Fix) string
	// ReportDir is the directory the report is written to; HTML links
	// files relative to it. Empty means the working directory.
	ReportDir string
	// ReadSource returns a checked file's bytes, for HTML to show fixes as
	// diffs of the lines they change; nil shows the edits alone.
	ReadSource func(file string) ([]byte, error)
}

// Formats lists the names Write accepts.
var Formats = []string{"text", "json", "sarif", "rdjson", "rdjsonl", "github", "markdown", "html"}

// Write renders r in the named format.
func Write(w io.Writer, format string, r *Result, o Options) error {
	switch format {
	case "text":
		return Text(w, r, o)
	case "json":
		return JSON(w, r, o)
	case "sarif":
		return SARIF(w, r, o)
	case "rdjson":
		return RDJSON(w, r, o)
	case "rdjsonl":
		return RDJSONL(w, r, o)
	case "github":
		return GitHub(w, r, o)
	case "markdown":
		return Markdown(w, r, o)
	case "html":
		return HTML(w, r, o)
	}
	return fmt.Errorf("unknown output format %q (want %s)", format, strings.Join(Formats, ", "))
}
