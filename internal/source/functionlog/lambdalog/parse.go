package lambdalog

import (
	"bytes"
	"time"
)

// Kind is the kind of a platform record.
type Kind uint8

const (
	// KindNone: not a platform record (an application line, or garbage).
	KindNone Kind = iota
	KindStart
	KindEnd
	KindReport
	// KindRuntimeDone is platform.runtimeDone (JSON format only).
	KindRuntimeDone
	// KindTimeout is "<ts> <id> Task timed out after 3.00 seconds".
	KindTimeout
	// KindRuntimeExit is "RequestId: <id> Error: Runtime exited with
	// error: ..." or "RequestId: <id> Process exited before completing
	// request" (also as platform.fault).
	KindRuntimeExit
	// KindHandlerError is the Node.js runtime's "<ts>\t<id>\tERROR\tInvoke
	// Error \t{...}": the handler threw.
	KindHandlerError
	KindInitStart
	// KindInitReport is INIT_REPORT / platform.initReport (init duration,
	// phase, status).
	KindInitReport
	KindRestoreStart
	KindRestoreReport
	// KindExtension is EXTENSION, TELEMETRY and LOGS lines and their JSON
	// forms.
	KindExtension
	// KindXRay is an "XRAY TraceId: ..." line.
	KindXRay
	// KindOther is any other platform.* record.
	KindOther
)

var kindNames = [...]string{"none", "start", "end", "report", "runtimeDone", "timeout", "runtimeExit",
	"handlerError", "initStart", "initReport", "restoreStart", "restoreReport", "extension", "xray", "other"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Status is how an invocation ended, as far as its log tells.
type Status uint8

const (
	StatusUnknown Status = iota
	StatusSuccess
	// StatusError covers "error" and "failure" (JSON), Status: error
	// (text), runtime exits and Node.js handler errors.
	StatusError
	StatusTimeout
)

func (s Status) String() string {
	switch s {
	case StatusSuccess:
		return "success"
	case StatusError:
		return "error"
	case StatusTimeout:
		return "timeout"
	}
	return "unknown"
}

func statusOf(b []byte) Status {
	switch string(b) {
	case "success", "Success", "SUCCESS":
		return StatusSuccess
	case "timeout", "Timeout", "TIMEOUT":
		return StatusTimeout
	case "error", "failure", "Error", "Failure", "ERROR", "FAILURE":
		return StatusError
	}
	return StatusUnknown
}

// Field is a set of the optional fields a Record holds.
type Field uint16

const (
	HasDuration Field = 1 << iota
	HasBilled
	HasInit
	HasRestore
	HasMemorySize
	HasMaxMemory
	HasStatus
	HasTime
	HasTimeoutAfter
)

// Record is one platform record. Its byte slices alias the message given
// to Parse and are valid as long as it is.
type Record struct {
	Kind Kind
	// JSON is set for the JSON log format (LoggingConfig.LogFormat: JSON).
	JSON      bool
	RequestID []byte
	// Time is the record's own time: a JSON record's "time", the
	// timestamp a "Task timed out" line starts with. Zero when none
	// (text START/END/REPORT carry none: the container's time is At.When).
	Time    time.Time
	Version []byte
	Status  Status
	// StatusText is the status as written ("timeout", "failure").
	StatusText []byte
	ErrorType  []byte
	// Phase is INIT_REPORT's "init" or "invoke" (a suppressed init).
	Phase []byte
	// Durations in milliseconds, as logged.
	Duration, Billed, Init, Restore float64
	MemorySizeMB, MaxMemoryUsedMB   int
	// TimeoutAfter is the seconds of "Task timed out after N seconds".
	TimeoutAfter float64
	Has          Field
}

// lead classifies a message's first byte: 0 for bytes no platform record
// starts with (most application lines stop there), 1 for candidates, 2
// for leading blanks.
var lead = func() (t [256]uint8) {
	for _, c := range "SERIXTL{0123456789" {
		t[c] = 1
	}
	t[' '], t['\t'] = 2, 2
	return t
}()

// maxIDLen bounds a request ID: longer tokens are not one.
const maxIDLen = 128

// IsCandidate reports whether msg could be a platform record, from its
// first byte alone. Parse does this check first; it is exported for
// callers that want to count application lines without calling Parse.
func IsCandidate(msg []byte) bool { return len(msg) > 0 && lead[msg[0]] != 0 }

// Parse reads msg as a platform record into r. It returns false, leaving
// r unspecified, for any other message: application lines are rejected
// from their first bytes, without allocating. Parse never allocates.
func Parse(msg []byte, r *Record) bool {
	if len(msg) < 4 {
		return false
	}
	switch lead[msg[0]] {
	case 0:
		return false
	case 2:
		// Copied console output indents; real platform lines do not, but
		// leniency is cheap: a few blanks, then the same test.
		i := 0
		for i < len(msg) && i < 16 && (msg[i] == ' ' || msg[i] == '\t') {
			i++
		}
		if i == len(msg) || lead[msg[i]] != 1 {
			return false
		}
		msg = msg[i:]
	}
	switch c := msg[0]; {
	case c == '{':
		return parseJSON(msg, r)
	case c >= '0' && c <= '9':
		return parseStamped(msg, r)
	}
	return parseText(msg, r)
}

func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }

var blanks = [256]bool{' ': true, '\t': true, '\r': true, '\n': true}

func isBlank(c byte) bool { return blanks[c] }

func skipBlanks(b []byte, i int) int {
	for i < len(b) && isBlank(b[i]) {
		i++
	}
	return i
}

// token is b[i:] up to the next blank.
func token(b []byte, i int) []byte {
	j := i
	for j < len(b) && !isBlank(b[j]) {
		j++
	}
	return b[i:j]
}

// requestID reads "RequestId: <id>" at b[i:] (the label already checked
// by the caller or not), returning the ID and where it ends.
func requestID(b []byte, i int) ([]byte, int) {
	i = skipBlanks(b, i)
	if !hasPrefix(b[i:], "RequestId:") {
		return nil, i
	}
	i = skipBlanks(b, i+len("RequestId:"))
	id := token(b, i)
	if len(id) == 0 || len(id) > maxIDLen {
		return nil, i
	}
	return id, i + len(id)
}

func parseText(b []byte, r *Record) bool {
	switch b[0] {
	case 'S':
		if hasPrefix(b, "START ") {
			id, i := requestID(b, 6)
			if id == nil {
				return false
			}
			*r = Record{Kind: KindStart, RequestID: id}
			i = skipBlanks(b, i)
			if hasPrefix(b[i:], "Version:") {
				if v := token(b, skipBlanks(b, i+len("Version:"))); len(v) > 0 {
					r.Version = v
				}
			}
			return true
		}
	case 'E':
		if hasPrefix(b, "END ") {
			id, _ := requestID(b, 4)
			if id == nil {
				return false
			}
			*r = Record{Kind: KindEnd, RequestID: id}
			return true
		}
		if hasPrefix(b, "EXTENSION") && len(b) > 9 && isBlank(b[9]) {
			*r = Record{Kind: KindExtension}
			return true
		}
	case 'R':
		switch {
		case hasPrefix(b, "REPORT "):
			id, i := requestID(b, 7)
			if id == nil {
				return false
			}
			*r = Record{Kind: KindReport, RequestID: id}
			fields(b[i:], r)
			return true
		case hasPrefix(b, "RequestId:"):
			return parseRequestIDLine(b, r)
		case hasPrefix(b, "RESTORE_START"):
			*r = Record{Kind: KindRestoreStart}
			return true
		case hasPrefix(b, "RESTORE_REPORT"):
			*r = Record{Kind: KindRestoreReport}
			fields(b[len("RESTORE_REPORT"):], r)
			return true
		}
	case 'I':
		switch {
		case hasPrefix(b, "INIT_START"):
			*r = Record{Kind: KindInitStart}
			return true
		case hasPrefix(b, "INIT_REPORT"):
			*r = Record{Kind: KindInitReport}
			fields(b[len("INIT_REPORT"):], r)
			return true
		case hasPrefix(b, "INIT_RUNTIME_DONE"):
			*r = Record{Kind: KindOther}
			return true
		}
	case 'X':
		if hasPrefix(b, "XRAY TraceId:") {
			*r = Record{Kind: KindXRay}
			return true
		}
	case 'T':
		if hasPrefix(b, "TELEMETRY") && len(b) > 9 && isBlank(b[9]) && bytes.Contains(b[10:min(len(b), 64)], []byte("Name:")) {
			*r = Record{Kind: KindExtension}
			return true
		}
	case 'L':
		if len(b) > 4 && hasPrefix(b, "LOGS") && isBlank(b[4]) && hasPrefix(b[skipBlanks(b, 4):], "Name:") {
			*r = Record{Kind: KindExtension}
			return true
		}
	}
	return false
}

// parseRequestIDLine reads the lines that start "RequestId: <id> ...":
// runtime exits, the old "Process exited before completing request", and
// the "Error: Task timed out" form the Runtime Interface Emulator's
// LocalStack fork writes.
func parseRequestIDLine(b []byte, r *Record) bool {
	id, i := requestID(b, 0)
	if id == nil {
		return false
	}
	rest := b[skipBlanks(b, i):]
	switch {
	case hasPrefix(rest, "Error: Runtime exited"):
		*r = Record{Kind: KindRuntimeExit, RequestID: id, ErrorType: runtimeExitError, Status: StatusError}
	case hasPrefix(rest, "Process exited before completing request"):
		*r = Record{Kind: KindRuntimeExit, RequestID: id, Status: StatusError}
	case hasPrefix(rest, "Error: Task timed out after "):
		*r = Record{Kind: KindTimeout, RequestID: id, Status: StatusTimeout}
		timeoutAfter(rest[len("Error: Task timed out after "):], r)
	case hasPrefix(rest, "Error: "):
		*r = Record{Kind: KindRuntimeExit, RequestID: id, Status: StatusError}
	default:
		return false
	}
	return true
}

var runtimeExitError = []byte("Runtime.ExitError")

func timeoutAfter(b []byte, r *Record) {
	if v, n := number(b); n > 0 && v >= 0 {
		r.TimeoutAfter = v
		r.Has |= HasTimeoutAfter
	}
}

// parseStamped reads the lines that start with a timestamp: "Task timed
// out" and the Node.js runtime's handler error. Node.js application lines
// ("<ts>\t<id>\tINFO\t...") are rejected by a few fixed-offset compares.
func parseStamped(b []byte, r *Record) bool {
	// The layout Lambda writes: a 24-byte timestamp
	// (2019-06-07T19:11:20.562Z), a separator, a 36-byte UUID request ID,
	// the same separator. Decided by a few fixed-offset compares.
	if len(b) >= 80 && b[10] == 'T' && b[23] == 'Z' && (b[24] == ' ' || b[24] == '\t') && b[61] == b[24] && b[33] == '-' && b[38] == '-' {
		switch b[62] {
		case 'T':
			if b[24] == ' ' && hasPrefix(b[62:], "Task timed out after ") {
				return stamped(b, 24, 61, r)
			}
		case 'E':
			if b[24] == '\t' && hasPrefix(b[62:], "ERROR\tInvoke Error") {
				return stamped(b, 24, 61, r)
			}
		}
		return false
	}
	// Any other layout (request IDs not 36 bytes, other timestamp
	// precisions): look for the two separators within bounds.
	sep1 := -1
	for i := 1; i < len(b) && i < 40; i++ {
		if b[i] == ' ' || b[i] == '\t' {
			sep1 = i
			break
		}
	}
	if sep1 < 0 {
		return false
	}
	sep2 := -1
	for i := sep1 + 1; i < len(b) && i <= sep1+1+maxIDLen; i++ {
		if b[i] == b[sep1] {
			sep2 = i
			break
		}
		if isBlank(b[i]) {
			return false
		}
	}
	if sep2 <= sep1+1 {
		return false
	}
	rest := b[sep2+1:]
	if b[sep1] == ' ' && hasPrefix(rest, "Task timed out after ") || b[sep1] == '\t' && hasPrefix(rest, "ERROR\tInvoke Error") {
		return stamped(b, sep1, sep2, r)
	}
	return false
}

func stamped(b []byte, sep1, sep2 int, r *Record) bool {
	id := b[sep1+1 : sep2]
	rest := b[sep2+1:]
	if rest[0] == 'T' {
		*r = Record{Kind: KindTimeout, RequestID: id, Status: StatusTimeout}
		timeoutAfter(rest[len("Task timed out after "):], r)
	} else {
		*r = Record{Kind: KindHandlerError, RequestID: id, Status: StatusError}
	}
	if t, ok := rfc3339(b[:sep1]); ok {
		r.Time = t
		r.Has |= HasTime
	}
	return true
}

// fields reads the "Label: value" fields of REPORT, INIT_REPORT and
// RESTORE_REPORT lines. Fields are found by their labels, not by position
// or separator: tabs, spaces (consoles render tabs as spaces), stray
// blanks, trailing tabs, missing and reordered fields are all fine, and a
// trailing XRAY TraceId in the same message is skipped.
func fields(b []byte, r *Record) {
	for i := 0; i < len(b); {
		if isBlank(b[i]) {
			i++
			continue
		}
		switch b[i] {
		case 'D':
			if hasPrefix(b[i:], "Duration:") {
				i = msField(b, i+len("Duration:"), &r.Duration, HasDuration, r)
				continue
			}
		case 'B':
			if hasPrefix(b[i:], "Billed Duration:") {
				i = msField(b, i+len("Billed Duration:"), &r.Billed, HasBilled, r)
				continue
			}
			if hasPrefix(b[i:], "Billed Restore Duration:") {
				var skip float64
				i = msField(b, i+len("Billed Restore Duration:"), &skip, 0, r)
				continue
			}
		case 'I':
			if hasPrefix(b[i:], "Init Duration:") {
				i = msField(b, i+len("Init Duration:"), &r.Init, HasInit, r)
				continue
			}
		case 'R':
			if hasPrefix(b[i:], "Restore Duration:") {
				i = msField(b, i+len("Restore Duration:"), &r.Restore, HasRestore, r)
				continue
			}
		case 'M':
			if hasPrefix(b[i:], "Memory Size:") {
				i = mbField(b, i+len("Memory Size:"), &r.MemorySizeMB, HasMemorySize, r)
				continue
			}
			if hasPrefix(b[i:], "Max Memory Used:") {
				i = mbField(b, i+len("Max Memory Used:"), &r.MaxMemoryUsedMB, HasMaxMemory, r)
				continue
			}
		case 'S':
			if hasPrefix(b[i:], "Status:") {
				j := skipBlanks(b, i+len("Status:"))
				v := token(b, j)
				r.StatusText, r.Status = v, statusOf(v)
				r.Has |= HasStatus
				i = j + len(v)
				continue
			}
		case 'E':
			if hasPrefix(b[i:], "Error Type:") {
				j := skipBlanks(b, i+len("Error Type:"))
				r.ErrorType = token(b, j)
				i = j + len(r.ErrorType)
				continue
			}
		case 'P':
			if hasPrefix(b[i:], "Phase:") {
				j := skipBlanks(b, i+len("Phase:"))
				r.Phase = token(b, j)
				i = j + len(r.Phase)
				continue
			}
		}
		for i < len(b) && !isBlank(b[i]) {
			i++
		}
	}
}

func msField(b []byte, i int, dst *float64, f Field, r *Record) int {
	i = skipBlanks(b, i)
	v, n := number(b[i:])
	if n > 0 && v >= 0 {
		*dst = v
		r.Has |= f
	}
	return i + n
}

func mbField(b []byte, i int, dst *int, f Field, r *Record) int {
	i = skipBlanks(b, i)
	v, n := number(b[i:])
	if n > 0 && v >= 0 && v < 1<<31 {
		*dst = int(v)
		r.Has |= f
	}
	return i + n
}
