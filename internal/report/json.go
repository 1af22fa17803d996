package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
)

// The JSON output is a public contract that scripts parse, so it has its
// own structs rather than reusing internal ones whose fields may move.
// Arrays are made non-nil so consumers never meet null.

type jsonReport struct {
	Version  int           `json:"version"`
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
	Notes    []jsonNote    `json:"notes"`
	// Traffic lists per-endpoint access-log statistics, when logs were read.
	Traffic []jsonTraffic `json:"traffic,omitempty"`
	// Functions lists what functions' own logs showed, when function
	// logs were read.
	Functions []jsonFunction `json:"functions,omitempty"`
	Summary   jsonSummary    `json:"summary"`
}

// jsonFunction is what a function's own log showed.
type jsonFunction struct {
	Function             string       `json:"function"`
	Location             jsonLocation `json:"location"`
	IntegrationTimeoutMs int64        `json:"integrationTimeoutMs,omitempty"`
	FunctionTimeoutMs    int64        `json:"functionTimeoutMs,omitempty"`
	Invocations          int64        `json:"invocations"`
	ColdStarts           int64        `json:"coldStarts"`
	// Phantom executions: invocations longer than the integration waits.
	PhantomExecutions     int64        `json:"phantomExecutions"`
	CompletedAfterTimeout int64        `json:"completedAfterTimeout"`
	FunctionTimedOut      int64        `json:"functionTimedOut"`
	DurationMs            *Percentiles `json:"durationMs"`
	Proven                []string     `json:"proven,omitempty"`
	Sources               []string     `json:"sources"`
}

// jsonTraffic is what the logs showed of one endpoint.
type jsonTraffic struct {
	Endpoint             jsonEndpoint `json:"endpoint"`
	Stage                string       `json:"stage,omitempty"`
	Location             jsonLocation `json:"location"`
	IntegrationTimeoutMs int64        `json:"integrationTimeoutMs,omitempty"`
	FunctionTimeoutMs    int64        `json:"functionTimeoutMs,omitempty"`
	Requests             int64        `json:"requests"`
	Timeouts             int64        `json:"timeouts"`
	Other5xx             int64        `json:"other5xx"`
	IntegrationLatencyMs *Percentiles `json:"integrationLatencyMs"`
	FirstTimeout         *time.Time   `json:"firstTimeout,omitempty"`
	LastTimeout          *time.Time   `json:"lastTimeout,omitempty"`
	Sources              []string     `json:"sources"`
}

type jsonLocation struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
}

type jsonResource struct {
	// Address is present for every source; logicalId and cdkPath where the
	// source is CloudFormation or CDK (and, for a live resource, its name).
	Address   string `json:"address"`
	LogicalID string `json:"logicalId,omitempty"`
	Type      string `json:"type"`
	CDKPath   string `json:"cdkPath,omitempty"`
}

type jsonEndpoint struct {
	API     string `json:"api"`
	APIType string `json:"apiType"`
	Method  string `json:"method"`
	Path    string `json:"path"`
}

type jsonRelated struct {
	Location jsonLocation `json:"location"`
	Message  string       `json:"message"`
}

type jsonEdit struct {
	File    string `json:"file"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	NewText string `json:"newText"`
}

type jsonFix struct {
	Description string     `json:"description"`
	Edits       []jsonEdit `json:"edits"`
	Commands    []string   `json:"commands,omitempty"`
	// Unsafe marks a fix --fix applies only with --unsafe-fixes.
	Unsafe bool `json:"unsafe,omitempty"`
}

type jsonFinding struct {
	ID       string        `json:"id"`
	Rule     string        `json:"rule"`
	Severity string        `json:"severity"`
	Message  string        `json:"message"`
	Location jsonLocation  `json:"location"`
	Resource jsonResource  `json:"resource"`
	Endpoint *jsonEndpoint `json:"endpoint,omitempty"`
	Related  []jsonRelated `json:"related"`
	Fixes    []jsonFix     `json:"fixes"`
	// Evidence is present on findings the logs support: access logs'
	// (finding.Evidence) or function logs' (finding.Executions).
	Evidence any `json:"evidence,omitempty"`
	// Holds says in which scenarios the finding holds, when not all.
	Holds string `json:"holds,omitempty"`
}

type jsonError struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

type jsonNote struct {
	Location jsonLocation `json:"location"`
	Message  string       `json:"message"`
}

type jsonSummary struct {
	Findings        int   `json:"findings"`
	Error           int   `json:"error"`
	Warning         int   `json:"warning"`
	Info            int   `json:"info"`
	InputErrors     int   `json:"inputErrors"`
	FilesRead       int   `json:"filesRead"`
	Templates       int   `json:"templates"`
	Modules         int   `json:"modules,omitempty"`
	Endpoints       int   `json:"endpoints"`
	Functions       int   `json:"functions"`
	LinkedFunctions int   `json:"linkedFunctions"`
	LogFiles        int   `json:"logFiles"`
	LogRecords      int64 `json:"logRecords"`
	// FunctionLogFiles and Invocations count the function logs read.
	FunctionLogFiles int   `json:"functionLogFiles,omitempty"`
	Invocations      int64 `json:"invocations,omitempty"`
	// PhantomSummary is the one-sentence account of every phantom
	// execution the function logs showed; empty when none.
	PhantomSummary string `json:"phantomSummary,omitempty"`
	// TimeoutSummary is the one-sentence account of every timeout the
	// logs showed, as the text report prints it; empty when none.
	TimeoutSummary string `json:"timeoutSummary,omitempty"`
	// Live says what a live audit read; absent without --live.
	Live *jsonLive `json:"live,omitempty"`
}

type jsonLive struct {
	Account string   `json:"account"`
	Regions []string `json:"regions"`
	APIs    int      `json:"apis"`
	Calls   int64    `json:"calls"`
	Errors  int      `json:"errors"`
}

// JSON writes the versioned document that testdata/json.golden pins.
func JSON(w io.Writer, r *Result, o Options) error {
	counts := severityCounts(r.Findings)
	doc := jsonReport{
		Version:  1,
		Findings: make([]jsonFinding, 0, len(r.Findings)),
		Errors:   make([]jsonError, 0, len(r.Errors)),
		Notes:    make([]jsonNote, 0, len(r.Notes)),
		Summary: jsonSummary{
			Findings:         len(r.Findings),
			Error:            counts[finding.Error],
			Warning:          counts[finding.Warning],
			Info:             counts[finding.Info],
			InputErrors:      len(r.Errors),
			FilesRead:        r.Stats.FilesRead,
			Templates:        r.Stats.Templates,
			Modules:          r.Stats.Modules,
			Endpoints:        r.Stats.Endpoints,
			Functions:        r.Stats.Functions,
			LinkedFunctions:  r.Stats.LinkedFunctions,
			LogFiles:         r.Stats.LogFiles,
			LogRecords:       r.Stats.LogRecords,
			TimeoutSummary:   r.TimeoutSummary,
			FunctionLogFiles: r.Stats.FunctionLogFiles,
			Invocations:      r.Stats.Invocations,
			PhantomSummary:   r.PhantomSummary,
		},
	}
	if l := r.Live; l != nil {
		doc.Summary.Live = &jsonLive{Account: l.Account, Regions: append([]string{}, l.Regions...), APIs: l.APIs, Calls: l.Calls, Errors: l.Errors}
	}
	for _, f := range r.Findings {
		doc.Findings = append(doc.Findings, toJSONFinding(f))
	}
	for _, e := range r.Errors {
		doc.Errors = append(doc.Errors, jsonError{File: e.File, Line: e.Line, Message: e.Message})
	}
	for _, u := range r.Notes {
		doc.Notes = append(doc.Notes, jsonNote{Location: toJSONLocation(u.Location), Message: u.Message})
	}
	for _, e := range r.Endpoints {
		if e.Requests == 0 {
			continue
		}
		t := jsonTraffic{
			Endpoint: jsonEndpoint{API: e.API, APIType: e.APIType, Method: e.Method, Path: e.Path},
			Stage:    e.Stage, Location: toJSONLocation(e.Location),
			IntegrationTimeoutMs: e.IntegrationTimeoutMs, FunctionTimeoutMs: e.FunctionTimeoutMs,
			Requests: e.Requests, Timeouts: e.Timeouts, Other5xx: e.Other5xx,
			IntegrationLatencyMs: e.Percentiles, Sources: e.Sources,
		}
		if !e.FirstTimeout.IsZero() {
			first, last := e.FirstTimeout.UTC(), e.LastTimeout.UTC()
			t.FirstTimeout, t.LastTimeout = &first, &last
		}
		doc.Traffic = append(doc.Traffic, t)
	}
	for _, v := range r.Functions {
		doc.Functions = append(doc.Functions, jsonFunction{Function: v.Name, Location: toJSONLocation(v.Location),
			IntegrationTimeoutMs: v.IntegrationTimeoutMs, FunctionTimeoutMs: v.FunctionTimeoutMs, Invocations: v.Invocations, ColdStarts: v.ColdStarts,
			PhantomExecutions: v.Phantoms, CompletedAfterTimeout: v.Completed, FunctionTimedOut: v.TimedOut, DurationMs: v.Percentiles,
			Proven: v.Proven, Sources: v.Sources})
	}
	return encode(w, doc)
}

func toJSONFinding(f finding.Finding) jsonFinding {
	jf := jsonFinding{
		ID:       f.RuleID,
		Rule:     f.RuleName,
		Severity: f.Severity.String(),
		Message:  f.Message,
		Holds:    f.Holds,
		Location: toJSONLocation(f.Location),
		Resource: jsonResource{Address: f.Resource.Address, LogicalID: f.Resource.LogicalID, Type: f.Resource.Type, CDKPath: f.Resource.CDKPath},
		Related:  make([]jsonRelated, 0, len(f.Related)),
		Fixes:    make([]jsonFix, 0, len(f.Fixes)),
		Evidence: finding.EvidenceOf(&f),
	}
	if f.Endpoint != nil {
		e := jsonEndpoint(*f.Endpoint)
		jf.Endpoint = &e
	}
	for _, rel := range f.Related {
		jf.Related = append(jf.Related, jsonRelated{Location: toJSONLocation(rel.Location), Message: rel.Message})
	}
	for _, fix := range f.Fixes {
		jfix := jsonFix{Description: fix.Description, Edits: make([]jsonEdit, 0, len(fix.Edits)), Commands: fix.Commands, Unsafe: fix.Safety == finding.Unsafe}
		for _, e := range fix.Edits {
			jfix.Edits = append(jfix.Edits, jsonEdit{File: e.File, Start: e.Start, End: e.End, NewText: e.NewText})
		}
		jf.Fixes = append(jf.Fixes, jfix)
	}
	return jf
}

func toJSONLocation(r loc.Range) jsonLocation {
	return jsonLocation{File: r.File, Line: r.Start.Line, Column: r.Start.Column, EndLine: r.End.Line, EndColumn: r.End.Column}
}

// encode indents with two spaces and leaves <, > and & alone: messages
// compare timeouts ("35s > 29s") and nobody embeds this in HTML.
func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
