package latency

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestIndexBounds(t *testing.T) {
	// Every value lands in a bucket whose bounds hold it, and buckets are
	// contiguous and ordered.
	prevHi := int64(-1)
	for i := 0; i < index(1<<24); i++ {
		lo, hi := bounds(i)
		if lo != prevHi+1 {
			t.Fatalf("bucket %d starts at %d, previous ended at %d", i, lo, prevHi)
		}
		if index(lo) != i || index(hi) != i {
			t.Fatalf("bucket %d [%d,%d]: index(lo)=%d index(hi)=%d", i, lo, hi, index(lo), index(hi))
		}
		if lo >= exact && float64(hi-lo+1)/float64(lo) > 1.0/subCount+1e-12 {
			t.Fatalf("bucket %d [%d,%d] wider than 1/%d of its low bound", i, lo, hi, subCount)
		}
		prevHi = hi
	}
}

// exactQuantile is the nearest-rank quantile of sorted values.
func exactQuantile(sorted []int64, q float64) int64 {
	rank := int(q*float64(len(sorted)) + 0.9999999)
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

func TestQuantileErrorBound(t *testing.T) {
	tests := []struct {
		name string
		gen  func(r *rand.Rand) int64
	}{
		{"uniform to 30 s", func(r *rand.Rand) int64 { return r.Int64N(30000) }},
		{"fast with a timeout tail", func(r *rand.Rand) int64 {
			if r.IntN(20) == 0 {
				return 29000 + r.Int64N(20)
			}
			return 20 + r.Int64N(400)
		}},
		{"small exact", func(r *rand.Rand) int64 { return r.Int64N(200) }},
		{"streaming minutes", func(r *rand.Rand) int64 { return r.Int64N(900000) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			var h Histogram
			var vs []int64
			for range 50000 {
				v := tt.gen(r)
				vs = append(vs, v)
				h.Add(v)
			}
			slices.Sort(vs)
			for _, q := range []float64{0.01, 0.5, 0.95, 0.99, 0.999, 1} {
				got, want := h.Quantile(q), exactQuantile(vs, q)
				bound := want / (2 * subCount)
				if want < exact {
					bound = 0
				}
				if d := got - want; d < -bound || d > bound {
					t.Errorf("q%.3f = %d, exact %d: off by %d, bound %d", q, got, want, d, bound)
				}
			}
			if h.Max() != vs[len(vs)-1] || h.Min() != vs[0] || h.Count() != int64(len(vs)) {
				t.Errorf("max/min/count = %d/%d/%d, want %d/%d/%d", h.Max(), h.Min(), h.Count(), vs[len(vs)-1], vs[0], len(vs))
			}
		})
	}
}

func TestMergeEqualsAddingAll(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var a, b, all Histogram
	for i := range 10000 {
		v := r.Int64N(40000)
		if i%3 == 0 {
			a.Add(v)
		} else {
			b.Add(v)
		}
		all.Add(v)
	}
	a.Merge(&b)
	if !slices.Equal(a.Buckets(), all.Buckets()) || a.Max() != all.Max() || a.Min() != all.Min() || a.Mean() != all.Mean() {
		t.Fatal("merged histogram differs from one built from every value")
	}
}

func TestEdges(t *testing.T) {
	var h Histogram
	if h.Quantile(0.99) != 0 || h.Buckets() != nil {
		t.Fatal("empty histogram must report 0 and no buckets")
	}
	h.Add(-1) // "no latency" is not a duration
	if h.Count() != 0 {
		t.Fatal("negative value was recorded")
	}
	h.AddN(29000, 3)
	h.Add(maxValue + 10)
	if h.Count() != 4 || h.Max() != maxValue {
		t.Fatalf("count %d max %d", h.Count(), h.Max())
	}
	if got := h.Quantile(0.5); got < 29000-29000/256 || got > 29000+29000/256 {
		t.Fatalf("median %d, want about 29000", got)
	}
}

func BenchmarkAdd(b *testing.B) {
	var h Histogram
	for i := range b.N {
		h.Add(int64(i % 30000))
	}
}

func TestSparseUntilManyBuckets(t *testing.T) {
	var h Histogram
	vals := []int64{29010, 5, 1200, 29010, 700, 15000}
	for _, v := range vals {
		h.Add(v)
	}
	if h.counts != nil || len(h.sparse) != 5 {
		t.Fatalf("a few values should stay a short list: dense %d, sparse %d", len(h.counts), len(h.sparse))
	}
	sorted := slices.Clone(vals)
	slices.Sort(sorted)
	for _, q := range []float64{0.2, 0.5, 0.99, 1} {
		got, want := h.Quantile(q), exactQuantile(sorted, q)
		if d := got - want; d < -want/256 || d > want/256 {
			t.Errorf("q%.2f = %d, exact %d", q, got, want)
		}
	}
	bs := h.Buckets()
	if !slices.IsSortedFunc(bs, func(a, b Bucket) int { return int(a.Low - b.Low) }) || len(bs) != 5 {
		t.Errorf("buckets %v", bs)
	}
	// Past sparseMax distinct buckets it turns dense, and counts nothing
	// twice or lost.
	var dense, all Histogram
	for v := range int64(300) {
		dense.Add(v * 97)
	}
	all.Merge(&h)
	all.Merge(&dense)
	if dense.counts == nil || all.counts == nil || all.Count() != int64(len(vals))+300 {
		t.Fatalf("dense %v, merged count %d", dense.counts == nil, all.Count())
	}
	var n int64
	for _, b := range all.Buckets() {
		n += b.Count
	}
	if n != all.Count() {
		t.Errorf("buckets hold %d values, want %d", n, all.Count())
	}
}
