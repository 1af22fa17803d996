package lambdalog

import (
	"math/bits"
	"time"
)

// Histogram counts durations in fixed log-linear buckets: exact to the
// microsecond below 1.024 ms, then 512 buckets per power of two (a
// bucket's width is at most 1/512 of its lower bound, 0.2%: 57 ms at
// 29 s). Memory is a page of 512 counters per power of two touched (4 KB),
// 33 pages at most; values past 2^40 µs (12.7 days) count in the last
// bucket.
type Histogram struct {
	pages [histPages]*[histPage]int64
	n     int64
	sumUS float64
	maxUS uint64
}

const (
	histPage  = 512
	histPages = 2 + 31
	maxUS     = 1<<40 - 1
)

// bucketOf is the bucket of a value in microseconds.
func bucketOf(us uint64) int {
	if us > maxUS {
		us = maxUS
	}
	if us < 2*histPage {
		return int(us)
	}
	e := bits.Len64(us) - 10 // us >> e is in [512, 1024)
	return 2*histPage + (e-1)*histPage + int(us>>e) - histPage
}

// bucketBounds is the range [lo, hi) of values in microseconds a bucket
// holds.
func bucketBounds(i int) (lo, hi uint64) {
	if i < 2*histPage {
		return uint64(i), uint64(i) + 1
	}
	e := (i-2*histPage)/histPage + 1
	m := uint64((i-2*histPage)%histPage + histPage)
	return m << e, (m + 1) << e
}

func toUS(d time.Duration) uint64 {
	if d <= 0 {
		return 0
	}
	return uint64(d / time.Microsecond)
}

// Add counts one duration.
func (h *Histogram) Add(d time.Duration) { h.addN(toUS(d), 1) }

func (h *Histogram) addN(us uint64, n int64) {
	if us > maxUS {
		us = maxUS
	}
	b := bucketOf(us)
	p := h.pages[b/histPage]
	if p == nil {
		p = new([histPage]int64)
		h.pages[b/histPage] = p
	}
	p[b%histPage] += n
	h.n += n
	h.sumUS += float64(us) * float64(n)
	h.maxUS = max(h.maxUS, us)
}

// Count is how many durations were added.
func (h *Histogram) Count() int64 { return h.n }

// Max is the longest duration added (to the microsecond).
func (h *Histogram) Max() time.Duration { return time.Duration(h.maxUS) * time.Microsecond }

// Mean is the average duration added.
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return time.Duration(h.sumUS/float64(h.n)) * time.Microsecond
}

// Quantile is the duration below which a share q (0..1) of the durations
// fall: the middle of its bucket, never past Max.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(q*float64(h.n) + 0.5)
	rank = min(max(rank, 1), h.n)
	var seen int64
	for pi, p := range h.pages {
		if p == nil {
			continue
		}
		for j, c := range p {
			if c == 0 {
				continue
			}
			seen += c
			if seen >= rank {
				lo, hi := bucketBounds(pi*histPage + j)
				mid := min(lo+(hi-lo-1)/2, h.maxUS)
				return time.Duration(mid) * time.Microsecond
			}
		}
	}
	return h.Max()
}

// Above counts the durations longer than x: n surely are, and uncertain
// more share x's bucket (they may or may not be). uncertain is 0 when x
// is a bucket boundary (and below 1.024 ms).
func (h *Histogram) Above(x time.Duration) (n, uncertain int64) {
	xu := toUS(x)
	if x < 0 {
		return h.n, 0
	}
	for pi, p := range h.pages {
		if p == nil {
			continue
		}
		for j, c := range p {
			if c == 0 {
				continue
			}
			lo, hi := bucketBounds(pi*histPage + j)
			switch {
			case lo > xu:
				n += c
			case hi-1 > xu:
				uncertain += c
			}
		}
	}
	return n, uncertain
}

// Merge adds o's counts.
func (h *Histogram) Merge(o *Histogram) {
	for pi, p := range o.pages {
		if p == nil {
			continue
		}
		if h.pages[pi] == nil {
			h.pages[pi] = new([histPage]int64)
		}
		for j, c := range p {
			h.pages[pi][j] += c
		}
	}
	h.n += o.n
	h.sumUS += o.sumUS
	h.maxUS = max(h.maxUS, o.maxUS)
}

// Each calls f for every bucket that holds durations: its range [lo, hi)
// and count, shortest first.
func (h *Histogram) Each(f func(lo, hi time.Duration, n int64)) {
	for pi, p := range h.pages {
		if p == nil {
			continue
		}
		for j, c := range p {
			if c != 0 {
				lo, hi := bucketBounds(pi*histPage + j)
				f(time.Duration(lo)*time.Microsecond, time.Duration(hi)*time.Microsecond, c)
			}
		}
	}
}
