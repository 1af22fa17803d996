package lambdalog

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

func TestHistogramBuckets(t *testing.T) {
	prevHi := uint64(0)
	for i := 0; i < histPages*histPage; i++ {
		lo, hi := bucketBounds(i)
		if lo != prevHi || hi <= lo {
			t.Fatalf("bucket %d: [%d,%d) after %d", i, lo, hi, prevHi)
		}
		if lo >= maxUS {
			break
		}
		if b := bucketOf(lo); b != i {
			t.Fatalf("bucketOf(%d) = %d, want %d", lo, b, i)
		}
		if b := bucketOf(hi - 1); b != i {
			t.Fatalf("bucketOf(%d) = %d, want %d", hi-1, b, i)
		}
		if lo >= 1024 && float64(hi-lo)/float64(lo) > 1.0/512 {
			t.Fatalf("bucket %d too wide: [%d,%d)", i, lo, hi)
		}
		prevHi = hi
	}
	if b := bucketOf(1 << 62); b >= histPages*histPage {
		t.Fatalf("huge value in bucket %d", b)
	}
}

func TestHistogram(t *testing.T) {
	var h Histogram
	rng := rand.New(rand.NewPCG(1, 2))
	var vals []time.Duration
	for range 100_000 {
		d := time.Duration(rng.ExpFloat64() * float64(2*time.Second))
		vals = append(vals, d)
		h.Add(d)
	}
	sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		exact := vals[int(q*float64(len(vals)))-1]
		got := h.Quantile(q)
		if rel := float64(got-exact) / float64(exact); rel > 0.003 || rel < -0.003 {
			t.Errorf("p%v = %v, exact %v", q*100, got, exact)
		}
	}
	for _, x := range []time.Duration{0, time.Millisecond, 3 * time.Second, 29 * time.Second} {
		var exact int64
		for _, v := range vals {
			if v/time.Microsecond > x/time.Microsecond {
				exact++
			}
		}
		n, u := h.Above(x)
		if n > exact || n+u < exact {
			t.Errorf("above %v: %d (+%d uncertain), exact %d", x, n, u, exact)
		}
	}
	var h2 Histogram
	h2.Merge(&h)
	h2.Merge(&h)
	if h2.Count() != 2*h.Count() || h2.Quantile(0.5) != h.Quantile(0.5) || h2.Max() != h.Max() {
		t.Errorf("merged: %d %v %v", h2.Count(), h2.Quantile(0.5), h2.Max())
	}
}

func TestAggregator(t *testing.T) {
	const x = 29 * time.Second
	a := NewAggregator(AggOptions{Thresholds: []time.Duration{x}, Examples: 2})
	g := "/aws/lambda/orders"
	add := func(n int, inv Invocation) {
		inv.Group = g
		inv.Seen |= SawStart | SawReport
		for range n {
			a.Add(&inv)
		}
	}
	add(100, Invocation{Duration: 120 * time.Millisecond, Status: StatusSuccess})
	add(7, Invocation{Duration: 35 * time.Second, Status: StatusSuccess, Line: 7})        // over, finished
	add(3, Invocation{Duration: 60 * time.Second, Status: StatusTimeout, TimedOut: true}) // over, timed out
	add(2, Invocation{Duration: 31 * time.Second, Status: StatusError})
	// Cold starts: one pushed over by its init, one over by itself.
	add(1, Invocation{Duration: 28 * time.Second, InitDuration: 2 * time.Second, ColdStart: true, Status: StatusSuccess, Line: 99})
	add(1, Invocation{Duration: 30 * time.Second, InitDuration: 2 * time.Second, ColdStart: true, Status: StatusSuccess})
	add(1, Invocation{Duration: 10 * time.Millisecond, InitDuration: 300 * time.Millisecond, ColdStart: true, Status: StatusSuccess})
	// A START without REPORT counts, but has no duration.
	a.Add(&Invocation{Group: g, Seen: SawStart})

	f := a.Function(g)
	if f.Function() != "orders" || f.Invocations != 116 || f.Reported != 115 || f.Incomplete != 1 || f.Unknown != 1 ||
		f.Timeouts != 3 || f.Errors != 2 || f.Success != 110 || f.ColdStarts != 3 {
		t.Fatalf("%+v", f)
	}
	want := ThresholdCount{Threshold: x, Over: 14, OverSucceeded: 9, OverErrored: 2, OverTimedOut: 3, OverCold: 2, OverByInit: 1, Exact: true}
	got := f.Over(x)
	if len(got.Examples) != 2 || got.Examples[0].Line != 7 {
		t.Errorf("examples %+v", got.Examples)
	}
	got.Examples = nil
	if !sameCount(got, want) {
		t.Errorf("exact:\n got %+v\nwant %+v", got, want)
	}
	// Not given up front: from the histograms. 29.5 s shares no bucket
	// with any wait here, so the counts are exact too.
	got = f.Over(29500 * time.Millisecond)
	want.Threshold, want.Exact = 29500*time.Millisecond, false
	if !sameCount(got, want) {
		t.Errorf("bucketed:\n got %+v\nwant %+v", got, want)
	}
	// 30 s - 1 µs shares the 30 s wait's bucket: it is uncertain.
	got = f.Over(30*time.Second - time.Microsecond)
	if got.Over != 13 || got.Uncertain != 1 {
		t.Errorf("bucketed near 30 s: %+v", got)
	}
	got = f.Over(x)
	if got.Over != 14 {
		t.Errorf("exact again: %+v", got)
	}
	b := f.Over(20 * time.Second)
	if b.Exact || b.Over != 14 || b.OverCold != 2 || b.OverByInit != 0 {
		t.Errorf("20s: %+v", b)
	}
	if l := f.Longest; len(l) != 2 || l[0].Duration != 60*time.Second {
		t.Errorf("longest %+v", l)
	}
	if p50 := f.Durations.Quantile(0.5); p50 < 119*time.Millisecond || p50 > 121*time.Millisecond {
		t.Errorf("p50 %v", p50)
	}

	// Merge: the same log counted twice.
	b2 := NewAggregator(AggOptions{Thresholds: []time.Duration{x}, Examples: 2})
	for _, inv := range []Invocation{{Group: g, Duration: 40 * time.Second, Status: StatusSuccess, Seen: SawStart | SawReport, Line: 3}} {
		b2.Add(&inv)
	}
	b2.Shift(1000, 0)
	a.Merge(b2)
	if f := a.Function(g); f.Over(x).Over != 15 || f.Invocations != 117 || f.Over(x).Examples[1].Line != 7 {
		t.Errorf("merged: %+v", f.Over(x))
	}
	if fs := a.Functions(); len(fs) != 1 {
		t.Errorf("%d functions", len(fs))
	}
}

// TestAggregateSamples: the aggregate of every real sample, one function.
func TestAggregateSamples(t *testing.T) {
	all, n := allSamples(t)
	a := NewAggregator(AggOptions{Thresholds: []time.Duration{29 * time.Second}})
	s := NewStitcher(Options{OnInvocation: a.Add})
	for _, m := range all {
		s.Message(m.b, m.at)
	}
	s.Flush()
	var total int64
	for _, f := range a.Functions() {
		total += f.Invocations
		if f.Success+f.Errors+f.Timeouts+f.Unknown != f.Invocations {
			t.Errorf("%q: %+v", f.Group, f)
		}
	}
	if total != int64(n) {
		t.Fatalf("%d invocations, want %d", total, n)
	}
	f := a.Function("")
	// Over 29 s: cloudfront (300 s, timeout), sst (45 s + 10 s init,
	// timeout): both timed out; the 24.8 s OOM one is not over.
	if got := f.Over(29 * time.Second); got.Over != 2 || got.OverTimedOut != 2 || got.OverCold != 2 {
		t.Errorf("%+v", got)
	}
}

func sameCount(a, b ThresholdCount) bool {
	a.Examples, b.Examples = nil, nil
	return a.Threshold == b.Threshold && a.Over == b.Over && a.OverSucceeded == b.OverSucceeded &&
		a.OverErrored == b.OverErrored && a.OverTimedOut == b.OverTimedOut && a.OverUnknown == b.OverUnknown &&
		a.OverCold == b.OverCold && a.OverByInit == b.OverByInit && a.Exact == b.Exact && a.Uncertain == b.Uncertain
}
