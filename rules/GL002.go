package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

// GL002: a function that may run longer than API Gateway waits goes on
// working after the client got a 504 — a phantom execution the client
// will likely retry. One finding per function, measured against the
// shortest integration that invokes it synchronously.
var GL002 = &Rule{
	ID:       "GL002",
	Name:     "lambda-timeout-exceeds-integration",
	Severity: finding.Warning,
	Summary:  "A function's timeout outlives the integration timeout of an endpoint that invokes it synchronously.",
	Run:      lambdaTimeoutExceedsIntegration,
}

func lambdaTimeoutExceedsIntegration(p *Pass) []finding.Finding {
	c := p.Config
	var out []finding.Finding
	for _, fn := range p.Model.Functions {
		ft, ok := fn.Timeout.Max()
		if !ok {
			continue
		}
		// The shortest wait among the synchronous callers decides.
		callers, shortest, shortestV, wait := syncCallers(fn, c)
		if shortest == nil || ft.D <= wait-c.Margin {
			continue
		}
		suggest := fitting(wait, c)
		f := p.newFinding(fn.Resource)
		f.Location = where(ft, fn.Resource)
		f.Endpoint = shortest.Finding()
		lower, advice := setTo(ft, suggest, ft.Setting+" of "+fn.Resource.Name(), c)
		plain := fmt.Sprintf("Set %s to %s so it fails first, at least %s before the integration gives up.%s%s",
			ft.Setting, ft.Unit.Text(suggest), seconds(c.Margin), advice, raiseInstead(shortest, shortestV, ft, c))
		remedy := plain
		slowest, seen := observedP99(fn, callers)
		// The function's own logs tell what its successful invocations
		// need: no Timeout below their p99 is suggested.
		shows, work := "the access logs show p99 integration latency of %s", "requests that succeed"
		if d, ok := succeededP99(fn); ok && (!seen || d > slowest) {
			slowest, seen = d, true
			shows, work = "the function's own logs show successful invocations taking up to %s (p99)", "work that succeeds"
		}
		// Lowering the Timeout turns the work that now finishes after the
		// client gave up into work that never finishes: when the function
		// may really need that long (GL003), or its Timeout is far above
		// the wait, that is not a safe edit to make unreviewed.
		unsafe := lowerUnsafe(fn, ft, callers, c)
		// When the integration timeout was tuned down (GL001), raising
		// it is the first fix: with it, the function may keep far more
		// of its time than the lowered Timeout that fits today's wait.
		// The fix is GL001's too: where GL001 is off or suppressed, the
		// driver drops it, and the message is the plain one.
		var raise []finding.Fix
		var raisedTo time.Duration
		if both, ok := raiseAndFit(fn, ft, callers, c); ok && (!seen || slowest < both.suggest) {
			raisedTo = both.suggest
			if both.lowers && unsafe != "" {
				both.fix.Safety = finding.Unsafe
			}
			raise = []finding.Fix{both.fix}
			remedy = both.remedy + fmt.Sprintf(" Or, to keep the %s wait, set %s to %s.%s", seconds(wait), ft.Setting, ft.Unit.Text(suggest), advice)
		}
		switch {
		case suggest > wait-c.Margin:
			// Even Lambda's shortest Timeout does not leave the
			// margin: a fix to 1 s would not clear the finding.
			lower = nil
			remedy = fmt.Sprintf("Even the shortest %s, 1 s, does not end %s before the integration gives up: raise %s instead.", ft.Setting, seconds(c.Margin), shortestV.Setting)
			plain = remedy
		case seen && slowest >= suggest:
			// The logs show the work needs longer than the suggested
			// Timeout: lowering it would fail requests that succeed
			// today, so that edit is not offered.
			lower = nil
			remedy = fmt.Sprintf("But "+shows+": a %s of %s would fail %s today.%s",
				seconds(slowest.Round(time.Millisecond)), ft.Setting, ft.Unit.Text(suggest), work, raiseInstead(shortest, shortestV, ft, c))
			if raiseInstead(shortest, shortestV, ft, c) == "" {
				remedy += " The work needs an asynchronous path (GL003)."
			}
			plain = remedy
		}
		if unsafe != "" && (len(lower) > 0 || len(raise) > 0 && raise[0].Safety == finding.Unsafe) {
			why := fmt.Sprintf(" But lowering %s is unsafe (--fix applies it only with --unsafe-fixes): %s, and the work that now finishes after the client gave up would then not finish at all.", ft.Setting, unsafe)
			if len(lower) == 0 {
				// Only the raise is offered, and it lowers the Timeout too.
				why = fmt.Sprintf(" That fix also lowers %s to %s, which is unsafe (--fix applies it only with --unsafe-fixes): %s, and the work that now finishes after the client gave up would then not finish at all.", ft.Setting, ft.Unit.Text(raisedTo), unsafe)
			}
			for i := range lower {
				lower[i].Safety = finding.Unsafe
			}
			remedy += why
			if len(lower) > 0 {
				plain += why
			}
		}
		cite := phantomCite(fn, c)
		message := func(remedy string) string {
			return fmt.Sprintf("function %s has %s %s%s but %s stops waiting after %s%s: the function keeps running after %s.%s %s",
				fn.Resource.Name(), ft.Setting, ft.Text(), origin(ft), shortest.Name(), seconds(wait), timeoutOrigin(shortestV), cutOff(shortest), cite, remedy)
		}
		f.Message = message(remedy)
		if len(raise) > 0 {
			raise[0].Behalf.Otherwise = message(plain)
		}
		f.Fixes = append(raise, lower...)
		if rel, ok := setHere(ft, fn.Resource); ok {
			f.Related = append(f.Related, rel)
		}
		f.Related = append(f.Related, related(shortestV.Loc, "integration timeout of %s", shortest.Name()))
		for _, e := range callers {
			if e != shortest {
				f.Related = append(f.Related, related(e.Loc, "also invoked by %s", e.Name()))
			}
		}
		out = append(out, f)
	}
	return out
}

// cutOff words what a timeout does to whoever waited at e, and what
// their retry does: "the client got a 504, and a retry runs it twice".
func cutOff(e *model.Endpoint) string {
	switch {
	case e.API.Type == model.WebSocket && e.Waiting == model.ConnectionWaits:
		return "the client's connection was refused, and a reconnect runs it twice"
	case e.API.Type == model.WebSocket:
		return "the client got an error message instead of the answer, and a retry runs it twice"
	}
	return fmt.Sprintf("the client got a %d, and a retry runs it twice", awsfacts.GatewayTimeoutStatus(e.API.Type))
}

// lowerUnsafe says why lowering fn's Timeout may break work that
// succeeds today, or "" when it is a safe edit: GL003 finds the work long
// for one of its callers, or the Timeout is far above (the async
// threshold times) any wait its callers have, once GL001 has raised the
// tuned-down ones: judged on the raised waits, a --fix that raises them
// lowers the Timeout in the same run, or never.
func lowerUnsafe(fn *model.Function, ft model.Value, callers []*model.Endpoint, c *Config) string {
	longest := time.Duration(0)
	for _, e := range callers {
		in := e.Integration
		if in.Function != fn {
			continue
		}
		if _, ok := needsAsync(e, c); ok {
			return fmt.Sprintf("the function may need its %s (GL003)", ft.Text())
		}
		if v, ok := in.Timeout.Min(); ok {
			w := waits(v, e.API, in, c)
			if t := standardMax(e.API, in); v.Origin == model.Literal && v.Remedy.Edit != nil && w < t {
				w = t // GL001's fix raises it
			}
			longest = max(longest, w)
		}
	}
	if ft.D >= c.asyncAt(longest) {
		return fmt.Sprintf("its %s is far above the %s its callers can wait, as if the work were meant to take that long", ft.Text(), seconds(longest))
	}
	return ""
}

// fitting is the longest whole-second function Timeout that ends at least
// the margin before an integration that waits wait; at least 1 s.
func fitting(wait time.Duration, c *Config) time.Duration {
	return max(time.Second, (wait-c.Margin).Truncate(time.Second)-time.Second)
}

// raised is GL002's fix when the integration timeouts can be raised too.
type raised struct {
	fix     finding.Fix
	suggest time.Duration
	remedy  string
	// lowers is true when the fix lowers the function's Timeout too.
	lowers bool
}

// raiseAndFit builds the fix that raises every tuned-down integration
// timeout of the function's callers to its API type's maximum and, when
// the function still outlives the shortest wait that leaves, sets its
// Timeout to fit that wait: applied with GL001's own fixes, the function
// is fitted to the raised waits, not today's. It is offered only where it
// is simple and GL001 would say the same: each timeout below the maximum
// written as a literal. It is GL001's fix as much as GL002's, so it is
// marked as made on GL001's behalf.
func raiseAndFit(fn *model.Function, ft model.Value, callers []*model.Endpoint, c *Config) (raised, bool) {
	var ins []*model.Integration
	var names []string
	for _, e := range callers {
		if !slices.Contains(ins, e.Integration) {
			ins = append(ins, e.Integration)
		}
	}
	fix := finding.Fix{Behalf: &finding.Behalf{Rule: GL001.ID}}
	newWait := time.Duration(-1)
	setting, limit := "", int64(0)
	for _, in := range ins {
		api := in.Endpoints[0].API
		v, ok := in.Timeout.Min()
		if !ok {
			return raised{}, false
		}
		w, target := waits(v, api, in, c), standardMax(api, in)
		if v.Explicit() && v.D < target {
			if len(in.Timeout) != 1 || v.Origin != model.Literal || v.Remedy.Edit == nil {
				return raised{}, false
			}
			edits := v.Remedy.Edit(target)
			if len(edits) == 0 {
				return raised{}, false
			}
			fix.Edits = append(fix.Edits, edits...)
			fix.Behalf.Resources = append(fix.Behalf.Resources, in.Resource.Finding())
			names = append(names, fmt.Sprintf("%s of %s to %d", v.Setting, firstCaller(in, callers).Name(), v.Unit.Count(target)))
			w, setting, limit = target, v.Setting, v.Unit.Count(target)
		}
		if newWait < 0 || w < newWait {
			newWait = w
		}
	}
	if len(fix.Edits) == 0 {
		return raised{}, false
	}
	what := fmt.Sprintf("%s to %d", setting, limit)
	if len(names) > 1 {
		what = strings.Join(names, ", ")
	}
	fix.Description = "raise " + strings.Join(names, ", ") + " (GL001)"
	if ft.D <= newWait-c.Margin {
		return raised{fix: fix, suggest: ft.D, remedy: fmt.Sprintf("Raise %s (GL001): then %s fits.", what, ft.Text())}, true
	}
	suggest := fitting(newWait, c)
	if ft.Origin != model.Literal && ft.Origin != model.Default && ft.Origin != model.Inherited || ft.Remedy.Edit == nil {
		return raised{}, false
	}
	set := ft.Remedy.Edit(suggest)
	if len(set) == 0 {
		return raised{}, false
	}
	fix.Description += fmt.Sprintf(" and set %s of %s to %d", ft.Setting, fn.Resource.Name(), ft.Unit.Count(suggest))
	fix.Edits = append(fix.Edits, set...)
	return raised{fix: fix, suggest: suggest, lowers: true, remedy: fmt.Sprintf("Raise %s (GL001) and set %s to %s, so the function fails first, at least %s before the integration gives up.",
		what, ft.Setting, ft.Unit.Text(suggest), seconds(c.Margin))}, true
}

// firstCaller is the first of callers that in serves.
func firstCaller(in *model.Integration, callers []*model.Endpoint) *model.Endpoint {
	for _, e := range callers {
		if e.Integration == in {
			return e
		}
	}
	return in.Endpoints[0]
}

// observedP99 is the slowest p99 integration latency the access logs
// show for the function's callers, when any logged one.
func observedP99(fn *model.Function, callers []*model.Endpoint) (time.Duration, bool) {
	var slowest int64
	seen := false
	for _, e := range callers {
		if e.Observed == nil || e.Integration == nil || e.Integration.Function != fn {
			continue
		}
		if v, ok := p99(e.Observed); ok && completed(e.Observed) >= minCompleted {
			slowest, seen = max(slowest, v), true
		}
	}
	return time.Duration(slowest) * time.Millisecond, seen
}

// raiseInstead points out the other fix when the integration timeout was
// tuned down: raising it (GL001) may let the function keep its time.
func raiseInstead(e *model.Endpoint, v model.Value, ft model.Value, c *Config) string {
	limit := standardMax(e.API, e.Integration)
	if !v.Explicit() || v.D >= limit {
		return ""
	}
	if ft.D <= limit-c.Margin {
		return fmt.Sprintf(" Or raise %s to %d (GL001): then %s fits.", v.Setting, v.Unit.Count(limit), ft.Text())
	}
	return fmt.Sprintf(" Raising %s to %d (GL001) would allow up to %s.", v.Setting, v.Unit.Count(limit), ft.Unit.Text(fitting(limit, c)))
}

// timeoutOrigin says where an integration timeout came from, briefly.
func timeoutOrigin(v model.Value) string {
	if v.Origin == model.Default {
		return " (the default)"
	}
	return origin(v)
}
