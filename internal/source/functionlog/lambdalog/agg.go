package lambdalog

import (
	"slices"
	"strings"
	"time"
)

// AggOptions configure an Aggregator.
type AggOptions struct {
	// Thresholds are integration waits (API Gateway's integration
	// timeout, say 29 s) counted exactly; Over answers any other from the
	// histograms, to their bucket width.
	Thresholds []time.Duration
	// Examples is how many invocations to keep per function: the longest,
	// and the first over each threshold. 0: 3; negative: none.
	Examples int
}

// Aggregator sums invocations per function (per log group), in bounded
// memory.
type Aggregator struct {
	opt   AggOptions
	funcs map[string]*FunctionStats
}

// NewAggregator returns an empty Aggregator.
func NewAggregator(opt AggOptions) *Aggregator {
	if opt.Examples == 0 {
		opt.Examples = 3
	}
	opt.Thresholds = slices.Clone(opt.Thresholds)
	return &Aggregator{opt: opt, funcs: map[string]*FunctionStats{}}
}

// FunctionStats is what the log said of one function (one log group).
type FunctionStats struct {
	// Group is the log group ("" when the container did not say).
	Group string
	// Invocations counts every invocation; Reported those with a handler
	// duration; Incomplete those without START or without REPORT (a log
	// cut short).
	Invocations, Reported, Incomplete int64
	// By status (Success+Errors+Timeouts+Unknown = Invocations).
	Success, Errors, Timeouts, Unknown int64
	// ColdStarts counts invocations with an init (or restore) before.
	ColdStarts int64
	// Durations are the handler's; Waits add the init (or restore) of a
	// cold start: what a synchronous caller waited.
	Durations, Waits Histogram
	// First and Last are the earliest start and latest end seen (zero when
	// the log had no times).
	First, Last time.Time
	// Longest are the invocations that waited longest, longest first.
	Longest []Invocation
	// Fixed are the counts for AggOptions.Thresholds, in their order.
	Fixed []ThresholdCount

	waitBy   [4]Histogram // Waits by Status
	coldDur  Histogram
	coldWait Histogram
	examples int
}

// ThresholdCount tells how many invocations waited longer than a
// threshold X (the integration timeout).
type ThresholdCount struct {
	Threshold time.Duration
	// Over waited longer than X (Wait > X); by how they ended:
	Over, OverSucceeded, OverErrored, OverTimedOut, OverUnknown int64
	// OverCold were cold starts; OverByInit of them ran their handler
	// within X and were pushed over by the init.
	OverCold, OverByInit int64
	// Exact is set for thresholds given up front. Otherwise the counts
	// come from the histograms, and Uncertain more invocations waited
	// about X (in its bucket): they may be over or not.
	Exact     bool
	Uncertain int64
	// Examples are the first invocations over X (thresholds given up
	// front only).
	Examples []Invocation
}

// Add counts one invocation.
func (a *Aggregator) Add(inv *Invocation) {
	f := a.funcs[inv.Group]
	if f == nil {
		f = &FunctionStats{Group: inv.Group, examples: a.opt.Examples}
		for _, t := range a.opt.Thresholds {
			f.Fixed = append(f.Fixed, ThresholdCount{Threshold: t, Exact: true})
		}
		a.funcs[inv.Group] = f
	}
	f.add(inv)
}

func (f *FunctionStats) add(inv *Invocation) {
	f.Invocations++
	if !inv.Complete() {
		f.Incomplete++
	}
	switch inv.Status {
	case StatusSuccess:
		f.Success++
	case StatusError:
		f.Errors++
	case StatusTimeout:
		f.Timeouts++
	default:
		f.Unknown++
	}
	if inv.ColdStart {
		f.ColdStarts++
	}
	if !inv.Start.IsZero() && (f.First.IsZero() || inv.Start.Before(f.First)) {
		f.First = inv.Start
	}
	if end := inv.End; !end.IsZero() && end.After(f.Last) {
		f.Last = end
	}
	if !inv.HasDuration() {
		return
	}
	f.Reported++
	wait := inv.Wait()
	f.Durations.Add(inv.Duration)
	f.Waits.Add(wait)
	f.waitBy[inv.Status].Add(wait)
	if inv.ColdStart {
		f.coldDur.Add(inv.Duration)
		f.coldWait.Add(wait)
	}
	for i := range f.Fixed {
		t := &f.Fixed[i]
		if wait <= t.Threshold {
			continue
		}
		t.count(inv, 1)
		if f.examples > 0 && len(t.Examples) < f.examples {
			t.Examples = append(t.Examples, *inv)
		}
	}
	if f.examples > 0 {
		f.Longest = keepLongest(f.Longest, *inv, f.examples)
	}
}

func (t *ThresholdCount) count(inv *Invocation, n int64) {
	t.Over += n
	switch inv.Status {
	case StatusSuccess:
		t.OverSucceeded += n
	case StatusError:
		t.OverErrored += n
	case StatusTimeout:
		t.OverTimedOut += n
	default:
		t.OverUnknown += n
	}
	if inv.ColdStart {
		t.OverCold += n
		if inv.Duration <= t.Threshold {
			t.OverByInit += n
		}
	}
}

// keepLongest inserts inv among the n longest waits, longest first (the
// earlier invocation first among equals).
func keepLongest(l []Invocation, inv Invocation, n int) []Invocation {
	w := inv.Wait()
	i := len(l)
	for i > 0 && l[i-1].Wait() < w {
		i--
	}
	if i >= n {
		return l
	}
	if len(l) < n {
		l = append(l, Invocation{})
	}
	copy(l[i+1:], l[i:len(l)-1])
	l[i] = inv
	return l
}

// Over counts the invocations that waited longer than x: exactly for a
// threshold given up front, else from the histograms.
func (f *FunctionStats) Over(x time.Duration) ThresholdCount {
	for _, t := range f.Fixed {
		if t.Threshold == x {
			return t
		}
	}
	t := ThresholdCount{Threshold: x}
	var u int64
	t.OverSucceeded, u = f.waitBy[StatusSuccess].Above(x)
	t.Uncertain += u
	t.OverErrored, u = f.waitBy[StatusError].Above(x)
	t.Uncertain += u
	t.OverTimedOut, u = f.waitBy[StatusTimeout].Above(x)
	t.Uncertain += u
	t.OverUnknown, u = f.waitBy[StatusUnknown].Above(x)
	t.Uncertain += u
	t.Over = t.OverSucceeded + t.OverErrored + t.OverTimedOut + t.OverUnknown
	t.OverCold, _ = f.coldWait.Above(x)
	// Cold starts whose handler alone was over x are a subset of those
	// whose wait was: the rest were pushed over by the init.
	handlerOver, _ := f.coldDur.Above(x)
	t.OverByInit = max(t.OverCold-handlerOver, 0)
	return t
}

// Function is the function's name: the log group without /aws/lambda/
// (a custom log group is returned whole).
func (f *FunctionStats) Function() string { return FunctionName(f.Group) }

// FunctionName is the function a log group is named for: "/aws/lambda/x"
// is x; any other name is returned as it is.
func FunctionName(group string) string {
	if fn, ok := strings.CutPrefix(group, "/aws/lambda/"); ok && fn != "" {
		return fn
	}
	return group
}

// Functions are the functions seen, by log group.
func (a *Aggregator) Functions() []*FunctionStats {
	fs := make([]*FunctionStats, 0, len(a.funcs))
	for _, f := range a.funcs {
		fs = append(fs, f)
	}
	slices.SortFunc(fs, func(x, y *FunctionStats) int { return strings.Compare(x.Group, y.Group) })
	return fs
}

// Function is the stats of one log group, nil when it had none.
func (a *Aggregator) Function(group string) *FunctionStats { return a.funcs[group] }

// Shift moves the line numbers and offsets of the examples kept by the
// lines and bytes that precede this piece in its input.
func (a *Aggregator) Shift(lines int, offset int64) {
	for _, f := range a.funcs {
		for i := range f.Longest {
			f.Longest[i].Line += lines
			f.Longest[i].Offset += offset
		}
		for i := range f.Fixed {
			for j := range f.Fixed[i].Examples {
				f.Fixed[i].Examples[j].Line += lines
				f.Fixed[i].Examples[j].Offset += offset
			}
		}
	}
}

// Merge adds b, the Aggregator of a later piece (same options, already
// shifted).
func (a *Aggregator) Merge(b *Aggregator) {
	for g, o := range b.funcs {
		f := a.funcs[g]
		if f == nil {
			a.funcs[g] = o
			continue
		}
		f.merge(o)
	}
}

func (f *FunctionStats) merge(o *FunctionStats) {
	f.Invocations += o.Invocations
	f.Reported += o.Reported
	f.Incomplete += o.Incomplete
	f.Success += o.Success
	f.Errors += o.Errors
	f.Timeouts += o.Timeouts
	f.Unknown += o.Unknown
	f.ColdStarts += o.ColdStarts
	f.Durations.Merge(&o.Durations)
	f.Waits.Merge(&o.Waits)
	for i := range f.waitBy {
		f.waitBy[i].Merge(&o.waitBy[i])
	}
	f.coldDur.Merge(&o.coldDur)
	f.coldWait.Merge(&o.coldWait)
	if !o.First.IsZero() && (f.First.IsZero() || o.First.Before(f.First)) {
		f.First = o.First
	}
	if o.Last.After(f.Last) {
		f.Last = o.Last
	}
	for _, inv := range o.Longest {
		f.Longest = keepLongest(f.Longest, inv, f.examples)
	}
	for i := range f.Fixed {
		if i >= len(o.Fixed) {
			break
		}
		t, u := &f.Fixed[i], &o.Fixed[i]
		t.Over += u.Over
		t.OverSucceeded += u.OverSucceeded
		t.OverErrored += u.OverErrored
		t.OverTimedOut += u.OverTimedOut
		t.OverUnknown += u.OverUnknown
		t.OverCold += u.OverCold
		t.OverByInit += u.OverByInit
		for _, ex := range u.Examples {
			if len(t.Examples) < f.examples {
				t.Examples = append(t.Examples, ex)
			}
		}
	}
}

// WaitsOf is the histogram of the waits of invocations that ended so.
func (f *FunctionStats) WaitsOf(s Status) *Histogram { return &f.waitBy[s] }
