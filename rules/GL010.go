package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

// GL010: the function's own logs prove the phantom executions GL002
// infers from configuration and GL005 from API Gateway's side. Every
// invocation that ran longer than the integration waited kept working
// after the client got its 504; those that succeeded did the work the
// client was told had failed.
var GL010 = &Rule{
	ID:       "GL010",
	Name:     "phantom-executions",
	Severity: finding.Error,
	Summary:  "A function's own logs show invocations behind a synchronous integration running longer than the integration waits: work that went on after the client's 504.",
	Run:      phantomExecutions,
}

// Phantoms is the judgement of one function's own log against the
// synchronous integrations in front of it.
type Phantoms struct {
	Function *model.Function
	Log      *model.FunctionLog
	// Shortest is the endpoint whose integration waits least, Wait how
	// long, WaitValue its setting; Callers every synchronous endpoint.
	Shortest  *model.Endpoint
	WaitValue model.Value
	Wait      time.Duration
	Callers   []*model.Endpoint
	// Over counts the invocations that waited longer than Wait.
	Over model.Overrun
	// First and Last bound the phantom executions in time (zero when the
	// log had no times).
	First, Last time.Time
}

// JudgePhantoms judges fn's own log, when it has one and a synchronous
// Lambda integration of known timeout invokes it; false otherwise.
func JudgePhantoms(fn *model.Function, c *Config) (Phantoms, bool) {
	l := fn.Log
	if l == nil || l.Over == nil {
		return Phantoms{}, false
	}
	j := Phantoms{Function: fn, Log: l}
	j.Callers, j.Shortest, j.WaitValue, j.Wait = syncCallers(fn, c)
	if j.Shortest == nil {
		return Phantoms{}, false
	}
	j.Over = l.Over(j.Wait)
	for _, r := range l.Runs {
		if r.Wait <= j.Wait || r.Start.IsZero() {
			continue
		}
		if j.First.IsZero() || r.Start.Before(j.First) {
			j.First = r.Start
		}
		if end := r.Start.Add(r.Wait); end.After(j.Last) {
			j.Last = end
		}
	}
	if j.First.IsZero() && !j.Over.FirstTime.IsZero() {
		j.First, j.Last = j.Over.FirstTime, l.Last
	}
	return j, true
}

func phantomExecutions(p *Pass) []finding.Finding {
	c := p.Config
	var out []finding.Finding
	for _, fn := range p.Model.Functions {
		j, ok := JudgePhantoms(fn, c)
		if !ok || j.Over.Over == 0 {
			continue
		}
		l, o := j.Log, j.Over
		f := p.newFinding(fn.Resource)
		ft, hasTimeout := fn.Timeout.Max()
		f.Location = fn.Resource.Key
		if hasTimeout {
			f.Location = where(ft, fn.Resource)
		}
		// A function that serves one endpoint: its phantoms are that
		// endpoint's.
		if one := single(j.Callers); one != nil {
			f.Endpoint = one.Finding()
		}
		status := awsfacts.GatewayTimeoutStatus(j.Shortest.API.Type)
		var b strings.Builder
		fmt.Fprintf(&b, "function %s's own logs show %d of its %d invocations running longer than %s waits (%s)%s: the backend went on processing after API Gateway had already returned a %d to the client.",
			fn.Resource.Name(), o.Over, l.Invocations, j.Shortest.Name(), waitText(j), between(j.First, j.Last), status)
		var ends []string
		if o.Succeeded > 0 {
			ends = append(ends, fmt.Sprintf("%d completed successfully, but the client never knew", o.Succeeded))
		}
		if o.TimedOut > 0 {
			s := fmt.Sprintf("%d ran into the function's own Timeout", o.TimedOut)
			if hasTimeout {
				s += " (" + ft.Text() + ")"
			}
			ends = append(ends, s)
		}
		if o.Failed > 0 {
			ends = append(ends, fmt.Sprintf("%d failed", o.Failed))
		}
		if o.Cold > 0 {
			s := fmt.Sprintf("%d were cold starts", o.Cold)
			if o.Cold == 1 {
				s = "1 was a cold start"
			}
			switch {
			case o.ByInit == 1 && o.Cold == 1:
				s += ", pushed over by its init alone"
			case o.ByInit > 0:
				s += fmt.Sprintf(", %d of them pushed over by the init alone", o.ByInit)
			}
			ends = append(ends, s)
		}
		if len(ends) > 0 {
			b.WriteString(" " + upper(strings.Join(ends, "; ")) + ".")
		}
		for _, e := range j.Callers {
			if ph := e.Phantoms; ph != nil && ph.Matched > 0 && e.Observed != nil {
				fmt.Fprintf(&b, " %s.", ProvenText(e))
			}
		}
		if p99, ok := l.SucceededP99(); ok {
			fmt.Fprintf(&b, " Successful invocations took up to %s (p99).", seconds(p99.Round(100*time.Millisecond)))
		}
		b.WriteString(" " + phantomRemedy(j, ft, hasTimeout, c))
		f.Message = b.String()
		f.Executions = executions(j)
		seen := map[*model.Integration]bool{}
		for _, e := range j.Callers {
			in := e.Integration
			if seen[in] {
				continue
			}
			seen[in] = true
			if v, ok := in.Timeout.Min(); ok {
				at := v.Loc
				if !v.Explicit() || at.IsZero() {
					at = e.Loc
				}
				f.Related = append(f.Related, related(at, "integration timeout of %s", e.Name()))
			}
		}
		if o.FirstAt.File != "" {
			f.Related = append(f.Related, related(o.FirstAt, "first invocation in the function log that ran longer than %s", seconds(j.Wait)))
		}
		out = append(out, f)
	}
	return out
}

// succeededP99 is the p99 of what the function's successful invocations
// made their callers wait, when its own log has enough of them.
func succeededP99(fn *model.Function) (time.Duration, bool) {
	l := fn.Log
	if l == nil {
		return 0, false
	}
	n := l.SucceededWaits.Count()
	if n == 0 && l.Percentiles != nil {
		n = l.Percentiles.Completed
	}
	if n < minCompleted {
		return 0, false
	}
	return l.SucceededP99()
}

// phantomCite is GL010's counts, for GL002 and GL003 to cite when both
// fire: " The function's own logs show 18 invocations running past the
// 10 s wait, 16 of them completing after the client's 504 (GL010)."; ""
// when the function log shows none.
func phantomCite(fn *model.Function, c *Config) string {
	j, ok := JudgePhantoms(fn, c)
	if !ok || j.Over.Over == 0 {
		return ""
	}
	inv := "invocations"
	if j.Over.Over == 1 {
		inv = "invocation"
	}
	return fmt.Sprintf(" The function's own logs show %d %s running past the %s wait, %d of them completing after the client's %d (GL010).",
		j.Over.Over, inv, seconds(j.Wait), j.Over.Succeeded, awsfacts.GatewayTimeoutStatus(j.Shortest.API.Type))
}

// ProvenText says how many of an endpoint's timed-out requests the
// function log shows running to completion after the client's error: "16
// of the 18 timed-out requests to POST /reports ran to completion after
// the 504".
func ProvenText(e *model.Endpoint) string {
	ph := e.Phantoms
	status := awsfacts.GatewayTimeoutStatus(e.API.Type)
	return fmt.Sprintf("%d of the %d timed-out requests to %s ran to completion after the %d", ph.Completed, e.Observed.Timeouts, e.Name(), status)
}

// waitText is how long the shortest integration waits, with where that
// comes from: "10 s", "29 s, the default".
func waitText(j Phantoms) string {
	if j.WaitValue.Origin == model.Default {
		return seconds(j.Wait) + ", the default"
	}
	return seconds(j.Wait) + origin(j.WaitValue)
}

// upper capitalises the first letter of s.
func upper(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// single is the one endpoint of callers, nil when there are several.
func single(callers []*model.Endpoint) *model.Endpoint {
	if len(callers) != 1 {
		return nil
	}
	return callers[0]
}

// between words a span of time: " between 09:16:06 and 16:48:07 UTC on
// 2026-11-20"; "" when unknown.
func between(a, b time.Time) string {
	if a.IsZero() {
		return ""
	}
	return span(&model.Observation{FirstTimeout: a, LastTimeout: b})
}

// phantomRemedy is the fix path: GL002's lower Timeout when the work
// fits in it, else GL003's asynchronous path.
func phantomRemedy(j Phantoms, ft model.Value, hasTimeout bool, c *Config) string {
	suggest := fitting(j.Wait, c)
	p99, known := j.Log.SucceededP99()
	setting := "Timeout"
	if hasTimeout {
		setting = ft.Setting
	}
	if known && p99 <= suggest && (!hasTimeout || ft.D > suggest) {
		return fmt.Sprintf("The work fits: set %s to %s (GL002), so the function fails first and the client hears of it.", setting, model.Seconds(suggest))
	}
	limit := ceiling(j.Shortest.API, j.Shortest.Integration, c)
	if known && j.Wait < limit && p99 <= fitting(limit, c) {
		return fmt.Sprintf("Raise %s to %d (GL001) and set %s to %s (GL002): then the work fits the wait.",
			j.WaitValue.Setting, j.WaitValue.Unit.Count(limit), setting, model.Seconds(fitting(limit, c)))
	}
	return fmt.Sprintf("The work does not fit what %s can wait: give it an asynchronous path (GL003; gatelint scaffold async --endpoint '%s').",
		article(apiKind(j.Shortest.API)), j.Shortest.Name())
}

// executions is GL010's evidence.
func executions(j Phantoms) *finding.Executions {
	l, o := j.Log, j.Over
	ev := &finding.Executions{PhantomExecutions: o.Over, CompletedAfterTimeout: o.Succeeded, FunctionTimedOut: o.TimedOut,
		ColdStarts: o.Cold, Invocations: l.Invocations}
	if d, ok := l.P99(); ok {
		v := d.Milliseconds()
		ev.P99DurationMs = &v
	}
	if d, ok := l.MaxDuration(); ok {
		v := d.Milliseconds()
		ev.MaxDurationMs = &v
	}
	if !j.First.IsZero() {
		a, b := j.First.UTC(), j.Last.UTC()
		ev.FirstSeen, ev.LastSeen = &a, &b
	}
	return ev
}
