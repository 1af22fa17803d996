package lambdalog

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unsafe"
)

func seedSamples(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "samples", "*"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("REPORT RequestId: \t\tDuration: -1e999 ms\tInit Duration: 1e400 ms\tMemory Size: 99999999999999 MB"))
	f.Add([]byte(`{"time":"x","type":"platform.report","record":{"requestId":"a","metrics":{"durationMs":1e308,"x":[[[[{}]]]]}}}`))
	f.Add([]byte("2023-03-25T13:37:11.348Z 26c9db07-4876-4a4b-8bcd-eb1527e57765 Task timed out after -3 seconds"))
}

// within reports whether sub lies inside b's memory (or is empty).
func within(sub, b []byte) bool {
	if len(sub) == 0 {
		return true
	}
	if len(b) == 0 {
		return false
	}
	s, e := uintptr(unsafe.Pointer(&sub[0])), uintptr(unsafe.Pointer(&b[0]))
	return s >= e && s+uintptr(len(sub)) <= e+uintptr(len(b))
}

// FuzzParse: any bytes, one message: no panic; what a record holds comes
// from the message (or the package's constants); numbers are sane.
func FuzzParse(f *testing.F) {
	seedSamples(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, m := range bytes.Split(b, []byte("\n")) {
			var r Record
			sniffed := Sniff(m)
			if !Parse(m, &r) {
				continue
			}
			if !sniffed {
				t.Fatalf("%q: a platform record not sniffed", m)
			}
			if r.Kind == KindNone || r.Kind > KindOther {
				t.Fatalf("%q: kind %v", m, r.Kind)
			}
			for _, s := range [][]byte{r.RequestID, r.Version, r.StatusText, r.Phase} {
				if !within(s, m) {
					t.Fatalf("%q: field %q not from the message", m, s)
				}
			}
			if !within(r.ErrorType, m) && !bytes.Equal(r.ErrorType, runtimeExitError) {
				t.Fatalf("%q: error type %q", m, r.ErrorType)
			}
			if len(r.RequestID) > maxIDLen {
				t.Fatalf("%q: request ID of %d bytes", m, len(r.RequestID))
			}
			for _, v := range []float64{r.Duration, r.Billed, r.Init, r.Restore, r.TimeoutAfter} {
				if v < 0 || v != v {
					t.Fatalf("%q: value %v", m, v)
				}
			}
			if r.MemorySizeMB < 0 || r.MaxMemoryUsedMB < 0 {
				t.Fatalf("%q: memory %d %d", m, r.MemorySizeMB, r.MaxMemoryUsedMB)
			}
		}
	})
}

// FuzzStitch: any bytes as a log, with small limits, read whole and in
// two merged pieces: no panic, memory within the limits after every
// message, nothing left after Flush, each invocation handed over once per
// record that could start one.
func FuzzStitch(f *testing.F) {
	seedSamples(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		opt := Options{MaxPending: 4, MaxLinger: 3, MaxHeld: 2, MaxStreams: 2}
		limit := opt.MaxPending + opt.MaxLinger + opt.MaxHeld + 1
		ms := lines(b)
		var platform int64
		var handed int64
		check := func(inv *Invocation) {
			handed++
			if inv.Status > StatusTimeout || inv.Duration < 0 || inv.InitDuration < 0 || inv.Wait() < inv.Duration {
				t.Fatalf("invocation %+v", inv)
			}
			if inv.TimedOut != (inv.Status == StatusTimeout) {
				t.Fatalf("timed out %v, status %v", inv.TimedOut, inv.Status)
			}
		}
		agg := NewAggregator(AggOptions{Thresholds: []time.Duration{29 * time.Second}})
		on := func(inv *Invocation) { check(inv); agg.Add(inv) }
		opt.OnInvocation = on
		whole := NewStitcher(opt)
		for i, m := range ms {
			m.at.Stream = string(rune('a' + i%3))
			whole.Message(m.b, m.at)
			if whole.InMemory() > limit {
				t.Fatalf("%d invocations in memory", whole.InMemory())
			}
		}
		platform = whole.Stats().Platform
		whole.Flush()
		if whole.InMemory() != 0 {
			t.Fatalf("%d left after Flush", whole.InMemory())
		}
		if handed > platform {
			t.Fatalf("%d invocations from %d platform records", handed, platform)
		}
		wholeN := handed

		handed = 0
		cut := len(ms) / 2
		a, c := NewStitcher(opt), NewStitcher(opt)
		for i, m := range ms {
			m.at.Stream = string(rune('a' + i%3))
			if i < cut {
				a.Message(m.b, m.at)
			} else {
				c.Message(m.b, m.at)
			}
		}
		a.Merge(c)
		if a.InMemory() > limit || c.InMemory() != 0 {
			t.Fatalf("after Merge: %d and %d in memory", a.InMemory(), c.InMemory())
		}
		a.Flush()
		if handed > platform || a.Stats().Platform != platform {
			t.Fatalf("pieces: %d invocations from %d platform records (whole: %d)", handed, platform, wholeN)
		}
		for _, fs := range agg.Functions() {
			if fs.Success+fs.Errors+fs.Timeouts+fs.Unknown != fs.Invocations || fs.Reported > fs.Invocations {
				t.Fatalf("%+v", fs)
			}
		}
	})
}
