package functionlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/gatelint/gatelint/fixtures/fnloggen/gen"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/accesslog"
	"github.com/gatelint/gatelint/internal/source/functionlog"
	"github.com/gatelint/gatelint/internal/source/logs"
)

const wait = 29 * time.Second

// scan reads inputs with both kinds, as the driver does.
func scan(t *testing.T, inputs []string, named []functionlog.Named, chunk int64) ([]*model.FunctionLog, []*model.LogSource, []*model.LogSource, []finding.InputError) {
	t.Helper()
	ak, err := accesslog.NewKind("", nil)
	if err != nil {
		t.Fatal(err)
	}
	fk := functionlog.NewKind(functionlog.Options{Thresholds: []time.Duration{wait}, Named: named})
	res := logs.Scan(context.Background(), inputs, logs.Options{Kinds: []logs.Kind{fk, ak}, ChunkSize: chunk})
	fls, fsrc, ferrs := fk.Result()
	_, asrc := ak.Result()
	return fls, fsrc, asrc, append(res.Errors, ferrs...)
}

func write(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// generated is a small generated log and what a reader must find in it.
func generated(t *testing.T, o gen.Options) ([]byte, gen.Counts) {
	t.Helper()
	var buf bytes.Buffer
	o.Threshold = wait
	c, err := gen.Write(&buf, o)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), c
}

func check(t *testing.T, name string, l *model.FunctionLog, c gen.Counts) {
	t.Helper()
	o := l.Over(wait)
	got := [...]int64{l.Invocations, l.TimedOut, l.ColdStarts, o.Over, o.Succeeded, o.TimedOut, o.Cold, o.ByInit}
	want := [...]int64{c.Invocations, c.Timeouts, c.ColdStarts, c.Over, c.OverSucceeded, c.OverTimedOut, c.OverCold, c.OverByInit}
	if got != want {
		t.Errorf("%s: invocations, timed out, cold, over, over succeeded, over timed out, over cold, over by init = %v, want %v", name, got, want)
	}
	if int64(len(l.Runs)) != c.Over && !l.RunsCut {
		t.Errorf("%s: %d runs kept, want %d", name, len(l.Runs), c.Over)
	}
}

// TestShapes: one generated function log in every shape the container
// reads, attributed by NAME=PATH where the shape does not name its group.
func TestShapes(t *testing.T) {
	dir := t.TempDir()
	plain, c := generated(t, gen.Options{Size: 2 << 20, Seed: 3})
	export, ce := generated(t, gen.Options{Size: 2 << 20, Seed: 3, Export: true})
	jsonFmt, cj := generated(t, gen.Options{Size: 2 << 20, Seed: 5, JSON: true, Export: true})
	tests := []struct {
		name  string
		data  []byte
		c     gen.Counts
		shape string
		chunk int64
	}{
		{"plain.log", plain, c, "Lambda function log lines", 0},
		{"plain-chunked.log", plain, c, "Lambda function log lines", 256 << 10},
		{"plain.log.gz", gz(plain), c, "Lambda function log lines", 0},
		{"export.log", export, ce, "CloudWatch Logs export of Lambda function log lines", 0},
		{"export-chunked.log", export, ce, "CloudWatch Logs export of Lambda function log lines", 200 << 10},
		{"export.gz", gz(export), ce, "CloudWatch Logs export of Lambda function log lines", 0},
		{"json.log", jsonFmt, cj, "CloudWatch Logs export of Lambda function log (JSON format)", 0},
		{"events.json", events(t, export, ""), ce, logs.ShapeEvents, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, dir, tc.name, tc.data)
			fls, srcs, _, errs := scan(t, []string{p}, []functionlog.Named{{Name: "fn", Path: p}}, tc.chunk)
			if len(errs) > 0 || len(fls) != 1 || len(srcs) != 1 {
				t.Fatalf("errors %v, %d logs, %d sources", errs, len(fls), len(srcs))
			}
			if srcs[0].Shape != tc.shape || srcs[0].Malformed != 0 {
				t.Errorf("shape %q, %d malformed (lines %v); want %q", srcs[0].Shape, srcs[0].Malformed, srcs[0].MalformedLines, tc.shape)
			}
			if fls[0].Name != "fn" || !fls[0].Named {
				t.Errorf("named %q %v", fls[0].Name, fls[0].Named)
			}
			check(t, tc.name, fls[0], tc.c)
		})
	}
}

// events wraps export lines ("<ts> <message>") as filter-log-events
// output, or, with a group, as subscription-filter records.
func events(t *testing.T, export []byte, group string) []byte {
	t.Helper()
	type ev struct {
		Timestamp int64  `json:"timestamp"`
		Message   string `json:"message"`
	}
	var evs []ev
	for _, line := range strings.Split(strings.TrimSuffix(string(export), "\n"), "\n") {
		ts, msg, _ := strings.Cut(line, " ")
		when, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		evs = append(evs, ev{when.UnixMilli(), msg + "\n"})
	}
	var buf bytes.Buffer
	for i := 0; i < len(evs); i += 500 {
		page := evs[i:min(i+500, len(evs))]
		var doc any = map[string]any{"events": page, "searchedLogStreams": []any{}}
		if group != "" {
			doc = struct {
				MessageType string `json:"messageType"`
				LogGroup    string `json:"logGroup"`
				LogEvents   []ev   `json:"logEvents"`
			}{"DATA_MESSAGE", group, page}
		}
		b, _ := json.Marshal(doc)
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// TestEnvelopeGroup: a Firehose object names the log group, which names
// the function, whatever its first message (here an application line no
// sniffing would know).
func TestEnvelopeGroup(t *testing.T) {
	dir := t.TempDir()
	export, c := generated(t, gen.Options{Size: 1 << 20, Seed: 9, Export: true, Runtime: "python"})
	export = append([]byte("2024-06-01T00:00:00.000Z hello from the handler\n"), export...)
	p := write(t, dir, "firehose.json", events(t, export, "/aws/lambda/reports-prod-Generate-AbC123"))
	fls, srcs, _, errs := scan(t, []string{p}, nil, 0)
	if len(errs) > 0 || len(fls) != 1 {
		t.Fatalf("errors %v, %d logs", errs, len(fls))
	}
	if fls[0].Name != "reports-prod-Generate-AbC123" || fls[0].LogGroup != "/aws/lambda/reports-prod-Generate-AbC123" || fls[0].Named {
		t.Errorf("attributed to %q (group %q, named %v)", fls[0].Name, fls[0].LogGroup, fls[0].Named)
	}
	if srcs[0].Shape != logs.ShapeSubscription || srcs[0].Malformed != 0 {
		t.Errorf("shape %q, %d malformed", srcs[0].Shape, srcs[0].Malformed)
	}
	check(t, "firehose", fls[0], c)
}

// TestUnattributed: a function log that names no group, given without a
// NAME, is an input error that says how to name it.
func TestUnattributed(t *testing.T) {
	dir := t.TempDir()
	plain, _ := generated(t, gen.Options{Size: 256 << 10, Seed: 2})
	p := write(t, dir, "fn.log", plain)
	fls, _, _, errs := scan(t, []string{p}, nil, 0)
	if len(fls) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Message, "--logs FUNCTION="+p) || errs[0].File != p {
		t.Errorf("logs %d, errors %v", len(fls), errs)
	}
}

// TestMixedDirectory: access logs and function logs in one directory are
// each read by their kind, in one scan.
func TestMixedDirectory(t *testing.T) {
	dir := t.TempDir()
	export, c := generated(t, gen.Options{Size: 512 << 10, Seed: 4, Export: true})
	write(t, dir, "a-access.log", []byte(`{"httpMethod":"POST","resourcePath":"/r","status":"504","integrationLatency":"-1"}`+"\n"))
	write(t, dir, "b-fn.json", events(t, export, "/aws/lambda/fn"))
	write(t, dir, "c-fn.log.gz", gz(export))
	write(t, dir, "README.md", []byte("# not a log\n"))
	fls, fsrc, asrc, errs := scan(t, []string{dir}, []functionlog.Named{{Name: "fn", Path: filepath.Join(dir, "c-fn.log.gz")}}, 0)
	if len(errs) > 0 || len(asrc) != 1 || len(fsrc) != 2 || len(fls) != 1 {
		t.Fatalf("errors %v; %d access logs, %d function logs, %d functions", errs, len(asrc), len(fsrc), len(fls))
	}
	// Both inputs are fn's: merged.
	double := c
	for _, p := range []*int64{&double.Invocations, &double.Timeouts, &double.ColdStarts, &double.Over, &double.OverSucceeded, &double.OverTimedOut, &double.OverCold, &double.OverByInit} {
		*p *= 2
	}
	check(t, "merged", fls[0], double)
	if len(fls[0].Sources) != 2 {
		t.Errorf("sources %v", fls[0].Sources)
	}
}

// TestInsightsRows: Logs Insights results of a function's group, as a CSV
// export of @message and as get-query-results rows of REPORT fields.
func TestInsightsRows(t *testing.T) {
	dir := t.TempDir()
	csv := "@timestamp,@message\n" +
		`2026-11-20 09:16:06.405,START RequestId: 11111111-2222-4333-8444-555555555555 Version: $LATEST` + "\n" +
		`2026-11-20 09:16:38.405,END RequestId: 11111111-2222-4333-8444-555555555555` + "\n" +
		"2026-11-20 09:16:38.405,\"REPORT RequestId: 11111111-2222-4333-8444-555555555555\tDuration: 32000.10 ms\tBilled Duration: 32001 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t\"\n"
	rows := `{"results":[[{"field":"@timestamp","value":"2026-11-20 09:20:00.000"},{"field":"@type","value":"REPORT"},{"field":"@requestId","value":"aaaaaaaa-2222-4333-8444-555555555555"},{"field":"@duration","value":"31000.5"},{"field":"@billedDuration","value":"31001"},{"field":"@initDuration","value":"812.2"},{"field":"@maxMemoryUsed","value":"90000000"},{"field":"@memorySize","value":"512000000"},{"field":"@log","value":"123456789012:/aws/lambda/fn"}],` +
		`[{"field":"@timestamp","value":"2026-11-20 09:21:00.000"},{"field":"@type","value":"REPORT"},{"field":"@requestId","value":"bbbbbbbb-2222-4333-8444-555555555555"},{"field":"@duration","value":"120.5"},{"field":"@log","value":"123456789012:/aws/lambda/fn"}]],"status":"Complete"}`
	pc := write(t, dir, "insights.csv", []byte(csv))
	pr := write(t, dir, "results.json", []byte(rows))
	fls, srcs, _, errs := scan(t, []string{pc, pr}, []functionlog.Named{{Name: "fn", Path: pc}}, 0)
	if len(errs) > 0 || len(fls) != 1 {
		t.Fatalf("errors %v, %d logs", errs, len(fls))
	}
	l := fls[0]
	o := l.Over(wait)
	if l.Invocations != 3 || o.Over != 2 || o.Cold != 1 || l.ColdStarts != 1 {
		t.Errorf("invocations %d, over %+v, cold %d", l.Invocations, o, l.ColdStarts)
	}
	if srcs[0].Shape != logs.ShapeInsightsCSV || srcs[1].Shape != logs.ShapeQueryResults {
		t.Errorf("shapes %q, %q", srcs[0].Shape, srcs[1].Shape)
	}
}

// TestLongLines: a multi-megabyte application line, and one that
// continues over several lines of an export, are application output:
// neither is malformed, and the invocation around them is read.
func TestLongLines(t *testing.T) {
	dir := t.TempDir()
	id := "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
	var b strings.Builder
	fmt.Fprintf(&b, "2026-11-20T09:16:06.405Z START RequestId: %s Version: $LATEST\n", id)
	fmt.Fprintf(&b, "2026-11-20T09:16:06.500Z 2026-11-20T09:16:06.500Z\t%s\tINFO\t%s\n", id, strings.Repeat("x", 5<<20))
	fmt.Fprintf(&b, "2026-11-20T09:16:07.000Z 2026-11-20T09:16:07.000Z\t%s\tERROR\tTraceback:\n  File \"app.py\", line 3\n    raise\nValueError\n", id)
	fmt.Fprintf(&b, "2026-11-20T09:16:38.405Z END RequestId: %s\n", id)
	fmt.Fprintf(&b, "2026-11-20T09:16:38.405Z REPORT RequestId: %s\tDuration: 32000.10 ms\tBilled Duration: 32001 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t\n", id)
	p := write(t, dir, "long.log", []byte(b.String()))
	fls, srcs, _, errs := scan(t, []string{p}, []functionlog.Named{{Name: "fn", Path: p}}, 0)
	if len(errs) > 0 || len(fls) != 1 {
		t.Fatalf("errors %v, %d logs", errs, len(fls))
	}
	if srcs[0].Malformed != 0 || fls[0].Invocations != 1 || fls[0].Over(wait).Succeeded != 1 {
		t.Errorf("%d malformed (%v), %d invocations, over %+v", srcs[0].Malformed, srcs[0].MalformedLines, fls[0].Invocations, fls[0].Over(wait))
	}
	r := fls[0].Runs
	if len(r) != 1 || r[0].RequestID != id || !r[0].Start.Equal(time.Date(2026, 11, 20, 9, 16, 6, 405e6, time.UTC)) || r[0].At.Start.Line != 8 {
		t.Errorf("runs %+v", r)
	}
}
