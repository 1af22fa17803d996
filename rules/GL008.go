package rules

import (
	"fmt"

	"github.com/gatelint/gatelint/internal/finding"
)

// maxVisibility is SQS's ceiling for VisibilityTimeout, in seconds.
const maxVisibility = 43200

// GL008: a message becomes visible again when VisibilityTimeout runs out,
// even while a worker still processes it; AWS advises at least six times
// the function's Timeout so retries and batching fit.
var _ = register(&Rule{
	ID:       "GL008",
	Name:     "async-worker-visibility-timeout",
	Severity: finding.Warning,
	Summary:  "An SQS queue feeding a function has VisibilityTimeout below 6 × the function's Timeout.",
	Run: func(p *Pass) []finding.Finding {
		var out []finding.Finding
		type pair struct{ q, fn any }
		seen := map[pair]bool{}
		for _, es := range p.Model.EventSources {
			if seen[pair{es.Queue, es.Function}] {
				continue
			}
			seen[pair{es.Queue, es.Function}] = true
			ft, ok := es.Function.Timeout.Max()
			if !ok {
				continue
			}
			vis, ok := es.Queue.VisibilityTimeout.Min()
			want := min(6*ft.N, maxVisibility)
			if !ok || vis.N >= want {
				continue
			}
			q, fn := es.Queue.Resource, es.Function.Resource
			f := p.newFinding(q)
			f.Location = where(vis, q)
			fixes, advice := setTo(vis, want, "VisibilityTimeout of "+q.LogicalID, p.Config)
			f.Fixes = fixes
			f.Message = fmt.Sprintf("queue %s has VisibilityTimeout %d s%s but feeds function %s with Timeout %d s%s: a message can reappear while it is still being processed and run twice. Set VisibilityTimeout to at least 6 × %d = %d s.%s",
				q.Name(), vis.N, origin(vis), fn.Name(), ft.N, origin(ft), ft.N, want, advice)
			f.Related = append(f.Related,
				related(where(ft, fn), "Timeout of %s", fn.Name()),
				related(es.Loc, "event source feeding %s", fn.Name()))
			out = append(out, f)
		}
		return out
	},
})
