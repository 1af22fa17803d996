package rules

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

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
			o := e.Observed
			if o == nil || o.Timeouts == 0 {
				continue
			}
			f := p.newFinding(e.Resource)
			f.Endpoint = e.Finding()
			f.Location, f.Related = observedAt(e)
			f.Evidence = evidence(o)
			switch {
			case o.StatusOnly >= o.Timeouts:
				// The log shows the status and nothing else: what GL009
				// says of it holds here too.
				f.Severity = finding.Warning
				for i := range f.Related {
					f.Related[i].Message = strings.Replace(f.Related[i].Message, "first timeout", "first such response", 1)
				}
				f.Message = fmt.Sprintf("%d of %d requests to %s got HTTP %s responses%s, possibly integration timeouts: this format logs no integration latency or error type, so they may be other failures.%s",
					o.Timeouts, o.Requests, e.Name(), statuses(o), span(o), behind(e, p.Config, true))
			default:
				f.Message = fmt.Sprintf("%d of %d requests to %s timed out waiting for the backend integration%s%s%s.%s%s",
					o.Timeouts-o.StatusOnly, o.Requests, e.Name(), signal(o), span(o), clientSaw(o), behind(e, p.Config, false), alsoStatusOnly(o))
			}
			if in := e.Integration; in != nil && in.Function != nil {
				f.Related = append(f.Related, invokes(in)...)
			}
			out = append(out, f)
		}
	}
	return out
}

// statuses words the statuses of the timeouts: "504", "503 or 504".
func statuses(o *model.Observation) string {
	codes := slices.Sorted(maps.Keys(o.TimeoutStatus))
	if len(codes) == 0 {
		return "5xx"
	}
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = strconv.Itoa(c)
	}
	return strings.Join(out, " or ")
}

// alsoStatusOnly words the timeouts of an endpoint known by their status
// alone, beside the ones proved (another log of the same endpoint logs
// less).
func alsoStatusOnly(o *model.Observation) string {
	if o.StatusOnly == 0 {
		return ""
	}
	return fmt.Sprintf(" %d more got a 5xx status in a log that shows nothing else: possibly timeouts too.", o.StatusOnly)
}

// behind says what the timeout means for the backend: how long API
// Gateway waits and how long the function may run on after it gave up;
// hedged when the log cannot tell a timeout.
func behind(e *model.Endpoint, c *Config, hedged bool) string {
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
			if hedged {
				return s + fmt.Sprintf(" and function %s may run %s: if these were timeouts, it may have finished work the clients were told had failed.", fn.Resource.Name(), ft.Text())
			}
			return s + fmt.Sprintf(", but function %s may run %s: it may have finished work the clients were told had failed.", fn.Resource.Name(), ft.Text())
		}
	}
	return s + "."
}
