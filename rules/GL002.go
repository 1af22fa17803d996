package rules

import (
	"fmt"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

// GL002: a function that may run longer than API Gateway waits goes on
// working after the client got a 504 — a phantom execution the client
// will likely retry. One finding per function, measured against the
// shortest integration that invokes it synchronously.
var _ = register(&Rule{
	ID:       "GL002",
	Name:     "lambda-timeout-exceeds-integration",
	Severity: finding.Warning,
	Summary:  "A function's Timeout outlives the integration timeout of an endpoint that invokes it synchronously.",
	Run: func(p *Pass) []finding.Finding {
		c := p.Config
		var out []finding.Finding
		for _, fn := range p.Model.Functions {
			ft, ok := fn.Timeout.Max()
			if !ok {
				continue
			}
			// The shortest wait among the synchronous callers decides.
			var shortest *model.Endpoint
			var shortestV model.Value
			var wait int64
			var callers []*model.Endpoint
			for _, in := range fn.Integrations {
				if in.Kind != model.LambdaProxy && in.Kind != model.LambdaSync {
					continue
				}
				v, ok := in.Timeout.Min()
				if !ok || (in.Streaming && v.Origin == model.Default) {
					// A streamed response's default horizon is not
					// documented; only an explicit timeout is judged.
					continue
				}
				for _, e := range in.Endpoints {
					callers = append(callers, e)
					if w := waits(v, e.API, in, c); shortest == nil || w < wait {
						shortest, shortestV, wait = e, v, w
					}
				}
			}
			if shortest == nil || ft.N*1000 <= wait-c.MarginMillis {
				continue
			}
			suggest := max(1, (wait-c.MarginMillis)/1000-1)
			f := p.newFinding(fn.Resource)
			f.Location = where(ft, fn.Resource)
			f.Endpoint = shortest.Finding()
			lower, advice := setTo(ft, suggest, "Timeout of "+fn.Resource.LogicalID, c)
			remedy := fmt.Sprintf("Set Timeout to %d s so it fails first, at least %s before the integration gives up.%s%s", suggest, seconds(c.MarginMillis), advice, raiseInstead(shortest, shortestV, ft, c))
			slowest, seen := observedP99(fn, callers)
			// When the integration timeout was tuned down (GL001), raising
			// it is the first fix: with it, the function may keep far more
			// of its time than the lowered Timeout that fits today's wait.
			var raise []finding.Fix
			if both, ok := raiseAndFit(fn, ft, callers, shortestV, c); ok && (!seen || slowest < both.suggest*1000) {
				raise = []finding.Fix{both.fix}
				remedy = both.remedy + fmt.Sprintf(" Or, to keep the %s wait, set Timeout to %d s.%s", seconds(wait), suggest, advice)
			}
			switch {
			case suggest*1000 > wait-c.MarginMillis:
				// Even Lambda's shortest Timeout does not leave the
				// margin: a fix to 1 s would not clear the finding.
				lower = nil
				remedy = fmt.Sprintf("Even the shortest Timeout, 1 s, does not end %s before the integration gives up: raise TimeoutInMillis instead.", seconds(c.MarginMillis))
			case seen && slowest >= suggest*1000:
				// The logs show the work needs longer than the suggested
				// Timeout: lowering it would fail requests that succeed
				// today, so that edit is not offered.
				lower = nil
				remedy = fmt.Sprintf("But the access logs show p99 integration latency of %s: a Timeout of %d s would fail requests that succeed today.%s", seconds(slowest), suggest, raiseInstead(shortest, shortestV, ft, c))
				if raiseInstead(shortest, shortestV, ft, c) == "" {
					remedy += " The work needs an asynchronous path (GL003)."
				}
			}
			f.Fixes = append(raise, lower...)
			f.Message = fmt.Sprintf("function %s has Timeout %d s%s but %s stops waiting after %s%s: the function keeps running after the client got a %s, and a retry runs it twice. %s",
				fn.Resource.Name(), ft.N, origin(ft), shortest.Name(), seconds(wait), timeoutOrigin(shortestV), gatewayError(shortest.API), remedy)
			switch {
			case ft.Origin == model.Globals:
				f.Related = append(f.Related, related(ft.Loc, "Timeout %d s is set here", ft.N))
			case ft.Origin == model.Parameter && !ft.ParamLoc.IsZero():
				// ft.Loc, the !Ref, is already the finding's location.
				f.Related = append(f.Related, related(ft.ParamLoc, "Timeout %d s is set here, as the Default of parameter %s", ft.N, ft.Param))
			case ft.Origin == model.Mapping:
				f.Related = append(f.Related, related(ft.ParamLoc, "Timeout %d s is set here, in %s", ft.N, ft.Param))
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
	},
})

// raised is GL002's fix when the integration timeout can be raised too.
type raised struct {
	fix     finding.Fix
	suggest int64
	remedy  string
}

// raiseAndFit builds the fix that raises a tuned-down integration timeout
// to its ceiling and, when the function still outlives that, sets its
// Timeout to fit the raised wait. It is offered only where it is simple
// and GL001 would say the same: one synchronous integration, its timeout
// written as a literal, GL001 neither switched off nor suppressed there.
func raiseAndFit(fn *model.Function, ft model.Value, callers []*model.Endpoint, v model.Value, c *Config) (raised, bool) {
	in := callers[0].Integration
	for _, e := range callers {
		if e.Integration != in {
			return raised{}, false
		}
	}
	limit := ceiling(callers[0].API, in, c)
	if !v.Explicit() || v.N >= limit || v.Origin != model.Literal || v.Edit == nil || c.Off["GL001"] || in.Resource.Ignores("GL001", "integration-timeout-below-max") {
		return raised{}, false
	}
	raise := v.Edit(limit)
	if len(raise) == 0 {
		return raised{}, false
	}
	fix := finding.Fix{Description: fmt.Sprintf("raise TimeoutInMillis of %s to %d (GL001)", callers[0].Name(), limit), Edits: raise}
	if ft.N*1000 <= limit-c.MarginMillis {
		return raised{fix: fix, suggest: ft.N, remedy: fmt.Sprintf("Raise TimeoutInMillis to %d (GL001): then %d s fits.", limit, ft.N)}, true
	}
	suggest := max(1, (limit-c.MarginMillis)/1000-1)
	if ft.Origin != model.Literal && ft.Origin != model.Default && ft.Origin != model.Globals || ft.Edit == nil {
		return raised{}, false
	}
	set := ft.Edit(suggest)
	if len(set) == 0 {
		return raised{}, false
	}
	fix.Description += fmt.Sprintf(" and set Timeout of %s to %d", fn.Resource.LogicalID, suggest)
	fix.Edits = append(fix.Edits, set...)
	return raised{fix: fix, suggest: suggest, remedy: fmt.Sprintf("Raise TimeoutInMillis to %d (GL001) and set Timeout to %d s, so the function fails first, at least %s before the integration gives up.", limit, suggest, seconds(c.MarginMillis))}, true
}

// observedP99 is the slowest p99 integration latency the access logs
// show for the function's callers, when any logged one.
func observedP99(fn *model.Function, callers []*model.Endpoint) (int64, bool) {
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
	return slowest, seen
}

// raiseInstead points out the other fix when the integration timeout was
// tuned down: raising it (GL001) may let the function keep its time.
func raiseInstead(e *model.Endpoint, v model.Value, ft model.Value, c *Config) string {
	limit := ceiling(e.API, e.Integration, c)
	if !v.Explicit() || v.N >= limit {
		return ""
	}
	if ft.N*1000 <= limit-c.MarginMillis {
		return fmt.Sprintf(" Or raise TimeoutInMillis to %d (GL001): then %d s fits.", limit, ft.N)
	}
	return fmt.Sprintf(" Raising TimeoutInMillis to %d (GL001) would allow up to %d s.", limit, max(1, (limit-c.MarginMillis)/1000-1))
}

// timeoutOrigin says where an integration timeout came from, briefly.
func timeoutOrigin(v model.Value) string {
	if v.Origin == model.Default {
		return " (the default)"
	}
	return origin(v)
}

// gatewayError is what a client sees when the integration times out.
func gatewayError(api *model.API) string {
	if api.Type == model.HTTP {
		return "503"
	}
	return "504"
}
