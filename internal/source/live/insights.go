package live

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/model"
)

// Logs Insights limits.
const (
	maxGroupsPerQuery = 50
	maxConcurrent     = 30
	maxRows           = 10000
	// minWindow is the shortest time window a query is split into when
	// its answer would not fit.
	minWindow = 2 * time.Minute
)

// logFields maps the $context variables a query needs to the JSON keys a
// stage's access-log format writes them under.
type logFields map[string]string

// parseFormat reads a JSON access-log format; nil when the format is not
// JSON, which Logs Insights cannot split into fields without a parse.
func parseFormat(format string) logFields {
	if !strings.HasPrefix(strings.TrimSpace(format), "{") {
		return nil
	}
	f := logFields{}
	for _, k := range awsfacts.FormatKeys(format) {
		v := k.Var
		if v == "integration.latency" {
			v = "integrationLatency"
		}
		if _, dup := f[v]; !dup {
			f[v] = k.Key
		}
	}
	return f
}

func (f logFields) has(v string) bool { _, ok := f[v]; return ok }

func field(name string) string { return "`" + strings.ReplaceAll(name, "`", "") + "`" }

// query builds the Insights query that aggregates one row per endpoint
// and status (and error.responseType, when logged): requests, and the
// integration-latency percentiles. It uses only documented stats
// functions and grouping; what is a timeout is decided from each row's
// status and response type when the rows are read.
func (f logFields) query() (string, bool) {
	status := f["status"]
	if status == "" || !(f.has("resourcePath") || f.has("routeKey") || f.has("path")) {
		return "", false
	}
	by := []string{"@log"}
	for _, v := range []string{"apiId", "stage", "httpMethod", "resourcePath", "routeKey", "path", "status", "error.responseType"} {
		// The concrete path only when nothing names the route: grouped
		// by it, every URL is a row, and the rows soon fill the limit.
		if v == "path" && (f.has("resourcePath") || f.has("routeKey")) {
			continue
		}
		if f.has(v) {
			by = append(by, field(f[v]))
		}
	}
	stats := "count(*) as requests"
	if f.has("integrationLatency") {
		lat := field(f["integrationLatency"])
		stats += fmt.Sprintf(", count(%s) as completed, pct(%s, 50) as p50, pct(%s, 95) as p95, pct(%s, 99) as p99, max(%s) as max", lat, lat, lat, lat, lat)
	}
	return fmt.Sprintf("filter ispresent(%s)\n| stats %s by %s", field(status), stats, strings.Join(by, ", ")), true
}

// logJob is one query: up to 50 groups with one format, over a window.
type logJob struct {
	groups     []string
	fields     logFields
	query      string
	start, end time.Time
	// add, when set, takes the rows (function-log queries); else they are
	// access-log rows for logQueries.add.
	add func([][]logtypes.ResultField)
}

// insights queries each stage's access-log group and appends what it
// saw per endpoint to the model's Observations.
func (r *regionReader) insights(ctx context.Context) {
	end := r.a.o.Now().Truncate(time.Minute)
	start := end.Add(-r.a.o.Since)
	byGroup := map[string][]*model.Stage{}
	formats := map[string]logFields{}
	var order []string
	for _, api := range r.m.APIs {
		for _, s := range api.Stages {
			if s.AccessLog == nil {
				continue
			}
			group, ok := logGroupName(s.AccessLog.Destination)
			if !ok {
				continue // Firehose: nothing to query
			}
			f := parseFormat(s.AccessLog.Format)
			if _, ok := f.query(); !ok {
				r.b.Notef(s.Loc, "stage %s logs to %s in a format Logs Insights cannot aggregate per endpoint (not JSON, or no status and path): no log evidence read", s.Resource.Name(), group)
				continue
			}
			if _, seen := byGroup[group]; !seen {
				order = append(order, group)
				formats[group] = f
			}
			byGroup[group] = append(byGroup[group], s)
		}
	}
	// One query per format, up to 50 groups each.
	bySig := map[string][]string{}
	var sigs []string
	for _, g := range order {
		q, _ := formats[g].query()
		if _, ok := bySig[q]; !ok {
			sigs = append(sigs, q)
		}
		bySig[q] = append(bySig[q], g)
	}
	lq := &logQueries{r: r, byGroup: byGroup, obs: map[obsKey]*model.Observation{},
		sem: make(chan struct{}, min(maxConcurrent, r.a.o.Concurrency))}
	var wg sync.WaitGroup
	for _, q := range sigs {
		groups := bySig[q]
		for i := 0; i < len(groups); i += maxGroupsPerQuery {
			job := logJob{groups: groups[i:min(i+maxGroupsPerQuery, len(groups))], fields: formats[groups[i]], query: q, start: start, end: end}
			wg.Go(func() { lq.run(ctx, job, &wg) })
		}
	}
	wg.Wait()
	for _, k := range lq.keys {
		r.b.Observation(lq.obs[k])
	}
}

// logGroupName reads arn:aws:logs:R:A:log-group:NAME[:*].
func logGroupName(dest string) (string, bool) {
	_, rest, ok := strings.Cut(dest, ":log-group:")
	if !ok || !strings.Contains(dest, ":logs:") {
		return "", false
	}
	return strings.TrimSuffix(rest, ":*"), true
}

type obsKey struct{ group, api, stage, method, path string }

type logQueries struct {
	r       *regionReader
	byGroup map[string][]*model.Stage
	sem     chan struct{}

	mu   sync.Mutex
	obs  map[obsKey]*model.Observation
	keys []obsKey
}

// run runs job; when its answer would not fit (10,000 rows, or the query
// timed out) it splits the window, or the groups, and runs the halves.
func (lq *logQueries) run(ctx context.Context, job logJob, wg *sync.WaitGroup) {
	select {
	case lq.sem <- struct{}{}:
	case <-ctx.Done():
		return
	}
	rows, status, err := lq.query(ctx, job)
	<-lq.sem
	where := fmt.Sprintf("arn:aws:logs:%s::log-group:%s", lq.r.c.region, strings.Join(job.groups, ","))
	if err != nil {
		lq.r.a.fail(where, "logs:StartQuery and logs:GetQueryResults", err)
		return
	}
	full := status == logtypes.QueryStatusTimeout || len(rows) >= lq.r.a.o.RowLimit
	if full {
		switch {
		case job.end.Sub(job.start) >= 2*minWindow:
			mid := job.start.Add(job.end.Sub(job.start) / 2).Truncate(time.Minute)
			a, b := job, job
			// StartQuery's times are inclusive: the second half starts a
			// second later, or events of that second count twice.
			a.end, b.start = mid, mid.Add(time.Second)
			wg.Add(2)
			go func() { defer wg.Done(); lq.run(ctx, a, wg) }()
			go func() { defer wg.Done(); lq.run(ctx, b, wg) }()
			return
		case len(job.groups) > 1:
			a, b := job, job
			a.groups, b.groups = job.groups[:len(job.groups)/2], job.groups[len(job.groups)/2:]
			wg.Add(2)
			go func() { defer wg.Done(); lq.run(ctx, a, wg) }()
			go func() { defer wg.Done(); lq.run(ctx, b, wg) }()
			return
		}
		lq.r.mu.Lock()
		lq.r.b.Notef(at(where), "Logs Insights answer for %s to %s did not fit even in a %s window: counts are partial", job.start.Format(time.RFC3339), job.end.Format(time.RFC3339), minWindow)
		lq.r.mu.Unlock()
	}
	if job.add != nil {
		job.add(rows)
		return
	}
	lq.add(job, rows)
}

// query starts one Insights query and polls it to completion.
func (lq *logQueries) query(ctx context.Context, job logJob) ([][]logtypes.ResultField, logtypes.QueryStatus, error) {
	a, c := lq.r.a, lq.r.c
	var id *string
	err := a.call(ctx, "logs", func(ctx context.Context) error {
		out, err := c.logs.StartQuery(ctx, &cloudwatchlogs.StartQueryInput{
			LogGroupNames: job.groups, QueryString: aws.String(job.query),
			StartTime: aws.Int64(job.start.Unix()), EndTime: aws.Int64(job.end.Unix()), Limit: aws.Int32(int32(a.o.RowLimit))})
		if err == nil {
			id = out.QueryId
		}
		return err
	})
	if err != nil {
		return nil, "", err
	}
	for {
		var out *cloudwatchlogs.GetQueryResultsOutput
		err := a.call(ctx, "logs", func(ctx context.Context) (err error) {
			out, err = c.logs.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: id})
			return err
		})
		if err != nil {
			return nil, "", err
		}
		switch out.Status {
		case logtypes.QueryStatusComplete, logtypes.QueryStatusTimeout:
			return out.Results, out.Status, nil
		case logtypes.QueryStatusFailed, logtypes.QueryStatusCancelled:
			return nil, out.Status, fmt.Errorf("query %s", strings.ToLower(string(out.Status)))
		}
		select {
		case <-time.After(a.o.PollInterval):
		case <-ctx.Done():
			// Leave no query running in the account.
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			c.logs.StopQuery(stopCtx, &cloudwatchlogs.StopQueryInput{QueryId: id})
			cancel()
			return nil, "", ctx.Err()
		}
	}
}

// add merges rows into the observations. Counts add up across windows
// and statuses; percentiles, of requests that completed (status below
// 500), cannot be merged exactly, so the largest is kept, which errs
// towards reporting slowness.
func (lq *logQueries) add(job logJob, rows [][]logtypes.ResultField) {
	f := job.fields
	lq.mu.Lock()
	defer lq.mu.Unlock()
	for _, row := range rows {
		v := map[string]string{}
		for _, rf := range row {
			v[aws.ToString(rf.Field)] = aws.ToString(rf.Value)
		}
		group := v["@log"]
		if i := strings.IndexByte(group, ':'); i >= 0 {
			group = group[i+1:] // @log is ACCOUNT:GROUP
		}
		if group == "" && len(job.groups) == 1 {
			group = job.groups[0]
		}
		k := obsKey{group: group, api: v[f["apiId"]], stage: v[f["stage"]]}
		var apiType model.APIType
		if stages := lq.byGroup[group]; len(stages) == 1 || (k.api == "" && len(stages) > 0) {
			// A group one stage writes to says which stage without
			// logging it.
			s := stages[0]
			k.api, k.stage = cmp.Or(k.api, s.API.ID), cmp.Or(k.stage, s.Name)
			apiType = s.API.Type
		}
		template := true
		switch {
		case v[f["resourcePath"]] != "":
			k.method, k.path = v[f["httpMethod"]], v[f["resourcePath"]]
		case v[f["routeKey"]] != "":
			k.method, k.path = awsfacts.SplitRouteKey(v[f["routeKey"]])
		default:
			k.method, k.path, template = v[f["httpMethod"]], v[f["path"]], false
		}
		o := lq.obs[k]
		if o == nil {
			o = &model.Observation{APIID: k.api, Stage: k.stage, LogGroup: group, APIType: apiType, Method: k.method,
				Path: k.path, PathIsTemplate: template, Aggregated: true, Sources: []string{group}}
			lq.obs[k] = o
			lq.keys = append(lq.keys, k)
		}
		requests, status := num(v["requests"]), int(num(v[f["status"]]))
		o.Requests += requests
		switch outcome(f, v, status, apiType) {
		case awsfacts.TimedOut, awsfacts.WeakTimeout:
			// A row has no latency to settle a weak signal with: it counts,
			// and GL009 asks for a format that tells.
			o.Timeouts += requests
			o.TimeoutStatus = model.Count(o.TimeoutStatus, status, requests)
		case awsfacts.Other5xx:
			o.Other5xx += requests
		default:
			if completed := num(v["completed"]); completed > 0 {
				if o.Percentiles == nil {
					o.Percentiles = &model.Percentiles{}
				}
				p := o.Percentiles
				p.Completed += completed
				p.P50, p.P95, p.P99, p.Max = max(p.P50, num(v["p50"])), max(p.P95, num(v["p95"])), max(p.P99, num(v["p99"])), max(p.Max, num(v["max"]))
			}
		}
	}
	slices.SortFunc(lq.keys, func(a, b obsKey) int {
		return strings.Compare(a.group+"\x00"+a.api+"\x00"+a.stage+"\x00"+a.path+"\x00"+a.method, b.group+"\x00"+b.api+"\x00"+b.stage+"\x00"+b.path+"\x00"+b.method)
	})
}

// outcome judges a row's requests by awsfacts' definition: the rows are
// grouped by status and, when the format logs it, error.responseType, so
// an empty type there says API Gateway sent no error of its own. A row
// names an HTTP API's route when the stage's API is one, or by its
// routeKey.
func outcome(f logFields, v map[string]string, status int, apiType model.APIType) awsfacts.Outcome {
	// Rows carry no latency: nothing says the integration answered.
	q := awsfacts.Request{Status: status, HTTPAPI: apiType == model.HTTP || (apiType == "" && v[f["routeKey"]] != "")}
	if f.has("error.responseType") {
		q.ResponseType, q.ResponseTypeVouched = []byte(v[f["error.responseType"]]), true
	}
	return q.Outcome()
}

// num reads an Insights number ("12", "12.0", "2.9e4"); 0 when absent.
func num(s string) int64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return int64(f + 0.5)
}
