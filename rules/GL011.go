package rules

import (
	"fmt"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

// GL011: a function that waits on someone else (an HTTP API, a model)
// longer than API Gateway waits on it cannot answer in time: the client
// gets a 504 while the call goes on, and the function never says why.
// Bounding each outbound call a few seconds (call-margin) inside the
// integration's wait lets it fail gracefully instead. The effective bound
// is the timeout of one attempt (or the library's default, none for
// requests, axios and Go's http.DefaultClient) times the attempts its
// retry policy allows. Clients of AWS services that answer in
// milliseconds are judged only when their timeouts were set above the
// wait: their defaults bite only in an outage. The horizon is when the
// function stops: its own Timeout, or the one GL002 asks for when that
// outlives the wait (so the two fixes agree in one pass).
var GL011 = &Rule{
	ID:       "GL011",
	Name:     "outbound-call-outlives-integration",
	Severity: finding.Warning,
	Summary:  "An outbound call in a synchronously invoked function's code may wait longer than the integration waits for the function.",
	Run:      outboundCallOutlivesIntegration,
}

// callMargin is how long before the wait a call must give up.
func (c *Config) callMargin() time.Duration {
	if c.CallMargin <= 0 {
		return defaultCallMargin
	}
	return c.CallMargin
}

// callBudget is how long an outbound call may take behind a wait: the
// wait less the margin, but never less than half the wait.
func callBudget(wait time.Duration, c *Config) time.Duration {
	return max(wait-c.callMargin(), wait/2)
}

// shortestWait is the shortest wait among the endpoints that invoke fn
// synchronously with someone waiting, its integration timeout value, and
// the endpoint; nil when no one waits for fn.
func shortestWait(fn *model.Function, c *Config) (*model.Endpoint, model.Value, time.Duration) {
	var shortest *model.Endpoint
	var sv model.Value
	var wait time.Duration
	for _, in := range fn.Integrations {
		if in.Kind != model.LambdaProxy && in.Kind != model.LambdaSync {
			continue
		}
		v, ok := in.Timeout.Min()
		if !ok || in.Streaming && v.Origin == model.Default {
			continue
		}
		for _, e := range in.Endpoints {
			if e.Waiting == model.NobodyWaits {
				continue
			}
			if w := waits(v, e.API, in, c); shortest == nil || w < wait {
				shortest, sv, wait = e, v, w
			}
		}
	}
	return shortest, sv, wait
}

// outlives reports whether call may keep its function waiting past
// budget (a fast AWS service's client: only when a timeout set on it is
// longer than the wait itself).
func outlives(call *model.Call, budget, wait time.Duration) bool {
	if call.Fast {
		set := call.Timeout.Known && call.Timeout.Explicit() && !call.Unbounded && call.Timeout.D > wait
		return set || call.Connect.Known && call.Connect.Explicit() && call.Connect.D > wait
	}
	if call.Unbounded {
		return true
	}
	b, ok := call.Bound()
	return ok && b > budget
}

func outboundCallOutlivesIntegration(p *Pass) []finding.Finding {
	c := p.Config
	var out []finding.Finding
	for _, fn := range p.Model.Functions {
		if len(fn.Calls) == 0 {
			continue
		}
		e, ev, wait := shortestWait(fn, c)
		if e == nil {
			continue
		}
		// The horizon is when the function stops: its own Timeout, or the
		// one GL002 asks for when that one outlives the wait. A call past
		// it ends the function with Lambda's error, or the client's 504,
		// not the function's answer.
		horizon, gl002 := wait, false
		ft, hasFT := fn.Timeout.Max()
		switch {
		case hasFT && ft.D > wait-c.Margin:
			horizon, gl002 = min(wait, fitting(wait, c)), true
		case hasFT:
			horizon = ft.D
		}
		budget := callBudget(horizon, c)
		for _, call := range fn.Calls {
			if !outlives(call, budget, horizon) {
				continue
			}
			f := p.newFinding(fn.Resource)
			f.Location = call.Loc
			f.Endpoint = e.Finding()
			what := fmt.Sprintf("keep function %s waiting after %s", fn.Resource.Name(), cutOff(e))
			before := fmt.Sprintf("%s before the integration gives up", seconds(horizon-budget))
			switch {
			case gl002:
				before = fmt.Sprintf("%s before %s, the longest %s that fits the wait (GL002)", seconds(horizon-budget), ft.Unit.Text(horizon), ft.Setting)
			case hasFT:
				what = fmt.Sprintf("keep function %s waiting until its %s of %s ends it, and the client gets an error instead of its answer", fn.Resource.Name(), ft.Setting, ft.Text())
				before = fmt.Sprintf("%s before its %s", seconds(horizon-budget), ft.Setting)
			}
			f.Message = fmt.Sprintf("%s: %s, but %s waits %s%s: the call can %s. Bound it to %s, %s, so the function can still answer.",
				call.Client, callTiming(call), e.Name(), seconds(wait), timeoutOrigin(ev), what, seconds(budget), before)
			if call.Note != "" {
				f.Message += " " + call.Note
			}
			if v := call.Timeout; v.Via.Name != "" && !v.Via.Loc.IsZero() && v.Via.Loc != call.Loc {
				f.Related = append(f.Related, related(v.Via.Loc, "%s %s is set here, as %s", v.Setting, seconds(v.D), v.Via.Name))
			} else if v.Known && !call.Unbounded && v.Origin == model.Literal && v.Loc != call.Loc && !v.Loc.IsZero() {
				f.Related = append(f.Related, related(v.Loc, "%s %s is set here", v.Setting, seconds(v.D)))
			}
			for _, t := range call.Through {
				f.Related = append(f.Related, related(t, "called through this client"))
			}
			f.Related = append(f.Related, related(ev.Loc, "integration timeout of %s", e.Name()))
			if call.Fix != nil {
				if desc, eds := call.Fix(budget); len(eds) > 0 {
					f.Fixes = []finding.Fix{{Description: desc, Edits: eds, Safety: finding.Unsafe}}
				}
			}
			out = append(out, f)
		}
	}
	return out
}

// callTiming words how long a call may wait: "no timeout, so it can
// wait forever", "read_timeout 60 s (the default) × 5 attempts (legacy
// retry mode, the default) = 300 s".
func callTiming(call *model.Call) string {
	v := call.Timeout
	if call.Unbounded {
		if v.Origin == model.Default {
			return "no timeout is set, so it can wait forever"
		}
		return fmt.Sprintf("%s disables the timeout, so it can wait forever", v.Setting)
	}
	s := fmt.Sprintf("%s %s%s", v.Setting, seconds(v.D), callOrigin(v))
	if cv := call.Connect; cv.Known && cv.D > v.D {
		s += fmt.Sprintf(" (%s %s%s)", cv.Setting, seconds(cv.D), callOrigin(cv))
	}
	if call.Attempts > 1 && !call.Total {
		b, _ := call.Bound()
		s += fmt.Sprintf(" × %d attempts (%s) = %s", call.Attempts, call.AttemptsFrom, seconds(b))
	}
	return s
}

// callOrigin words where a call's timeout comes from.
func callOrigin(v model.Value) string {
	switch v.Origin {
	case model.Default:
		return " (the default)"
	case model.Variable:
		return " (from " + v.Via.Name + ")"
	}
	return ""
}

// callAdvice is what GL003 and GL006 say of a function's outbound calls
// behind a wait: an unbounded one is the first suspect, and a function
// whose every call is bounded inside the wait spends the time itself.
// Empty when its code was not read or makes no call.
func callAdvice(fn *model.Function, wait time.Duration, c *Config, unbounded, bounded string) string {
	if fn == nil || !fn.CodeRead || len(fn.Calls) == 0 {
		return ""
	}
	budget := callBudget(wait, c)
	var first *model.Call
	n := 0
	for _, call := range fn.Calls {
		if outlives(call, budget, wait) {
			if first == nil {
				first = call
			}
			n++
		}
	}
	if first == nil {
		return " " + fmt.Sprintf(bounded, len(fn.Calls))
	}
	more := ""
	if n > 1 {
		more = fmt.Sprintf(" and %d more", n-1)
	}
	return " " + fmt.Sprintf(unbounded, first.Client+" at "+first.Loc.String()+more)
}
