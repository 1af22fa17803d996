package live_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/correlate"
	"github.com/gatelint/gatelint/internal/source/live"
	"github.com/gatelint/gatelint/internal/source/live/awsfake"
)

// TestFunctionInsights: with --live-logs, the log group of each function
// behind a synchronous Lambda integration is asked three queries
// (invocations and durations; "Task timed out" lines; invocations longer
// than the integration waits), and GL010 judges the answer.
func TestFunctionInsights(t *testing.T) {
	srv := fake(t, load(t))
	res := read(t, context.Background(), fast(live.Options{Logs: true, Since: 24 * time.Hour}))
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	m := res.Model
	if unjoined := correlate.Functions(m); len(unjoined) > 0 {
		t.Errorf("%d function logs not joined", len(unjoined))
	}
	var joined []string
	for _, fn := range m.Functions {
		l := fn.Log
		if l == nil {
			continue
		}
		joined = append(joined, fn.Name)
		if fn.Name != "reports-fn" {
			continue
		}
		o := l.Over(45 * time.Second)
		if l.Invocations != 197 || l.ColdStarts != 6 || l.TimedOut != 1 || o.Over != 7 || o.TimedOut != 1 || o.Succeeded != 6 || o.Cold != 2 {
			t.Errorf("reports-fn: %+v, over 45 s %+v", l, o)
		}
		if p99, ok := l.P99(); !ok || p99 != 52880*time.Millisecond {
			t.Errorf("p99 %v %v, want 52.88 s", p99, ok)
		}
	}
	if !slices.Equal(joined, []string{"reports-fn"}) {
		t.Errorf("functions with logs: %v", joined)
	}
	if !slices.Contains(summary(m), "GL010 arn:aws:lambda:us-east-1:123456789012:function:reports-fn") {
		t.Errorf("no GL010 for reports-fn:\n%s", strings.Join(summary(m), "\n"))
	}
	// The functions' groups: one stats query and one "Task timed out"
	// query for every group, one per integration wait.
	var fnQueries int
	for _, c := range srv.Calls() {
		if c == "logs.StartQuery" {
			fnQueries++
		}
	}
	if fnQueries < 3 {
		t.Errorf("%d queries", fnQueries)
	}
}

// TestFunctionInsightsJSONFormat: a function whose LoggingConfig says
// JSON is asked for its platform.report records (no REPORT lines exist
// in that format), in the log group its LoggingConfig names; a function
// in the text format beside it is asked as before.
func TestFunctionInsightsJSONFormat(t *testing.T) {
	const acct = `account: "123456789012"
regions:
  us-east-1:
    restApis:
      - id: jobsapi
        name: jobs
        endpointType: REGIONAL
        stages:
          - name: prod
        resources:
          - {id: root01, path: /}
          - id: res001
            path: /json
            methods:
              POST: {type: AWS_PROXY, uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:json-fn/invocations", timeoutInMillis: 20000}
          - id: res002
            path: /text
            methods:
              POST: {type: AWS_PROXY, uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:text-fn/invocations", timeoutInMillis: 20000}
    functions:
      - {name: json-fn, timeout: 60, logFormat: JSON, logGroup: /custom/json-fn}
      - {name: text-fn, timeout: 60, logFormat: Text}
    insights:
      - logGroup: /custom/json-fn
        time: 2026-11-25T02:00:00Z
        query: 'count(record.metrics.initDurationMs) as coldStarts'
        fields: {"@log": "123456789012:/custom/json-fn", invocations: "50", coldStarts: "2", timeouts: "1", p50: "4000", p95: "21000", p99: "30000.5", max: "60000.2"}
      - logGroup: /custom/json-fn
        time: 2026-11-25T02:00:00Z
        query: 'coalesce(record.metrics.initDurationMs, 0) > 20000'
        fields: {"@log": "123456789012:/custom/json-fn", over: "4", overTimeouts: "1", overErrors: "0", overCold: "1"}
      - logGroup: /aws/lambda/text-fn
        time: 2026-11-25T02:00:00Z
        query: 'sum(strcontains(@message, "Init Duration")) as coldStarts'
        fields: {"@log": "123456789012:/aws/lambda/text-fn", invocations: "10", coldStarts: "0", timeouts: "0", p50: "100", p95: "200", p99: "300", max: "400"}
`
	path := filepath.Join(t.TempDir(), "account.yaml")
	if err := os.WriteFile(path, []byte(acct), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := awsfake.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := fake(t, a)
	res := read(t, context.Background(), fast(live.Options{Logs: true, Since: 24 * time.Hour}))
	starts := 0
	for _, c := range srv.Calls() {
		if c == "logs.StartQuery" {
			starts++
		}
	}
	// Stats of each; "Task timed out" of the text one; over the wait of each.
	if starts != 5 {
		t.Errorf("%d queries, want 5", starts)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	if unjoined := correlate.Functions(res.Model); len(unjoined) > 0 {
		t.Errorf("%d function logs not joined", len(unjoined))
	}
	got := map[string]string{}
	for _, fn := range res.Model.Functions {
		if l := fn.Log; l != nil {
			o := l.Over(20 * time.Second)
			got[fn.Name] = fmt.Sprintf("%s %d invocations, %d cold, %d timed out; over 20 s: %d (%d timed out, %d cold)", l.LogGroup, l.Invocations, l.ColdStarts, l.TimedOut, o.Over, o.TimedOut, o.Cold)
		}
	}
	want := map[string]string{
		"json-fn": "/custom/json-fn 50 invocations, 2 cold, 1 timed out; over 20 s: 4 (1 timed out, 1 cold)",
		"text-fn": "/aws/lambda/text-fn 10 invocations, 0 cold, 0 timed out; over 20 s: 0 (0 timed out, 0 cold)",
	}
	if !maps.Equal(got, want) {
		t.Errorf("function logs:\n got %q\nwant %q", got, want)
	}
}
