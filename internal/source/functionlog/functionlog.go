// Package functionlog is the log container's kind for Lambda functions'
// own logs (/aws/lambda/<name>): the platform records Lambda writes
// around each invocation, in the text or the JSON log format, in every
// shape the container reads (plain lines, CloudWatch Logs exports,
// filter-log-events output, Firehose envelopes, Logs Insights results).
// Package lambdalog parses, stitches and aggregates; this package plugs
// it into the container and turns what it counted into one
// model.FunctionLog per function.
//
// # Which function
//
// A log belongs to the function its envelope's log group names
// (/aws/lambda/<name>); otherwise to the NAME of --logs NAME=PATH (the
// function's name, or its logical ID or address), which also wins over
// a log group. A function log that neither names is an input error that
// says how to name it.
package functionlog

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/latency"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/functionlog/lambdalog"
	"github.com/gatelint/gatelint/internal/source/logs"
)

// Named attributes every function log under Path (a file, or a directory
// and what is in it) to the function Name (--logs NAME=PATH).
type Named struct {
	Name, Path string
}

// Options configure a Kind.
type Options struct {
	// Thresholds are the integration waits (the synchronous integration
	// timeouts of the configuration read) counted exactly; others are
	// answered from histograms, to within 0.2 %.
	Thresholds []time.Duration
	Named      []Named
	// OnSource is told about each input once it has been read.
	OnSource func(*model.LogSource)
}

// Kind is the function-log kind of record. It keeps what it read of
// every input of a scan.
type Kind struct {
	opt     Options
	minWait time.Duration // the shortest threshold: longer runs are kept
	logs    map[string]*model.FunctionLog
	order   []string
	sources []*model.LogSource
	errors  []finding.InputError
	over    atomic.Int64
}

// NewKind returns the kind for one scan.
func NewKind(opt Options) *Kind {
	k := &Kind{opt: opt, logs: map[string]*model.FunctionLog{}}
	for i, t := range opt.Thresholds {
		if i == 0 || t < k.minWait {
			k.minWait = t
		}
	}
	return k
}

// Name is the kind, as messages say it.
func (k *Kind) Name() string { return "function log" }

// Hint says how to make a function log readable.
func (k *Kind) Hint() string { return "" }

// Open returns the reader of a function log whose first message is
// first, or nil when first is not one.
func (k *Kind) Open(file string, first []byte) logs.Records {
	if !lambdalog.Sniff(first) {
		return nil
	}
	format := "Lambda function log lines"
	if first = bytes.TrimSpace(first); len(first) > 0 && first[0] == '{' {
		format = "Lambda function log (JSON format)"
	}
	return k.newRecords(file, format)
}

// GroupOpen claims the messages of an envelope whose log group is a
// function's (/aws/lambda/...), whatever its first message.
func (k *Kind) GroupOpen(file, group string) logs.Records {
	if !strings.HasPrefix(group, "/aws/lambda/") {
		return nil
	}
	return k.newRecords(file, "Lambda function log lines")
}

// columns are Logs Insights fields of function logs.
var columns = []string{"@type", "@requestId", "@duration", "@billedDuration", "@initDuration", "@maxMemoryUsed", "@memorySize"}

// Column reports whether an Insights column is a function-log field.
func (k *Kind) Column(name string) bool { return slices.Contains(columns, name) }

// OpenTable returns the reader of Insights rows of function logs: rows
// with a @duration or @type column, or a @message (which the container
// hands only to the kinds that read the first one).
func (k *Kind) OpenTable(file string, cols []string) logs.Records {
	for _, c := range cols {
		if c == "@duration" || c == "@type" || c == "@initDuration" || c == "@message" {
			return k.newRecords(file, "Logs Insights rows")
		}
	}
	return nil
}

// Status is what the progress bar says so far.
func (k *Kind) Status() string {
	if n := k.over.Load(); n > 0 {
		return fmt.Sprintf(", %d long invocations", n)
	}
	return ""
}

func (k *Kind) newRecords(file, format string) *records {
	r := &records{k: k, file: file, format: format}
	r.agg = lambdalog.NewAggregator(lambdalog.AggOptions{Thresholds: k.opt.Thresholds, Examples: 1})
	r.st = lambdalog.NewStitcher(lambdalog.Options{OnInvocation: r.add})
	return r
}

// records reads one piece of one input: a Stitcher and an Aggregator of
// its own, merged in input order.
type records struct {
	k      *Kind
	file   string
	format string
	st     *lambdalog.Stitcher
	agg    *lambdalog.Aggregator
	group  string
	runs   map[string][]model.Run
	cut    map[string]bool
	first  map[string]loc.Range
	rec    lambdalog.Record
}

func (r *records) at(line int, off int64) loc.Range {
	p := loc.Pos{Line: line, Column: 1, Offset: int(off)}
	return loc.Range{File: r.file, Start: p, End: p}
}

// add counts one stitched invocation, and keeps it when it ran longer
// than the shortest wait asked for.
func (r *records) add(inv *lambdalog.Invocation) {
	r.agg.Add(inv)
	if r.first == nil {
		r.first = map[string]loc.Range{}
	}
	if _, ok := r.first[inv.Group]; !ok {
		r.first[inv.Group] = r.at(inv.Line, inv.Offset)
	}
	if len(r.k.opt.Thresholds) == 0 || !inv.HasDuration() || inv.Wait() <= r.k.minWait {
		return
	}
	r.k.over.Add(1)
	if r.runs == nil {
		r.runs, r.cut = map[string][]model.Run{}, map[string]bool{}
	}
	if len(r.runs[inv.Group]) >= model.MaxRuns {
		r.cut[inv.Group] = true
		return
	}
	r.runs[inv.Group] = append(r.runs[inv.Group], model.Run{RequestID: inv.RequestID, Start: inv.Start, Wait: inv.Wait(), Duration: inv.Duration,
		Succeeded: inv.Status == lambdalog.StatusSuccess, TimedOut: inv.Status == lambdalog.StatusTimeout || inv.TimedOut,
		Cold: inv.ColdStart, At: r.at(inv.Line, inv.Offset)})
}

func (r *records) Format() string { return r.format }

// Message reads one message. Application output is part of a function
// log, not a malformed record: every message is read.
func (r *records) Message(b []byte, at logs.At) bool {
	r.st.Message(b, lambdalog.At{Line: at.Line, Offset: int64(at.Offset), When: at.When, Group: r.group})
	return true
}

// Continuation reads a line of a CloudWatch Logs export that continues
// the message before it (application output with newlines in it).
func (r *records) Continuation([]byte, logs.At) bool { return true }

// Row reads one Logs Insights row: a whole message in @message, or a
// REPORT's columns (@type, @requestId, @duration, ...).
func (r *records) Row(names []string, cells [][]byte, at logs.At) bool {
	a := lambdalog.At{Line: at.Line, Offset: int64(at.Offset), When: at.When, Group: r.group}
	var msg []byte
	rec := &r.rec
	*rec = lambdalog.Record{}
	typ := ""
	for i, n := range names {
		c := bytes.TrimSpace(cells[i])
		switch n {
		case "@message":
			msg = c
		case "@timestamp":
			if t, ok := lambdalog.ParseTime(c); ok {
				a.When = t
			}
		case "@log", "@logGroup":
			// "123456789012:/aws/lambda/fn" names the group.
			if _, g, ok := bytes.Cut(c, []byte(":")); ok {
				a.Group = string(g)
			} else if len(c) > 0 {
				a.Group = string(c)
			}
		case "@logStream":
			a.Stream = string(c)
		case "@type":
			typ = string(c)
		case "@requestId":
			rec.RequestID = c
		case "@duration":
			rec.Duration, rec.Has = num(c), rec.Has|lambdalog.HasDuration
		case "@billedDuration":
			rec.Billed, rec.Has = num(c), rec.Has|lambdalog.HasBilled
		case "@initDuration":
			if len(c) > 0 {
				rec.Init, rec.Has = num(c), rec.Has|lambdalog.HasInit
			}
		case "@maxMemoryUsed":
			rec.MaxMemoryUsedMB, rec.Has = int(num(c)/1e6), rec.Has|lambdalog.HasMaxMemory
		case "@memorySize":
			rec.MemorySizeMB, rec.Has = int(num(c)/1e6), rec.Has|lambdalog.HasMemorySize
		}
	}
	if r.group != "" {
		a.Group = r.group
	}
	if msg != nil && typ == "" {
		r.st.Message(msg, a)
		return true
	}
	if typ != "REPORT" || len(rec.RequestID) == 0 || rec.Has&lambdalog.HasDuration == 0 {
		return false
	}
	rec.Kind = lambdalog.KindReport
	r.st.Record(rec, a)
	return true
}

// num reads a decimal number; 0 for anything else.
func num(b []byte) float64 {
	var v, frac float64
	div := 0.0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9' && div == 0:
			v = v*10 + float64(c-'0')
		case c >= '0' && c <= '9':
			frac += float64(c-'0') / div
			div *= 10
		case c == '.' && div == 0:
			div = 10
		default:
			return v + frac
		}
	}
	return v + frac
}

func (r *records) Group(name string) { r.group = name }

// Count is how many platform records were read.
func (r *records) Count() int64 { return r.st.Stats().Platform }

func (r *records) RanTogether() bool { return false }

// Shift moves the piece's lines and offsets.
func (r *records) Shift(lines, offset int) {
	r.st.Shift(lines, int64(offset))
	r.agg.Shift(lines, int64(offset))
	mv := func(at *loc.Range) {
		at.Start.Line += lines
		at.End.Line += lines
		at.Start.Offset += offset
		at.End.Offset += offset
	}
	for _, rs := range r.runs {
		for i := range rs {
			mv(&rs[i].At)
		}
	}
	for g, at := range r.first {
		mv(&at)
		r.first[g] = at
	}
}

// Merge adds a later piece of the same input, already shifted.
func (r *records) Merge(later logs.Records) {
	o := later.(*records)
	r.st.Merge(o.st) // invocations cut by the boundary come to r.add
	r.agg.Merge(o.agg)
	for g, rs := range o.runs {
		if r.runs == nil {
			r.runs, r.cut = map[string][]model.Run{}, map[string]bool{}
		}
		room := model.MaxRuns - len(r.runs[g])
		if len(rs) > room || o.cut[g] {
			r.cut[g] = true
		}
		r.runs[g] = append(r.runs[g], rs[:min(len(rs), room)]...)
	}
	for g, at := range o.first {
		if r.first == nil {
			r.first = map[string]loc.Range{}
		}
		if _, ok := r.first[g]; !ok {
			r.first[g] = at
		}
	}
}

// named is the NAME given for file, "" when none.
func (k *Kind) named(file string) string {
	for _, n := range k.opt.Named {
		p := filepath.Clean(n.Path)
		if f := filepath.Clean(file); f == p || strings.HasPrefix(f, p+string(filepath.Separator)) {
			return n.Name
		}
	}
	return ""
}

// Done keeps what an input said: its source, and one FunctionLog per
// function, merged into those of the inputs before.
func (k *Kind) Done(in *logs.Input) {
	r := in.Records.(*records)
	r.st.Flush()
	st := r.st.Stats()
	src := &model.LogSource{File: in.File, Shape: in.Shape, Gzip: in.Gzip, Query: in.Query, Bytes: in.Bytes,
		Records: st.Invocations, Malformed: in.Malformed, MalformedLines: in.MalformedLines, LogGroups: in.Groups}
	k.sources = append(k.sources, src)
	if k.opt.OnSource != nil {
		k.opt.OnSource(src)
	}
	name := k.named(in.File)
	for _, fs := range r.agg.Functions() {
		l := k.functionLog(r, fs, in.File)
		switch {
		case name != "":
			l.Name, l.Named = name, true
		case fs.Group != "":
			l.Name = lambdalog.FunctionName(fs.Group)
		default:
			k.errors = append(k.errors, finding.InputError{File: in.File, Line: l.FirstAt.Start.Line, Message: fmt.Sprintf(
				"a Lambda function log (%d invocations) that does not say which function it is from: name it with --logs FUNCTION=%s, where FUNCTION is the function's name (FunctionName) or its logical ID",
				fs.Invocations, in.File)})
			continue
		}
		key := l.Name
		if cur := k.logs[key]; cur != nil {
			cur.Merge(l)
			continue
		}
		k.logs[key] = l
		k.order = append(k.order, key)
	}
}

// functionLog turns what the aggregator counted of one log group into
// the model's terms.
func (k *Kind) functionLog(r *records, fs *lambdalog.FunctionStats, file string) *model.FunctionLog {
	l := &model.FunctionLog{LogGroup: fs.Group, Invocations: fs.Invocations, Reported: fs.Reported, Incomplete: fs.Incomplete,
		Succeeded: fs.Success, Failed: fs.Errors, TimedOut: fs.Timeouts, ColdStarts: fs.ColdStarts,
		First: fs.First, Last: fs.Last, FirstAt: r.first[fs.Group], Sources: []string{file}}
	toMs(&l.Durations, &fs.Durations)
	toMs(&l.Waits, &fs.Waits)
	toMs(&l.SucceededWaits, fs.WaitsOf(lambdalog.StatusSuccess))
	runs := r.runs[fs.Group]
	slices.SortStableFunc(runs, func(a, b model.Run) int { return a.At.Start.Offset - b.At.Start.Offset })
	l.Runs, l.RunsCut = runs, r.cut[fs.Group]
	l.Over = func(w time.Duration) model.Overrun {
		t := fs.Over(w)
		o := model.Overrun{Wait: w, Over: t.Over, Succeeded: t.OverSucceeded, TimedOut: t.OverTimedOut, Failed: t.OverErrored,
			Cold: t.OverCold, ByInit: t.OverByInit, Uncertain: t.Uncertain}
		if len(t.Examples) > 0 {
			ex := t.Examples[0]
			o.FirstAt, o.FirstTime = r.at(ex.Line, ex.Offset), ex.Start
		} else {
			// A wait not asked for up front: the first kept run over it.
			for _, run := range runs {
				if run.Wait > w {
					o.FirstAt, o.FirstTime = run.At, run.Start
					break
				}
			}
		}
		return o
	}
	return l
}

// toMs adds a histogram of durations to one in milliseconds.
func toMs(dst *latency.Histogram, h *lambdalog.Histogram) {
	h.Each(func(lo, hi time.Duration, n int64) {
		dst.AddN(int64((lo+(hi-lo)/2)/time.Millisecond), n)
	})
}

// Result is every function log read (one per function, in the order
// first read), the inputs, and the logs that could not be attributed.
func (k *Kind) Result() ([]*model.FunctionLog, []*model.LogSource, []finding.InputError) {
	out := make([]*model.FunctionLog, len(k.order))
	for i, key := range k.order {
		out[i] = k.logs[key]
	}
	return out, k.sources, k.errors
}
