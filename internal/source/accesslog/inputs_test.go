package accesslog

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/fixtures/loggen/gen"
	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/schemacheck"
	"github.com/gatelint/gatelint/internal/source/logs"
)

func TestSamples(t *testing.T) {
	dir := schemacheck.Shared(t, "reference", "logsamples")
	tests := []struct {
		file, shape                        string
		records, malformed, timeouts, reqs int64
		endpoint                           string // "METHOD path" of the first observation
		canDetect                          bool
		// err, when set, is the start of the input error the file must
		// give instead of a source.
		err string
	}{
		{"elastic-integrations_apigateway-rest.jsonl", logs.JSONLines, 5, 0, 0, 5, "GET /", false, ""},
		{"elastic-integrations_apigateway-http.jsonl", logs.JSONLines, 5, 0, 0, 5, "GET /", false, ""},
		// Pretty-printed: one record over 50 lines; requestTimeEpoch in seconds.
		{"codeindex-7978428075_httpapi-401.json", logs.JSONLines, 1, 0, 0, 1, "GET /api/v1/users/me", true, ""},
		// The line is cut short in the issue it was copied from.
		// Nothing in it reads as a record, which is an error, not "no findings".
		{"azul-issue6284_rest-504-timeout_TRUNCATED.txt", "", 0, 0, 0, 0, "", false, "no line reads as an access log record (1 malformed, read as JSON lines)"},
		// Not a log at all: an HTTP response pasted from curl.
		{"cortex-issue1225_httpapi-timeout-response.txt", "", 0, 0, 0, 0, "", false, "no line reads as an access log record"},
		{"azul-issue7824_insights-504-rows.md", logs.ShapeInsightsTable, 2, 0, 2, 2, "GET /index/bundles", true, ""},
		// Grouped by responseType alone: no endpoint, counted as such.
		{"azul-issue7470_insights-stats-by-responseType.md", logs.ShapeInsightsTable, 13, 0, 0, 469757, " " + model.PathNotLogged, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := Scan(context.Background(), []string{filepath.Join(dir, tt.file)}, Options{})
			if tt.err != "" {
				if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Message, tt.err) || res.Errors[0].Line != 1 || len(res.Sources) != 0 {
					t.Fatalf("errors %v, sources %v; want one error at line 1 starting %q", res.Errors, res.Sources, tt.err)
				}
				return
			}
			if len(res.Errors) > 0 || len(res.Sources) != 1 {
				t.Fatalf("errors %v, sources %v", res.Errors, res.Sources)
			}
			s := res.Sources[0]
			if s.Shape != tt.shape || s.Records != tt.records || s.Malformed != tt.malformed {
				t.Errorf("shape %q records %d malformed %d, want %q %d %d", s.Shape, s.Records, s.Malformed, tt.shape, tt.records, tt.malformed)
			}
			if awsfacts.CanDetectTimeouts(s.Fields) != tt.canDetect {
				t.Errorf("fields %+v: can detect timeouts %v, want %v", s.Fields, awsfacts.CanDetectTimeouts(s.Fields), tt.canDetect)
			}
			var timeouts, reqs int64
			for _, o := range res.Observations {
				timeouts += o.Timeouts
				reqs += o.Requests
			}
			if timeouts != tt.timeouts || reqs != tt.reqs {
				t.Errorf("timeouts %d requests %d, want %d %d", timeouts, reqs, tt.timeouts, tt.reqs)
			}
			if tt.endpoint != "" {
				var eps []string
				for _, o := range res.Observations {
					eps = append(eps, o.Method+" "+o.Path)
				}
				if len(eps) == 0 || !slices.Contains(eps, tt.endpoint) {
					t.Errorf("endpoints %q, want %q among them", eps, tt.endpoint)
				}
			}
		})
	}
}

func TestInsightsTimes(t *testing.T) {
	dir := schemacheck.Shared(t, "reference", "logsamples")
	res := Scan(context.Background(), []string{filepath.Join(dir, "azul-issue7824_insights-504-rows.md")}, Options{})
	o := only(t, res)
	if o.FirstTimeout.Format("15:04:05.000") != "14:31:39.722" || o.LastTimeout.Format("15:04:05.000") != "14:32:11.030" || o.FirstTimeoutAt.Start.Line != 3 {
		t.Errorf("first %v last %v at %v", o.FirstTimeout, o.LastTimeout, o.FirstTimeoutAt)
	}
}

func TestExampleFormats(t *testing.T) {
	// AWS's example formats carry no latency or error: records are read,
	// and the source says timeouts cannot be told from them.
	tests := []struct{ name, line, shape, endpoint string }{
		{"REST CLF", `192.0.2.1 - - [26/Nov/2026:00:00:01 +0000] "GET /pets/{petId} HTTP/1.1" 504 36 c5a56ba0-fd42-4425-b7d2-5e8836563270 IWeTChtboAMEVUQ=`, "CLF lines", "GET /pets/{petId}"},
		{"HTTP CLF", `192.0.2.1 - - [26/Nov/2026:00:00:01 +0000] "GET GET /pets/{id} HTTP/1.1" 200 36 IWeTChtboAMEVUQ=`, "CLF lines", "GET /pets/{id}"},
		{"REST CSV", `192.0.2.1,-,-,26/Nov/2026:00:00:01 +0000,GET,/pets,HTTP/1.1,200,36,c5a56ba0-fd42-4425-b7d2-5e8836563270,IWeTChtboAMEVUQ=`, "CSV lines", "GET /pets"},
		{"HTTP CSV", `192.0.2.1,26/Nov/2026:00:00:01 +0000,POST,POST /items,HTTP/1.1,201,36,IWeTChtboAMEVUQ=`, "CSV lines", "POST /items"},
		{"XML", `<request id="c5a56ba0"> <ip>192.0.2.1</ip> <caller>-</caller> <user>-</user> <requestTime>26/Nov/2026:00:00:01 +0000</requestTime> <httpMethod>GET</httpMethod> <resourcePath>/pets</resourcePath> <status>200</status> <protocol>HTTP/1.1</protocol> <responseLength>36</responseLength> </request>`, ShapeXML, "GET /pets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := scanText(t, tt.line+"\n", Options{})
			o := only(t, res)
			s := res.Sources[0]
			if s.Shape != tt.shape || o.Method+" "+o.Path != tt.endpoint || s.Records != 1 {
				t.Errorf("shape %q endpoint %s %s records %d, want %q %s", s.Shape, o.Method, o.Path, s.Records, tt.shape, tt.endpoint)
			}
			if awsfacts.CanDetectTimeouts(s.Fields) || !s.Fields.Status {
				t.Errorf("fields %+v", s.Fields)
			}
		})
	}
}

func TestUnknownFormat(t *testing.T) {
	for name, text := range map[string]string{
		"prose": "hello world\nthis is not a log\n",
		// A CSV of the owner's own layout fits AWS's example HTTP CSV
		// format field by field, with every value in the wrong place:
		// asked for its format rather than misread.
		"another CSV layout": "10.0.182.85,25/Nov/2026:12:00:00 +0000,POST,/api/reports/generate,504,-1,29008,INTEGRATION_TIMEOUT,ee4200f3\n",
	} {
		res := scanText(t, text, Options{})
		if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "--log-format") || len(res.Sources) != 0 {
			t.Errorf("%s: errors %v sources %v", name, res.Errors, res.Sources)
		}
	}
	// Given its format, the same line reads right.
	res := scanText(t, "10.0.182.85,25/Nov/2026:12:00:00 +0000,POST,/api/reports/generate,504,-1,29008,INTEGRATION_TIMEOUT,ee4200f3\n",
		Options{Format: "$context.identity.sourceIp,$context.requestTime,$context.httpMethod,$context.resourcePath,$context.status,$context.integrationLatency,$context.responseLatency,$context.error.responseType,$context.requestId"})
	if o := only(t, res); o.Method != "POST" || o.Path != "/api/reports/generate" || o.Timeouts != 1 {
		t.Errorf("with --log-format: %+v", o)
	}
}

func TestBadFormatFlag(t *testing.T) {
	res := scanText(t, `{"httpMethod":"GET","resourcePath":"/r","status":"200"}`+"\n", Options{Format: "no variables here"})
	if len(res.Errors) != 1 || res.Errors[0].File != "--log-format" || len(res.Observations) != 1 {
		t.Errorf("errors %v observations %d", res.Errors, len(res.Observations))
	}
}

func TestInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, o gen.Options) *gen.Counts {
		var buf bytes.Buffer
		c, err := gen.Write(&buf, o)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Names say nothing: a gzip file called .log, a plain one called .gz.
	write("a/one.log", gen.Options{N: 300, Seed: 1, Gzip: true})
	write("a/two.gz", gen.Options{N: 200, Seed: 2})
	write("a/.hidden", gen.Options{N: 50, Seed: 3})
	write("b/x.json", gen.Options{N: 100, Seed: 4, Shape: "events"})
	// Found in a directory, files that are no log are skipped, not errors.
	for name, content := range map[string]string{"a/README.md": "# Our logs\nCopied from S3 on Monday.\n", "a/notes.txt": "hello\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var skipped []string
	var stdin bytes.Buffer
	if _, err := gen.Write(&stdin, gen.Options{N: 70, Seed: 5, Shape: "cwexport", Gzip: true}); err != nil {
		t.Fatal(err)
	}
	res := Scan(context.Background(), []string{filepath.Join(dir, "a"), filepath.Join(dir, "b", "*.json"), "-", filepath.Join(dir, "missing")},
		Options{Stdin: &stdin, OnSkip: func(p, _ string) { skipped = append(skipped, filepath.Base(p)) }})
	if !reflect.DeepEqual(skipped, []string{"README.md", "notes.txt"}) {
		t.Errorf("skipped %v, want README.md and notes.txt", skipped)
	}
	var files []string
	var records int64
	for _, s := range res.Sources {
		files = append(files, filepath.Base(s.File))
		records += s.Records
	}
	if !reflect.DeepEqual(files, []string{"one.log", "two.gz", "x.json", "-"}) || records != 670 {
		t.Errorf("files %v records %d, want one.log two.gz x.json - and 670", files, records)
	}
	if len(res.Errors) != 1 || !strings.HasSuffix(res.Errors[0].File, "missing") {
		t.Errorf("errors %v", res.Errors)
	}
	if !res.Sources[0].Gzip || res.Sources[1].Gzip || !res.Sources[3].Gzip {
		t.Errorf("gzip flags wrong: %+v", res.Sources)
	}
	var reqs int64
	for _, o := range res.Observations {
		reqs += o.Requests
		if len(o.Sources) != 4 {
			t.Errorf("%s %s: sources %v", o.Method, o.Path, o.Sources)
		}
	}
	if reqs != 670 {
		t.Errorf("%d requests, want 670", reqs)
	}
}

func TestGzipMultiMemberAndTruncated(t *testing.T) {
	line := `{"httpMethod":"GET","resourcePath":"/r","status":"504","integrationLatency":"-1"}` + "\n"
	var buf bytes.Buffer
	for range 3 {
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(line + line))
		zw.Close()
	}
	p := filepath.Join(t.TempDir(), "f")
	os.WriteFile(p, buf.Bytes(), 0o644)
	o := only(t, Scan(context.Background(), []string{p}, Options{}))
	if o.Timeouts != 6 {
		t.Errorf("%d timeouts, want 6 over three members", o.Timeouts)
	}
	// Cut inside the last member: the records before the cut count, and
	// the file is reported.
	os.WriteFile(p, buf.Bytes()[:buf.Len()-12], 0o644)
	res := Scan(context.Background(), []string{p}, Options{})
	if len(res.Errors) != 1 || res.Errors[0].File != p || len(res.Observations) != 1 || res.Observations[0].Timeouts < 4 {
		t.Errorf("errors %v observations %+v", res.Errors, res.Observations)
	}
}

// TestChunks splits files into many chunks and checks the merge gives
// exactly what one pass gives, line numbers included.
func TestChunks(t *testing.T) {
	for _, tt := range []struct{ shape, format string }{{"jsonl", ""}, {"cwexport", ""}, {"clf", gen.CLFFormat}} {
		t.Run(tt.shape, func(t *testing.T) {
			p, c := generate(t, gen.Options{N: 20000, Seed: 9, Shape: tt.shape})
			whole := Scan(context.Background(), []string{p}, Options{Format: tt.format})
			split := Scan(context.Background(), []string{p}, Options{Format: tt.format, ChunkSize: 64 << 10})
			checkCounts(t, split, c, true, false)
			if a, b := summary(whole.Observations), summary(split.Observations); a != b {
				t.Errorf("one pass:\n%s\nchunks:\n%s", a, b)
			}
			if !reflect.DeepEqual(whole.Sources, split.Sources) {
				t.Errorf("sources differ: %+v vs %+v", whole.Sources[0], split.Sources[0])
			}
		})
	}
}

// summary renders what a report would draw from observations.
func summary(obs []*model.Observation) string {
	var b strings.Builder
	for _, o := range obs {
		fmt.Fprintf(&b, "%s %s %s %s: %d req %d to %d 5xx, latency n=%d p50=%d p99=%d max=%d, timeouts %v..%v first at %v, by minute %v",
			o.APIID, o.Stage, o.Method, o.Path, o.Requests, o.Timeouts, o.Other5xx, o.Latency.Count(), o.Latency.Quantile(0.5),
			o.Latency.Quantile(0.99), o.Latency.Max(), o.FirstTimeout, o.LastTimeout, o.FirstTimeoutAt, o.TimeoutsByMinute)
		for rl, d := range o.Doubtful {
			fmt.Fprintf(&b, " doubt %d: %d %v..%v at %v", rl, d.Count, d.First, d.Last, d.At)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestRunTogether reads a Firehose-direct object: records back to back
// with no newline at all, far longer than a read block (the container's
// test checks it is read in a block's memory).
func TestRunTogether(t *testing.T) {
	var buf bytes.Buffer
	c, err := gen.Write(&buf, gen.Options{N: 40000, Shape: "direct", Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if bytes.IndexByte(data, '\n') >= 0 || len(data) < 8<<20 {
		t.Fatalf("fixture: %d bytes, newline at %d", len(data), bytes.IndexByte(data, '\n'))
	}
	res := Scan(context.Background(), []string{"-"}, Options{Stdin: bytes.NewReader(data)})
	if len(res.Sources) != 1 || res.Sources[0].Shape != logs.ShapeFirehoseDirect {
		t.Fatalf("sources %+v, errors %v", res.Sources, res.Errors)
	}
	src := res.Sources[0]
	var timeouts int64
	for _, o := range res.Observations {
		timeouts += o.Timeouts
		if o.Timeouts > 0 {
			at := o.FirstTimeoutAt.Start
			if at.Line != 1 || !bytes.HasPrefix(data[at.Offset:], []byte(`{"requestId"`)) || !bytes.Contains(data[at.Offset:at.Offset+400], []byte(`"integrationLatency":"-1"`)) {
				t.Errorf("first timeout at %+v: %.80s", at, data[at.Offset:])
			}
		}
	}
	var want int64
	for _, n := range c.Timeouts {
		want += n
	}
	if src.Records != 40000 || timeouts != want || src.Malformed != 0 {
		t.Errorf("records %d timeouts %d (want %d) malformed %d", src.Records, timeouts, want, src.Malformed)
	}
}

// TestInsightsRowsAreRecords: a stats row split into its timeouts and the
// rest is still one record of the file.
func TestInsightsRowsAreRecords(t *testing.T) {
	var buf bytes.Buffer
	if _, err := gen.Write(&buf, gen.Options{N: 500, Seed: 7, Shape: "insights-stats"}); err != nil {
		t.Fatal(err)
	}
	rows := int64(strings.Count(strings.TrimSpace(buf.String()), "\n")) // the header is not a row
	res := scanText(t, buf.String(), Options{})
	if len(res.Sources) != 1 || res.Sources[0].Records != rows {
		t.Fatalf("records %+v, want %d rows", res.Sources, rows)
	}
}
