// Package finding holds what a rule reports: a diagnostic in the shape of
// golang.org/x/tools/go/analysis — a range, a category (the rule), a message,
// related positions and suggested fixes made of byte edits.
package finding

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/loc"
)

// Severity orders findings; --fail-on compares against it.
type Severity int

const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText makes severities read as words in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity reads "error", "warning" or "info" in any case.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info", "note":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Endpoint names the API method a finding concerns. Path is as the user
// writes it (/items/{id}); HTTP API route keys are split into Method and Path.
type Endpoint struct {
	API     string `json:"api"`
	APIType string `json:"apiType"`
	Method  string `json:"method"`
	Path    string `json:"path"`
}

func (e Endpoint) String() string {
	if e.Method == "" {
		return e.Path
	}
	return e.Method + " " + e.Path
}

// Resource names the resource a finding belongs to: its address in its
// source (a CloudFormation logical ID, an ARN, a log file), and the names
// CloudFormation and CDK give it where the source has them.
type Resource struct {
	Address   string `json:"address"`
	LogicalID string `json:"logicalId,omitempty"`
	Type      string `json:"type,omitempty"`
	CDKPath   string `json:"cdkPath,omitempty"`
	// File is the template the resource is defined in, for suppressions.
	File string `json:"-"`
	// Scenario is the scenario the resource was read under; nil when its
	// file is read once.
	Scenario *Scenario `json:"-"`
}

// Related is a secondary location with a short explanation.
type Related struct {
	Location loc.Range
	Message  string
}

// TextEdit replaces bytes [Start, End) of File with NewText. Offsets are
// into the file as read, so a fix never re-encodes it.
type TextEdit struct {
	File    string `json:"file"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	NewText string `json:"newText"`
	// StartPos and EndPos locate the same bytes as lines and columns, for
	// reports that speak in regions (SARIF, rdjson).
	StartPos loc.Pos `json:"-"`
	EndPos   loc.Pos `json:"-"`
}

// Safety says whether a fix may be applied without review, in the spirit
// of ruff's fix safety levels.
type Safety int

const (
	// Safe fixes change only the flagged value (or add the one property
	// that sets it): `--fix` applies them.
	Safe Safety = iota
	// Unsafe fixes change behaviour beyond the flagged value (new
	// resources, a value other resources share): only `--unsafe-fixes`
	// applies them.
	Unsafe
)

func (s Safety) String() string {
	if s == Unsafe {
		return "unsafe"
	}
	return "safe"
}

// Fix is one way to resolve a finding: either byte edits to a file or, for
// resources with no file (a live account), commands to run.
type Fix struct {
	Description string     `json:"description"`
	Edits       []TextEdit `json:"edits"`
	Commands    []string   `json:"commands,omitempty"`
	Safety      Safety     `json:"-"`
	// Behalf marks a fix that also does what another rule asks (GL002
	// raising the integration timeout GL001 flags): the driver drops it
	// where that rule is off or suppressed.
	Behalf *Behalf `json:"-"`
	// Bound says, for a fix that writes one number, whether any smaller
	// (AtMost) or larger (AtLeast) number would fix the finding too: what
	// lets one edit serve findings of several scenarios that ask the same
	// value for different numbers.
	Bound Bound `json:"-"`
}

// Bound is the direction in which a fix's number may go further.
type Bound int

const (
	NoBound Bound = iota
	AtMost
	AtLeast
)

// Behalf names the rule a fix is made on behalf of, and where.
type Behalf struct {
	Rule string
	// Resources are where that rule's suppressions are looked up: the fix
	// is dropped when any of them suppresses it.
	Resources []Resource
	// Otherwise is the finding's message without the fix, for when it is
	// dropped.
	Otherwise string
}

// Finding is one diagnostic.
type Finding struct {
	RuleID   string
	RuleName string
	Severity Severity
	Message  string
	Location loc.Range
	Resource Resource
	Endpoint *Endpoint
	Related  []Related
	Fixes    []Fix
	// Evidence is what access logs (or a live account's log queries) showed
	// about the endpoint; nil for findings from configuration alone.
	Evidence *Evidence
	// Holds says in which of its file's scenarios (environments, allowed
	// parameter values) the finding holds, when not in all of them: "in
	// samconfig environments prod, staging", "when IsProd (Env=prod)".
	// The message begins with it.
	Holds string
	// Executions is what the function's own logs showed (GL010); reports
	// give it as the finding's evidence when Evidence is nil.
	Executions *Executions
}

// Executions is the function-log record behind a finding: how many
// invocations ran longer than the integration waited (phantom
// executions), and how they ended.
type Executions struct {
	PhantomExecutions     int64 `json:"phantomExecutions"`
	CompletedAfterTimeout int64 `json:"completedAfterTimeout"`
	FunctionTimedOut      int64 `json:"functionTimedOut"`
	ColdStarts            int64 `json:"coldStarts"`
	Invocations           int64 `json:"invocations"`
	// P99DurationMs and MaxDurationMs are nil when no duration was read.
	P99DurationMs *int64     `json:"p99DurationMs"`
	MaxDurationMs *int64     `json:"maxDurationMs"`
	FirstSeen     *time.Time `json:"firstSeen"`
	LastSeen      *time.Time `json:"lastSeen"`
}

// EvidenceOf is the evidence a report gives for f: the access logs', else
// the function logs', else nil.
func EvidenceOf(f *Finding) any {
	switch {
	case f.Evidence != nil:
		return f.Evidence
	case f.Executions != nil:
		return f.Executions
	}
	return nil
}

// Evidence is the log record behind a finding.
type Evidence struct {
	Timeouts int64 `json:"timeouts"`
	Requests int64 `json:"requests"`
	// P99IntegrationLatencyMs is nil when no completed request logged an
	// integration latency.
	P99IntegrationLatencyMs *int64     `json:"p99IntegrationLatencyMs"`
	FirstSeen               *time.Time `json:"firstSeen"`
	LastSeen                *time.Time `json:"lastSeen"`
	// Sources are the log files (or log groups) the numbers come from.
	Sources []string `json:"sources"`
	// TimeoutStatus counts timeouts by the status the client got, and
	// TimeoutsWithLatencyMinusOne those logged with integrationLatency -1;
	// both are empty when the log does not tell.
	TimeoutStatus               map[int]int64 `json:"timeoutStatus,omitempty"`
	TimeoutsWithLatencyMinusOne int64         `json:"timeoutsWithLatencyMinusOne,omitempty"`
	// TimeoutsStatusOnly counts the timeouts known by their status alone
	// (the log has no latency or error fields): possibly other failures.
	TimeoutsStatusOnly int64 `json:"timeoutsStatusOnly,omitempty"`
}

// InputError is an input that could not be read. The run goes on without it.
type InputError struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	// Column, when known, is the 1-based column (in Unicode code points)
	// of Line where the problem is.
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
	// Usage marks an error in how gatelint was called that only reading
	// the input could tell (an environment the file does not define).
	Usage bool `json:"-"`
}

func (e InputError) Error() string {
	if e.Line > 0 && e.Column > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Message)
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Message)
}

// PathMessage is the text of a file error without Go's "open PATH:"
// prefix, since an InputError names the file beside it.
func PathMessage(err error) string {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// StatusList words timeouts by the status the clients got, most frequent
// first: "504 (18) and 503 (5)".
func StatusList(counts map[int]int64) string {
	codes := slices.Collect(maps.Keys(counts))
	slices.SortFunc(codes, func(a, b int) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b)) })
	var b strings.Builder
	for i, c := range codes {
		switch {
		case i == 0:
		case i == len(codes)-1:
			b.WriteString(" and ")
		default:
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d (%d)", c, counts[c])
	}
	return b.String()
}
