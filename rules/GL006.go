package rules

import (
	"fmt"
	"time"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

// minCompleted is how many completed requests make a p99 worth trusting.
const minCompleted = 20

// GL006: an endpoint that has not timed out yet but whose slowest
// requests run close to the wall will, the first time load or a slow
// dependency adds a few seconds.
var GL006 = &Rule{
	ID:       "GL006",
	Name:     "latency-near-timeout",
	Severity: finding.Warning,
	Summary:  "An endpoint's p99 integration latency in the access logs is close to its integration timeout.",
	Run:      latencyNearTimeout,
}

func latencyNearTimeout(p *Pass) []finding.Finding {
	var out []finding.Finding
	for _, api := range p.Model.APIs {
		for _, e := range api.Endpoints {
			o := e.Observed
			// An endpoint that timed out is GL005's, with p99 in its
			// evidence.
			if o == nil || timedOut(e) || completed(o) < minCompleted {
				if f, ok := nearByFunctionLog(p, e); ok {
					out = append(out, f)
				}
				continue
			}
			v99, ok := p99(o)
			if !ok {
				continue
			}
			var limit time.Duration
			how := ""
			if in := e.Integration; in != nil && !api.FromLogs {
				if v, ok := in.Timeout.Max(); ok {
					limit, how = waits(v, api, in, p.Config), origin(v)
				}
			} else if api.FromLogs && api.Type != "" {
				limit, how = awsfacts.MaxIntegrationTimeout(api.Type), " (the "+string(api.Type)+" default; no configuration told)"
			}
			ms := limit.Milliseconds()
			if ms == 0 || v99*100 < ms*p.Config.nearPercent() {
				continue
			}
			f := p.newFinding(e.Resource)
			f.Endpoint = e.Finding()
			f.Location, f.Related = observedAt(e)
			f.Evidence = evidence(o)
			f.Message = fmt.Sprintf("p99 integration latency of %s is %s over %d completed requests, %d %% of its %s integration timeout%s: a little more load or a slower dependency and these requests time out.",
				e.Name(), seconds(time.Duration(v99)*time.Millisecond), completed(o), v99*100/ms, seconds(limit), how)
			if in := e.Integration; in != nil {
				f.Message += callAdvice(in.Function, limit, p.Config,
					"An outbound call in its code can wait longer than that: %s (GL011) may be the slow part.",
					"None of the %d outbound calls in its code is likely to outlast the integration (GL011): the latency is the function's own work.")
			}
			out = append(out, f)
		}
	}
	return out
}

// nearByFunctionLog is GL006 from the function's own log, for an endpoint
// the access logs say too little of: the function serves this one
// endpoint, so its invocations are the endpoint's requests, and the p99
// of what they made API Gateway wait (duration and a cold start's init)
// is close to the integration timeout. One that ran past it is GL010's.
func nearByFunctionLog(p *Pass, e *model.Endpoint) (finding.Finding, bool) {
	in := e.Integration
	if in == nil || in.Function == nil || in.Function.Log == nil || e.API.FromLogs || timedOut(e) {
		return finding.Finding{}, false
	}
	fn := in.Function
	j, ok := JudgePhantoms(fn, p.Config)
	if !ok || j.Over.Over > 0 || single(j.Callers) != e {
		return finding.Finding{}, false
	}
	l := fn.Log
	n := l.Waits.Count()
	if n < minCompleted {
		return finding.Finding{}, false
	}
	v99 := l.Waits.Quantile(0.99)
	ms := j.Wait.Milliseconds()
	if ms == 0 || v99*100 < ms*p.Config.nearPercent() {
		return finding.Finding{}, false
	}
	f := p.newFinding(e.Resource)
	f.Endpoint = e.Finding()
	f.Location = e.Loc
	if v, ok := in.Timeout.Max(); ok && v.Explicit() {
		f.Location = v.Loc
	}
	if l.FirstAt.File != "" {
		f.Related = append(f.Related, related(l.FirstAt, "first invocation in the function log"))
	}
	f.Executions = executions(j)
	f.Message = fmt.Sprintf("p99 duration of function %s, which serves %s, is %s over %d invocations in its own logs (its init included on cold starts), %d %% of the %s integration timeout%s: a little more load or a slower dependency and these requests time out.",
		fn.Resource.Name(), e.Name(), seconds(time.Duration(v99)*time.Millisecond), n, v99*100/ms, seconds(j.Wait), timeoutOrigin(j.WaitValue))
	return f, true
}
