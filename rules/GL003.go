package rules

import (
	"fmt"

	"github.com/gatelint/gatelint/internal/finding"
)

// GL003: when a function is allowed to run longer than any API Gateway
// integration can wait, lowering timeouts is not a fix: the work itself
// needs an asynchronous path (accept, queue, answer 202, poll).
var _ = register(&Rule{
	ID:       "GL003",
	Name:     "missing-async-path",
	Severity: finding.Warning,
	Summary:  "A synchronous endpoint's function may run longer than the API can ever wait; the work needs an asynchronous path.",
	Run: func(p *Pass) []finding.Finding {
		var out []finding.Finding
		for _, api := range p.Model.APIs {
			for _, e := range api.Endpoints {
				in := e.Integration
				if in == nil || !in.Kind.Synchronous() || in.Function == nil || in.Streaming {
					continue
				}
				limit := ceiling(api, in, p.Config)
				ft, ok := in.Function.Timeout.Max()
				if !ok || ft.N*1000 <= limit {
					continue
				}
				fn := in.Function
				f := p.newFinding(e.Resource)
				f.Location = e.Loc
				f.Endpoint = e.Finding()
				f.Message = fmt.Sprintf("%s waits synchronously (%s) for function %s, which may run %d s%s, but %s can wait at most %s: work this long needs an asynchronous path — accept the request, queue it (SQS), answer 202 with a job ID, and let the client poll a status endpoint.",
					e.Name(), in.Kind, fn.Resource.Name(), ft.N, origin(ft), article(apiKind(api)), seconds(limit))
				f.Related = append(f.Related, related(where(ft, fn.Resource), "Timeout of %s", fn.Resource.Name()))
				out = append(out, f)
			}
		}
		return out
	},
})
