package lambdalog

import (
	"slices"
	"time"
)

// Options bound a Stitcher's memory and say where invocations go.
type Options struct {
	// OnInvocation is handed each invocation once it is stitched. The
	// Invocation is reused after the call returns: copy what you keep.
	OnInvocation func(*Invocation)
	// MaxPending bounds the invocations started and not yet reported
	// (many interleaved streams, or a log cut short); past it the oldest
	// is handed over as it is. 0: DefaultMaxPending.
	MaxPending int
	// MaxLinger is how many reported invocations are kept for lines that
	// follow their REPORT ("Task timed out" may come after it). 0:
	// DefaultMaxLinger.
	MaxLinger int
	// MaxHeld bounds the invocations whose START was not seen (a log
	// starting mid-invocation, or a chunk of one) kept for Merge with the
	// piece before. 0: DefaultMaxHeld.
	MaxHeld int
	// MaxStreams bounds the log streams whose INIT_START is remembered
	// for the START that follows. 0: DefaultMaxStreams.
	MaxStreams int
}

const (
	DefaultMaxPending = 1 << 16
	DefaultMaxLinger  = 1024
	DefaultMaxHeld    = 4096
	DefaultMaxStreams = 4096
)

// Stats counts what a Stitcher read.
type Stats struct {
	// Messages given to Message; Platform records among them (and given
	// to Record).
	Messages, Platform int64
	// Invocations handed over; Incomplete of them lacked a START or a
	// REPORT; Evicted were handed over early, MaxPending being reached.
	Invocations, Incomplete, Evicted int64
}

func (s *Stats) add(o Stats) {
	s.Messages += o.Messages
	s.Platform += o.Platform
	s.Invocations += o.Invocations
	s.Incomplete += o.Incomplete
	s.Evicted += o.Evicted
}

type stage uint8

const (
	stFree    stage = iota
	stPending       // not reported yet
	stLinger        // reported, waiting for trailing lines
	stHeld          // reported, no START: kept for Merge
)

// entry is an invocation being stitched.
type entry struct {
	inv   Invocation
	seq   uint64
	stage stage
	// stated is the status a REPORT or platform.report gave, done
	// platform.runtimeDone's.
	stated, done       Status
	firstLine, repLine int
	firstOff, repOff   int64
	durFromRuntimeDone bool
	// needsInit: the first START of its stream in this piece; an
	// INIT_START at the end of the piece before may be its.
	needsInit bool
	// assoc: init records came just before the START in its stream;
	// assocSuppressed: one said the init failed, or re-ran in the invoke
	// phase (then REPORT gives no Init Duration).
	assoc, assocSuppressed      bool
	assocInitMs, assocRestoreMs float64
	first                       time.Time // time of the first record
}

type qitem struct {
	e   *entry
	seq uint64
}

// fifo is a queue of entries in one stage, cleaned lazily: items whose
// entry moved on are skipped, and dropped when they outnumber the rest.
type fifo struct {
	items []qitem
	head  int
	st    stage
}

func (f *fifo) valid(q qitem) bool { return q.e.seq == q.seq && q.e.stage == f.st }

func (f *fifo) push(e *entry, live int) {
	f.items = append(f.items, qitem{e, e.seq})
	switch n := len(f.items) - f.head; {
	case n > 2*live+1024:
		// Mostly entries that moved on: keep the rest.
		kept := f.items[:0]
		for _, q := range f.items[f.head:] {
			if f.valid(q) {
				kept = append(kept, q)
			}
		}
		clear(f.items[len(kept):])
		f.items, f.head = kept, 0
	case f.head > 1024 && f.head > n:
		// Mostly popped: move the rest down.
		k := copy(f.items, f.items[f.head:])
		clear(f.items[k:])
		f.items, f.head = f.items[:k], 0
	}
}

// pop returns the oldest entry still in the stage, nil when none.
func (f *fifo) pop() *entry {
	for f.head < len(f.items) {
		q := f.items[f.head]
		f.items[f.head] = qitem{}
		f.head++
		if f.valid(q) {
			if f.head == len(f.items) {
				f.items, f.head = f.items[:0], 0
			}
			return q.e
		}
	}
	f.items, f.head = f.items[:0], 0
	return nil
}

type streamKey struct{ group, stream string }

type streamState struct {
	init       bool // INIT_START (or RESTORE_START...) records await their START
	started    bool // a START was seen
	suppressed bool // an INIT_REPORT said the init failed or ran in the invoke phase
	initMs     float64
	restoreMs  float64
}

// applyInit ties the init records st saw to e, the START after them in
// their stream. Whether they make e a cold start is decided by finish,
// once e's REPORT is known.
func applyInit(e *entry, st *streamState) {
	e.assoc = true
	e.assocSuppressed = e.assocSuppressed || st.suppressed
	if e.assocInitMs == 0 {
		e.assocInitMs = st.initMs
	}
	if e.assocRestoreMs == 0 {
		e.assocRestoreMs = st.restoreMs
	}
}

// Stitcher stitches platform records into invocations, per request ID.
// Streams may be interleaved (records of many log streams in one input)
// and cut short at either end; memory stays bounded by Options. A
// Stitcher is not safe for concurrent use: read chunks with one each and
// Merge them in input order.
type Stitcher struct {
	opt     Options
	rec     Record
	live    map[string]*entry
	nPend   int
	nLinger int
	nHeld   int
	pending fifo
	linger  fifo
	held    fifo
	streams map[streamKey]*streamState
	seq     uint64
	free    []*entry
	stats   Stats
	out     Invocation
	// last is the entry last looked up: the records of one invocation
	// mostly follow each other.
	last *entry
}

// lookup is the live entry of a request ID, nil when none.
func (s *Stitcher) lookup(id []byte) *entry {
	if e := s.last; e != nil && e.stage != stFree && e.inv.RequestID == string(id) {
		return e
	}
	e := s.live[string(id)]
	if e != nil {
		s.last = e
	}
	return e
}

// NewStitcher returns a Stitcher handing invocations to
// opt.OnInvocation.
func NewStitcher(opt Options) *Stitcher {
	if opt.MaxPending <= 0 {
		opt.MaxPending = DefaultMaxPending
	}
	if opt.MaxLinger <= 0 {
		opt.MaxLinger = DefaultMaxLinger
	}
	if opt.MaxHeld <= 0 {
		opt.MaxHeld = DefaultMaxHeld
	}
	if opt.MaxStreams <= 0 {
		opt.MaxStreams = DefaultMaxStreams
	}
	return &Stitcher{opt: opt, live: map[string]*entry{}, streams: map[streamKey]*streamState{},
		pending: fifo{st: stPending}, linger: fifo{st: stLinger}, held: fifo{st: stHeld}}
}

// Stats is what the Stitcher read so far.
func (s *Stitcher) Stats() Stats { return s.stats }

// InMemory is how many invocations the Stitcher holds now.
func (s *Stitcher) InMemory() int { return len(s.live) }

// Message reads one log message. It reports whether the message was a
// platform record; anything else (application output) is skipped after a
// look at its first bytes.
func (s *Stitcher) Message(msg []byte, at At) bool {
	s.stats.Messages++
	if !Parse(msg, &s.rec) {
		return false
	}
	s.Record(&s.rec, at)
	return true
}

// Record adds one parsed platform record.
func (s *Stitcher) Record(r *Record, at At) {
	s.stats.Platform++
	when := at.When
	if r.Has&HasTime != 0 {
		when = r.Time
	}
	switch r.Kind {
	case KindStart:
		e := s.lookup(r.RequestID)
		if e != nil {
			switch {
			case e.inv.Seen&SawStart != 0,
				// An orphan REPORT that ended before this START began is
				// another attempt (a retry keeps its request ID).
				!e.inv.End.IsZero() && !when.IsZero() && when.After(e.inv.End):
				s.emit(e)
				e = nil
			}
		}
		if e == nil {
			e = s.create(r.RequestID, at, when)
		}
		e.inv.Seen |= SawStart
		e.inv.Start = when
		e.inv.JSON = e.inv.JSON || r.JSON
		if len(r.Version) > 0 {
			e.inv.Version = intern(r.Version)
		}
		st := s.streams[streamKey{at.Group, at.Stream}]
		if st == nil || !st.started {
			// The stream's first START in this piece: the piece before
			// may end with (more of) its INIT (Merge looks).
			e.needsInit = true
		}
		if st != nil && st.init {
			applyInit(e, st)
		}
		if st != nil {
			*st = streamState{started: true}
		} else {
			s.stream(at).started = true
		}
		if e.stage == stHeld {
			s.emit(e) // the START of an orphan already reported: complete
		}
	case KindEnd:
		e := s.entryFor(r, at, when)
		e.inv.Seen |= SawEnd
	case KindReport:
		e := s.lookup(r.RequestID)
		if e != nil && e.inv.Seen&SawReport != 0 {
			s.emit(e) // a second REPORT: another attempt
			e = nil
		}
		if e == nil {
			e = s.create(r.RequestID, at, when)
		}
		s.report(e, r, at, when)
	case KindRuntimeDone:
		e := s.entryFor(r, at, when)
		e.inv.Seen |= SawRuntimeDone
		e.inv.JSON = true
		if r.Has&HasStatus != 0 {
			e.done = r.Status
		}
		if len(r.ErrorType) > 0 && e.inv.ErrorType == "" {
			e.inv.ErrorType = string(r.ErrorType)
		}
		if e.inv.Seen&SawReport == 0 {
			if r.Has&HasDuration != 0 {
				e.inv.Duration = msDuration(r.Duration)
				e.durFromRuntimeDone = true
			}
			if !when.IsZero() {
				e.inv.End = when
			}
		}
	case KindTimeout:
		e := s.entryFor(r, at, when)
		e.inv.Seen |= SawTimeoutLine
		e.inv.TimedOut = true
		if r.Has&HasTimeoutAfter != 0 && e.inv.TimeoutAfter == 0 {
			e.inv.TimeoutAfter = time.Duration(r.TimeoutAfter * float64(time.Second))
		}
	case KindRuntimeExit:
		if len(r.RequestID) == 0 {
			return
		}
		e := s.entryFor(r, at, when)
		e.inv.Seen |= SawRuntimeExit
		if len(r.ErrorType) > 0 && e.inv.ErrorType == "" {
			e.inv.ErrorType = intern(r.ErrorType)
		}
	case KindHandlerError:
		e := s.entryFor(r, at, when)
		e.inv.Seen |= SawHandlerError
	case KindInitStart, KindRestoreStart, KindInitReport, KindRestoreReport:
		st := s.stream(at)
		st.init = true
		if r.Kind == KindInitReport && (string(r.Phase) == "invoke" || r.Has&HasStatus != 0 && r.Status != StatusSuccess) {
			st.suppressed = true
		}
		if r.Has&HasInit != 0 && string(r.Phase) != "invoke" {
			st.initMs = r.Init
		}
		if r.Has&HasRestore != 0 {
			st.restoreMs = r.Restore
		}
	}
}

func (s *Stitcher) report(e *entry, r *Record, at At, when time.Time) {
	inv := &e.inv
	inv.Seen |= SawReport
	inv.JSON = inv.JSON || r.JSON
	if r.Has&HasDuration != 0 {
		inv.Duration = msDuration(r.Duration)
		e.durFromRuntimeDone = false
	}
	if r.Has&HasBilled != 0 {
		inv.Billed = msDuration(r.Billed)
	}
	if r.Has&HasInit != 0 {
		inv.InitDuration = msDuration(r.Init)
	}
	if r.Has&HasRestore != 0 {
		inv.RestoreDuration = msDuration(r.Restore)
	}
	if r.Has&HasMemorySize != 0 {
		inv.MemorySizeMB = r.MemorySizeMB
	}
	if r.Has&HasMaxMemory != 0 {
		inv.MaxMemoryUsedMB = r.MaxMemoryUsedMB
	}
	if r.Has&HasStatus != 0 {
		e.stated = r.Status
	}
	if len(r.ErrorType) > 0 {
		inv.ErrorType = intern(r.ErrorType)
	}
	if !when.IsZero() {
		inv.End = when
	}
	e.repLine, e.repOff = at.Line, at.Offset
	if e.stage == stPending {
		s.toLinger(e)
	}
}

// entryFor is the entry of r's request ID, a new one (without START) when
// there is none.
func (s *Stitcher) entryFor(r *Record, at At, when time.Time) *entry {
	if e := s.lookup(r.RequestID); e != nil {
		return e
	}
	return s.create(r.RequestID, at, when)
}

func (s *Stitcher) create(id []byte, at At, when time.Time) *entry {
	var e *entry
	if n := len(s.free); n > 0 {
		e, s.free = s.free[n-1], s.free[:n-1]
	} else {
		e = new(entry)
	}
	s.seq++
	*e = entry{seq: s.seq, stage: stPending, firstLine: at.Line, firstOff: at.Offset, first: when}
	e.inv.RequestID = string(id)
	e.inv.Group, e.inv.Stream = at.Group, at.Stream
	s.live[e.inv.RequestID] = e
	s.last = e
	s.nPend++
	s.pending.push(e, s.nPend)
	if s.nPend > s.opt.MaxPending {
		if old := s.pending.pop(); old != nil && old != e {
			s.stats.Evicted++
			s.leavePending(old)
		}
	}
	return e
}

// leavePending hands over an entry pushed out of the pending stage
// without a REPORT: held when it has no START (the piece before may have
// it), else handed over as it is.
func (s *Stitcher) leavePending(e *entry) {
	if e.inv.Seen&SawStart == 0 && s.nHeld < s.opt.MaxHeld {
		s.setStage(e, stHeld)
		s.held.push(e, s.nHeld)
		return
	}
	s.emit(e)
}

func (s *Stitcher) toLinger(e *entry) {
	s.setStage(e, stLinger)
	s.linger.push(e, s.nLinger)
	if s.nLinger > s.opt.MaxLinger {
		if old := s.linger.pop(); old != nil {
			if (old.inv.Seen&SawStart == 0 || old.needsInit) && s.nHeld < s.opt.MaxHeld {
				s.setStage(old, stHeld)
				s.held.push(old, s.nHeld)
			} else {
				s.emit(old)
			}
		}
	}
}

func (s *Stitcher) count(st stage, d int) {
	switch st {
	case stPending:
		s.nPend += d
	case stLinger:
		s.nLinger += d
	case stHeld:
		s.nHeld += d
	}
}

func (s *Stitcher) setStage(e *entry, st stage) {
	s.count(e.stage, -1)
	e.stage = st
	s.count(st, 1)
}

func (s *Stitcher) stream(at At) *streamState {
	k := streamKey{at.Group, at.Stream}
	st := s.streams[k]
	if st == nil {
		if len(s.streams) >= s.opt.MaxStreams {
			clear(s.streams)
		}
		st = &streamState{}
		s.streams[k] = st
	}
	return st
}

// emit finishes an entry, hands it over and forgets it.
func (s *Stitcher) emit(e *entry) {
	if s.live[e.inv.RequestID] == e {
		delete(s.live, e.inv.RequestID)
	}
	s.count(e.stage, -1)
	s.out = e.inv
	finish(e, &s.out)
	s.stats.Invocations++
	if !s.out.Complete() {
		s.stats.Incomplete++
	}
	if s.opt.OnInvocation != nil {
		s.opt.OnInvocation(&s.out)
	}
	*e = entry{}
	if len(s.free) < 1024 {
		s.free = append(s.free, e)
	}
}

// finish derives what the records imply: the status, a duration from a
// "Task timed out" line, the cold start, the missing end of the span.
func finish(e *entry, inv *Invocation) {
	switch {
	case inv.TimedOut || e.stated == StatusTimeout || e.done == StatusTimeout:
		inv.Status, inv.TimedOut = StatusTimeout, true
	case e.stated == StatusError || e.done == StatusError || inv.Seen&(SawRuntimeExit|SawHandlerError) != 0:
		inv.Status = StatusError
	case e.stated == StatusSuccess || e.done == StatusSuccess || inv.Seen&SawReport != 0:
		inv.Status = StatusSuccess
	default:
		inv.Status = StatusUnknown
	}
	if inv.Seen&(SawReport|SawRuntimeDone) == 0 && inv.TimeoutAfter > 0 {
		inv.Duration = inv.TimeoutAfter
	}
	// Init records before the START make a cold start when the REPORT
	// cannot say (none was seen, or the init was suppressed: re-run in the
	// invoke phase, so REPORT has no Init Duration). A REPORT without Init
	// Duration otherwise means a warm start: in a log of interleaved
	// streams whose names the container did not give, the INIT_START
	// before a START may be another stream's.
	if e.assoc && (inv.Seen&(SawReport|SawRuntimeDone) == 0 || e.assocSuppressed) {
		inv.Seen |= SawInit
		if inv.InitDuration == 0 && e.assocInitMs > 0 {
			inv.InitDuration = msDuration(e.assocInitMs)
		}
		if inv.RestoreDuration == 0 && e.assocRestoreMs > 0 {
			inv.RestoreDuration = msDuration(e.assocRestoreMs)
		}
	}
	inv.ColdStart = inv.InitDuration > 0 || inv.RestoreDuration > 0 || inv.Seen&SawInit != 0
	if inv.Seen&SawReport != 0 {
		inv.Line, inv.Offset = e.repLine, e.repOff
	} else {
		inv.Line, inv.Offset = e.firstLine, e.firstOff
	}
	if inv.Start.IsZero() && inv.Seen&SawStart == 0 && !inv.End.IsZero() && inv.Duration > 0 {
		inv.Start = inv.End.Add(-inv.Duration)
	}
	if inv.End.IsZero() && !inv.Start.IsZero() && inv.Duration > 0 {
		inv.End = inv.Start.Add(inv.Duration)
	}
	if inv.Start.IsZero() && inv.End.IsZero() && !e.first.IsZero() {
		inv.Start = e.first
	}
}

// Flush hands over every invocation still held: those cut short (a START
// without REPORT at the end of the log, a REPORT without START at its
// beginning) as they are. Call it once the input (and the pieces merged
// into it) are read.
func (s *Stitcher) Flush() {
	for _, e := range s.entries() {
		s.emit(e)
	}
	s.pending, s.linger, s.held = fifo{st: stPending}, fifo{st: stLinger}, fifo{st: stHeld}
	clear(s.streams)
}

// entries are the live entries in the order they were created.
func (s *Stitcher) entries() []*entry {
	es := make([]*entry, 0, len(s.live))
	for _, e := range s.live {
		es = append(es, e)
	}
	slices.SortFunc(es, func(a, b *entry) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	return es
}

// Shift moves the line numbers and offsets of the invocations held by the
// lines and bytes that precede this piece in its input. Invocations
// already handed over are the caller's to move.
func (s *Stitcher) Shift(lines int, offset int64) {
	for _, e := range s.live {
		e.firstLine += lines
		e.repLine += lines
		e.firstOff += offset
		e.repOff += offset
	}
}

// Merge adds later, the Stitcher of the piece that follows this one's in
// the input (already shifted), and empties it. Invocations split between
// the pieces (START and REPORT on either side of the cut, "Task timed
// out" after it) are joined and handed to this Stitcher's OnInvocation;
// later's other invocations carry on here as they were.
func (s *Stitcher) Merge(later *Stitcher) {
	for _, o := range later.entries() {
		later.count(o.stage, -1)
		delete(later.live, o.inv.RequestID)
		if o.needsInit {
			o.needsInit = false
			if st := s.streams[streamKey{o.inv.Group, o.inv.Stream}]; st != nil && st.init {
				applyInit(o, st)
				*st = streamState{started: true}
			}
		}
		e := s.live[o.inv.RequestID]
		if e != nil && o.inv.Seen&SawStart == 0 && !(e.inv.Seen&SawReport != 0 && o.inv.Seen&SawReport != 0) {
			s.absorb(e, o)
			continue
		}
		if e != nil {
			s.emit(e) // the same ID again: another attempt
		}
		st := o.stage
		s.seq++
		o.seq = s.seq
		o.stage = stFree
		s.live[o.inv.RequestID] = o
		switch st {
		case stPending:
			o.stage = stPending
			s.nPend++
			s.pending.push(o, s.nPend)
			if s.nPend > s.opt.MaxPending {
				if old := s.pending.pop(); old != nil {
					s.stats.Evicted++
					s.leavePending(old)
				}
			}
		case stLinger:
			s.toLinger(o)
		default:
			if o.inv.Seen&SawStart == 0 && s.nHeld < s.opt.MaxHeld {
				o.stage = stHeld
				s.nHeld++
				s.held.push(o, s.nHeld)
			} else {
				s.emit(o)
			}
		}
	}
	for k, v := range later.streams {
		if cur := s.streams[k]; cur != nil && !v.started && cur.init {
			// Init records on both sides of the cut, no START yet.
			v.suppressed = v.suppressed || cur.suppressed
			if v.initMs == 0 {
				v.initMs = cur.initMs
			}
			if v.restoreMs == 0 {
				v.restoreMs = cur.restoreMs
			}
		}
		if len(s.streams) >= s.opt.MaxStreams && s.streams[k] == nil {
			clear(s.streams)
		}
		s.streams[k] = v
	}
	s.stats.add(later.stats)
	*later = *NewStitcher(later.opt)
}

// absorb joins o (the later part of an invocation, without START) into e.
func (s *Stitcher) absorb(e, o *entry) {
	inv, oi := &e.inv, &o.inv
	if oi.Seen&SawReport != 0 {
		inv.Duration, inv.Billed = oi.Duration, oi.Billed
		inv.MemorySizeMB, inv.MaxMemoryUsedMB = oi.MemorySizeMB, oi.MaxMemoryUsedMB
		if oi.InitDuration > 0 {
			inv.InitDuration = oi.InitDuration
		}
		if oi.RestoreDuration > 0 {
			inv.RestoreDuration = oi.RestoreDuration
		}
		e.stated = o.stated
		e.repLine, e.repOff = o.repLine, o.repOff
		e.durFromRuntimeDone = false
		if !oi.End.IsZero() {
			inv.End = oi.End
		}
	} else if oi.Seen&SawRuntimeDone != 0 && inv.Seen&SawReport == 0 {
		inv.Duration, e.durFromRuntimeDone = oi.Duration, true
		if !oi.End.IsZero() {
			inv.End = oi.End
		}
	}
	if o.done != StatusUnknown {
		e.done = o.done
	}
	if oi.ErrorType != "" && (inv.ErrorType == "" || oi.Seen&SawReport != 0) {
		inv.ErrorType = oi.ErrorType
	}
	inv.TimedOut = inv.TimedOut || oi.TimedOut
	if inv.TimeoutAfter == 0 {
		inv.TimeoutAfter = oi.TimeoutAfter
	}
	inv.JSON = inv.JSON || oi.JSON
	wasReported := inv.Seen&SawReport != 0
	inv.Seen |= oi.Seen
	if !wasReported && inv.Seen&SawReport != 0 && e.stage == stPending {
		s.toLinger(e)
	}
}

// intern returns common values without allocating.
func intern(b []byte) string {
	switch string(b) {
	case "$LATEST":
		return "$LATEST"
	case "Runtime.ExitError":
		return "Runtime.ExitError"
	case "Runtime.OutOfMemory":
		return "Runtime.OutOfMemory"
	case "Sandbox.Timedout":
		return "Sandbox.Timedout"
	}
	return string(b)
}
