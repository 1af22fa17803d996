package rules

import (
	"fmt"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
)

// GL008: a message becomes visible again when VisibilityTimeout runs out,
// even while a worker still processes it; AWS advises at least six times
// the function's Timeout so retries and batching fit.
var GL008 = &Rule{
	ID:       "GL008",
	Name:     "async-worker-visibility-timeout",
	Severity: finding.Warning,
	Summary:  "An SQS queue feeding a function has a visibility timeout below 6 × the function's timeout.",
	Run:      asyncWorkerVisibilityTimeout,
}

func asyncWorkerVisibilityTimeout(p *Pass) []finding.Finding {
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
		want := min(awsfacts.VisibilityTimeoutFactor*ft.D, awsfacts.SQSMaxVisibilityTimeout)
		if !ok || vis.D >= want {
			continue
		}
		q, fn := es.Queue.Resource, es.Function.Resource
		f := p.newFinding(q)
		f.Location = where(vis, q)
		fixes, advice := setTo(vis, want, vis.Setting+" of "+q.Name(), p.Config)
		f.Fixes = fixes
		f.Message = fmt.Sprintf("queue %s has %s %s%s but feeds function %s with %s %s%s: a message can reappear while it is still being processed and run twice. Set %s to at least %d × %d = %s.%s",
			q.Name(), vis.Setting, vis.Text(), origin(vis), fn.Name(), ft.Setting, ft.Text(), origin(ft), vis.Setting, awsfacts.VisibilityTimeoutFactor, ft.N(), vis.Unit.Text(want), advice)
		f.Related = append(f.Related,
			related(where(ft, fn), "%s of %s", ft.Setting, fn.Name()),
			related(es.Loc, "event source feeding %s", fn.Name()))
		out = append(out, f)
	}
	return out
}
