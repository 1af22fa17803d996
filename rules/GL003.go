package rules

import (
	"fmt"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

// GL003: when a function is allowed to run longer than any API Gateway
// integration can wait, lowering timeouts is not a fix: the work itself
// needs an asynchronous path (accept, queue, answer 202, poll).
var GL003 = &Rule{
	ID:       "GL003",
	Name:     "missing-async-path",
	Severity: finding.Warning,
	Summary:  "A synchronous endpoint's function may run longer than the API can ever wait; the work needs an asynchronous path.",
	Run:      missingAsyncPath,
}

func missingAsyncPath(p *Pass) []finding.Finding {
	var out []finding.Finding
	for _, api := range p.Model.APIs {
		for _, e := range api.Endpoints {
			in := e.Integration
			if in == nil || !in.Kind.Synchronous() || in.Streaming {
				continue
			}
			limit := ceiling(api, in, p.Config)
			fn := in.Function
			var ft model.Value
			long := false
			if fn != nil {
				ft, long = fn.Timeout.Max()
				long = long && ft.D > limit
			}
			// Timeouts behind an integration that already waits as long
			// as it can: only an asynchronous path helps. (Below the
			// ceiling, raising the timeout comes first: GL001.)
			v, ok := in.Timeout.Max()
			atWall := timedOut(e) && ok && waits(v, api, in, p.Config) >= limit
			if !long && !atWall {
				continue
			}
			f := p.newFinding(e.Resource)
			f.Location = e.Loc
			f.Endpoint = e.Finding()
			const remedy = "accept the request, queue it (SQS), answer 202 with a job ID, and let the client poll a status endpoint."
			switch {
			case long:
				f.Message = fmt.Sprintf("%s waits synchronously (%s) for function %s, which may run %s%s, but %s can wait at most %s: work this long needs an asynchronous path — "+remedy,
					e.Name(), in.Kind, fn.Resource.Name(), ft.Text(), origin(ft), article(apiKind(api)), seconds(limit))
				f.Related = append(f.Related, related(where(ft, fn.Resource), "Timeout of %s", fn.Resource.Name()))
			default:
				f.Message = fmt.Sprintf("%s waits synchronously (%s) as long as %s can, %s, and still timed out %d times in the access logs: the work needs an asynchronous path — "+remedy,
					e.Name(), in.Kind, article(apiKind(api)), seconds(limit), e.Observed.Timeouts)
				f.Related = append(f.Related, invokes(in)...)
			}
			if timedOut(e) {
				f.Evidence = evidence(e.Observed)
				if long {
					f.Message += fmt.Sprintf(" The access logs show %d timeouts.", e.Observed.Timeouts)
				}
				_, rel := observedAt(e)
				f.Related = append(f.Related, rel...)
			}
			out = append(out, f)
		}
	}
	return out
}
