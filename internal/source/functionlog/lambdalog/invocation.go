package lambdalog

import "time"

// Seen is the set of platform records an invocation was stitched from.
type Seen uint16

const (
	SawStart Seen = 1 << iota
	SawEnd
	SawReport
	SawRuntimeDone
	SawTimeoutLine
	SawRuntimeExit
	SawHandlerError
	// SawInit: init records just before the START in its log stream
	// made it a cold start that the REPORT could not tell (none was seen,
	// or the init was suppressed: INIT_REPORT with Phase: invoke or an
	// error status, after which REPORT gives no Init Duration).
	SawInit
)

// Invocation is one invocation, stitched from the platform records of its
// request ID.
type Invocation struct {
	RequestID string
	// Group and Stream are where its first record was (as the container
	// said: empty when not known).
	Group, Stream string
	Version       string
	// Start is START's time; End is REPORT's (or runtimeDone's). Text
	// records carry no time of their own: these are the container's
	// (At.When), zero when it had none. When only one is known the other
	// is derived from Duration.
	Start, End time.Time
	// Duration is the handler's (REPORT Duration, platform.report
	// durationMs; platform.runtimeDone's, or the "Task timed out after"
	// seconds, when there is no REPORT). InitDuration and RestoreDuration
	// are those of a cold start (Init Duration / SnapStart restore).
	Duration, InitDuration, RestoreDuration, Billed time.Duration
	MemorySizeMB, MaxMemoryUsedMB                   int
	Status                                          Status
	// ErrorType is REPORT's "Error Type", JSON errorType, or
	// Runtime.ExitError for a runtime exit.
	ErrorType string
	// TimedOut: a "Task timed out" line or a timeout status.
	TimedOut bool
	// TimeoutAfter is the seconds the "Task timed out after" line gave.
	TimeoutAfter time.Duration
	// ColdStart: an Init (or Restore) Duration was reported, or SawInit.
	ColdStart bool
	Seen      Seen
	// JSON is set when the records were in the JSON log format.
	JSON bool
	// Line and Offset are where its REPORT was, or its first record when
	// it has none: as the caller gave them in At, moved by Shift.
	Line   int
	Offset int64
}

// Wait is how long a synchronous caller (API Gateway) waited on the
// invocation: the handler's duration plus, on a cold start, the init (or
// restore) time before it.
func (inv *Invocation) Wait() time.Duration {
	return inv.Duration + inv.InitDuration + inv.RestoreDuration
}

// Complete reports whether both ends of the invocation were in the log.
func (inv *Invocation) Complete() bool {
	return inv.Seen&SawStart != 0 && inv.Seen&(SawReport|SawRuntimeDone) != 0
}

// HasDuration reports whether the log told how long the handler ran.
func (inv *Invocation) HasDuration() bool {
	return inv.Seen&(SawReport|SawRuntimeDone) != 0 || inv.TimeoutAfter > 0
}

// At is where a message stands in its input: lines 1-based, offsets in
// the decompressed stream, the time the container gave it (an export's
// prefix, an event's timestamp; zero when none), and its log group and
// stream when the container knows them (envelopes, filter-log-events).
type At struct {
	Line   int
	Offset int64
	When   time.Time
	Group  string
	Stream string
}
