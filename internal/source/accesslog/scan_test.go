package accesslog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/fixtures/loggen/gen"
	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/logs"
)

// generate writes a generated log to a temporary file.
func generate(t testing.TB, o gen.Options) (string, *gen.Counts) {
	t.Helper()
	var buf bytes.Buffer
	c, err := gen.Write(&buf, o)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "log")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, c
}

// byEndpoint indexes observations by "METHOD path".
func byEndpoint(t testing.TB, obs []*model.Observation) map[string]*model.Observation {
	t.Helper()
	m := map[string]*model.Observation{}
	for _, o := range obs {
		k := o.Method + " " + o.Path
		if m[k] != nil {
			t.Fatalf("endpoint %s observed twice: %+v and %+v", k, m[k], o)
		}
		m[k] = o
	}
	return m
}

// checkCounts compares what was read with what was generated.
// Aggregated rows carry no other 5xx count and no times.
func checkCounts(t *testing.T, res Result, c *gen.Counts, latencies, aggregated bool) {
	t.Helper()
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	got := byEndpoint(t, res.Observations)
	if len(got) != len(c.Requests) {
		t.Errorf("%d endpoints observed, want %d", len(got), len(c.Requests))
	}
	for ep, n := range c.Requests {
		o := got[ep.String()]
		if o == nil {
			t.Errorf("%s not observed", ep)
			continue
		}
		other5xx := c.Other5xx[ep]
		if aggregated {
			other5xx = 0
		}
		if o.Requests != n || o.Timeouts != c.Timeouts[ep] || o.Other5xx != other5xx {
			t.Errorf("%s: requests %d timeouts %d other5xx %d, want %d %d %d", ep, o.Requests, o.Timeouts, o.Other5xx, n, c.Timeouts[ep], c.Other5xx[ep])
		}
		if !o.PathIsTemplate {
			t.Errorf("%s: path not taken as a template", ep)
		}
		if latencies {
			if o.Latency.Count() != int64(len(c.Latencies[ep])) {
				t.Errorf("%s: %d latencies, want %d", ep, o.Latency.Count(), len(c.Latencies[ep]))
			}
			if want := gen.Quantile(c.Latencies[ep], 1); o.Latency.Max() != want {
				t.Errorf("%s: max latency %d, want %d", ep, o.Latency.Max(), want)
			}
		}
		if c.Timeouts[ep] > 0 && ((o.FirstTimeout.IsZero() && !aggregated) || o.FirstTimeoutAt.Start.Line == 0) {
			t.Errorf("%s: timeouts without a first time (%v) or line (%v)", ep, o.FirstTimeout, o.FirstTimeoutAt)
		}
	}
}

func TestShapes(t *testing.T) {
	tests := []struct {
		shape, format string
		gzip          bool
		want          string // LogSource.Shape
		latencies     bool
	}{
		{shape: "jsonl", want: logs.JSONLines, latencies: true},
		{shape: "jsonl", gzip: true, want: logs.JSONLines, latencies: true},
		{shape: "direct", want: logs.ShapeFirehoseDirect, latencies: true},
		{shape: "direct", gzip: true, want: logs.ShapeFirehoseDirect, latencies: true},
		{shape: "clf", format: gen.CLFFormat, want: "CLF lines (--log-format)", latencies: true},
		{shape: "csv", format: gen.CSVFormat, want: "CSV lines (--log-format)", latencies: true},
		{shape: "xml", want: ShapeXML, latencies: true},
		{shape: "cwexport", gzip: true, want: logs.ShapeCWExport + " of " + logs.JSONLines, latencies: true},
		{shape: "events", want: logs.ShapeEvents, latencies: true},
		{shape: "subscription", gzip: true, want: logs.ShapeSubscription, latencies: true},
		{shape: "subscription", want: logs.ShapeSubscription, latencies: true},
		{shape: "insights", want: logs.ShapeInsightsCSV, latencies: true},
		{shape: "insights-stats", want: logs.ShapeInsightsCSV},
		{shape: "query-results", want: logs.ShapeQueryResults, latencies: true},
		{shape: "query-results", gzip: true, want: logs.ShapeQueryResults, latencies: true},
	}
	for _, tt := range tests {
		name := tt.shape
		if tt.gzip {
			name += ".gz"
		}
		t.Run(name, func(t *testing.T) {
			p, c := generate(t, gen.Options{N: 5000, Shape: tt.shape, Gzip: tt.gzip, Seed: 7})
			var sources []*model.LogSource
			res := Scan(context.Background(), []string{p}, Options{Format: tt.format, OnSource: func(s *model.LogSource) { sources = append(sources, s) }})
			checkCounts(t, res, c, tt.latencies, tt.shape == "insights-stats")
			if len(sources) != 1 || len(res.Sources) != 1 {
				t.Fatalf("sources %v / %v, want one", sources, res.Sources)
			}
			s := res.Sources[0]
			if s.Shape != tt.want || s.Gzip != tt.gzip {
				t.Errorf("shape %q gzip %v, want %q %v", s.Shape, s.Gzip, tt.want, tt.gzip)
			}
			if s.Malformed != 0 {
				t.Errorf("%d malformed, lines %v", s.Malformed, s.MalformedLines)
			}
			if !awsfacts.CanDetectTimeouts(s.Fields) {
				t.Errorf("fields %+v cannot detect timeouts", s.Fields)
			}
			if tt.shape == "subscription" && (len(s.LogGroups) != 1 || !strings.HasPrefix(s.LogGroups[0], "API-Gateway-Access-Logs_")) {
				t.Errorf("log groups %v", s.LogGroups)
			}
			if tt.shape == "insights-stats" {
				for _, o := range res.Observations {
					if !o.Aggregated || o.Percentiles == nil || o.Percentiles.P99 == 0 {
						t.Errorf("%s %s: aggregated %v percentiles %+v", o.Method, o.Path, o.Aggregated, o.Percentiles)
					}
				}
			}
		})
	}
}
