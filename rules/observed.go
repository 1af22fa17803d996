package rules

import (
	"fmt"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
)

// Helpers for rules that read what access logs observed.

// completed is how many requests logged an integration latency.
func completed(o *model.Observation) int64 {
	if n := o.Latency.Count(); n > 0 {
		return n
	}
	if o.Percentiles != nil {
		return o.Percentiles.Completed
	}
	return 0
}

// p99 is the 99th percentile of integration latency, when known.
func p99(o *model.Observation) (int64, bool) {
	if o.Latency.Count() > 0 {
		return o.Latency.Quantile(0.99), true
	}
	if o.Percentiles != nil && o.Percentiles.Completed > 0 {
		return o.Percentiles.P99, true
	}
	return 0, false
}

// evidence is the log record behind a finding about o.
func evidence(o *model.Observation) *finding.Evidence {
	ev := &finding.Evidence{Timeouts: o.Timeouts, Requests: o.Requests, Sources: o.Sources,
		TimeoutsWithLatencyMinusOne: o.TimeoutLatencyMinusOne, TimeoutsStatusOnly: o.StatusOnly}
	if len(o.TimeoutStatus) > 0 {
		ev.TimeoutStatus = o.TimeoutStatus
	}
	if v, ok := p99(o); ok {
		ev.P99IntegrationLatencyMs = &v
	}
	if !o.FirstTimeout.IsZero() {
		first, last := o.FirstTimeout.UTC(), o.LastTimeout.UTC()
		ev.FirstSeen, ev.LastSeen = &first, &last
	}
	return ev
}

// span words when the timeouts happened: " between 10:02:11 and 10:41:57
// UTC on 2026-11-20", or "" when the log carries no time.
func span(o *model.Observation) string {
	if o.FirstTimeout.IsZero() {
		return ""
	}
	a, b := o.FirstTimeout.UTC(), o.LastTimeout.UTC()
	const day, clock = "2006-01-02", "15:04:05"
	switch {
	case a.Equal(b):
		return " at " + a.Format(day+" "+clock) + " UTC"
	case a.Format(day) == b.Format(day):
		return fmt.Sprintf(" between %s and %s UTC on %s", a.Format(clock), b.Format(clock), a.Format(day))
	}
	return fmt.Sprintf(" between %s and %s UTC", a.Format(day+" "+clock), b.Format(day+" "+clock))
}

// observedAt is where a log-derived finding about e points: the template
// line that sets how long the endpoint waits (its explicit
// TimeoutInMillis, else the endpoint), with the log record related; or,
// for an endpoint only the logs know, the log record itself.
func observedAt(e *model.Endpoint) (loc.Range, []finding.Related) {
	o := e.Observed
	if e.API.FromLogs {
		return o.Where(), nil
	}
	at := e.Loc
	if in := e.Integration; in != nil {
		if v, ok := in.Timeout.Max(); ok && v.Explicit() {
			at = v.Loc
		}
	}
	rel := o.Where()
	what := "first timeout in the access log"
	if o.FirstTimeoutAt.File == "" {
		what = "first request in the access log"
	}
	if rel.File == "" || rel.Start.Line == 0 {
		what = "access log"
	}
	return at, []finding.Related{{Location: rel, Message: what}}
}

// signal words how the log told the timeouts, for messages.
func signal(o *model.Observation) string {
	if o.Timeouts > 0 && o.TimeoutLatencyMinusOne == o.Timeouts {
		return " (integrationLatency = -1)"
	}
	return ""
}

// clientSaw words the statuses the clients got for timed-out requests.
func clientSaw(o *model.Observation) string {
	switch len(o.TimeoutStatus) {
	case 0:
		return ""
	case 1:
		for s := range o.TimeoutStatus {
			return fmt.Sprintf("; the clients got HTTP %d", s)
		}
	}
	return "; the clients got HTTP " + finding.StatusList(o.TimeoutStatus)
}

// timedOut reports whether the logs saw e time out: a log that shows only
// the status cannot tell (GL005 says so, hedged), so it escalates nothing.
func timedOut(e *model.Endpoint) bool {
	return e.Observed != nil && e.Observed.Timeouts > e.Observed.StatusOnly
}
