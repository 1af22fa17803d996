package rules

import (
	"fmt"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
)

// GL004: a timeout above the API type's maximum fails the deploy, except
// on Regional and private REST APIs whose account quota was raised.
var GL004 = &Rule{
	ID:       "GL004",
	Name:     "integration-timeout-above-limit",
	Severity: finding.Error,
	Summary:  "An integration's timeout is above its API type's maximum.",
	Run:      integrationTimeoutAboveLimit,
}

func integrationTimeoutAboveLimit(p *Pass) []finding.Finding {
	m, c := p.Model, p.Config
	var out []finding.Finding
	for _, in := range integrations(m) {
		e := in.Endpoints[0]
		max := awsfacts.MaxIntegrationTimeout(e.API.Type)
		if in.Streaming {
			max = awsfacts.StreamingMaxIntegrationTimeout
		}
		raisable := awsfacts.QuotaRaisable(e.API.Type, e.API.EndpointType) && !in.Streaming
		quota, quotaFrom := raisedQuota(e.API, c), "--rest-max-timeout"
		if e.API.QuotaMaxTimeout > 0 {
			quotaFrom = "read from Service Quotas"
		}
		for _, v := range in.Timeout {
			if !v.Known || v.D <= max || (raisable && v.D <= quota) {
				continue
			}
			f := p.newFinding(in.Resource)
			f.Location = v.Loc
			f.Endpoint = e.Finding()
			fixes, advice := setTo(v, quotaCeiling(e.API, in, c), v.Setting, c)
			f.Fixes = fixes
			switch {
			case raisable && quota > max:
				f.Severity = finding.Warning
				f.Message = fmt.Sprintf("integration timeout of %s is %s%s, above this account's raised quota of %s (%s): the deploy fails unless the Service Quotas quota \"Maximum integration timeout in milliseconds\" is raised further.%s",
					e.Name(), v.Text(), origin(v), v.Unit.Text(quota), quotaFrom, advice)
			case raisable && e.API.EndpointType == "":
				f.Severity = finding.Warning
				f.Message = fmt.Sprintf("integration timeout of %s is %s%s, above the REST API default maximum of %s, and API %s is defined outside the files checked: if it is edge-optimized the deploy fails; if it is Regional or private it needs the Service Quotas increase \"Maximum integration timeout in milliseconds\" (then pass --rest-max-timeout %d).%s",
					e.Name(), v.Text(), origin(v), v.Unit.Text(max), e.API.Resource.Name(), v.D.Milliseconds(), advice)
			case raisable:
				f.Severity = finding.Warning
				f.Message = fmt.Sprintf("integration timeout of %s is %s%s, above the %s default maximum of %s: it deploys only after the Service Quotas increase \"Maximum integration timeout in milliseconds\" (which may lower the account's throttle quota); if this account has it, pass --rest-max-timeout %d.%s",
					e.Name(), v.Text(), origin(v), apiKind(e.API), v.Unit.Text(max), v.D.Milliseconds(), advice)
			default:
				f.Message = fmt.Sprintf("integration timeout of %s is %s%s, above the %s maximum of %s: the deploy fails (this limit cannot be raised).%s",
					e.Name(), v.Text(), origin(v), apiKind(e.API), v.Unit.Text(max), advice)
			}
			f.Related = append(f.Related, alsoServes(in)...)
			f.Related = append(f.Related, invokes(in)...)
			out = append(out, f)
		}
	}
	return out
}
