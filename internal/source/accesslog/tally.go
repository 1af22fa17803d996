package accesslog

import (
	"bytes"
	"sync/atomic"
	"time"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/logs"
)

// tally is what the access-log records of one piece of one input (a
// whole stream, or a chunk of a large file) say: it is the kind's
// logs.Records. Line numbers in it are relative to the piece until Shift
// moves them; pieces merge in input order, so the result does not depend
// on which worker read what.
type tally struct {
	file string
	// shape reads lines and messages; nil for Insights rows.
	shape   lineShape
	eps     endpoints
	records int64
	fields  model.LogFields
	first   loc.Range
	multi   bool // a line held more than one record (Firehose direct)
	// timeouts, when set, counts timeouts for the progress bar.
	timeouts *atomic.Int64
	group    string // the current envelope's log group
	// cols and colsFor map an Insights table's columns to fields, for
	// the columns last seen; names reads a record in an @message cell.
	cols    []field
	colsFor []string
	names   map[string]field
	// q is what the record being added shows of its request.
	q awsfacts.Request
}

func newTally(file string, shape lineShape, timeouts *atomic.Int64) *tally {
	return &tally{file: file, shape: shape, eps: newEndpoints(), timeouts: timeouts}
}

// Format names the records' format.
func (t *tally) Format() string {
	if t.shape == nil {
		return "Logs Insights rows"
	}
	return t.shape.name()
}

// Message reads one line or envelope message.
func (t *tally) Message(b []byte, at logs.At) bool {
	return t.shape.line(t, b, at.Line, at.Offset, at.When)
}

// Group sets the log group of the records that follow.
func (t *tally) Group(g string) { t.group = g }

// Count is how many records were read.
func (t *tally) Count() int64 { return t.records }

// RanTogether reports whether a line held more than one record.
func (t *tally) RanTogether() bool { return t.multi }

// endpoint names the endpoint a record is about: method and path, with a
// template path when the log gives one.
func endpoint(r *record) (method, path []byte, isTemplate bool, typ model.APIType) {
	method = r.get(fMethod)
	if rp := r.get(fResourcePath); !absent(rp) {
		return method, rp, true, model.REST
	}
	if rk := bytes.TrimSpace(r.get(fRouteKey)); !absent(rk) {
		if m, p, ok := bytes.Cut(rk, []byte(" ")); ok {
			return m, bytes.TrimSpace(p), true, model.HTTP
		}
		if !bytes.Equal(rk, []byte("$default")) {
			// Only WebSocket APIs have route keys without a method:
			// $connect, $disconnect, sendMessage.
			return nil, rk, true, model.WebSocket
		}
		// An HTTP API's $default route: the concrete path says more.
		typ = model.HTTP
	}
	path = r.get(fPath)
	if st := r.get(fStage); !absent(st) && !bytes.Equal(st, []byte("$default")) &&
		len(path) > len(st) && path[0] == '/' && bytes.HasPrefix(path[1:], st) &&
		(len(path) == len(st)+1 || path[len(st)+1] == '/') {
		path = path[len(st)+1:]
		if len(path) == 0 {
			path = []byte("/")
		}
	}
	return method, path, false, typ
}

func clean(v []byte) []byte {
	if absent(v) {
		return nil
	}
	return v
}

// add counts one record read at line (relative to the piece), n times
// (aggregated rows count many requests).
func (t *tally) add(r *record, line, offset int, n int64) {
	if n <= 0 {
		return
	}
	t.records++
	method, path, isTemplate, typ := endpoint(r)
	method, path = clean(method), clean(path)
	t.seen(r, len(path) > 0 && (len(method) > 0 || typ == model.WebSocket))
	if len(path) == 0 {
		// A method with no path (a REST stage logging $context.routeKey,
		// which only HTTP and WebSocket APIs have, writes "-"), or no
		// endpoint at all: counted under a name that says so, never as
		// an endpoint with an empty path.
		path, isTemplate = []byte(model.PathNotLogged), true
	}
	api, stage := clean(r.get(fAPIID)), clean(r.get(fStage))
	o := t.eps.lookup(api, stage, method, path, t.group, typ, isTemplate)
	if t.first.IsZero() {
		t.first = t.at(line, offset)
	}
	if o.FirstSeenAt.IsZero() {
		o.FirstSeenAt = t.at(line, offset)
	}
	o.Requests += n
	if r.has(fCount) || r.has(fP50) || r.has(fP99) || r.has(fMax) {
		o.Aggregated = true
	}
	r.request(&t.q)
	switch t.q.Outcome() {
	case awsfacts.TimedOut:
		t.timeout(o, r, line, offset, n)
		return
	case awsfacts.WeakTimeout:
		if rl, ok := number(r.get(fResponseLatency)); ok && rl >= 0 {
			t.doubt(o, r, rl, line, offset, n)
		} else {
			t.timeout(o, r, line, offset, n)
			if !r.has(fIntegrationLatency) && !r.has(fResponseLatency) {
				// Nothing but the status says so.
				o.StatusOnly += n
			}
		}
		return
	case awsfacts.Other5xx:
		o.Other5xx += n
	}
	if l, ok := number(r.get(fIntegrationLatency)); ok && l >= 0 {
		o.Latency.AddN(l, n)
	}
	if r.has(fP50) || r.has(fP99) || r.has(fMax) {
		p := &model.Percentiles{Completed: n}
		p.P50, _ = number(r.get(fP50))
		p.P95, _ = number(r.get(fP95))
		p.P99, _ = number(r.get(fP99))
		p.Max, _ = number(r.get(fMax))
		o.Percentiles = model.MergePercentiles(o.Percentiles, p)
	}
}

// addTimeouts counts an aggregated row's timeouts column.
func (t *tally) addTimeouts(r *record, line, offset int, n int64) {
	saved := *r
	r.put(fResponseType, []byte(awsfacts.IntegrationTimeoutType))
	r.put(fCount, nil)
	// A timeouts column is what a query for timeouts counted.
	t.fields.Status, t.fields.ResponseType = true, true
	t.add(r, line, offset, n)
	*r = saved
}

func (t *tally) at(line, offset int) loc.Range {
	p := loc.Pos{Line: line, Column: 1, Offset: offset}
	return loc.Range{File: t.file, Start: p, End: p}
}

func (t *tally) timeout(o *model.Observation, r *record, line, offset int, n int64) {
	if t.timeouts != nil {
		t.timeouts.Add(n)
	}
	o.Timeouts += n
	if o.FirstTimeoutAt.IsZero() {
		o.FirstTimeoutAt = t.at(line, offset)
	}
	when := signs(r, n, &o.TimeoutStatus, &o.TimeoutLatencyMinusOne, &o.TimeoutsByMinute)
	if !when.IsZero() {
		widen(&o.FirstTimeout, &o.LastTimeout, when, when)
	}
	listTimeout(o, nil, r, when, n)
}

// listTimeout keeps a timed-out request's time and integration request
// ID, for joining it to the function's invocation (bounded: MaxRuns).
func listTimeout(o *model.Observation, d *model.Doubt, r *record, when time.Time, n int64) {
	id := clean(r.get(fIntegrationRequestID))
	if n != 1 || (when.IsZero() && id == nil) {
		return
	}
	o.ListTimeout(d, model.TimedOutRequest{When: when, IntegrationRequestID: string(id)})
}

func (t *tally) doubt(o *model.Observation, r *record, rl int64, line, offset int, n int64) {
	if o.Doubtful == nil {
		o.Doubtful = map[int64]*model.Doubt{}
	}
	d := o.Doubtful[rl]
	if d == nil {
		d = &model.Doubt{At: t.at(line, offset)}
		o.Doubtful[rl] = d
	}
	d.Count += n
	when := signs(r, n, &d.Status, &d.MinusOne, &d.ByMinute)
	if !when.IsZero() {
		widen(&d.First, &d.Last, when, when)
	}
	listTimeout(o, d, r, when, n)
}

// signs counts what n timed-out records like r show — the status the
// client got, an integration latency logged as -1, the minute — into a
// timeout tally (an observation's, or a doubt's), and returns the time.
func signs(r *record, n int64, status *map[int]int64, minusOne *int64, byMinute *map[int64]int64) time.Time {
	if s, ok := number(r.get(fStatus)); ok && s >= 100 && s <= 599 {
		*status = model.Count(*status, int(s), n)
	}
	if l, ok := number(r.get(fIntegrationLatency)); ok && l == -1 {
		*minusOne += n
	}
	when := r.time()
	if !when.IsZero() {
		*byMinute = model.Count(*byMinute, when.Unix()/60, n)
	}
	return when
}

// widen stretches the span [*first, *last] (zero: empty) to hold
// [from, to] (zero: nothing to add).
func widen(first, last *time.Time, from, to time.Time) {
	if !from.IsZero() && (first.IsZero() || from.Before(*first)) {
		*first = from
	}
	if to.After(*last) {
		*last = to
	}
}

// seen notes which timeout-relevant fields the records carry.
func (t *tally) seen(r *record, placed bool) {
	f := &t.fields
	f.Status = f.Status || r.has(fStatus)
	f.IntegrationLatency = f.IntegrationLatency || r.has(fIntegrationLatency)
	f.ResponseType = f.ResponseType || r.has(fResponseType)
	f.ErrorMessage = f.ErrorMessage || r.has(fErrorMessage) || r.has(fIntegrationError)
	f.ResponseLatency = f.ResponseLatency || r.has(fResponseLatency)
	f.Method = f.Method || !absent(r.get(fMethod))
	f.Endpoint = f.Endpoint || placed
}

// Shift moves the piece's line numbers and offsets by the lines and
// bytes that precede it in its input.
func (t *tally) Shift(lines, offset int) {
	if lines == 0 && offset == 0 {
		return
	}
	mv := func(r *loc.Range) {
		if r.IsZero() {
			return
		}
		r.Start.Line += lines
		r.End.Line += lines
		r.Start.Offset += offset
		r.End.Offset += offset
	}
	mv(&t.first)
	for _, o := range t.eps.order {
		mv(&o.FirstTimeoutAt)
		mv(&o.FirstSeenAt)
		for _, d := range o.Doubtful {
			mv(&d.At)
		}
	}
}

// Merge adds a later piece of the same input, already shifted, to t.
func (t *tally) Merge(later logs.Records) {
	o := later.(*tally)
	t.records += o.records
	t.multi = t.multi || o.multi
	f, g := &t.fields, o.fields
	f.Status, f.IntegrationLatency, f.ResponseType = f.Status || g.Status, f.IntegrationLatency || g.IntegrationLatency, f.ResponseType || g.ResponseType
	f.ErrorMessage, f.ResponseLatency, f.Endpoint = f.ErrorMessage || g.ErrorMessage, f.ResponseLatency || g.ResponseLatency, f.Endpoint || g.Endpoint
	if t.first.IsZero() {
		t.first = o.first
	}
	for _, src := range o.eps.order {
		t.eps.merge(src)
	}
}
