package live_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/correlate"
	"github.com/gatelint/gatelint/internal/source/live"
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
