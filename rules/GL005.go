package rules

import (
	"fmt"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

// GL005: the logs prove it. Whatever the configuration says, requests to
// this endpoint were cut off by API Gateway's integration timeout, and
// any work behind them may have finished after the client gave up.
var GL005 = &Rule{
	ID:       "GL005",
	Name:     "timeouts-observed",
	Severity: finding.Error,
	Summary:  "Access logs show requests to an endpoint timing out waiting for its integration.",
	Run:      timeoutsObserved,
}

func timeoutsObserved(p *Pass) []finding.Finding {
	var out []finding.Finding
	for _, api := range p.Model.APIs {
		for _, e := range api.Endpoints {
			if !timedOut(e) {
				continue
			}
			o := e.Observed
			f := p.newFinding(e.Resource)
			f.Endpoint = e.Finding()
			f.Location, f.Related = observedAt(e)
			f.Evidence = evidence(o)
			f.Message = fmt.Sprintf("%d of %d requests to %s timed out waiting for the backend integration%s%s%s.%s",
				o.Timeouts, o.Requests, e.Name(), signal(o), span(o), clientSaw(o), behind(e, p.Config))
			if in := e.Integration; in != nil && in.Function != nil {
				f.Related = append(f.Related, invokes(in)...)
			}
			out = append(out, f)
		}
	}
	return out
}

// behind says what the timeout means for the backend: how long API
// Gateway waits and how long the function may run on after it gave up.
func behind(e *model.Endpoint, c *Config) string {
	in := e.Integration
	if in == nil || e.API.FromLogs {
		return ""
	}
	v, ok := in.Timeout.Max()
	if !ok {
		return ""
	}
	wait := waits(v, e.API, in, c)
	s := fmt.Sprintf(" API Gateway waits %s%s", seconds(wait), origin(v))
	if fn := in.Function; fn != nil {
		if ft, ok := fn.Timeout.Max(); ok && ft.D > wait {
			return s + fmt.Sprintf(", but function %s may run %s: it may have finished work the clients were told had failed.", fn.Resource.Name(), ft.Text())
		}
	}
	return s + "."
}
