package driver

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/report"
	"github.com/gatelint/gatelint/rules"
)

// timeoutRule is the rule whose findings the timeout summary adds up, so
// that a suppressed or disabled GL005 silences the summary too.
const timeoutRule = "GL005"

// timeoutSummary is one sentence over every timeout the logs proved, in
// the words an incident report would use: "23 requests timed out waiting
// for backend integration (integrationLatency = -1). All timed-out
// requests returned HTTP 504 to the client. Affected endpoints: POST
// /api/reports/generate (18), POST /api/export/csv (5)."
func timeoutSummary(fs []finding.Finding) string {
	type ep struct {
		name string
		n    int64
	}
	var eps, maybe []ep
	var total, minusOne, possible int64
	status := map[int]int64{}
	for _, f := range fs {
		if f.RuleID != timeoutRule || f.Evidence == nil || f.Endpoint == nil {
			continue
		}
		ev := f.Evidence
		// Timeouts known by their status alone are told apart: the log
		// cannot say they were timeouts.
		proven := ev.Timeouts - ev.TimeoutsStatusOnly
		possible += ev.TimeoutsStatusOnly
		if ev.TimeoutsStatusOnly > 0 {
			maybe = append(maybe, ep{f.Endpoint.String(), ev.TimeoutsStatusOnly})
		}
		if proven <= 0 {
			continue
		}
		total += proven
		minusOne += ev.TimeoutsWithLatencyMinusOne
		if ev.TimeoutsStatusOnly == 0 {
			for s, n := range ev.TimeoutStatus {
				status[s] += n
			}
		}
		eps = append(eps, ep{f.Endpoint.String(), proven})
	}
	if total == 0 && possible == 0 {
		return ""
	}
	list := func(b *strings.Builder, eps []ep) {
		slices.SortStableFunc(eps, func(a, b ep) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.name, b.name)) })
		for i, e := range eps {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "%s (%d)", e.name, e.n)
		}
		b.WriteString(".")
	}
	var b strings.Builder
	if total > 0 {
		if total == 1 {
			b.WriteString("1 request timed out waiting for backend integration")
		} else {
			fmt.Fprintf(&b, "%d requests timed out waiting for backend integration", total)
		}
		switch {
		case minusOne == total:
			b.WriteString(" (integrationLatency = -1)")
		case minusOne > 0:
			fmt.Fprintf(&b, " (%d with integrationLatency = -1)", minusOne)
		}
		b.WriteString(".")
		var known int64
		for _, n := range status {
			known += n
		}
		switch {
		case len(status) == 1 && known == total:
			for s := range status {
				fmt.Fprintf(&b, " All timed-out requests returned HTTP %d to the client.", s)
			}
		case len(status) > 0:
			fmt.Fprintf(&b, " Timed-out requests returned HTTP %s to the client.", finding.StatusList(status))
		}
		b.WriteString(" Affected endpoints: ")
		list(&b, eps)
	}
	if possible > 0 {
		if total > 0 {
			b.WriteString(" ")
		}
		what := "1 5xx response, logged with nothing but its status, may have been an integration timeout"
		if possible > 1 {
			what = fmt.Sprintf("%d 5xx responses, logged with nothing but their status, may have been integration timeouts", possible)
		}
		b.WriteString(what + ": ")
		list(&b, maybe)
	}
	return b.String()
}

// endpointViews describes every endpoint for reports that draw traffic:
// its limits as configured and what the logs saw.
func endpointViews(m *model.Model) []report.EndpointView {
	var out []report.EndpointView
	for _, api := range m.APIs {
		if !api.Resource.Scenario.Primary() {
			continue // its twin in the first scenario stands for it
		}
		for _, e := range api.Endpoints {
			v := report.EndpointView{API: api.Resource.Name(), APIType: string(api.Type), Method: e.Method, Path: e.Path, Location: e.Loc}
			if in := e.Integration; in != nil && !api.FromLogs {
				if t, ok := in.Timeout.Max(); ok {
					v.IntegrationTimeoutMs = t.D.Milliseconds()
					if !in.Streaming {
						v.IntegrationTimeoutMs = min(t.D, awsfacts.MaxIntegrationTimeout(api.Type)).Milliseconds()
					}
				}
				if fn := in.Function; fn != nil {
					if t, ok := fn.Timeout.Max(); ok {
						v.FunctionTimeoutMs = t.D.Milliseconds()
					}
				}
			}
			if o := e.Observed; o != nil {
				v.Stage = o.Stage
				v.Requests, v.Timeouts, v.Other5xx = o.Requests, o.Timeouts, o.Other5xx
				v.Latency = &o.Latency
				if h := &o.Latency; h.Count() > 0 {
					v.Percentiles = &report.Percentiles{Completed: h.Count(), P50: h.Quantile(0.5), P95: h.Quantile(0.95), P99: h.Quantile(0.99), Max: h.Max()}
				} else if p := o.Percentiles; p != nil {
					v.Percentiles = &report.Percentiles{Completed: p.Completed, P50: p.P50, P95: p.P95, P99: p.P99, Max: p.Max}
				}
				v.TimeoutsByMinute = o.TimeoutsByMinute
				v.FirstTimeout, v.LastTimeout = o.FirstTimeout, o.LastTimeout
				v.Sources = o.Sources
				if api.FromLogs {
					v.Location = o.Where()
				}
			}
			out = append(out, v)
		}
	}
	// What the logs saw first: endpoints that timed out, then the busiest.
	slices.SortStableFunc(out, func(a, b report.EndpointView) int {
		return cmp.Or(cmp.Compare(b.Timeouts, a.Timeouts), cmp.Compare(b.Requests, a.Requests))
	})
	return out
}

// phantomRule is the rule whose findings the phantom summary adds up.
const phantomRule = "GL010"

// functionViews describes every function whose own log was read: its
// limits, its durations and, judged as GL010 judges them, its phantom
// executions.
func functionViews(m *model.Model, c *rules.Config, fs []finding.Finding) []report.FunctionView {
	var out []report.FunctionView
	for _, fn := range m.Functions {
		l := fn.Log
		if l == nil {
			continue
		}
		v := report.FunctionView{Name: fn.Resource.Name(), Location: fn.Resource.Key, Invocations: l.Invocations, ColdStarts: l.ColdStarts,
			First: l.First, Last: l.Last, Sources: l.Sources}
		if t, ok := fn.Timeout.Max(); ok {
			v.FunctionTimeoutMs = t.D.Milliseconds()
			if t.Origin != model.Default && t.Origin != model.Inherited {
				v.Location = t.Loc
			}
		}
		if h := &l.Durations; h.Count() > 0 {
			v.Durations = h
			v.Percentiles = &report.Percentiles{Completed: h.Count(), P50: h.Quantile(0.5), P95: h.Quantile(0.95), P99: h.Quantile(0.99), Max: h.Max()}
		} else if p := l.Percentiles; p != nil {
			v.Percentiles = &report.Percentiles{Completed: p.Completed, P50: p.P50, P95: p.P95, P99: p.P99, Max: p.Max}
		}
		if j, ok := rules.JudgePhantoms(fn, c); ok {
			v.IntegrationTimeoutMs = j.Wait.Milliseconds()
			v.Phantoms, v.Completed, v.TimedOut, v.Cold, v.ByInit = j.Over.Over, j.Over.Succeeded, j.Over.TimedOut, j.Over.Cold, j.Over.ByInit
			for _, e := range j.Callers {
				v.Endpoints = append(v.Endpoints, e.Name())
				if ph := e.Phantoms; ph != nil && ph.Matched > 0 && e.Observed != nil {
					v.Proven = append(v.Proven, rules.ProvenText(e))
				}
			}
		}
		// GL010 off or suppressed for the function: its counts are still
		// drawn, but not summed.
		v.Reported = reported(fs, fn)
		out = append(out, v)
	}
	return out
}

// reported reports whether GL010 reported fn.
func reported(fs []finding.Finding, fn *model.Function) bool {
	for _, f := range fs {
		if f.RuleID == phantomRule && f.Resource == fn.Resource.Finding() {
			return true
		}
	}
	return false
}

// phantomSummary is one sentence over every phantom execution GL010
// reported: "20 invocations of 2 functions ran on after API Gateway had
// returned a 504; 17 of them completed successfully: GenerateReportFunction
// (18, 16 completed), ExportCsvFunction (2, 1 completed)."
func phantomSummary(vs []report.FunctionView) string {
	var total, done int64
	var parts []string
	for _, v := range vs {
		if v.Phantoms == 0 {
			continue
		}
		if !v.Reported {
			continue
		}
		total += v.Phantoms
		done += v.Completed
		parts = append(parts, fmt.Sprintf("%s (%d, %d completed)", v.Name, v.Phantoms, v.Completed))
	}
	if total == 0 {
		return ""
	}
	fns := "1 function"
	if len(parts) > 1 {
		fns = fmt.Sprintf("%d functions", len(parts))
	}
	inv := "invocations"
	if total == 1 {
		inv = "invocation"
	}
	return fmt.Sprintf("The function logs show %d %s of %s running on after API Gateway had given up on them; %d of them completed successfully, work the clients were told had failed: %s.",
		total, inv, fns, done, strings.Join(parts, ", "))
}
