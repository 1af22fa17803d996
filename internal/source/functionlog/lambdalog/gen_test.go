package lambdalog

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/gatelint/gatelint/fixtures/fnloggen/gen"
)

// feed hands the lines of b[from:to] to s as a container would: an
// export's "<ts> " prefix taken off into At.When.
func feed(s *Stitcher, b []byte, export bool, firstLine int, base int64) int {
	line := firstLine
	for off := 0; off < len(b); line++ {
		end := bytes.IndexByte(b[off:], '\n')
		if end < 0 {
			end = len(b) - off
		}
		m := b[off : off+end]
		at := At{Line: line, Offset: base + int64(off)}
		if export {
			if sp := bytes.IndexByte(m, ' '); sp > 0 {
				if t, ok := rfc3339(m[:sp]); ok {
					at.When = t
					m = m[sp+1:]
					at.Offset += int64(sp + 1)
				}
			}
		}
		s.Message(m, at)
		off += end + 1
	}
	return line
}

func checkCounts(t *testing.T, name string, a *Aggregator, c gen.Counts, threshold time.Duration) {
	t.Helper()
	fs := a.Functions()
	if len(fs) != 1 {
		t.Fatalf("%s: %d functions", name, len(fs))
	}
	f := fs[0]
	o := f.Over(threshold)
	got := gen.Counts{Invocations: f.Invocations, Complete: f.Invocations - f.Incomplete, Success: f.Success, Timeouts: f.Timeouts,
		ColdStarts: f.ColdStarts, Over: o.Over, OverSucceeded: o.OverSucceeded, OverTimedOut: o.OverTimedOut,
		OverCold: o.OverCold, OverByInit: o.OverByInit, MaxWaitCentiMs: int64(f.Waits.Max() / (10 * time.Microsecond)),
		Truncated: f.Incomplete}
	want := c
	want.Bytes, want.Lines, want.PlatformLines = 0, 0, 0
	if got != want {
		t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
	}
	if !o.Exact || f.Errors != 0 || f.Unknown != f.Incomplete {
		t.Errorf("%s: %+v, errors %d unknown %d", name, o, f.Errors, f.Unknown)
	}
}

// TestGenerated: a generated log of each kind, read whole and in chunks,
// gives exactly the counts it was written with.
func TestGenerated(t *testing.T) {
	const threshold = 29 * time.Second
	for _, o := range []gen.Options{
		{Size: 4 << 20, Seed: 1, NearRate: 0.3},
		{Size: 4 << 20, Seed: 2, Runtime: "python", Streams: 40, OverRate: 0.05, TimeoutRate: 0.02, NearRate: 0.3},
		{Size: 4 << 20, Seed: 3, JSON: true, NearRate: 0.3},
		{Size: 4 << 20, Seed: 4, Export: true, Streams: 3, NearRate: 0.3},
		{Size: 4 << 20, Seed: 5, JSON: true, Export: true, TimeoutRate: 0.05, NearRate: 0.3},
		{Size: 4 << 20, Seed: 6, Truncate: true, Streams: 16, NearRate: 0.3},
	} {
		name := fmt.Sprintf("%+v", o)
		var buf bytes.Buffer
		c, err := gen.Write(&buf, o)
		if err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		if int64(len(b)) != c.Bytes || c.Invocations < 300 || c.Over == 0 || c.Timeouts == 0 || c.OverByInit == 0 {
			t.Fatalf("%s: %d bytes, counts %+v", name, len(b), c)
		}

		a := NewAggregator(AggOptions{Thresholds: []time.Duration{threshold}})
		s := NewStitcher(Options{OnInvocation: a.Add})
		lines := feed(s, b, o.Export, 1, 0) - 1
		if !o.Truncate && s.Stats().Platform != c.PlatformLines || int64(lines) != c.Lines {
			t.Errorf("%s: %d platform records of %d lines, want %d of %d", name, s.Stats().Platform, lines, c.PlatformLines, c.Lines)
		}
		s.Flush()
		checkCounts(t, name+" whole", a, c, threshold)

		// In 7 chunks cut at newlines, merged in order.
		agg := NewAggregator(AggOptions{Thresholds: []time.Duration{threshold}})
		var first *Stitcher
		line, start := 1, 0
		for k := 1; k <= 7; k++ {
			end := len(b) * k / 7
			if k < 7 {
				end += bytes.IndexByte(b[end:], '\n') + 1
			}
			pa := NewAggregator(AggOptions{Thresholds: []time.Duration{threshold}})
			ps := NewStitcher(Options{OnInvocation: pa.Add})
			next := feed(ps, b[start:end], o.Export, 1, 0)
			ps.Shift(line-1, int64(start))
			pa.Shift(line-1, int64(start))
			if first == nil {
				first = ps
				// The first piece's invocations go to agg from now on.
				first.opt.OnInvocation = agg.Add
			} else {
				first.Merge(ps)
			}
			agg.Merge(pa)
			line += next - 1
			start = end
		}
		first.Flush()
		checkCounts(t, name+" chunks", agg, c, threshold)
		if f := agg.Functions()[0]; len(f.Longest) == 0 || f.Longest[0].Line < 1 || f.Longest[0].Line > int(c.Lines) {
			t.Errorf("%s: longest %+v", name, f.Longest)
		}
	}
}
