package report

import (
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/rules"
)

// The HTML report is one file that opens anywhere, offline, years later:
// CSS, SVG and the few lines of script that sort and filter are inline,
// and a Content Security Policy forbids the page any request at all, so a
// report mailed around cannot leak that it was opened.

var (
	//go:embed html.css
	htmlCSS string
	//go:embed html.js
	htmlJS string

	// The policy allows exactly the page's style sheet and script, by
	// their hashes, and nothing else.
	htmlCSP = "default-src 'none'; style-src 'sha256-" + contentHash(htmlCSS) + "'; script-src 'sha256-" + contentHash(htmlJS) + "'"
)

// svgNumber writes coordinates to a tenth of a unit: finer is invisible
// and only makes golden files noisy.
func svgNumber(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

func contentHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}

type pageView struct {
	Version   string
	Generated string
	ISOTime   string
	Counts    []severityCount
	Stats     Stats
	Errors    []located
	Notes     []located
	Logs      []logView
	// FunctionLogs is set when some of Logs are function logs.
	FunctionLogs bool
	Live         *liveView
	Endpoints    []endpointView
	Functions    []functionView
	Timeline     string // the shared time axis, said once
	Findings     []findingView
	Rules        []string
	Filters      []string // endpoint filter choices
}

type severityCount struct {
	Name, Label string
	N           int
}

type link struct {
	Text, Href string
}

// located is a message about a place: an input error, a note, a related
// location.
type located struct {
	Where   link
	Message string
}

type logView struct {
	File, Shape, Size, Records, Malformed string
}

type liveView struct {
	Account, Regions string
	APIs             int
	Calls            int64
}

type endpointView struct {
	Anchor      string
	Key         string
	Title       string
	API         string
	Where       link
	Integration string
	Function    string
	Requests    int64
	Timeouts    int64
	Other5xx    int64
	Percentiles string
	Window      string
	Sources     string
	Latency     *chart
	Timeline    *chart
	NoLatency   string
	NoTimeline  string
	// LogsRead is false when no logs were read: counts of zero would
	// then be a claim the report cannot make.
	LogsRead bool
}

// functionView is the card of a function whose own log was read.
type functionView struct {
	Anchor      string
	Title       string
	Where       link
	Integration string
	Function    string
	Invocations int64
	// Phantoms ran longer than the integration waits; Ends says how they
	// ended ("16 completed after the 504 · 2 ran into the Timeout").
	Phantoms    int64
	Ends        string
	ColdStarts  int64
	Percentiles string
	Proven      []string
	Sources     string
	Durations   *chart
	NoDurations string
}

type findingView struct {
	Order      int
	Severity   string
	Rank       int
	RuleID     string
	RuleName   string
	HelpURI    string
	Message    string
	Where      link
	SortPlace  string
	Resource   string
	Endpoint   string
	Related    []located
	Evidence   *evidenceView
	Executions *executionsView
	Fixes      []fixView
	EndpointAt string // anchor of the endpoint's card, when there is one
}

type evidenceView struct {
	Requests, Timeouts int64
	P99, Window        string
	Sources            string
}

// executionsView is GL010's evidence: what the function's own log showed.
type executionsView struct {
	Invocations, Phantoms, Completed, TimedOut, Cold int64
	P99, Max, Window                                 string
}

type fixView struct {
	Description string
	Diff        []diffLine
	// Edits lists the edits plainly when the file could not be read to
	// show them as a diff.
	Edits    []string
	Problem  string
	Commands []string
}

// HTML writes the self-contained report page.
func HTML(w io.Writer, r *Result, o Options) error {
	v := pageView{Version: o.Version, Stats: r.Stats}
	if !r.Generated.IsZero() {
		v.Generated = r.Generated.UTC().Format("2006-01-02 15:04:05 UTC")
		v.ISOTime = r.Generated.UTC().Format(time.RFC3339)
	}
	counts := severityCounts(r.Findings)
	for _, s := range []finding.Severity{finding.Error, finding.Warning, finding.Info} {
		label := s.String()
		if counts[s] != 1 && s != finding.Info {
			label += "s"
		}
		v.Counts = append(v.Counts, severityCount{s.String(), label, counts[s]})
	}
	for _, e := range r.Errors {
		where := link{Text: e.File, Href: fileHref(e.File, o.ReportDir)}
		if e.Line > 0 {
			where.Text = fmt.Sprintf("%s:%d", e.File, e.Line)
			if e.Column > 0 {
				where.Text += fmt.Sprintf(":%d", e.Column)
			}
		}
		v.Errors = append(v.Errors, located{where, e.Message})
	}
	for _, n := range r.Notes {
		v.Notes = append(v.Notes, located{rangeLink(n.Location, o.ReportDir), n.Message})
	}
	for _, l := range r.Logs {
		v.Logs = append(v.Logs, toLogView(l))
		v.FunctionLogs = v.FunctionLogs || l.Kind == "function log"
	}
	if r.Live != nil {
		v.Live = &liveView{Account: r.Live.Account, Regions: strings.Join(r.Live.Regions, ", "), APIs: r.Live.APIs, Calls: r.Live.Calls}
	}

	anchors := map[string]string{}
	span, hasTimes := sharedSpan(r.Endpoints)
	if hasTimes {
		v.Timeline = fmt.Sprintf("Timelines of timeouts share one axis: %s to %s UTC, %s.",
			stamp(span.from, span.bucket), stamp(span.from.Add(time.Duration(span.n)*span.bucket), span.bucket), perBar(span.bucket))
	}
	for i, e := range r.Endpoints {
		ev := toEndpointView(i, e, o.ReportDir)
		if hasTimes {
			ev.Timeline = timelineChart(ev.Anchor+"-timeline", e.TimeoutsByMinute, span)
		}
		ev.LogsRead = len(r.Logs) > 0 || r.Live != nil
		switch {
		case !ev.LogsRead:
			// Configuration alone: say once that there is no traffic to
			// show rather than that this endpoint had none.
			ev.NoLatency, ev.NoTimeline = "No access logs were read: latency and timeouts unknown.", ""
		case ev.Timeline != nil:
		case e.Timeouts > 0:
			ev.NoTimeline = "Timeouts were counted, but the logs gave no times for them."
		default:
			ev.NoTimeline = "No timeouts with a time in the logs."
		}
		// Stages of one endpoint share a key (findings name no stage); a
		// finding links the first.
		if _, ok := anchors[ev.Key]; !ok {
			anchors[ev.Key] = ev.Anchor
		}
		v.Endpoints = append(v.Endpoints, ev)
	}

	for i, f := range r.Functions {
		v.Functions = append(v.Functions, toFunctionView(i, f, o.ReportDir))
	}

	ruleDocs := map[string]string{}
	for _, rl := range o.Rules {
		ruleDocs[rl.ID] = rl.HelpURI()
	}
	filters := map[string]bool{}
	for _, e := range v.Endpoints {
		filters[e.Key] = true
	}
	ruleIDs := map[string]bool{}
	for i, f := range r.Findings {
		fv := toFindingView(i, f, o)
		fv.HelpURI = ruleDocs[f.RuleID]
		if fv.HelpURI == "" {
			fv.HelpURI = rules.HelpURI(f.RuleID)
		}
		fv.EndpointAt = anchors[fv.Endpoint]
		if fv.Endpoint != "" {
			filters[fv.Endpoint] = true
		}
		ruleIDs[f.RuleID] = true
		v.Findings = append(v.Findings, fv)
	}
	v.Rules = sortedKeys(ruleIDs)
	v.Filters = sortedKeys(filters)
	pw := pageWriter{buf: make([]byte, 0, 64<<10)}
	pw.page(&v)
	if _, err := w.Write(pw.buf); err != nil {
		return fmt.Errorf("writing the HTML report: %w", err)
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// endpointKey names an endpoint the same way for a finding and for a card,
// so the endpoint filter and the links between them agree.
func endpointKey(api, method, path string) string {
	s := path
	if method != "" {
		s = method + " " + path
	}
	if api != "" {
		s += " · " + api
	}
	return s
}

func toEndpointView(i int, e EndpointView, dir string) endpointView {
	ev := endpointView{
		Anchor:      fmt.Sprintf("endpoint-%d", i+1),
		Key:         endpointKey(e.API, e.Method, e.Path),
		Title:       strings.TrimSpace(e.Method + " " + e.Path),
		API:         describeAPI(e),
		Where:       rangeLink(e.Location, dir),
		Integration: limit(e.IntegrationTimeoutMs),
		Function:    limit(e.FunctionTimeoutMs),
		Requests:    e.Requests,
		Timeouts:    e.Timeouts,
		Other5xx:    e.Other5xx,
		Sources:     strings.Join(e.Sources, ", "),
	}
	if !e.FirstTimeout.IsZero() {
		ev.Window = fmt.Sprintf("%s – %s", e.FirstTimeout.UTC().Format("2006-01-02 15:04 UTC"), e.LastTimeout.UTC().Format("2006-01-02 15:04 UTC"))
	}
	ev.Latency = latencyChart(ev.Anchor+"-latency", e.Latency, e.IntegrationTimeoutMs, e.FunctionTimeoutMs)
	switch p := e.Percentiles; {
	case ev.Latency == nil && p != nil && p.Completed > 0:
		// Percentiles a Logs Insights query computed: numbers, but no
		// distribution to draw.
		ev.Percentiles = fmt.Sprintf("p50 %s · p95 %s · p99 %s · max %s",
			seconds(p.P50), seconds(p.P95), seconds(p.P99), seconds(p.Max))
		ev.NoLatency = "The latency distribution was aggregated where the logs are (Logs Insights): percentiles only."
	case ev.Latency == nil:
		ev.NoLatency = "No traffic in the logs read."
		if e.Requests > 0 {
			ev.NoLatency = "Requests were seen, but none logged an integration latency."
		}
	default:
		h := e.Latency
		ev.Percentiles = fmt.Sprintf("p50 %s · p95 %s · p99 %s · max %s",
			seconds(h.Quantile(0.5)), seconds(h.Quantile(0.95)), seconds(h.Quantile(0.99)), seconds(h.Max()))
	}
	return ev
}

func toFunctionView(i int, f FunctionView, dir string) functionView {
	fv := functionView{Anchor: fmt.Sprintf("function-%d", i+1), Title: f.Name, Where: rangeLink(f.Location, dir),
		Integration: limit(f.IntegrationTimeoutMs), Function: limit(f.FunctionTimeoutMs), Invocations: f.Invocations,
		Phantoms: f.Phantoms, ColdStarts: f.ColdStarts, Proven: f.Proven, Sources: strings.Join(f.Sources, ", ")}
	var ends []string
	if f.Completed > 0 {
		ends = append(ends, fmt.Sprintf("%d completed after the client's error", f.Completed))
	}
	if f.TimedOut > 0 {
		ends = append(ends, fmt.Sprintf("%d ran into the function's Timeout", f.TimedOut))
	}
	if f.Cold > 0 {
		cold := fmt.Sprintf("%d cold", f.Cold)
		if f.ByInit > 0 {
			cold += fmt.Sprintf(" (%d pushed over by the init)", f.ByInit)
		}
		ends = append(ends, cold)
	}
	fv.Ends = strings.Join(ends, " · ")
	fv.Durations = durationChart(fv.Anchor+"-durations", f.Durations, f.IntegrationTimeoutMs, f.FunctionTimeoutMs)
	if fv.Durations != nil && f.Phantoms > 0 {
		fv.Durations.Desc += fmt.Sprintf(" %s longer than the integration timeout.", countOf(f.Phantoms, "invocation", "invocations"))
	}
	if p := f.Percentiles; p != nil {
		fv.Percentiles = fmt.Sprintf("p50 %s · p95 %s · p99 %s · max %s", seconds(p.P50), seconds(p.P95), seconds(p.P99), seconds(p.Max))
	}
	if fv.Durations == nil {
		fv.NoDurations = "No durations were read one by one."
		if p := f.Percentiles; p != nil && p.Completed > 0 {
			fv.NoDurations = "The durations were aggregated where the logs are (Logs Insights): percentiles only."
		}
	}
	return fv
}

func describeAPI(e EndpointView) string {
	var parts []string
	if e.API != "" {
		parts = append(parts, e.API)
	}
	if e.APIType != "" {
		parts = append(parts, e.APIType+" API")
	}
	if e.Stage != "" {
		parts = append(parts, "stage "+e.Stage)
	}
	return strings.Join(parts, ", ")
}

func limit(ms int64) string {
	if ms <= 0 {
		return "unknown"
	}
	return seconds(ms)
}

// sharedSpan is the time axis covering every endpoint's timeouts.
func sharedSpan(es []EndpointView) (timeSpan, bool) {
	var first, last int64
	found := false
	for _, e := range es {
		for m, n := range e.TimeoutsByMinute {
			if n <= 0 {
				continue
			}
			if !found || m < first {
				first = m
			}
			if !found || m > last {
				last = m
			}
			found = true
		}
	}
	if !found {
		return timeSpan{}, false
	}
	return timelineSpan(first, last), true
}

func toLogView(l LogView) logView {
	shape := l.Shape
	if l.Gzip {
		shape += ", gzip"
	}
	lv := logView{File: l.File, Shape: shape, Size: byteSize(l.Bytes), Records: fmt.Sprint(l.Records), Malformed: fmt.Sprint(l.Malformed)}
	if l.Kind == "function log" {
		lv.Shape = "function log: " + shape
		lv.Records += " invocations"
	}
	if len(l.MalformedLines) > 0 {
		lines := make([]string, len(l.MalformedLines))
		for i, n := range l.MalformedLines {
			lines[i] = fmt.Sprint(n)
		}
		lv.Malformed += " (lines " + strings.Join(lines, ", ")
		if int64(len(l.MalformedLines)) < l.Malformed {
			lv.Malformed += ", …"
		}
		lv.Malformed += ")"
	}
	return lv
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func toFindingView(i int, f finding.Finding, o Options) findingView {
	fv := findingView{
		Order:    i,
		Severity: f.Severity.String(),
		Rank:     int(f.Severity),
		RuleID:   f.RuleID,
		RuleName: f.RuleName,
		Message:  f.Message,
		Where:    rangeLink(f.Location, o.ReportDir),
		// Sorting by place compares file, then line numerically.
		SortPlace: fmt.Sprintf("%s\t%09d:%09d", f.Location.File, f.Location.Start.Line, f.Location.Start.Column),
		Resource:  cmp.Or(f.Resource.LogicalID, f.Resource.Address),
	}
	if f.Resource.CDKPath != "" {
		fv.Resource = f.Resource.CDKPath
	}
	if f.Resource.Type != "" {
		fv.Resource += " (" + f.Resource.Type + ")"
	}
	if f.Endpoint != nil {
		fv.Endpoint = endpointKey(f.Endpoint.API, f.Endpoint.Method, f.Endpoint.Path)
	}
	for _, rel := range f.Related {
		fv.Related = append(fv.Related, located{rangeLink(rel.Location, o.ReportDir), rel.Message})
	}
	if e := f.Evidence; e != nil {
		ev := &evidenceView{Requests: e.Requests, Timeouts: e.Timeouts, Sources: strings.Join(e.Sources, ", "), P99: "not logged"}
		if e.P99IntegrationLatencyMs != nil {
			ev.P99 = seconds(*e.P99IntegrationLatencyMs)
		}
		if e.FirstSeen != nil && e.LastSeen != nil {
			ev.Window = fmt.Sprintf("%s – %s", e.FirstSeen.UTC().Format("2006-01-02 15:04 UTC"), e.LastSeen.UTC().Format("2006-01-02 15:04 UTC"))
		}
		fv.Evidence = ev
	}
	if e := f.Executions; e != nil {
		ev := &executionsView{Invocations: e.Invocations, Phantoms: e.PhantomExecutions, Completed: e.CompletedAfterTimeout,
			TimedOut: e.FunctionTimedOut, Cold: e.ColdStarts, P99: "not logged", Max: "not logged"}
		if e.P99DurationMs != nil {
			ev.P99 = seconds(*e.P99DurationMs)
		}
		if e.MaxDurationMs != nil {
			ev.Max = seconds(*e.MaxDurationMs)
		}
		if e.FirstSeen != nil && e.LastSeen != nil {
			ev.Window = fmt.Sprintf("%s – %s", e.FirstSeen.UTC().Format("2006-01-02 15:04 UTC"), e.LastSeen.UTC().Format("2006-01-02 15:04 UTC"))
		}
		fv.Executions = ev
	}
	for _, fix := range f.Fixes {
		fx := fixView{Description: fix.Description, Commands: fix.Commands}
		if len(fix.Edits) > 0 {
			d, err := editDiff(fix.Edits, o.ReadSource)
			if err != nil {
				fx.Problem = err.Error()
				for _, e := range fix.Edits {
					fx.Edits = append(fx.Edits, describeEdit(e))
				}
			}
			fx.Diff = d
		}
		fv.Fixes = append(fv.Fixes, fx)
	}
	return fv
}

func describeEdit(e finding.TextEdit) string {
	where := fmt.Sprintf("%s bytes %d–%d", e.File, e.Start, e.End)
	if e.StartPos.Line > 0 {
		where = fmt.Sprintf("%s:%d:%d", e.File, e.StartPos.Line, e.StartPos.Column)
	}
	if e.Start == e.End {
		return fmt.Sprintf("%s: insert %q", where, e.NewText)
	}
	return fmt.Sprintf("%s: replace %d bytes with %q", where, e.End-e.Start, e.NewText)
}

func rangeLink(r loc.Range, dir string) link {
	return link{Text: r.String(), Href: fileHref(r.File, dir)}
}

// fileHref links a finding's file relative to where the report is
// written, so the report and the checkout can move together; an ARN has
// no link.
func fileHref(file, reportDir string) string {
	if file == "" || isARN(file) {
		return ""
	}
	// Relative to the report, so the link works wherever the report and
	// the checkout are opened together; an absolute path too (a file://
	// link is refused by the escaping, as html/template refused it).
	rel := file
	if reportDir == "" {
		reportDir = "."
	}
	if reportDir != "." || filepath.IsAbs(file) {
		base, err1 := filepath.Abs(reportDir)
		target, err2 := filepath.Abs(file)
		r, err := filepath.Rel(base, target)
		if err1 != nil || err2 != nil || err != nil {
			return ""
		}
		rel = r
	}
	return (&url.URL{Path: filepath.ToSlash(rel)}).String()
}
