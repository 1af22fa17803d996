package rules

import (
	"fmt"
	"slices"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

// writes reports whether the timed-out requests of e were POSTs or
// PATCHes: its method, or for ANY, the methods the logs show timing out.
func writes(e *model.Endpoint) bool {
	switch e.Method {
	case "POST", "PATCH":
		return true
	case "ANY":
		return e.Observed.TimeoutMethods["POST"] > 0 || e.Observed.TimeoutMethods["PATCH"] > 0
	}
	return false
}

// idempotencyHeaders are the header names taken as an idempotency key.
var idempotencyHeaders = []string{"idempotency-key", "x-idempotency-key"}

// GL007: a POST that timed out was probably retried by its client, and
// the first attempt may have completed anyway. Without an idempotency key
// the backend cannot tell the retry from a new request, so the side
// effect happens twice.
var GL007 = &Rule{
	ID:       "GL007",
	Name:     "missing-idempotency",
	Severity: finding.Info,
	Summary:  "A POST or PATCH endpoint that timed out does not require an idempotency key, so retries may repeat its side effects.",
	Run:      missingIdempotency,
}

func missingIdempotency(p *Pass) []finding.Finding {
	var out []finding.Finding
	for _, api := range p.Model.APIs {
		if api.FromLogs {
			continue // nothing is known of its configuration
		}
		for _, e := range api.Endpoints {
			if !timedOut(e) || !writes(e) {
				continue
			}
			if slices.ContainsFunc(e.RequiredHeaders, func(h string) bool { return slices.Contains(idempotencyHeaders, h) }) {
				continue
			}
			f := p.newFinding(e.Resource)
			f.Endpoint = e.Finding()
			f.Location = e.Loc
			f.Evidence = evidence(e.Observed)
			_, f.Related = observedAt(e)
			how := e.RequireHeader
			if how == "" {
				how = "check the header in the function (HTTP APIs cannot require a header)"
			}
			f.Message = fmt.Sprintf("%s timed out %d times and does not require an idempotency key: a client that retries after a timeout may repeat work that already completed. Have clients send an Idempotency-Key header, %s, and record each key with a conditional write (DynamoDB attribute_not_exists) before doing the work.",
				e.Name(), e.Observed.Timeouts, how)
			out = append(out, f)
		}
	}
	return out
}
