package live

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/model"
)

// Function logs by Logs Insights: for each function behind a synchronous
// Lambda integration, its log group /aws/lambda/<name> is asked, server
// side, how many invocations it had and how long they ran (@duration of
// the REPORT lines), how many waited longer than the integration waits
// (@duration + @initDuration), and how many timed out. The queries use
// documented fields and stats functions only (@initDuration works on
// cold-start REPORT lines though AWS's list of discovered fields omits
// it). A function whose LoggingConfig says JSON has no REPORT line: its
// platform.report records are asked instead, by the fields Logs
// Insights discovers in JSON logs (record.metrics.durationMs,
// record.status); one whose LoggingConfig names a log group logs there.

// fnStatsQuery counts a function's invocations and their durations.
const fnStatsQuery = `filter @type = "REPORT"
| stats count(*) as invocations, sum(strcontains(@message, "Init Duration")) as coldStarts, sum(strcontains(@message, "Status: timeout")) as timeouts, pct(@duration, 50) as p50, pct(@duration, 95) as p95, pct(@duration, 99) as p99, max(@duration) as max by @log`

// fnTimedOutQuery counts "Task timed out" lines, which older REPORT lines
// do not mark with a status.
const fnTimedOutQuery = `filter @message like /Task timed out/
| stats count(*) as taskTimedOut by @log`

// fnOverQuery counts the invocations whose caller waited longer than ms.
func fnOverQuery(ms int64) string {
	return fmt.Sprintf(`filter @type = "REPORT" and @duration + coalesce(@initDuration, 0) > %d
| stats count(*) as over, sum(strcontains(@message, "Status: timeout")) as overTimeouts, sum(strcontains(@message, "Status: error")) as overErrors, sum(strcontains(@message, "Init Duration")) as overCold by @log`, ms)
}

// The same for functions that log in Lambda's JSON format: one
// platform.report record an invocation, its status in the record (so no
// "Task timed out" query).
const fnStatsQueryJSON = `filter type = "platform.report"
| stats count(*) as invocations, count(record.metrics.initDurationMs) as coldStarts, sum(strcontains(record.status, "timeout")) as timeouts, pct(record.metrics.durationMs, 50) as p50, pct(record.metrics.durationMs, 95) as p95, pct(record.metrics.durationMs, 99) as p99, max(record.metrics.durationMs) as max by @log`

func fnOverQueryJSON(ms int64) string {
	return fmt.Sprintf(`filter type = "platform.report" and record.metrics.durationMs + coalesce(record.metrics.initDurationMs, 0) > %d
| stats count(*) as over, sum(strcontains(record.status, "timeout")) as overTimeouts, sum(strcontains(record.status, "error")) as overErrors, count(record.metrics.initDurationMs) as overCold by @log`, ms)
}

// fnLogging is where a function logs and in which format.
type fnLogging struct {
	group string // "" for /aws/lambda/<name>
	json  bool
}

// fnLog is what the queries said of one log group.
type fnLog struct {
	fn      *model.Function
	wait    time.Duration
	json    bool
	l       *model.FunctionLog
	over    model.Overrun
	timeout int64 // "Task timed out" lines
}

// functionInsights queries the log groups of the functions behind
// synchronous Lambda integrations and adds a FunctionLog for each.
func (r *regionReader) functionInsights(ctx context.Context) {
	end := r.a.o.Now().Truncate(time.Minute)
	start := end.Add(-r.a.o.Since)
	logs := map[string]*fnLog{}
	var groups, text, jsonGroups []string
	for _, fn := range r.m.Functions {
		wait, ok := syncWait(fn)
		if !ok {
			continue
		}
		base, _, _ := strings.Cut(fn.Name, ":")
		r.mu.Lock()
		lg := r.logs[base]
		r.mu.Unlock()
		g := "/aws/lambda/" + base
		if lg.group != "" {
			g = lg.group
		}
		if cur := logs[g]; cur != nil {
			cur.wait = min(cur.wait, wait)
			continue
		}
		logs[g] = &fnLog{fn: fn, wait: wait, json: lg.json, l: &model.FunctionLog{Name: base, LogGroup: g, Live: true, Sources: []string{g}}}
		groups = append(groups, g)
		if lg.json {
			jsonGroups = append(jsonGroups, g)
		} else {
			text = append(text, g)
		}
	}
	if len(groups) == 0 {
		return
	}
	lq := &logQueries{r: r, sem: make(chan struct{}, min(maxConcurrent, r.a.o.Concurrency))}
	var mu sync.Mutex
	each := func(rows [][]logtypes.ResultField, f func(l *fnLog, v map[string]string)) {
		mu.Lock()
		defer mu.Unlock()
		for _, row := range rows {
			v := map[string]string{}
			for _, rf := range row {
				v[aws.ToString(rf.Field)] = aws.ToString(rf.Value)
			}
			g := v["@log"]
			if i := strings.IndexByte(g, ':'); i >= 0 {
				g = g[i+1:]
			}
			if l := logs[g]; l != nil {
				f(l, v)
			}
		}
	}
	var wg sync.WaitGroup
	submit := func(gs []string, q string, add func([][]logtypes.ResultField)) {
		for i := 0; i < len(gs); i += maxGroupsPerQuery {
			job := logJob{groups: gs[i:min(i+maxGroupsPerQuery, len(gs))], query: q, start: start, end: end, add: add}
			wg.Go(func() { lq.run(ctx, job, &wg) })
		}
	}
	stats := func(rows [][]logtypes.ResultField) {
		each(rows, func(l *fnLog, v map[string]string) {
			fl := l.l
			n := num(v["invocations"])
			fl.Invocations += n
			fl.Reported += n
			fl.ColdStarts += num(v["coldStarts"])
			fl.TimedOut += num(v["timeouts"])
			fl.Percentiles = model.MergePercentiles(fl.Percentiles, &model.Percentiles{Completed: n,
				P50: num(v["p50"]), P95: num(v["p95"]), P99: num(v["p99"]), Max: num(v["max"])})
		})
	}
	submit(text, fnStatsQuery, stats)
	submit(jsonGroups, fnStatsQueryJSON, stats)
	submit(text, fnTimedOutQuery, func(rows [][]logtypes.ResultField) {
		each(rows, func(l *fnLog, v map[string]string) { l.timeout += num(v["taskTimedOut"]) })
	})
	// One query per wait and format, over the groups that share them.
	type waitFormat struct {
		wait time.Duration
		json bool
	}
	byWait := map[waitFormat][]string{}
	var waits []waitFormat
	for _, g := range groups {
		k := waitFormat{logs[g].wait, logs[g].json}
		if _, ok := byWait[k]; !ok {
			waits = append(waits, k)
		}
		byWait[k] = append(byWait[k], g)
	}
	// By wait; formats of one wait in the order the groups came.
	slices.SortStableFunc(waits, func(a, b waitFormat) int { return cmp.Compare(a.wait, b.wait) })
	for _, k := range waits {
		q := fnOverQuery(k.wait.Milliseconds())
		if k.json {
			q = fnOverQueryJSON(k.wait.Milliseconds())
		}
		submit(byWait[k], q, func(rows [][]logtypes.ResultField) {
			each(rows, func(l *fnLog, v map[string]string) {
				l.over.Over += num(v["over"])
				l.over.TimedOut += num(v["overTimeouts"])
				l.over.Failed += num(v["overErrors"])
				l.over.Cold += num(v["overCold"])
			})
		})
	}
	wg.Wait()
	for _, g := range groups {
		l := logs[g]
		fl := l.l
		if fl.Invocations == 0 && l.timeout == 0 {
			continue
		}
		// Old REPORT lines carry no status: the "Task timed out" lines
		// count then. Invocations that ran into the function's Timeout
		// waited longer than an integration shorter than it.
		fl.TimedOut = max(fl.TimedOut, l.timeout)
		o := l.over
		if ft, ok := l.fn.Timeout.Max(); ok && ft.D > l.wait {
			o.TimedOut = min(max(o.TimedOut, l.timeout), o.Over)
		}
		o.Wait = l.wait
		o.Succeeded = max(o.Over-o.TimedOut-o.Failed, 0)
		fl.Succeeded = max(fl.Invocations-fl.TimedOut, 0)
		wait := l.wait
		fl.Over = func(w time.Duration) model.Overrun {
			if w == wait {
				return o
			}
			// Only the wait asked about is counted.
			return model.Overrun{Wait: w, Uncertain: fl.Invocations}
		}
		r.mu.Lock()
		r.b.FunctionLog(fl)
		r.mu.Unlock()
	}
}

// syncWait is how long the shortest synchronous Lambda integration in
// front of fn waits; false when none does, or none says.
func syncWait(fn *model.Function) (time.Duration, bool) {
	var wait time.Duration
	found := false
	for _, in := range fn.Integrations {
		if in.Kind != model.LambdaProxy && in.Kind != model.LambdaSync || in.Streaming {
			continue
		}
		v, ok := in.Timeout.Min()
		if !ok {
			continue
		}
		for _, e := range in.Endpoints {
			limit := awsfacts.MaxIntegrationTimeout(e.API.Type)
			if q := e.API.QuotaMaxTimeout; q > limit && awsfacts.QuotaRaisable(e.API.Type, e.API.EndpointType) {
				limit = q // as rules judge it: the account's quota
			}
			w := min(v.D, limit)
			if !found || w < wait {
				wait, found = w, true
			}
		}
	}
	return wait, found
}
