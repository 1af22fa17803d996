package correlate

import (
	"slices"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/model"
)

// MatchWindow is how close an invocation's START must be to a timed-out
// request's time to be taken for it, when no request ID joins them.
const MatchWindow = time.Second

// Functions joins each function log in m to the function it is of
// (Function.Log): a log the user named (--logs NAME=PATH) by the
// function's name, logical ID, address or display name; a log group's
// function name by the deployed name, or the part every name generated
// for the function holds. Logs of one function are merged. It then joins
// the timed-out requests of the endpoints each function serves to its
// invocations (Endpoint.Phantoms). It returns the logs no function
// claimed.
func Functions(m *model.Model) []*model.FunctionLog {
	var unjoined []*model.FunctionLog
	// A file read under several scenarios defines each function once in
	// each: the log is found among the first scenario's, and is every
	// copy's.
	var primary []*model.Function
	copies := map[[2]string][]*model.Function{}
	for _, f := range m.Functions {
		if f.Resource.Scenario.Primary() {
			primary = append(primary, f)
		}
		k := [2]string{f.Resource.File, f.Resource.Address}
		copies[k] = append(copies[k], f)
	}
	for _, l := range m.FunctionLogs {
		owner := logOwner(primary, l)
		if owner == nil {
			unjoined = append(unjoined, l)
			continue
		}
		fns := []*model.Function{owner}
		if owner.Resource.Scenario != nil {
			fns = copies[[2]string{owner.Resource.File, owner.Resource.Address}]
		}
		for _, fn := range fns {
			join(fn, l)
		}
	}
	for _, fn := range m.Functions {
		if fn.Log != nil {
			matchPhantoms(fn)
		}
	}
	return unjoined
}

// join gives fn the log l, merged with one it has.
func join(fn *model.Function, l *model.FunctionLog) {
	switch fn.Log {
	case nil:
		fn.Log = l
	case l:
	default:
		// Merge into a copy: a second run over fixed files joins the same
		// logs again.
		c := *fn.Log
		c.Runs = slices.Clone(c.Runs)
		c.Sources = slices.Clone(c.Sources)
		c.Merge(l)
		fn.Log = &c
	}
}

// logOwner is the function a log is of, nil when none (or, for a name
// several functions could be deployed as, more than one) claims it.
func logOwner(fns []*model.Function, l *model.FunctionLog) *model.Function {
	if l.Named {
		for _, f := range fns {
			r := f.Resource
			if f.Name == l.Name || r != nil && (r.Address == l.Name || r.LogicalID == l.Name || r.Display == l.Name) {
				return f
			}
		}
	}
	if f := deployedFunction(fns, l.Name); f != nil {
		return f
	}
	// A live function carries its name in its ARN address.
	for _, f := range fns {
		if r := f.Resource; r != nil && strings.HasSuffix(r.Address, ":function:"+l.Name) {
			return f
		}
	}
	return nil
}

// matchPhantoms joins the timed-out requests of the endpoints fn serves
// to fn's invocations that ran longer than the integration waited:
// exactly by the integration request ID when the access log has it, else
// the invocation that started closest to the request, within
// MatchWindow. Each invocation is taken once.
func matchPhantoms(fn *model.Function) {
	runs := fn.Log.Runs
	byID := make(map[string]int, len(runs))
	for i, r := range runs {
		byID[r.RequestID] = i
	}
	byStart := make([]int, 0, len(runs))
	for i, r := range runs {
		if !r.Start.IsZero() {
			byStart = append(byStart, i)
		}
	}
	slices.SortStableFunc(byStart, func(a, b int) int { return runs[a].Start.Compare(runs[b].Start) })
	used := make([]bool, len(runs))
	for _, in := range fn.Integrations {
		if in.Function != fn || !in.Kind.Synchronous() {
			continue
		}
		for _, e := range in.Endpoints {
			o := e.Observed
			if o == nil || len(o.TimedOut) == 0 {
				continue
			}
			ph := &model.Phantoms{}
			// Exact joins first, so a time join never takes an invocation
			// a request ID names.
			var rest []model.TimedOutRequest
			for _, q := range o.TimedOut {
				ph.Timeouts++
				if i, ok := byID[q.IntegrationRequestID]; ok && q.IntegrationRequestID != "" && !used[i] {
					used[i] = true
					ph.Matched++
					ph.ByID++
					if runs[i].Succeeded {
						ph.Completed++
					}
					continue
				}
				rest = append(rest, q)
			}
			for _, q := range rest {
				if q.When.IsZero() {
					continue
				}
				if i := nearest(runs, byStart, used, q.When); i >= 0 {
					used[i] = true
					ph.Matched++
					if runs[i].Succeeded {
						ph.Completed++
					}
				}
			}
			e.Phantoms = ph
		}
	}
}

// nearest is the unused run whose caller began waiting (its START, less
// a cold start's init) closest to t, within MatchWindow; -1 when none. A
// time logged to the second ($context.requestTime) stands for the whole
// second.
func nearest(runs []model.Run, byStart []int, used []bool, t time.Time) int {
	lo, hi := t, t
	if t.Nanosecond() == 0 {
		hi = t.Add(time.Second - time.Millisecond)
	}
	from := lo.Add(-MatchWindow - maxInit)
	k, _ := slices.BinarySearchFunc(byStart, from, func(i int, t time.Time) int { return runs[i].Start.Compare(t) })
	best, bestD := -1, MatchWindow+1
	for j := k; j < len(byStart); j++ {
		r := runs[byStart[j]]
		if r.Start.After(hi.Add(MatchWindow + maxInit)) {
			break
		}
		began := r.Start.Add(-(r.Wait - r.Duration))
		var d time.Duration
		switch {
		case began.Before(lo):
			d = lo.Sub(began)
		case began.After(hi):
			d = began.Sub(hi)
		}
		if d <= MatchWindow && !used[byStart[j]] && d < bestD {
			best, bestD = byStart[j], d
		}
	}
	return best
}

// maxInit bounds a cold start's init (Lambda's 10 s init limit), so the
// search for a START before a request is bounded.
const maxInit = 10 * time.Second
