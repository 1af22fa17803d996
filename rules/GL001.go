package rules

import (
	"fmt"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
)

// GL001: an integration timeout tuned below the API's maximum cuts the
// backend off early for no gain; it is usually a development leftover.
var GL001 = &Rule{
	ID:       "GL001",
	Name:     "integration-timeout-below-max",
	Severity: finding.Info,
	Summary:  "An integration's timeout is set explicitly below its API type's maximum.",
	Run:      integrationTimeoutBelowMax,
}

func integrationTimeoutBelowMax(p *Pass) []finding.Finding {
	m, c := p.Model, p.Config
	var out []finding.Finding
	for _, in := range integrations(m) {
		e := waitedFor(in)
		if in.Streaming || e == nil {
			// A streamed response sets its own, longer horizon; and
			// where nobody waits for the answer, a short timeout cuts
			// no one off.
			continue
		}
		// The standard maximum: a raised quota only widens what GL004
		// accepts, it does not make a shorter wait a mistake.
		max := standardMax(e.API, in)
		for _, v := range in.Timeout {
			if !v.Known || !v.Explicit() || v.D >= max {
				continue
			}
			f := p.newFinding(in.Resource)
			f.Location = v.Loc
			f.Endpoint = e.Finding()
			fixes, advice := setTo(v, max, v.Setting, c)
			f.Message = fmt.Sprintf("integration timeout of %s is %s%s, below the %s maximum of %s: API Gateway gives up on the backend after %s.%s",
				e.Name(), v.Text(), origin(v), apiKind(e.API), v.Unit.Text(max), seconds(v.D), advice)
			if v.D < awsfacts.MinIntegrationTimeout {
				// Not a tuning choice but a failed deploy.
				f.Severity = finding.Error
				f.Message = fmt.Sprintf("integration timeout of %s is %s%s, below API Gateway's minimum of %s: the deploy fails. Use the %s maximum of %s unless the backend must be cut off sooner.%s",
					e.Name(), v.Text(), origin(v), v.Unit.Text(awsfacts.MinIntegrationTimeout), apiKind(e.API), v.Unit.Text(max), advice)
			}
			f.Fixes = fixes
			for _, te := range in.Endpoints {
				if timedOut(te) && f.Severity < finding.Warning {
					// No longer a tidy-up: the logs show it cutting
					// requests off.
					f.Severity = finding.Warning
					f.Evidence = evidence(te.Observed)
					f.Message += fmt.Sprintf(" The access logs show %d of %d requests to %s timing out; raise the timeout to %s, and GL002 says how long the function may then run.",
						te.Observed.Timeouts, te.Observed.Requests, te.Name(), v.Unit.Text(max))
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
}
