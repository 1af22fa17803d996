package accesslog

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/logs"
)

// scanText scans text written to a temporary file.
func scanText(t *testing.T, text string, opt Options) Result {
	t.Helper()
	p := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return Scan(context.Background(), []string{p}, opt)
}

// only returns the single observation of res.
func only(t *testing.T, res Result) *model.Observation {
	t.Helper()
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	if len(res.Observations) != 1 {
		t.Fatalf("%d observations, want 1: %+v", len(res.Observations), res.Observations)
	}
	return res.Observations[0]
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name, line                    string
		timeouts, other5xx, completed int64
		doubtful                      map[int64]int64
	}{
		{"responseType INTEGRATION_TIMEOUT",
			`{"httpMethod":"POST","resourcePath":"/r","status":"504","integrationLatency":"-","error.responseType":"INTEGRATION_TIMEOUT"}`, 1, 0, 0, nil},
		{"problem statement's -1 with 504",
			`{"httpMethod":"POST","resourcePath":"/r","status":"504","integrationLatency":"-1"}`, 1, 0, 0, nil},
		{"INTEGRATION_FAILURE 504 is not a timeout",
			`{"httpMethod":"POST","resourcePath":"/r","status":"504","integrationLatency":"-","error.responseType":"INTEGRATION_FAILURE"}`, 0, 1, 0, nil},
		{"message says timed out",
			`{"httpMethod":"POST","resourcePath":"/r","status":"504","error":{"message":"Endpoint request timed out"}}`, 1, 0, 0, nil},
		{"message names another cause",
			`{"httpMethod":"POST","resourcePath":"/r","status":"504","integrationLatency":"-","error_message":"Internal server error"}`, 0, 1, 0, nil},
		{"integration.error says timed out",
			`{"httpMethod":"POST","routeKey":"POST /r","status":"503","integration":{"error":"The request timed out","latency":"-"}}`, 1, 0, 0, nil},
		{"a 502 whose message says the function timed out is the function's failure",
			`{"httpMethod":"POST","resourcePath":"/r","status":"502","integrationLatency":"3012","integrationErrorMessage":"Task timed out after 3.00 seconds"}`, 0, 1, 1, nil},
		{"401 with - latency",
			`{"httpMethod":"GET","resourcePath":"/r","status":"401","integrationLatency":"-"}`, 0, 0, 0, nil},
		{"throttled 429",
			`{"httpMethod":"GET","resourcePath":"/r","status":"429","integrationLatency":"-","error.responseType":"THROTTLED"}`, 0, 0, 0, nil},
		{"throttled 503 on an HTTP API",
			`{"routeKey":"GET /r","status":"503","integrationLatency":"-","error.responseType":"THROTTLED"}`, 0, 1, 0, nil},
		{"503 on a WebSocket API is not a weak timeout",
			`{"routeKey":"sendMessage","status":"503","integrationLatency":"-"}`, 0, 1, 0, nil},
		{"503 on a REST API is not a weak timeout",
			`{"httpMethod":"GET","resourcePath":"/r","status":"503","integrationLatency":"-"}`, 0, 1, 0, nil},
		{"503 on an HTTP API with Service Unavailable is a weak timeout",
			`{"routeKey":"GET /r","status":"503","integration.latency":"-","error.message":"Service Unavailable"}`, 1, 0, 0, nil},
		{"weak 504 with responseLatency is doubtful",
			`{"httpMethod":"GET","resourcePath":"/r","status":"504","integrationLatency":"","responseLatency":"12"}`, 0, 0, 0, map[int64]int64{12: 1}},
		{"weak 504 with latency absent",
			`{"httpMethod":"GET","resourcePath":"/r","status":504}`, 1, 0, 0, nil},
		{"504 with a numeric latency is another 5xx",
			`{"httpMethod":"GET","resourcePath":"/r","status":"504","integrationLatency":"12"}`, 0, 1, 1, nil},
		{"502 failure", `{"httpMethod":"GET","resourcePath":"/r","status":"502","integrationLatency":"3"}`, 0, 1, 1, nil},
		{"completed", `{"httpMethod":"GET","resourcePath":"/r","status":200,"integrationLatency":45}`, 0, 0, 1, nil},
		{"unquoted dash", `{"httpMethod":"GET","resourcePath":"/r","status":504,"integrationLatency":-,"error_responseType":-}`, 1, 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := only(t, scanText(t, tt.line+"\n", Options{}))
			if o.Requests != 1 || o.Timeouts != tt.timeouts || o.Other5xx != tt.other5xx || o.Latency.Count() != tt.completed {
				t.Errorf("requests %d timeouts %d other5xx %d completed %d, want 1 %d %d %d",
					o.Requests, o.Timeouts, o.Other5xx, o.Latency.Count(), tt.timeouts, tt.other5xx, tt.completed)
			}
			got := map[int64]int64{}
			for rl, d := range o.Doubtful {
				got[rl] = d.Count
				if d.At.Start.Line != 1 {
					t.Errorf("doubt at %v, want line 1", d.At)
				}
			}
			if len(got) != len(tt.doubtful) {
				t.Errorf("doubtful %v, want %v", got, tt.doubtful)
			}
			for rl, n := range tt.doubtful {
				if got[rl] != n {
					t.Errorf("doubtful %v, want %v", got, tt.doubtful)
				}
			}
		})
	}
}

func TestEndpoint(t *testing.T) {
	tests := []struct {
		name, line, method, path string
		template                 bool
		typ                      model.APIType
	}{
		{"REST resourcePath", `{"httpMethod":"get","resourcePath":"/pets/{petId}","path":"/prod/pets/1","stage":"prod","status":"200"}`, "GET", "/pets/{petId}", true, model.REST},
		{"HTTP routeKey", `{"httpMethod":"GET","routeKey":"POST /items/{id}","path":"/items/3","status":"200"}`, "POST", "/items/{id}", true, model.HTTP},
		{"concrete path, stage stripped", `{"httpMethod":"GET","path":"/prod/items/3","stage":"prod","status":"200"}`, "GET", "/items/3", false, ""},
		{"stage root", `{"httpMethod":"GET","path":"/prod","stage":"prod","status":"200"}`, "GET", "/", false, ""},
		{"stage name only a prefix", `{"httpMethod":"GET","path":"/production/x","stage":"prod","status":"200"}`, "GET", "/production/x", false, ""},
		{"WebSocket route", `{"routeKey":"$connect","status":"200","stage":"prod"}`, "", "$connect", true, model.WebSocket},
		{"$default keeps the path", `{"httpMethod":"GET","routeKey":"$default","path":"/x","stage":"$default","status":"200"}`, "GET", "/x", false, model.HTTP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := only(t, scanText(t, tt.line+"\n", Options{}))
			if o.Method != tt.method || o.Path != tt.path || o.PathIsTemplate != tt.template || o.APIType != tt.typ {
				t.Errorf("%s %s template %v type %q, want %s %s %v %q", o.Method, o.Path, o.PathIsTemplate, o.APIType, tt.method, tt.path, tt.template, tt.typ)
			}
		})
	}
}

func TestMethodCase(t *testing.T) {
	log := `{"httpMethod":"get","resourcePath":"/r","status":"200"}` + "\n" + `{"httpMethod":"GET","resourcePath":"/r","status":"200"}` + "\n"
	if o := only(t, scanText(t, log, Options{})); o.Method != "GET" || o.Requests != 2 {
		t.Errorf("%s %d", o.Method, o.Requests)
	}
}

func TestKeyNames(t *testing.T) {
	// Every spelling of the integration latency reads the same value.
	for _, key := range []string{`"integrationLatency":"-1"`, `"integration_latency":"-1"`, `"integration.latency":"-1"`,
		`"integrationlatency":"-1"`, `"IntegrationLatency":-1`, `"integration":{"latency":"-1"}`, `"INTEGRATION_LATENCY": "-1" `} {
		t.Run(key, func(t *testing.T) {
			o := only(t, scanText(t, `{"httpMethod":"POST","resourcePath":"/r","status":"504",`+key+"}\n", Options{}))
			if o.Timeouts != 1 {
				t.Errorf("timeouts %d, want 1", o.Timeouts)
			}
		})
	}
}

func TestUserJSONFormat(t *testing.T) {
	// The format maps an owner's own key names to variables.
	format := `{"m":"$context.httpMethod","rp":"$context.resourcePath","s":"$context.status","lat":"$context.integrationLatency"}`
	log := `{"m":"POST","rp":"/r","s":"504","lat":"-1"}` + "\n" + `{"m":"POST","rp":"/r","s":"200","lat":"20"}` + "\n"
	o := only(t, scanText(t, log, Options{Format: format}))
	if o.Method != "POST" || o.Path != "/r" || o.Timeouts != 1 || o.Latency.Count() != 1 {
		t.Errorf("%+v", o)
	}
}

func TestTimes(t *testing.T) {
	log := strings.Join([]string{
		`{"httpMethod":"GET","resourcePath":"/r","status":"504","integrationLatency":"-1","requestTimeEpoch":"1747602530"}`,
		`{"httpMethod":"GET","resourcePath":"/r","status":"504","integrationLatency":"-1","requestTimeEpoch":"1747602590123"}`,
		`{"httpMethod":"GET","resourcePath":"/r","status":"504","integrationLatency":"-1","requestTime":"18/May/2025:21:07:50 +0000"}`,
	}, "\n") + "\n"
	o := only(t, scanText(t, log, Options{}))
	first := time.Date(2025, 5, 18, 21, 7, 50, 0, time.UTC)
	last := time.UnixMilli(1747602590123).UTC()
	if !o.FirstTimeout.Equal(first) || !o.LastTimeout.Equal(last) {
		t.Errorf("first %v last %v, want %v %v", o.FirstTimeout, o.LastTimeout, first, last)
	}
	if o.FirstTimeoutAt.Start.Line != 1 || o.FirstTimeoutAt.Start.Offset != 0 {
		t.Errorf("first timeout at %+v, want line 1", o.FirstTimeoutAt)
	}
	var n int64
	for _, c := range o.TimeoutsByMinute {
		n += c
	}
	if n != 3 || len(o.TimeoutsByMinute) != 3 {
		t.Errorf("by minute %v", o.TimeoutsByMinute)
	}
}

func TestMalformed(t *testing.T) {
	good := `{"httpMethod":"GET","resourcePath":"/r","status":"200","integrationLatency":"5"}`
	lines := []string{good, `{"httpMethod":"GET","resour`, "not json at all", good, `{}`, good, `{"a":1}`, "", `["x"]`, `{"status":"200"`, `{"status": "504", "integrationLatency": "-1", "httpMethod": "GET", "resourcePath": "/r"}`, "garbage"}
	res := scanText(t, strings.Join(lines, "\n")+"\n", Options{})
	o := only(t, res)
	s := res.Sources[0]
	if o.Requests != 4 || o.Timeouts != 1 {
		t.Errorf("requests %d timeouts %d, want 4 1", o.Requests, o.Timeouts)
	}
	if s.Malformed != 7 || !slices.Equal(s.MalformedLines, []int{2, 3, 5, 7, 9}) {
		t.Errorf("malformed %d at %v, want 7 at [2 3 5 7 9]", s.Malformed, s.MalformedLines)
	}
	if o.FirstTimeoutAt.Start.Line != 11 {
		t.Errorf("first timeout at line %d, want 11", o.FirstTimeoutAt.Start.Line)
	}
}

func TestLongLine(t *testing.T) {
	// A record of 5 MB (a huge user agent) between ordinary ones.
	big := `{"httpMethod":"POST","resourcePath":"/r","userAgent":"` + strings.Repeat("x", 5<<20) + `","status":"504","integrationLatency":"-1"}`
	good := `{"httpMethod":"POST","resourcePath":"/r","status":"200","integrationLatency":"7"}`
	res := scanText(t, good+"\n"+big+"\n"+good+"\n", Options{})
	o := only(t, res)
	if o.Requests != 3 || o.Timeouts != 1 || o.FirstTimeoutAt.Start.Line != 2 || res.Sources[0].Malformed != 0 {
		t.Errorf("requests %d timeouts %d at %v, malformed %d", o.Requests, o.Timeouts, o.FirstTimeoutAt, res.Sources[0].Malformed)
	}
}

func TestPercentiles(t *testing.T) {
	// 1..1000 ms and ten 29,000 ms: percentiles within the histogram's
	// 0.4 % bound of the exact nearest-rank values.
	var b strings.Builder
	for v := 1; v <= 1000; v++ {
		b.WriteString(`{"httpMethod":"GET","resourcePath":"/r","status":"200","integrationLatency":"`)
		b.WriteString(strconv.Itoa(v))
		b.WriteString("\"}\n")
	}
	for range 10 {
		b.WriteString(`{"httpMethod":"GET","resourcePath":"/r","status":"200","integrationLatency":"29000"}` + "\n")
	}
	o := only(t, scanText(t, b.String(), Options{}))
	for _, tt := range []struct {
		q    float64
		want int64
	}{{0.5, 505}, {0.95, 960}, {0.99, 1000}, {1, 29000}} {
		got := o.Latency.Quantile(tt.q)
		if d := got - tt.want; d < -tt.want/256-1 || d > tt.want/256+1 {
			t.Errorf("p%v = %d, want %d ± 0.4 %%", tt.q*100, got, tt.want)
		}
	}
	if o.Latency.Max() != 29000 || o.Latency.Count() != 1010 {
		t.Errorf("max %d count %d", o.Latency.Max(), o.Latency.Count())
	}
}

func TestCLFTime(t *testing.T) {
	for _, s := range []string{"18/May/2025:21:08:50 +0000", "01/Jan/2026:00:00:00 -0530", "29/Feb/2024:23:59:59 +1400", "31/Dec/1999:12:00:00 +0100"} {
		want, err := time.Parse("02/Jan/2006:15:04:05 -0700", s)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := clfTime([]byte(s))
		if !ok || !got.Equal(want) {
			t.Errorf("%s: %v %v, want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"18/Mai/2025:21:08:50 +0000", "18/May/2025:25:08:50 +0000", "18/May/2025:21:08:50 Z0000", "-"} {
		if _, ok := clfTime([]byte(s)); ok {
			t.Errorf("%s read as a time", s)
		}
	}
}

func TestExportPrefixes(t *testing.T) {
	// Some tools print the event's epoch milliseconds instead of ISO-8601;
	// the prefix's time stands in for a record that logs none.
	log := `1747602530123 {"httpMethod":"GET","resourcePath":"/r","status":"504","integrationLatency":"-1"}` + "\n" +
		`2025-05-18T21:09:50.000Z {"httpMethod":"GET","resourcePath":"/r","status":"504","integrationLatency":"-1"}` + "\n"
	res := scanText(t, log, Options{})
	o := only(t, res)
	if res.Sources[0].Shape != logs.ShapeCWExport+" of "+logs.JSONLines || o.Timeouts != 2 {
		t.Fatalf("shape %q timeouts %d", res.Sources[0].Shape, o.Timeouts)
	}
	if !o.FirstTimeout.Equal(time.UnixMilli(1747602530123)) || !o.LastTimeout.Equal(time.Date(2025, 5, 18, 21, 9, 50, 0, time.UTC)) {
		t.Errorf("first %v last %v", o.FirstTimeout, o.LastTimeout)
	}
	// CLF messages in an export, read with the stage's format.
	clf := `2026-11-26T00:00:00.000Z 10.0.0.1 [26/Nov/2026:00:00:00 +0000] "POST /r HTTP/1.1" 504 - 29010 INTEGRATION_TIMEOUT id1` + "\n"
	res = scanText(t, clf, Options{Format: `$context.identity.sourceIp [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.integrationLatency $context.responseLatency $context.error.responseType $context.requestId`})
	if o := only(t, res); o.Timeouts != 1 || o.Path != "/r" {
		t.Errorf("%+v", o)
	}
}

func TestByteOrderMark(t *testing.T) {
	for _, log := range []string{
		"\xef\xbb\xbf" + `{"httpMethod":"GET","resourcePath":"/r","status":"504","integrationLatency":"-1"}` + "\n",
		"\xef\xbb\xbf" + "@timestamp,httpMethod,resourcePath,status,integrationLatency\n2026-01-01 00:00:00.000,GET,/r,504,-1\n",
	} {
		res := scanText(t, log, Options{})
		if o := only(t, res); o.Timeouts != 1 || res.Sources[0].Malformed != 0 {
			t.Errorf("%q: timeouts %d malformed %d", log[3:20], o.Timeouts, res.Sources[0].Malformed)
		}
	}
}

func TestLayouts(t *testing.T) {
	// Two stages' formats interleaved: both layouts are kept.
	rest := `{"httpMethod":"POST","resourcePath":"/r","status":"504","integrationLatency":"-1"}`
	http := `{"routeKey":"GET /h","status":"200","integration.latency":"12","stage":"$default"}`
	s := &jsonShape{}
	tl := newTally("mixed", nil, nil)
	for i := range 1000 {
		line := rest
		if i%2 == 1 {
			line = http
		}
		if !s.line(tl, []byte(line), i+1, 0, time.Time{}) {
			t.Fatalf("line %d not read", i+1)
		}
	}
	if s.noLearn || s.lays[0] == nil || s.lays[1] == nil || s.lays[2] != nil {
		t.Errorf("layouts %v, learning stopped %v", s.lays, s.noLearn)
	}
	// Keys that vary from record to record: learning stops, reading goes on.
	s = &jsonShape{}
	for i := range 2 * maxLayoutMisses {
		line := `{"status":"200","k` + strconv.Itoa(i) + `":"v","routeKey":"GET /h"}`
		if !s.line(tl, []byte(line), i+1, 0, time.Time{}) {
			t.Fatalf("varying line %d not read", i+1)
		}
	}
	if !s.noLearn {
		t.Error("learning went on for records that never share a layout")
	}
	var rests, https int64
	for _, o := range tl.eps.order {
		if o.Path == "/r" {
			rests += o.Timeouts
		} else {
			https += o.Requests
		}
	}
	if rests != 500 || https != 500+2*maxLayoutMisses {
		t.Errorf("REST timeouts %d, HTTP requests %d", rests, https)
	}
}

func TestEmpty(t *testing.T) {
	res := scanText(t, "\n  \n", Options{})
	if len(res.Errors) > 0 || len(res.Sources) != 1 || res.Sources[0].Shape != logs.ShapeEmpty || len(res.Observations) != 0 {
		t.Errorf("errors %v sources %+v observations %d", res.Errors, res.Sources, len(res.Observations))
	}
}

// TestLayoutDoesNotMisreadOtherRecords: a layout learned from one record
// shares its literals with records it must not read — values quoted where
// it left them bare, more keys after its bare last value, an escaped
// quote — and each of those is parsed instead, so no timeout is lost.
func TestLayoutDoesNotMisreadOtherRecords(t *testing.T) {
	lines := []string{
		`{"httpMethod":"GET","resourcePath":"/x","status":200,"integrationLatency":5}`,
		`{"httpMethod":"POST","resourcePath":"/y","status":"504","integrationLatency":"-1"}`,
		`{"httpMethod":"GET","resourcePath":"/x","status":504,"integrationLatency":-1,"requestId":"r2"}`,
		`{"httpMethod":"GET","resourcePath":"/x","status":200,"integrationLatency":7}`,
		`{"httpMethod":"PUT","resourcePath":"/z","status":"504","errorResponseType":"INTEGRATION_TIMEOUT"}`,
		`{"httpMethod":"PUT","resourcePath":"/z","status":"504","errorResponseType":"INTEGRATION_\"TIMEOUT"}`,
	}
	res := scanText(t, strings.Join(lines, "\n")+"\n", Options{})
	got := map[string][3]int64{}
	for _, o := range res.Observations {
		got[o.Method+" "+o.Path] = [3]int64{o.Requests, o.Timeouts, o.Other5xx}
	}
	want := map[string][3]int64{"GET /x": {3, 1, 0}, "POST /y": {1, 1, 0}, "PUT /z": {2, 1, 1}}
	if len(got) != len(want) || got["GET /x"] != want["GET /x"] || got["POST /y"] != want["POST /y"] || got["PUT /z"] != want["PUT /z"] {
		t.Errorf("requests/timeouts/other 5xx per endpoint %v, want %v", got, want)
	}
}
