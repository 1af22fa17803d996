package lambdalog

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// want is what a test expects of a parsed record (zero fields unchecked,
// except Kind).
type want struct {
	kind                            Kind
	json                            bool
	id, version, errType, phase     string
	status                          Status
	dur, billed, init, restore, tmo float64
	mem, maxMem                     int
	time                            string
	has                             Field
}

func checkRecord(t *testing.T, name string, r *Record, w want) {
	t.Helper()
	str := func(b []byte) string { return string(b) }
	if r.Kind != w.kind || r.JSON != w.json {
		t.Fatalf("%s: kind %v json %v, want %v %v", name, r.Kind, r.JSON, w.kind, w.json)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %s = %v, want %v", name, what, got, want)
		}
	}
	check("request ID", str(r.RequestID), w.id)
	if w.version != "" {
		check("version", str(r.Version), w.version)
	}
	check("error type", str(r.ErrorType), w.errType)
	if w.phase != "" {
		check("phase", str(r.Phase), w.phase)
	}
	check("status", r.Status, w.status)
	check("duration", r.Duration, w.dur)
	check("billed", r.Billed, w.billed)
	check("init", r.Init, w.init)
	check("restore", r.Restore, w.restore)
	check("timeout after", r.TimeoutAfter, w.tmo)
	check("memory size", r.MemorySizeMB, w.mem)
	check("max memory", r.MaxMemoryUsedMB, w.maxMem)
	if w.time != "" {
		wt, _ := time.Parse(time.RFC3339Nano, w.time)
		if !r.Time.Equal(wt) {
			t.Errorf("%s: time %v, want %v", name, r.Time, wt)
		}
	}
	if r.Has&w.has != w.has {
		t.Errorf("%s: has %b, want at least %b", name, r.Has, w.has)
	}
}

// TestParseSamples reads real lines (docs/function-log-samples.md says where each
// comes from) one at a time.
func TestParseSamples(t *testing.T) {
	const all = HasDuration | HasBilled | HasMemorySize | HasMaxMemory
	tests := []struct {
		file string
		line int // 1-based message number in the file
		want want
	}{
		{"awsdocs-nodejs-logging.log", 1, want{kind: KindStart, id: "c793869b-ee49-115b-a5b6-4fd21e8dedac", version: "$LATEST"}},
		{"awsdocs-nodejs-logging.log", 2, want{}}, // Node.js INFO line
		{"awsdocs-nodejs-logging.log", 17, want{}},
		{"awsdocs-nodejs-logging.log", 18, want{kind: KindEnd, id: "c793869b-ee49-115b-a5b6-4fd21e8dedac"}},
		// XRAY fields run on after Init Duration on the same line.
		{"awsdocs-nodejs-logging.log", 19, want{kind: KindReport, id: "c793869b-ee49-115b-a5b6-4fd21e8dedac",
			dur: 128.83, billed: 200, mem: 128, maxMem: 74, init: 166.62, has: all | HasInit}},
		// get-log-events: a stray space before a tab, a trailing tab and
		// the event's newline.
		{"awsdocs-get-log-events.json", 5, want{kind: KindReport, id: "4ce9340a-b765-490f-ad8a-02ab3415e2bf",
			dur: 26.73, billed: 27, mem: 128, maxMem: 75, has: all}},
		{"awsdocs-get-log-events.json", 1, want{kind: KindStart, id: "4ce9340a-b765-490f-ad8a-02ab3415e2bf", version: "$LATEST"}},
		{"awsdocs-get-log-events.json", 4, want{kind: KindEnd, id: "4ce9340a-b765-490f-ad8a-02ab3415e2bf"}},
		{"awsdocs-get-log-events.json", 2, want{}}, // "\r" inside a Node.js line
		// Rendered with spaces for tabs, XRAY on the next line.
		{"awsdocs-python-logging.log", 7, want{kind: KindReport, id: "8f507cfc-xmpl-4697-b07a-ac58fc914c95",
			dur: 15.74, billed: 16, mem: 128, maxMem: 56, init: 130.49, has: all | HasInit}},
		{"awsdocs-python-logging.log", 8, want{kind: KindXRay}},
		{"awsdocs-python-logging.log", 10, want{}}, // [INFO] line
		{"awsdocs-lambda-tail.log", 4, want{kind: KindReport, id: "57f231fb-1730-4395-85cb-4f71bd2b87b8",
			dur: 79.67, billed: 80, mem: 128, maxMem: 73, has: all}},
		{"apex-up-663.log", 1, want{kind: KindReport, id: "fb63a8b6-599d-11e8-a437-911ac44bc0b4",
			dur: 18018.26, billed: 18000, mem: 512, maxMem: 82, has: all}},
		{"apex-up-663.log", 2, want{kind: KindTimeout, id: "fb63a8b6-599d-11e8-a437-911ac44bc0b4", status: StatusTimeout,
			tmo: 18.02, time: "2018-05-17T06:46:28.161Z", has: HasTime | HasTimeoutAfter}},
		{"aws-cloudfront-samples-30.log", 2, want{}}, // [INFO]\t line
		{"aws-cloudfront-samples-30.log", 5, want{kind: KindReport, id: "dbb585bb-3a54-4d1a-a690-54e5085c55f8",
			dur: 300099.78, billed: 300000, mem: 128, maxMem: 28, init: 170.57, has: all | HasInit}},
		{"aws-cloudfront-samples-30.log", 6, want{kind: KindTimeout, id: "dbb585bb-3a54-4d1a-a690-54e5085c55f8",
			status: StatusTimeout, tmo: 300.10, time: "2020-02-14T18:24:39.539Z"}},
		{"otel-lambda-2098.log", 1, want{kind: KindReport, id: "595492f6-5916-4b98-94e5-a1079dfab87b",
			dur: 5000, billed: 5579, mem: 3008, maxMem: 113, init: 578.07, status: StatusTimeout, has: all | HasInit | HasStatus}},
		{"contactform-api-29.log", 1, want{kind: KindReport, id: "83269395-33ee-45a8-8a99-38f67b6faf72",
			dur: 11.48, billed: 12, mem: 128, maxMem: 10, status: StatusError, errType: "Runtime.InvalidEntrypoint"}},
		{"lumigo-sar-9.log", 1, want{kind: KindReport, id: "2d7fd9b0-a17f-4482-bc6c-4b58bb47b884",
			dur: 1201.12, billed: 1300, mem: 128, maxMem: 78, init: 287.33}},
		{"elastic-apm-127.log", 1, want{kind: KindReport, id: "cc18960e-80e4-4160-bfdc-a5dae659993b",
			dur: 162.81, billed: 163, mem: 128, maxMem: 79, init: 646.33}},
		{"elb2loggly-26.log", 2, want{}}, // old Node.js error line, tab-separated
		{"elb2loggly-26.log", 3, want{}}, // indented stack frame
		{"elb2loggly-26.log", 6, want{kind: KindRuntimeExit, id: "7a111162-fe11-4eee-a5f8-0651a0691b8f", status: StatusError}},
		{"aws-lambda-cpp-30.log", 2, want{kind: KindRuntimeExit, id: "89894b68-4c17-4ea6-b6e6-91bca83ae5b1",
			status: StatusError, errType: "Runtime.ExitError"}},
		{"cargo-lambda-572.log", 3, want{kind: KindInitReport, init: 206.72, phase: "init", status: StatusError, errType: "Runtime.ExitError"}},
		{"cargo-lambda-572.log", 7, want{kind: KindInitReport, init: 1666.62, phase: "invoke", status: StatusError, errType: "Runtime.ExitError"}},
		{"cargo-lambda-572.log", 9, want{kind: KindStart, id: "123", version: "$LATEST"}},
		{"cargo-lambda-572.log", 11, want{kind: KindRuntimeExit, id: "123", status: StatusError, errType: "Runtime.ExitError"}},
		{"cargo-lambda-572.log", 13, want{}}, // a bare "Runtime.ExitError"
		{"cargo-lambda-572.log", 17, want{kind: KindReport, id: "123", dur: 1687.96, billed: 1688, mem: 128, maxMem: 16}},
		{"sst-container-runtime-error.log", 1, want{kind: KindInitReport, init: 10337.01, phase: "init", status: StatusTimeout}},
		{"sst-container-runtime-error.log", 2, want{}}, // [WARNING] with an empty request ID
		{"sst-container-runtime-error.log", 3, want{kind: KindInitReport, init: 45045.69, phase: "invoke", status: StatusError, errType: "Runtime.Unknown"}},
		{"sst-container-runtime-error.log", 5, want{kind: KindTimeout, id: "<guid>", status: StatusTimeout, tmo: 45.05,
			time: "2024-01-29T16:41:15.998Z"}},
		{"qrush-gist-2014.log", 1, want{kind: KindStart, id: "a0537bcb-712d-11e4-8c97-af075a3c0929"}},
		{"qrush-gist-2014.log", 2, want{}}, // "<ts> <id> stdout:": stamped, space-separated
		{"a-h-gist-oom.log", 6, want{}},    // Go's log timestamp
		{"a-h-gist-oom.log", 9, want{kind: KindReport, id: "16f8d3a2-26fc-11e8-bca6-73dbc61c39e7",
			dur: 24792.85, billed: 24800, mem: 128, maxMem: 129}},
		{"brianleroux-gist-deno.log", 2, want{kind: KindReport, id: "89ba7dfa-72d1-4ad7-9dac-2214d1698697",
			dur: 4.42, billed: 338, mem: 1152, maxMem: 75, init: 333.05}},
		{"elastic-apm-145.log", 11, want{kind: KindExtension}},
		{"rie-handlers-format.log", 3, want{kind: KindReport, id: "0f4dd3b3-52c4-4b6e-8f0c-3f1b1c7d2b9e",
			dur: 1501.35, billed: 1502, mem: 3008, maxMem: 3008, init: 0.41}},

		{"awsdocs-runtimes-logs-api.jsonl", 1, want{kind: KindStart, json: true, id: "6f7f0961f83442118a7af6fe80b88d56",
			time: "2020-08-20T12:31:32.123Z", has: HasTime}},
		{"awsdocs-runtimes-logs-api.jsonl", 2, want{kind: KindEnd, json: true, id: "6f7f0961f83442118a7af6fe80b88d56"}},
		{"awsdocs-runtimes-logs-api.jsonl", 3, want{kind: KindReport, json: true, id: "6f7f0961f83442118a7af6fe80b88d56",
			dur: 101.51, billed: 300, mem: 512, maxMem: 33, init: 116.67, has: all | HasInit}},
		{"awsdocs-runtimes-logs-api.jsonl", 4, want{kind: KindRuntimeExit, json: true, id: "d783b35e-a91d-4251-af17-035953428a2c", status: StatusError}},
		{"awsdocs-runtimes-logs-api.jsonl", 5, want{kind: KindExtension, json: true}},
		{"awsdocs-runtimes-logs-api.jsonl", 6, want{kind: KindRuntimeDone, json: true, id: "6f7f0961f83442118a7af6fe80b88", status: StatusSuccess}},
		{"awsdocs-runtimes-logs-api.jsonl", 7, want{kind: KindRuntimeDone, json: true, id: "6f7f0961f83442118a7af6fe80b88", status: StatusError}},
		{"awsdocs-runtimes-logs-api.jsonl", 8, want{kind: KindRuntimeDone, json: true, id: "6f7f0961f83442118a7af6fe80b88", status: StatusTimeout}},
		// A trailing comma is forgiven; a missing colon is not.
		{"awsdocs-runtimes-logs-api-typos.txt", 1, want{kind: KindExtension, json: true}},
		{"awsdocs-runtimes-logs-api-typos.txt", 2, want{}},
		{"awsdocs-telemetry-schema.txt", 1, want{kind: KindInitStart, json: true, phase: "init"}},
		{"awsdocs-telemetry-schema.txt", 2, want{kind: KindInitReport, json: true, phase: "init", dur: 125.33, init: 125.33}},
		{"awsdocs-telemetry-schema.txt", 4, want{kind: KindRuntimeDone, json: true, id: "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa",
			status: StatusSuccess, dur: 140, time: "2022-10-12T00:01:15Z"}},
		{"awsdocs-telemetry-schema.txt", 5, want{kind: KindReport, json: true, id: "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa",
			dur: 693.92, billed: 694, mem: 128, maxMem: 84, init: 397.68}},
		{"aws-lambda-extensions-85.json", 1, want{kind: KindRuntimeDone, json: true, id: "777ff55f-e84c-41f8-ae9f-53f541f01a60",
			status: StatusSuccess, dur: 78.656}},
	}
	for _, tc := range tests {
		ms := sample(t, tc.file)
		if tc.line > len(ms) {
			t.Fatalf("%s has %d messages", tc.file, len(ms))
		}
		m := ms[tc.line-1].b
		var r Record
		name := tc.file + ":" + strings.TrimSpace(string(m[:min(len(m), 40)]))
		ok := Parse(m, &r)
		if !ok {
			if tc.want.kind != KindNone {
				t.Errorf("%s: not read as a platform record", name)
			}
			continue
		}
		checkRecord(t, name, &r, tc.want)
	}
}

// TestParseLenient covers what real lines do to the layout: Windows line
// ends, blanks, missing and reordered fields, indentation, garbage.
func TestParseLenient(t *testing.T) {
	id := "8f5a0a3e-4c3e-4a58-9d0e-0d3f52a6c2b1"
	tests := []struct {
		line string
		want want
	}{
		{"REPORT RequestId: " + id + "\tDuration: 31234.56 ms\tBilled Duration: 31235 ms\tMemory Size: 1024 MB\tMax Memory Used: 80 MB\tInit Duration: 234.50 ms\tStatus: timeout\r",
			want{kind: KindReport, id: id, dur: 31234.56, billed: 31235, mem: 1024, maxMem: 80, init: 234.5, status: StatusTimeout}},
		{"REPORT   RequestId:   " + id + "  \t\t Duration:31234.56 ms \t \r\n", want{kind: KindReport, id: id, dur: 31234.56}},
		{"REPORT RequestId: " + id + "\tStatus: error\tDuration: 3.5 ms\tError Type: Runtime.OutOfMemory\t\t\t",
			want{kind: KindReport, id: id, dur: 3.5, status: StatusError, errType: "Runtime.OutOfMemory"}},
		{"REPORT RequestId: " + id, want{kind: KindReport, id: id}},
		{"REPORT RequestId: " + id + "\tDuration: abc ms\tMemory Size: -5 MB", want{kind: KindReport, id: id}},
		{"REPORT RequestId: " + id + "\tDuration: 1e3 ms", want{kind: KindReport, id: id, dur: 1000}},
		{"REPORT RequestId: " + id + "\tDuration: 474.16 ms\tRestore Duration: 474.16 ms\tBilled Restore Duration: 213 ms",
			want{kind: KindReport, id: id, dur: 474.16, restore: 474.16}},
		{"   START RequestId: " + id + " Version: 7\r", want{kind: KindStart, id: id, version: "7"}},
		{"\tEND RequestId: " + id + "\r", want{kind: KindEnd, id: id}},
		{"START RequestId: " + id + "\tVersion: $LATEST\t", want{kind: KindStart, id: id, version: "$LATEST"}},
		{"2023-03-25T13:37:11.348Z\t26c9db07-4876-4a4b-8bcd-eb1527e57765\tERROR\tInvoke Error \t{\"errorType\":\"OperationAborted\"}",
			want{kind: KindHandlerError, id: "26c9db07-4876-4a4b-8bcd-eb1527e57765", status: StatusError, time: "2023-03-25T13:37:11.348Z"}},
		{"2023-03-25T13:37:11.348Z\t26c9db07-4876-4a4b-8bcd-eb1527e57765\tINFO\tTask timed out after 3.00 seconds", want{}},
		{"2023-03-25T13:37:11.348Z " + id + " Task timed out after 3.00 seconds\r", want{kind: KindTimeout, id: id, status: StatusTimeout, tmo: 3}},
		{"2023-03-25T13:37:11.348123Z " + id + " Task timed out after 900.00 seconds", want{kind: KindTimeout, id: id, status: StatusTimeout, tmo: 900}},
		{"RequestId: " + id + " Error: Task timed out after 3.00 seconds", want{kind: KindTimeout, id: id, status: StatusTimeout, tmo: 3}},
		{"RequestId: " + id + " Error: Runtime exited with error: exit status 1", want{kind: KindRuntimeExit, id: id, status: StatusError, errType: "Runtime.ExitError"}},
		{"RequestId: " + id + " something else", want{}},
		{`{"time":"2024-01-02T03:04:05.678Z","type":"platform.start","record":{"requestId":"` + id + `","version":"$LATEST"}}` + "\r",
			want{kind: KindStart, json: true, id: id, version: "$LATEST", time: "2024-01-02T03:04:05.678Z"}},
		{`{"type":"platform.report","record":{"status":"timeout","metrics":{"durationMs":3000.8,"billedDurationMs":3000.0,"memorySizeMB":128,"maxMemoryUsedMB":70,"initDurationMs":165.2},"requestId":"` + id + `","errorType":"Sandbox.Timedout"},"time":"2024-01-02T03:04:05+02:00"}`,
			want{kind: KindReport, json: true, id: id, status: StatusTimeout, dur: 3000.8, billed: 3000, mem: 128, maxMem: 70, init: 165.2,
				errType: "Sandbox.Timedout", time: "2024-01-02T01:04:05Z"}},
		{`{ "time" : "2024-01-02T03:04:05Z" , "type" : "platform.runtimeDone" , "record" : { "requestId" : "` + id + `" , "status" : "failure" , "errorType" : "Runtime.ExitError" , "metrics" : null } }`,
			want{kind: KindRuntimeDone, json: true, id: id, status: StatusError, errType: "Runtime.ExitError"}},
		{`{"timestamp":"2024-01-02T03:04:05Z","level":"INFO","message":"platform.report is a word","requestId":"` + id + `"}`, want{}},
		{`{"time":"2024-01-02T03:04:05Z","type":"function","record":"platform.report"}`, want{}},
		{`{"time":"2024-01-02T03:04:05Z","type":"platform.report","record":{}}`, want{}}, // no request ID
		{`{"time":"2024-01-02T03:04:05Z","type":"platform.report","record":{"requestId":"` + id + `"`, want{}},
		{`{"time":"2024-01-02T03:04:05Z","type":"platform.logsDropped","record":{"droppedRecords":1}}`, want{kind: KindOther, json: true}},
		{"INIT_START Runtime Version: python:3.12.mainlinev2.v43\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:36ae", want{kind: KindInitStart}},
		{"STARTING the engine", want{}},
		{"ENDPOINT=https://x", want{}},
		{"REPORTS are ready", want{}},
		{"REPORT RequestId: ", want{}},
		{"START RequestId:" + strings.Repeat("x", 200), want{}},
		{"LOGS\tName: my-ext\tState: Subscribed\tTypes: [function]", want{kind: KindExtension}},
		{"LOGS are nice", want{}},
		{"TELEMETRY\tName: my-ext\tState: Subscribed\tTypes: [Platform, Function]", want{kind: KindExtension}},
		{"12345", want{}},
		{"{}", want{}},
		{"", want{}},
	}
	for _, tc := range tests {
		var r Record
		if !Parse([]byte(tc.line), &r) {
			if tc.want.kind != KindNone {
				t.Errorf("%q: not read as a platform record", tc.line)
			}
			continue
		}
		if tc.want.kind == KindNone {
			t.Errorf("%q: read as %v", tc.line, r.Kind)
			continue
		}
		checkRecord(t, tc.line, &r, tc.want)
	}
}

// TestParseNoAlloc: application lines cost no allocation, and neither do
// platform records.
func TestParseNoAlloc(t *testing.T) {
	lines := [][]byte{
		[]byte("2019-06-07T19:11:20.562Z\tc793869b-ee49-115b-a5b6-4fd21e8dedac\tINFO\tENVIRONMENT VARIABLES and a lot more text"),
		[]byte("[INFO]\t2020-02-14T18:19:39.441Z\tdbb585bb-3a54-4d1a-a690-54e5085c55f8\tReceived SNS event"),
		[]byte(`{"timestamp":"2024-01-02T03:04:05Z","level":"INFO","message":"hello","requestId":"x"}`),
		[]byte("REPORT RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac\tDuration: 128.83 ms\tBilled Duration: 200 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms"),
		[]byte(`{"time":"2024-01-02T03:04:05.678Z","type":"platform.report","record":{"requestId":"x","metrics":{"durationMs":3000.8,"billedDurationMs":3000},"status":"timeout","spans":[{"a":[1,2,{"b":null}]}]}}`),
		[]byte("2023-03-25T13:37:11.348Z 26c9db07-4876-4a4b-8bcd-eb1527e57765 Task timed out after 3.00 seconds"),
	}
	var r Record
	for _, l := range lines {
		if n := testing.AllocsPerRun(100, func() { Parse(l, &r) }); n != 0 {
			t.Errorf("%q: %v allocations", l[:30], n)
		}
	}
}

func TestNumber(t *testing.T) {
	for s, want := range map[string]float64{"0": 0, "31234.56": 31234.56, "1.": 1, ".5": 0.5, "-2.25": -2.25, "1e3": 1000,
		"2.5E-2": 0.025, "123456789012345678901": 123456789012345678901, "0.000001": 1e-6} {
		v, n := number([]byte(s))
		if n != len(s) || v != want {
			t.Errorf("%q: %v (%d bytes), want %v", s, v, n, want)
		}
	}
	for _, s := range []string{"", ".", "-", "e5", "abc"} {
		if _, n := number([]byte(s)); n != 0 {
			t.Errorf("%q read as a number", s)
		}
	}
}

func TestRFC3339(t *testing.T) {
	for _, s := range []string{"2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123456789Z", "2024-01-02T03:04:05.1+05:30",
		"2024-01-02T03:04:05-07:00", "2019-06-07T19:11:20.562Z"} {
		got, ok := rfc3339([]byte(s))
		want, err := time.Parse(time.RFC3339Nano, s)
		if !ok || err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v, want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"2024-01-02", "2024-13-02T03:04:05Z", "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05Zjunk", "x024-01-02T03:04:05Z"} {
		if _, ok := rfc3339([]byte(s)); ok {
			t.Errorf("%s read as a time", s)
		}
	}
	if got, ok := rfc3339([]byte("2024-01-02 03:04:05")); !ok || !got.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("space-separated: %v %v", got, ok)
	}
}

// TestParseLongLines: a multi-megabyte application line costs what its
// first bytes do; a multi-megabyte record is read in one pass.
func TestParseLongLines(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 8<<20)
	for _, l := range [][]byte{
		big,
		append([]byte("2019-06-07T19:11:20.562Z\tc793869b-ee49-115b-a5b6-4fd21e8dedac\tINFO\t"), big...),
		append([]byte(`{"timestamp":"2024-01-02T03:04:05Z","message":"`), big...),
		append(append([]byte(`{"level":"INFO","message":"`), big...), []byte(`","type":"platform.report"}`)...),
	} {
		var r Record
		start := time.Now()
		for range 1000 {
			if Parse(l, &r) {
				t.Fatalf("%q read as a platform record", l[:40])
			}
		}
		if d := time.Since(start); d > 50*time.Millisecond {
			t.Errorf("%q: 1000 parses took %v", l[:40], d)
		}
	}
	var r Record
	l := append([]byte("REPORT RequestId: abc\tDuration: 5 ms "), big...)
	if !Parse(l, &r) || string(r.RequestID) != "abc" || r.Duration != 5 {
		t.Fatalf("long REPORT: %+v", r)
	}
}

func TestSniff(t *testing.T) {
	yes := []string{
		"START RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac Version: $LATEST",
		"2019-06-07T19:11:20.562Z\tc793869b-ee49-115b-a5b6-4fd21e8dedac\tINFO\tENVIRONMENT VARIABLES",
		"[INFO]\t2020-02-14T18:19:39.441Z\tdbb585bb-3a54-4d1a-a690-54e5085c55f8\tReceived SNS event: 95df01b4-ee98-5cb9-9903-4c221d41eb5e",
		"[WARNING]\t2024-01-29T16:40:40.116Z\t\tMatplotlib created a temporary cache directory",
		`{"timestamp":"2024-01-02T03:04:05Z","level":"INFO","message":"hi","requestId":"x"}`,
		"INIT_REPORT Init Duration: 10337.01 ms\tPhase: init\tStatus: timeout",
	}
	no := []string{
		"Not Available",
		`{"requestId":"abc","ip":"1.2.3.4","httpMethod":"GET","status":"504"}`,
		`203.0.113.7 - - [01/Jan/2024:00:00:00 +0000] "GET /x HTTP/1.1" 504 12`,
		"2019-06-07T19:11:20.562Z\tnot-a-request-id-at-all-000000000000\tINFO\tx",
	}
	for _, s := range yes {
		if !Sniff([]byte(s)) {
			t.Errorf("%q: not a function log line", s)
		}
	}
	for _, s := range no {
		if Sniff([]byte(s)) {
			t.Errorf("%q: a function log line", s)
		}
	}
}
