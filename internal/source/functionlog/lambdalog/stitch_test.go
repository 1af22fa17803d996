package lambdalog

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// inv is what a test expects of an invocation (zero fields unchecked
// except the flags).
type invWant struct {
	id                       string
	status                   Status
	complete, timedOut, cold bool
	dur, init, billed        float64
	tmo                      float64
	errType, version         string
	line                     int
}

func checkInv(t *testing.T, name string, got Invocation, w invWant) {
	t.Helper()
	if got.Status != w.status || got.Complete() != w.complete || got.TimedOut != w.timedOut || got.ColdStart != w.cold {
		t.Errorf("%s %s: status %v complete %v timedOut %v cold %v, want %v %v %v %v", name, w.id,
			got.Status, got.Complete(), got.TimedOut, got.ColdStart, w.status, w.complete, w.timedOut, w.cold)
	}
	if w.dur != 0 && got.Duration != ms(w.dur) {
		t.Errorf("%s %s: duration %v, want %v", name, w.id, got.Duration, ms(w.dur))
	}
	if w.init != 0 && got.InitDuration != ms(w.init) {
		t.Errorf("%s %s: init %v, want %v", name, w.id, got.InitDuration, ms(w.init))
	}
	if w.billed != 0 && got.Billed != ms(w.billed) {
		t.Errorf("%s %s: billed %v, want %v", name, w.id, got.Billed, ms(w.billed))
	}
	if w.tmo != 0 && got.TimeoutAfter != time.Duration(w.tmo*float64(time.Second)) {
		t.Errorf("%s %s: timeout after %v, want %vs", name, w.id, got.TimeoutAfter, w.tmo)
	}
	if got.ErrorType != w.errType {
		t.Errorf("%s %s: error type %q, want %q", name, w.id, got.ErrorType, w.errType)
	}
	if w.version != "" && got.Version != w.version {
		t.Errorf("%s %s: version %q, want %q", name, w.id, got.Version, w.version)
	}
	if w.line != 0 && got.Line != w.line {
		t.Errorf("%s %s: line %d, want %d", name, w.id, got.Line, w.line)
	}
}

// sampleInvocations are the invocations of each real sample.
var sampleInvocations = []struct {
	file string
	want []invWant
}{
	{"awsdocs-nodejs-logging.log", []invWant{{id: "c793869b-ee49-115b-a5b6-4fd21e8dedac", status: StatusSuccess, complete: true,
		cold: true, dur: 128.83, init: 166.62, billed: 200, version: "$LATEST", line: 19}}},
	{"awsdocs-get-log-events.json", []invWant{{id: "4ce9340a-b765-490f-ad8a-02ab3415e2bf", status: StatusSuccess, complete: true,
		dur: 26.73, billed: 27, line: 5}}},
	{"awsdocs-python-logging.log", []invWant{
		{id: "8f507cfc-xmpl-4697-b07a-ac58fc914c95", status: StatusSuccess, complete: true, cold: true, dur: 15.74, init: 130.49},
		{id: "1c8df7d3-xmpl-46da-9778-518e6eca8125", status: StatusSuccess, complete: true, cold: true, dur: 2.75, init: 113.51}}},
	{"awsdocs-lambda-tail.log", []invWant{{id: "57f231fb-1730-4395-85cb-4f71bd2b87b8", status: StatusSuccess, complete: true, dur: 79.67}}},
	// REPORT, then "Task timed out" after it; no START (cut before).
	{"apex-up-663.log", []invWant{{id: "fb63a8b6-599d-11e8-a437-911ac44bc0b4", status: StatusTimeout, timedOut: true,
		dur: 18018.26, tmo: 18.02, line: 1}}},
	{"aws-cloudfront-samples-30.log", []invWant{{id: "dbb585bb-3a54-4d1a-a690-54e5085c55f8", status: StatusTimeout, complete: true,
		timedOut: true, cold: true, dur: 300099.78, init: 170.57, tmo: 300.10, line: 5}}},
	{"otel-lambda-2098.log", []invWant{{id: "595492f6-5916-4b98-94e5-a1079dfab87b", status: StatusTimeout, timedOut: true,
		cold: true, dur: 5000, init: 578.07}}},
	{"contactform-api-29.log", []invWant{{id: "83269395-33ee-45a8-8a99-38f67b6faf72", status: StatusError, dur: 11.48,
		errType: "Runtime.InvalidEntrypoint"}}},
	{"lumigo-sar-9.log", []invWant{{id: "2d7fd9b0-a17f-4482-bc6c-4b58bb47b884", status: StatusSuccess, cold: true, dur: 1201.12, init: 287.33}}},
	{"elastic-apm-127.log", []invWant{{id: "cc18960e-80e4-4160-bfdc-a5dae659993b", status: StatusSuccess, cold: true, dur: 162.81, init: 646.33}}},
	// "Process exited before completing request" after REPORT.
	{"elb2loggly-26.log", []invWant{{id: "7a111162-fe11-4eee-a5f8-0651a0691b8f", status: StatusError, complete: true, dur: 54.30, line: 5}}},
	{"aws-lambda-cpp-30.log", []invWant{{id: "89894b68-4c17-4ea6-b6e6-91bca83ae5b1", status: StatusError, dur: 1023.33,
		errType: "Runtime.ExitError"}}},
	// INIT_REPORT (init phase, then again in the invoke phase) before
	// START: a cold start whose init the REPORT does not give.
	{"cargo-lambda-572.log", []invWant{{id: "123", status: StatusError, complete: true, cold: true, dur: 1687.96, init: 206.72,
		errType: "Runtime.ExitError"}}},
	{"sst-container-runtime-error.log", []invWant{{id: "<guid>", status: StatusTimeout, complete: true, timedOut: true, cold: true,
		dur: 45054.87, init: 10337.01, tmo: 45.05}}},
	{"qrush-gist-2014.log", []invWant{{id: "a0537bcb-712d-11e4-8c97-af075a3c0929", status: StatusSuccess, complete: true, dur: 718.65}}},
	{"a-h-gist-oom.log", []invWant{{id: "16f8d3a2-26fc-11e8-bca6-73dbc61c39e7", status: StatusSuccess, complete: true, dur: 24792.85}}},
	{"brianleroux-gist-deno.log", []invWant{
		{id: "f949935c-0f0e-4718-9976-9df42585adb5", status: StatusSuccess, dur: 2.05},
		{id: "89ba7dfa-72d1-4ad7-9dac-2214d1698697", status: StatusSuccess, cold: true, dur: 4.42, init: 333.05, billed: 338}}},
	// START, then the log ends.
	{"elastic-apm-145.log", []invWant{{id: "5cea4d67-8113-4e47-b319-2c806ef09699", status: StatusUnknown, line: 1}}},
	{"rie-handlers-format.log", []invWant{{id: "0f4dd3b3-52c4-4b6e-8f0c-3f1b1c7d2b9e", status: StatusSuccess, complete: true,
		cold: true, dur: 1501.35, init: 0.41}}},
	{"awsdocs-runtimes-logs-api.jsonl", []invWant{
		{id: "6f7f0961f83442118a7af6fe80b88d56", status: StatusSuccess, complete: true, cold: true, dur: 101.51, init: 116.67, line: 3},
		{id: "d783b35e-a91d-4251-af17-035953428a2c", status: StatusError},
		// The page's three runtimeDone examples share a request ID.
		{id: "6f7f0961f83442118a7af6fe80b88", status: StatusTimeout, timedOut: true}}},
	{"awsdocs-telemetry-schema.txt", []invWant{{id: "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa", status: StatusSuccess, cold: true,
		dur: 693.92, init: 397.68}}},
	{"aws-lambda-extensions-85.json", []invWant{{id: "777ff55f-e84c-41f8-ae9f-53f541f01a60", status: StatusSuccess, dur: 78.656}}},
}

func TestStitchSamples(t *testing.T) {
	for _, tc := range sampleInvocations {
		got, _ := stitch(sample(t, tc.file), Options{})
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d invocations, want %d: %+v", tc.file, len(got), len(tc.want), got)
			continue
		}
		m := byID(got)
		for _, w := range tc.want {
			inv, ok := m[w.id]
			if !ok {
				t.Errorf("%s: no invocation %s", tc.file, w.id)
				continue
			}
			checkInv(t, tc.file, inv, w)
		}
	}
}

func TestStitchTimes(t *testing.T) {
	got, _ := stitch(sample(t, "awsdocs-get-log-events.json"), Options{})
	inv := got[0]
	if !inv.Start.Equal(time.UnixMilli(1559763003171)) || !inv.End.Equal(time.UnixMilli(1559763003218)) {
		t.Errorf("start %v end %v", inv.Start, inv.End)
	}
	if inv.Group != "/aws/lambda/my-function" || inv.Stream == "" {
		t.Errorf("group %q stream %q", inv.Group, inv.Stream)
	}
	// A REPORT without START: its start is derived from the duration.
	id := "b6e1f5a2-0c3d-4e5f-8a9b-0c1d2e3f4a5b"
	end := time.Date(2024, 1, 1, 0, 0, 30, 0, time.UTC)
	got, _ = stitch([]msg{{[]byte("REPORT RequestId: " + id + "\tDuration: 30000.00 ms"), At{When: end}}}, Options{})
	if !got[0].Start.Equal(end.Add(-30*time.Second)) || !got[0].End.Equal(end) {
		t.Errorf("derived start %v end %v", got[0].Start, got[0].End)
	}
}

// concat joins the samples' messages, renumbering lines.
func allSamples(t *testing.T) ([]msg, int) {
	var all []msg
	n := 0
	for _, tc := range sampleInvocations {
		for _, m := range sample(t, tc.file) {
			m.at.Line = len(all) + 1
			all = append(all, m)
		}
		n += len(tc.want)
	}
	return all, n
}

func summary(invs []Invocation) []string {
	var out []string
	for _, inv := range invs {
		out = append(out, fmt.Sprintf("%s %v c=%v t=%v cold=%v d=%v i=%v seen=%b e=%s", inv.RequestID, inv.Status,
			inv.Complete(), inv.TimedOut, inv.ColdStart, inv.Duration, inv.InitDuration, inv.Seen, inv.ErrorType))
	}
	slices.Sort(out)
	return out
}

// TestStitchInterleaved: the samples' streams interleaved at random (as
// filter-log-events over a log group interleaves its streams) give the
// same invocations, when each message says its stream.
func TestStitchInterleaved(t *testing.T) {
	var streams [][]msg
	for i, tc := range sampleInvocations {
		var ms []msg
		for _, m := range sample(t, tc.file) {
			m.at.Stream = fmt.Sprintf("stream-%d", i)
			ms = append(ms, m)
		}
		streams = append(streams, ms)
	}
	var sep []Invocation
	for _, s := range streams {
		got, _ := stitch(s, Options{})
		sep = append(sep, got...)
	}
	want := summary(sep)
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		pos := make([]int, len(streams))
		var mixed []msg
		for {
			var open []int
			for i := range streams {
				if pos[i] < len(streams[i]) {
					open = append(open, i)
				}
			}
			if len(open) == 0 {
				break
			}
			i := open[rng.IntN(len(open))]
			mixed = append(mixed, streams[i][pos[i]])
			pos[i]++
		}
		got, _ := stitch(mixed, Options{})
		if g := summary(got); !slices.Equal(g, want) {
			t.Fatalf("seed %d:\n got %q\nwant %q", seed, g, want)
		}
	}
}

// TestStitchTruncated cuts a log at every line: whatever is cut, every
// request ID is handed over once, as a complete invocation only when
// both its START and its REPORT remain.
func TestStitchTruncated(t *testing.T) {
	for _, file := range []string{"aws-cloudfront-samples-30.log", "awsdocs-nodejs-logging.log", "cargo-lambda-572.log",
		"awsdocs-runtimes-logs-api.jsonl", "sst-container-runtime-error.log"} {
		ms := sample(t, file)
		for from := 0; from <= len(ms); from++ {
			for to := from; to <= len(ms); to++ {
				got, s := stitch(ms[from:to], Options{})
				ids := map[string]bool{}
				for _, inv := range got {
					if ids[inv.RequestID] {
						t.Fatalf("%s [%d:%d]: %s handed over twice", file, from, to, inv.RequestID)
					}
					ids[inv.RequestID] = true
				}
				if s.InMemory() != 0 {
					t.Fatalf("%s [%d:%d]: %d left after Flush", file, from, to, s.InMemory())
				}
			}
		}
	}
}

// TestStitchWindowsAndLongLines: CRLF line ends and multi-megabyte
// application lines between the platform records change nothing.
func TestStitchWindowsAndLongLines(t *testing.T) {
	all, n := allSamples(t)
	base, _ := stitch(all, Options{})
	if len(base) != n {
		t.Fatalf("%d invocations, want %d", len(base), n)
	}
	want := summary(base)

	var crlf []msg
	for _, m := range all {
		b := bytes.ReplaceAll(m.b, []byte("\n"), []byte("\r\n"))
		crlf = append(crlf, msg{append(b, '\r'), m.at})
	}
	got, _ := stitch(crlf, Options{})
	if g := summary(got); !slices.Equal(g, want) {
		t.Errorf("CRLF:\n got %q\nwant %q", g, want)
	}

	big := []msg{
		{bytes.Repeat([]byte("a"), 3<<20), At{}},
		{append([]byte("2019-06-07T19:11:20.562Z\tc793869b-ee49-115b-a5b6-4fd21e8dedac\tINFO\t"), bytes.Repeat([]byte("{\"k\":1}"), 1<<19)...), At{}},
		{append([]byte(`{"timestamp":"2024-01-02T03:04:05Z","level":"INFO","message":"`), bytes.Repeat([]byte("platform.report "), 1<<18)...), At{}},
		{append([]byte("    at "), bytes.Repeat([]byte("REPORT RequestId: x "), 1<<17)...), At{}},
	}
	var long []msg
	for i, m := range all {
		long = append(long, m, big[i%len(big)])
	}
	got, _ = stitch(long, Options{})
	if g := summary(got); !slices.Equal(g, want) {
		t.Errorf("long lines:\n got %q\nwant %q", g, want)
	}
}

// TestStitchMergeAtEveryCut: a log read in two pieces (as the container
// reads a big file in chunks), merged, gives what it gives read whole.
func TestStitchMergeAtEveryCut(t *testing.T) {
	all, _ := allSamples(t)
	whole, _ := stitch(all, Options{})
	want := summary(whole)
	for cut := 0; cut <= len(all); cut++ {
		var got []Invocation
		on := func(inv *Invocation) { got = append(got, *inv) }
		a := NewStitcher(Options{OnInvocation: on})
		b := NewStitcher(Options{OnInvocation: on})
		for _, m := range all[:cut] {
			a.Message(m.b, m.at)
		}
		for _, m := range all[cut:] {
			at := m.at
			at.Line -= cut
			b.Message(m.b, at)
		}
		b.Shift(cut, 0)
		a.Merge(b)
		a.Flush()
		if g := summary(got); !slices.Equal(g, want) {
			t.Fatalf("cut at %d:\n got %q\nwant %q", cut, g, want)
		}
	}
}

// TestStitchMergeChunks: many chunks, merged in order; positions shifted.
func TestStitchMergeChunks(t *testing.T) {
	all, _ := allSamples(t)
	whole, _ := stitch(all, Options{})
	wantLines := map[string]int{}
	for _, inv := range whole {
		wantLines[inv.RequestID] = inv.Line
	}
	for _, size := range []int{1, 2, 3, 7} {
		var got []Invocation
		on := func(inv *Invocation) { got = append(got, *inv) }
		first := NewStitcher(Options{OnInvocation: on})
		for start := 0; start < len(all); start += size {
			s := first
			if start > 0 {
				s = NewStitcher(Options{OnInvocation: on})
			}
			for _, m := range all[start:min(start+size, len(all))] {
				at := m.at
				at.Line -= start
				s.Message(m.b, at)
			}
			if start > 0 {
				s.Shift(start, 0)
				first.Merge(s)
			}
		}
		first.Flush()
		if g, w := summary(got), summary(whole); !slices.Equal(g, w) {
			t.Fatalf("chunks of %d:\n got %q\nwant %q", size, g, w)
		}
		// Lines of invocations handed over inside a chunk are the chunk's
		// (the caller shifts them); those held until Merge are shifted.
		for _, inv := range got {
			if inv.Line < 1 || inv.Line > wantLines[inv.RequestID] {
				t.Errorf("chunks of %d: %s at line %d, want %d", size, inv.RequestID, inv.Line, wantLines[inv.RequestID])
			}
		}
	}
}

// TestStitchBounded: memory stays bounded whatever the log does.
func TestStitchBounded(t *testing.T) {
	opt := Options{MaxPending: 100, MaxLinger: 10, MaxHeld: 20, MaxStreams: 5}
	n := 0
	opt.OnInvocation = func(*Invocation) { n++ }
	s := NewStitcher(opt)
	limit := opt.MaxPending + opt.MaxLinger + opt.MaxHeld + 1
	for i := range 100_000 {
		id := fmt.Sprintf("%08x-0000-0000-0000-000000000000", i)
		var line string
		switch i % 4 {
		case 0:
			line = "START RequestId: " + id + " Version: $LATEST"
		case 1:
			line = "REPORT RequestId: " + id + "\tDuration: 1.00 ms"
		case 2:
			line = "END RequestId: " + id
		case 3:
			line = "INIT_START Runtime Version: x"
		}
		s.Message([]byte(line), At{Stream: fmt.Sprint(i % 17)})
		if s.InMemory() > limit || len(s.streams) > opt.MaxStreams {
			t.Fatalf("after %d: %d in memory, %d streams", i, s.InMemory(), len(s.streams))
		}
		if len(s.pending.items) > 3*limit+2048 || len(s.linger.items) > 3*limit+2048 || len(s.held.items) > 3*limit+2048 {
			t.Fatalf("after %d: queues %d %d %d", i, len(s.pending.items), len(s.linger.items), len(s.held.items))
		}
	}
	s.Flush()
	if n != 75_000 || s.Stats().Invocations != 75_000 || s.Stats().Evicted == 0 {
		t.Fatalf("%d handed over, stats %+v", n, s.Stats())
	}
}

// TestStitchRetry: an async retry reuses its request ID; each attempt is
// its own invocation.
func TestStitchRetry(t *testing.T) {
	id := "0b4f8a44-6c7d-4f3e-9b1a-2d3c4e5f6a7b"
	log := strings.Join([]string{
		"START RequestId: " + id + " Version: $LATEST",
		"2024-01-01T00:00:03.000Z " + id + " Task timed out after 3.00 seconds",
		"END RequestId: " + id,
		"REPORT RequestId: " + id + "\tDuration: 3000.00 ms\tStatus: timeout",
		"START RequestId: " + id + " Version: $LATEST",
		"END RequestId: " + id,
		"REPORT RequestId: " + id + "\tDuration: 10.00 ms",
	}, "\n")
	got, _ := stitch(lines([]byte(log)), Options{})
	if len(got) != 2 || got[0].Status != StatusTimeout || got[1].Status != StatusSuccess || !got[0].Complete() || !got[1].Complete() {
		t.Fatalf("%+v", summary(got))
	}
}

// TestStitchUnsortedExport: an S3 export does not promise order within a
// file: a REPORT before its START still makes one invocation.
func TestStitchUnsortedExport(t *testing.T) {
	id := "9c8b7a65-4321-4fed-8cba-9876543210fe"
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	ms := []msg{
		{[]byte("REPORT RequestId: " + id + "\tDuration: 31000.00 ms"), At{Line: 1, When: t0.Add(31 * time.Second)}},
		{[]byte("END RequestId: " + id), At{Line: 2, When: t0.Add(31 * time.Second)}},
		{[]byte("START RequestId: " + id + " Version: $LATEST"), At{Line: 3, When: t0}},
	}
	got, _ := stitch(ms, Options{})
	if len(got) != 1 || !got[0].Complete() || !got[0].Start.Equal(t0) || got[0].Line != 1 {
		t.Fatalf("%+v", got)
	}
	// Pushed out of the linger queue first: still joined.
	got, _ = stitch(ms, Options{MaxLinger: 1})
	if len(got) != 1 || !got[0].Complete() {
		t.Fatalf("MaxLinger 1: %+v", got)
	}
	var filler []msg
	for i := range 5 {
		fid := fmt.Sprintf("f%07d-0000-0000-0000-000000000000", i)
		filler = append(filler, msg{[]byte("START RequestId: " + fid), At{}}, msg{[]byte("REPORT RequestId: " + fid + "\tDuration: 1 ms"), At{}})
	}
	got, _ = stitch(append(append(ms[:1:1], filler...), ms[2]), Options{MaxLinger: 1})
	if len(got) != 6 {
		t.Fatalf("%d invocations", len(got))
	}
	for _, inv := range got {
		if !inv.Complete() {
			t.Fatalf("%+v incomplete", inv)
		}
	}
}
