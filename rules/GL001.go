package rules

import (
	"fmt"

	"github.com/gatelint/gatelint/internal/finding"
)

// minTimeoutMillis is the smallest TimeoutInMillis API Gateway accepts.
const minTimeoutMillis = 50

// GL001: an integration timeout tuned below the API's maximum cuts the
// backend off early for no gain; it is usually a development leftover.
var _ = register(&Rule{
	ID:       "GL001",
	Name:     "integration-timeout-below-max",
	Severity: finding.Info,
	Summary:  "An integration's TimeoutInMillis is set explicitly below its API type's maximum.",
	Run: func(p *Pass) []finding.Finding {
		m, c := p.Model, p.Config
		var out []finding.Finding
		for _, in := range integrations(m) {
			e := in.Endpoints[0]
			if in.Streaming {
				continue // a streamed response sets its own, longer horizon
			}
			max := ceiling(e.API, in, c)
			for _, v := range in.Timeout {
				if !v.Known || !v.Explicit() || v.N >= max {
					continue
				}
				f := p.newFinding(in.Resource)
				f.Location = v.Loc
				f.Endpoint = e.Finding()
				fixes, advice := setTo(v, max, "TimeoutInMillis", c)
				f.Message = fmt.Sprintf("integration timeout of %s is %d ms%s, below the %s maximum of %d ms: API Gateway gives up on the backend after %s.%s",
					e.Name(), v.N, origin(v), apiKind(e.API), max, seconds(v.N), advice)
				if v.N < minTimeoutMillis {
					// Not a tuning choice but a failed deploy.
					f.Severity = finding.Error
					f.Message = fmt.Sprintf("integration timeout of %s is %d ms%s, below API Gateway's minimum of %d ms: the deploy fails. Use the %s maximum of %d ms unless the backend must be cut off sooner.%s",
						e.Name(), v.N, origin(v), minTimeoutMillis, apiKind(e.API), max, advice)
				}
				f.Fixes = fixes
				for _, te := range in.Endpoints {
					if timedOut(te) && f.Severity < finding.Warning {
						// No longer a tidy-up: the logs show it cutting
						// requests off.
						f.Severity = finding.Warning
						f.Evidence = evidence(te.Observed)
						f.Message += fmt.Sprintf(" The access logs show %d of %d requests to %s timing out; raise the timeout to %d ms, and GL002 says how long the function may then run.",
							te.Observed.Timeouts, te.Observed.Requests, te.Name(), max)
						_, rel := observedAt(te)
						f.Related = append(f.Related, rel...)
					}
				}
				f.Related = append(f.Related, alsoServes(in)...)
				f.Related = append(f.Related, invokes(in)...)
				out = append(out, f)
			}
		}
		return out
	},
})
