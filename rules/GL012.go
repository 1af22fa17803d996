package rules

import (
	"fmt"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
)

// GL012: Lambda accepts a Timeout from 1 to 900 seconds; anything else
// fails the deploy (CloudFormation reports the function CREATE_FAILED and
// rolls the stack back), so no other judgement of the function means
// anything until it is fixed. Integration timeouts below API Gateway's
// 50 ms minimum are GL001's, which says the same.
var GL012 = &Rule{
	ID:       "GL012",
	Name:     "function-timeout-out-of-range",
	Severity: finding.Error,
	Summary:  "A function's timeout is outside the 1–900 s Lambda accepts: the deploy fails.",
	Run:      functionTimeoutOutOfRange,
}

func functionTimeoutOutOfRange(p *Pass) []finding.Finding {
	var out []finding.Finding
	for _, fn := range p.Model.Functions {
		for _, v := range fn.Timeout {
			if !v.Known || !v.Explicit() || (v.D >= awsfacts.LambdaMinTimeout && v.D <= awsfacts.LambdaMaxTimeout) {
				continue
			}
			target, bound := awsfacts.LambdaMaxTimeout, "above Lambda's maximum of"
			if v.D < awsfacts.LambdaMinTimeout {
				target, bound = awsfacts.LambdaMinTimeout, "below Lambda's minimum of"
			}
			f := p.newFinding(fn.Resource)
			f.Location = where(v, fn.Resource)
			fixes, advice := setTo(v, target, v.Setting+" of "+fn.Resource.Name(), p.Config)
			if len(fn.Integrations) > 0 && target == awsfacts.LambdaMaxTimeout {
				// Behind an API, GL002's value (a little under the
				// integration timeout) is the one to set; two fixes of
				// the same digits would collide.
				fixes, advice = nil, " GL002 says how long it may run behind its API."
			}
			if target == awsfacts.LambdaMaxTimeout {
				// The work may need longer than 900 s: what to do about
				// it is a decision, not a tidy-up.
				for i := range fixes {
					fixes[i].Safety = finding.Unsafe
				}
			}
			f.Fixes = fixes
			f.Message = fmt.Sprintf("function %s has %s %s%s, %s %s: the deploy fails (Lambda refuses it).%s",
				fn.Resource.Name(), v.Setting, v.Text(), origin(v), bound, v.Unit.Text(target), advice)
			if target == awsfacts.LambdaMaxTimeout {
				f.Message = fmt.Sprintf("function %s has %s %s%s, %s %s: the deploy fails (Lambda refuses it). Work that needs longer belongs in Step Functions or a queue of smaller steps.%s",
					fn.Resource.Name(), v.Setting, v.Text(), origin(v), bound, v.Unit.Text(target), advice)
			}
			if rel, ok := setHere(v, fn.Resource); ok {
				f.Related = append(f.Related, rel)
			}
			out = append(out, f)
		}
	}
	return out
}
