package rules

import (
	"fmt"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

// GL003: when a function's work really is longer than any API Gateway
// integration can wait, lowering timeouts is not a fix: the work itself
// needs an asynchronous path (accept, queue, answer 202, poll). From
// configuration alone that takes a Timeout well past the ceiling (1.5 ×
// by default, async-threshold): a 30 s default against a 29 s API is
// GL002's one-second overshoot, not a redesign. Evidence that the work
// reaches the ceiling (timeouts while waiting as long as the API can,
// p99 latency close to it) is enough on its own.
var GL003 = &Rule{
	ID:       "GL003",
	Name:     "missing-async-path",
	Severity: finding.Warning,
	Summary:  "A synchronous endpoint's function may run far longer than the API can ever wait, or the endpoint reaches that wait in the logs; the work needs an asynchronous path.",
	Run:      missingAsyncPath,
}

// asyncNeed is GL003's judgement of one endpoint.
type asyncNeed struct {
	e     *model.Endpoint
	fn    *model.Function
	ft    model.Value
	limit time.Duration
	// long: the function's Timeout is at least the async threshold.
	long bool
	// atWall: the endpoint timed out while waiting as long as it can.
	atWall bool
	// nearWall: p99 latency close to the ceiling, for a function that may
	// run past it.
	nearWall bool
	p99      time.Duration
	// fnLog: nearWall is from the function's own log (the p99 of what its
	// successful invocations made their callers wait), not access logs.
	fnLog bool
}

// evidence reports whether logs, not configuration, show the need.
func (n asyncNeed) evidence() bool { return n.atWall || n.nearWall }

// needsAsync judges whether e's work needs an asynchronous path.
func needsAsync(e *model.Endpoint, c *Config) (asyncNeed, bool) {
	in := e.Integration
	if in == nil || !in.Kind.Synchronous() || in.Streaming || e.Waiting != model.ClientWaits {
		return asyncNeed{}, false
	}
	n := asyncNeed{e: e, fn: in.Function, limit: ceiling(e.API, in, c)}
	past := false
	if n.fn != nil {
		var ok bool
		n.ft, ok = n.fn.Timeout.Max()
		past = ok && n.ft.D > n.limit
		n.long = past && n.ft.D >= c.asyncAt(n.limit)
	}
	// Timeouts behind an integration that already waits as long as it
	// can: only an asynchronous path helps. (Below the ceiling, raising
	// the timeout comes first: GL001.)
	v, ok := in.Timeout.Max()
	n.atWall = timedOut(e) && ok && waits(v, e.API, in, c) >= n.limit
	if o := e.Observed; past && o != nil && completed(o) >= minCompleted {
		if p, ok := p99(o); ok && time.Duration(p)*time.Millisecond*100 >= n.limit*time.Duration(c.nearPercent()) {
			n.nearWall, n.p99 = true, time.Duration(p)*time.Millisecond
		}
	}
	// The function's own log: its successful invocations need about as
	// long as the API can wait, or longer.
	if past && !n.nearWall && in.Function != nil {
		if p, ok := succeededP99(in.Function); ok && p*100 >= n.limit*time.Duration(c.nearPercent()) {
			n.nearWall, n.p99, n.fnLog = true, p, true
		}
	}
	return n, n.long || n.atWall || n.nearWall
}

// asyncRemedy is what an asynchronous path looks like on the API type.
func asyncRemedy(api *model.API) string {
	if api.Type == model.WebSocket {
		return "acknowledge the message, queue the work (SQS), and send the result back over the connection (the @connections API) when it is done."
	}
	return "accept the request, queue it (SQS), answer 202 with a job ID, and let the client poll a status endpoint."
}

func missingAsyncPath(p *Pass) []finding.Finding {
	var out []finding.Finding
	for _, api := range p.Model.APIs {
		// One finding per function and API: ANY / and ANY /{proxy+} are
		// one piece of work. The endpoint with evidence speaks for them.
		type group struct {
			needs []asyncNeed
		}
		var order []*group
		byFn := map[*model.Function]*group{}
		for _, e := range api.Endpoints {
			n, ok := needsAsync(e, p.Config)
			if !ok {
				continue
			}
			g := byFn[n.fn]
			if g == nil || n.fn == nil {
				g = &group{}
				order = append(order, g)
				if n.fn != nil {
					byFn[n.fn] = g
				}
			}
			g.needs = append(g.needs, n)
		}
		for _, g := range order {
			lead := 0
			for i, n := range g.needs {
				if n.evidence() && !g.needs[lead].evidence() {
					lead = i
				}
			}
			f := asyncFinding(p, api, g.needs[lead])
			for i, n := range g.needs {
				if i != lead {
					f.Related = append(f.Related, related(n.e.Loc, "also waits for function %s: %s", n.fn.Resource.Name(), n.e.Name()))
				}
			}
			out = append(out, f)
		}
	}
	return out
}

func asyncFinding(p *Pass, api *model.API, n asyncNeed) finding.Finding {
	e, in, fn, ft := n.e, n.e.Integration, n.fn, n.ft
	f := p.newFinding(e.Resource)
	f.Location = e.Loc
	f.Endpoint = e.Finding()
	remedy := asyncRemedy(api)
	wall := fmt.Sprintf("%s can wait at most %s", article(apiKind(api)), seconds(n.limit))
	if n.limit > quotaCeiling(api, in, p.Config) {
		v, _ := in.Timeout.Max()
		wall = fmt.Sprintf("the integration waits at most %s (%s %s, which deploys only with the raised quota)", seconds(n.limit), v.Setting, v.Text())
	}
	switch {
	case n.long:
		f.Message = fmt.Sprintf("%s waits synchronously (%s) for function %s, which may run %s%s, but %s: work this long needs an asynchronous path — "+remedy,
			e.Name(), in.Kind, fn.Resource.Name(), ft.Text(), origin(ft), wall)
		f.Related = append(f.Related, related(where(ft, fn.Resource), "%s of %s", ft.Setting, fn.Resource.Name()))
	case n.atWall:
		f.Message = fmt.Sprintf("%s waits synchronously (%s) as long as %s can, %s, and still timed out %d times in the access logs: the work needs an asynchronous path — "+remedy,
			e.Name(), in.Kind, article(apiKind(api)), seconds(n.limit), e.Observed.Timeouts)
		f.Related = append(f.Related, invokes(in)...)
	case n.fnLog:
		f.Message = fmt.Sprintf("%s waits synchronously (%s) for function %s, which may run %s%s, and the function's own logs show its successful invocations taking %s (p99), %s the %s that %s: the work is outgrowing the synchronous path and needs an asynchronous one — "+remedy,
			e.Name(), in.Kind, fn.Resource.Name(), ft.Text(), origin(ft), seconds(n.p99.Round(100*time.Millisecond)), closeOrPast(n.p99, n.limit), seconds(n.limit), waitsAtMost(api))
		f.Related = append(f.Related, related(where(ft, fn.Resource), "Timeout of %s", fn.Resource.Name()))
	default:
		f.Message = fmt.Sprintf("%s waits synchronously (%s) for function %s, which may run %s%s, and the access logs show p99 integration latency of %s over %d completed requests, close to the %s that %s: the work is outgrowing the synchronous path and needs an asynchronous one — "+remedy,
			e.Name(), in.Kind, fn.Resource.Name(), ft.Text(), origin(ft), seconds(n.p99), completed(e.Observed), seconds(n.limit), waitsAtMost(api))
		f.Evidence = evidence(e.Observed)
		f.Related = append(f.Related, related(where(ft, fn.Resource), "%s of %s", ft.Setting, fn.Resource.Name()))
		_, rel := observedAt(e)
		f.Related = append(f.Related, rel...)
	}
	if v, ok := in.Timeout.Max(); ok {
		f.Message += callAdvice(fn, waits(v, api, in, p.Config), p.Config,
			"Before building it, bound the function's outbound calls: %s can wait longer than the integration (GL011), and may be where the time goes.",
			"None of the %d outbound calls in its code is likely to outlast the integration (GL011), so the time is the function's own work.")
	}
	if timedOut(e) {
		f.Evidence = evidence(e.Observed)
		if n.long {
			f.Message += fmt.Sprintf(" The access logs show %d timeouts.", e.Observed.Timeouts)
		}
		_, rel := observedAt(e)
		f.Related = append(f.Related, rel...)
	}
	if fn != nil {
		f.Message += phantomCite(fn, p.Config)
	}
	return f
}

// closeOrPast words how a duration stands to a limit: "close to", "past".
func closeOrPast(d, limit time.Duration) string {
	if d > limit {
		return "past"
	}
	return "close to"
}

// waitsAtMost words who waits at most the ceiling: "a regional REST API
// waits at most".
func waitsAtMost(api *model.API) string {
	return article(apiKind(api)) + " waits at most"
}
