package model

import (
	"slices"
	"time"

	"github.com/gatelint/gatelint/internal/latency"
	"github.com/gatelint/gatelint/internal/loc"
)

// FunctionLog is what one Lambda function's own log (/aws/lambda/<name>)
// says of its invocations, merged over every input that holds it. It is
// joined to its Function (Function.Log) by correlate.
type FunctionLog struct {
	// Name is the function as the log names it: the function name of its
	// log group, or the NAME of --logs NAME=PATH (a function name, a
	// logical ID or an address).
	Name string
	// LogGroup is the log group the envelope named ("" when the input did
	// not say: a log attributed by NAME).
	LogGroup string
	// Named is true when the user named the function (--logs NAME=PATH).
	Named bool
	// Live is true for a live account's Logs Insights counts.
	Live bool
	// Invocations counts every invocation; Reported those whose duration
	// the log gave; Incomplete those without START or REPORT (cut short).
	Invocations, Reported, Incomplete int64
	// By how they ended, and how many were cold starts.
	Succeeded, Failed, TimedOut, ColdStarts int64
	// Durations are the handler's durations in ms; Waits add a cold
	// start's init: how long a synchronous caller waited. SucceededWaits
	// are the waits of invocations that succeeded.
	Durations, Waits, SucceededWaits latency.Histogram
	// Percentiles are server-side percentiles of @duration (a Logs
	// Insights query) when no durations were read one by one.
	Percentiles *Percentiles
	// First and Last bound the invocations in time (zero when the log
	// had no times).
	First, Last time.Time
	// FirstAt is the first platform record read.
	FirstAt loc.Range
	// Over counts the invocations that waited longer than an integration
	// waits; nil when the log cannot tell (only percentiles).
	Over func(wait time.Duration) Overrun `json:"-"`
	// Runs are the invocations that waited longer than the shortest wait
	// asked for, in input order, at most MaxRuns per function; RunsCut is
	// set when there were more.
	Runs    []Run
	RunsCut bool
	Sources []string
}

// MaxRuns bounds FunctionLog.Runs, so memory stays flat however many
// invocations ran over.
const MaxRuns = 20000

// Overrun counts the invocations that waited longer than Wait.
type Overrun struct {
	Wait time.Duration
	// Over waited longer; of them Succeeded completed their work (after
	// the client's 504), TimedOut ran into the function's own Timeout,
	// Failed ended in an error.
	Over, Succeeded, TimedOut, Failed int64
	// Cold were cold starts; ByInit of them ran their handler within Wait
	// and were pushed over by the init.
	Cold, ByInit int64
	// Uncertain more waited about Wait (counts from a histogram).
	Uncertain int64
	// FirstAt is the first such invocation's record, FirstTime its start;
	// zero when not known.
	FirstAt   loc.Range
	FirstTime time.Time
}

// Run is one invocation that ran longer than an integration waits.
type Run struct {
	RequestID string
	// Start is when it started (zero when the log had no time).
	Start          time.Time
	Wait, Duration time.Duration
	Succeeded      bool
	TimedOut       bool
	Cold           bool
	At             loc.Range
}

// P99 is the 99th percentile of the handler's duration, when known.
func (l *FunctionLog) P99() (time.Duration, bool) {
	if l.Durations.Count() > 0 {
		return ms(l.Durations.Quantile(0.99)), true
	}
	if l.Percentiles != nil && l.Percentiles.Completed > 0 {
		return ms(l.Percentiles.P99), true
	}
	return 0, false
}

// MaxDuration is the longest handler duration, when known.
func (l *FunctionLog) MaxDuration() (time.Duration, bool) {
	if l.Durations.Count() > 0 {
		return ms(l.Durations.Max()), true
	}
	if l.Percentiles != nil && l.Percentiles.Completed > 0 {
		return ms(l.Percentiles.Max), true
	}
	return 0, false
}

// SucceededP99 is the 99th percentile of what successful invocations
// made their caller wait: no Timeout below it keeps today's work.
func (l *FunctionLog) SucceededP99() (time.Duration, bool) {
	if l.SucceededWaits.Count() > 0 {
		return ms(l.SucceededWaits.Quantile(0.99)), true
	}
	if l.Percentiles != nil && l.Percentiles.Completed > 0 {
		return ms(l.Percentiles.P99), true
	}
	return 0, false
}

func ms(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

// Merge adds src (the same function, another input) into l.
func (l *FunctionLog) Merge(src *FunctionLog) {
	l.Invocations += src.Invocations
	l.Reported += src.Reported
	l.Incomplete += src.Incomplete
	l.Succeeded += src.Succeeded
	l.Failed += src.Failed
	l.TimedOut += src.TimedOut
	l.ColdStarts += src.ColdStarts
	l.Durations.Merge(&src.Durations)
	l.Waits.Merge(&src.Waits)
	l.SucceededWaits.Merge(&src.SucceededWaits)
	l.Percentiles = MergePercentiles(l.Percentiles, src.Percentiles)
	l.First = earliest(l.First, src.First)
	if src.Last.After(l.Last) {
		l.Last = src.Last
	}
	if l.FirstAt.File == "" {
		l.FirstAt = src.FirstAt
	}
	l.Live = l.Live || src.Live
	if a, b := l.Over, src.Over; a == nil || b == nil {
		l.Over = nil
	} else {
		l.Over = func(w time.Duration) Overrun { return AddOverruns(a(w), b(w)) }
	}
	room := MaxRuns - len(l.Runs)
	if len(src.Runs) > room {
		l.RunsCut = true
	}
	l.Runs = append(l.Runs, src.Runs[:min(room, len(src.Runs))]...)
	l.RunsCut = l.RunsCut || src.RunsCut
	for _, s := range src.Sources {
		if !slices.Contains(l.Sources, s) {
			l.Sources = append(l.Sources, s)
		}
	}
}

// AddOverruns adds the counts of two disjoint groups of invocations over
// the same wait; the earlier first invocation stands.
func AddOverruns(a, b Overrun) Overrun {
	s := Overrun{Wait: a.Wait, Over: a.Over + b.Over, Succeeded: a.Succeeded + b.Succeeded, TimedOut: a.TimedOut + b.TimedOut,
		Failed: a.Failed + b.Failed, Cold: a.Cold + b.Cold, ByInit: a.ByInit + b.ByInit, Uncertain: a.Uncertain + b.Uncertain,
		FirstAt: a.FirstAt, FirstTime: a.FirstTime}
	if s.FirstAt.File == "" || (!b.FirstTime.IsZero() && b.FirstTime.Before(a.FirstTime)) && b.FirstAt.File != "" {
		s.FirstAt, s.FirstTime = b.FirstAt, b.FirstTime
	}
	return s
}

// Phantoms is what joining an endpoint's timed-out requests to its
// function's invocations proved.
type Phantoms struct {
	// Timeouts is how many timed-out requests the access logs listed with
	// a time or an integration request ID; Matched of them were joined to
	// an invocation (ByID exactly, by request ID), Completed of those ran
	// to completion after the client's 504.
	Timeouts, Matched, ByID, Completed int64
}
