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
