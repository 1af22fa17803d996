package accesslog

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/gatelint/gatelint/fixtures/loggen/gen"
	"github.com/gatelint/gatelint/internal/model"
)

// seedShapes adds a small log of every generated shape to f.
func seedShapes(f *testing.F) {
	for _, shape := range gen.Shapes {
		for _, gz := range []bool{false, true} {
			var buf bytes.Buffer
			if _, err := gen.Write(&buf, gen.Options{N: 3, Shape: shape, Gzip: gz, Rate: 0.5}); err != nil {
				f.Fatal(err)
			}
			f.Add(buf.Bytes())
		}
	}
	f.Add([]byte(`{"httpMethod":"GET","resourcePath":"/r","status":504,"integrationLatency":-,"error":{"responseType":"INTEGRATION_TIMEOUT"}}{"status":"200"}`))
	f.Add([]byte("{\n  \"status\": \"504\",\n  \"routeKey\": \"GET /x\"\n}\n"))
	f.Add([]byte("| status | count(*) | pct(integrationLatency, 99) |\n| --- | --- | --- |\n| 504 | 3 | 29000 |\n"))
	f.Add([]byte("@timestamp,@message\n2026-01-01 00:00:00.000,\"{\"\"status\"\":\"\"504\"\"}\"\n"))
}

// checkSources asserts what any input's source must keep.
func checkSources(t *testing.T, srcs []*model.LogSource) {
	t.Helper()
	for _, s := range srcs {
		if s.Malformed < 0 || s.Records < 0 || len(s.MalformedLines) > 5 || int64(len(s.MalformedLines)) > s.Malformed {
			t.Fatalf("records %d malformed %d lines %v", s.Records, s.Malformed, s.MalformedLines)
		}
		for i, l := range s.MalformedLines {
			if l < 1 || (i > 0 && l < s.MalformedLines[i-1]) {
				t.Fatalf("malformed lines %v", s.MalformedLines)
			}
		}
	}
}

// checkTally asserts the invariants any piece must keep.
func checkTally(t *testing.T, tl *tally) {
	t.Helper()
	checkObservations(t, tl.eps.order)
}

func checkObservations(t *testing.T, obs []*model.Observation) {
	t.Helper()
	for _, o := range obs {
		var doubtful int64
		for _, d := range o.Doubtful {
			doubtful += d.Count
		}
		if o.Timeouts < 0 || o.Other5xx < 0 || o.Timeouts+o.Other5xx+doubtful > o.Requests || o.Latency.Count() > o.Requests {
			t.Fatalf("inconsistent counts: %+v", o)
		}
	}
}

// FuzzScan feeds arbitrary bytes (any shape, gzip or not) through
// detection and reading.
func FuzzScan(f *testing.F) {
	seedShapes(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Scan(context.Background(), []string{"-"}, Options{Stdin: bytes.NewReader(data)})
		checkSources(t, res.Sources)
		checkObservations(t, res.Observations)
	})
}

// FuzzJSONLine feeds one line to the tolerant JSON scanner, with and
// without a learned layout.
func FuzzJSONLine(f *testing.F) {
	f.Add([]byte(`{"httpMethod":"GET","resourcePath":"/r","status":"504","integrationLatency":"-1"}`))
	f.Add([]byte(`{"a":{"b":{"c":[1,{"d":"\""}]}},"error_messageString": " "timed out"", "status":-}`))
	f.Add([]byte(`{"x":"y"}{"status":"200","path":"/prod/a","stage":"prod"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		s := &jsonShape{}
		tl := newTally("fuzz", nil, nil)
		good := []byte(`{"httpMethod":"GET","resourcePath":"/r","status":"200","integrationLatency":"5"}`)
		if !s.line(tl, good, 1, 0, time.Time{}) || s.lays[0] == nil {
			t.Fatal("the layout of an ordinary line was not learned")
		}
		before := tl.records
		if s.line(tl, line, 2, 0, time.Time{}) && tl.records == before {
			t.Fatal("a line read without a record")
		}
		checkTally(t, tl)
	})
}

// FuzzFormat compiles a format string and matches a line with it.
func FuzzFormat(f *testing.F) {
	f.Add(gen.CLFFormat, `10.0.0.1 [25/Nov/2026:12:00:00 +0000] "GET /r HTTP/1.1" 504 -1 29001 INTEGRATION_TIMEOUT id`)
	f.Add(gen.CSVFormat, `10.0.0.1,25/Nov/2026:12:00:00 +0000,GET,/r,200,5,9,-,id`)
	f.Add(`{"s":"$context.status","l":$context.integrationLatency}`, `{"s":"504","l":-}`)
	f.Add(`<r><status>$context.status</status></r>`, `<r><status>504</status></r>`)
	f.Fuzz(func(t *testing.T, format, line string) {
		fs, err := newFormats(format)
		if err != nil {
			return
		}
		ls := fs.lineShapeFor([]byte(line))
		if ls == nil {
			return
		}
		tl := newTally("fuzz", nil, nil)
		ls.line(tl, []byte(line), 1, 0, time.Time{})
		checkTally(t, tl)
	})
}
