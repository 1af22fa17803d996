// Package accesslog reads API Gateway access logs, in whatever shape the
// log container (package logs) finds them, into per-endpoint
// observations: requests, timeouts, other 5xx, integration latency, and
// when the timeouts happened.
//
// # What counts as a timeout
//
// Each record is judged by awsfacts' one definition (Request.Outcome): a
// gateway response type, then an error message, then the weak signal of
// a 504 (an HTTP API's 503) without integration latency. A weak timeout
// with a logged responseLatency is counted in Observation.Doubtful by that
// latency rather than in Timeouts: it is a timeout unless the endpoint's
// integration timeout is known and the response came at least a second
// before it, which only the join with the configuration can tell.
//
// A 5xx that is not a timeout counts in Other5xx. A request whose
// integration latency is a number ≥ 0 and that is not a timeout completed:
// its latency goes into the endpoint's histogram.
//
// # Endpoints
//
// Records are grouped by apiId, stage, log group (when logged) and
// endpoint: REST resourcePath (a path template), an HTTP routeKey split
// into method and path template, a WebSocket routeKey, or else the
// concrete path with a leading /{stage} removed when the record logs its
// stage. A Logs Insights row with a count column stands for that many
// requests (a timeouts column: that many timeouts) and marks the
// observation Aggregated; percentile columns fill Percentiles.
package accesslog

import (
	"bytes"
	"strconv"
	"time"

	"github.com/gatelint/gatelint/internal/awsfacts"
)

// field names a $context variable the scanner reads.
type field uint8

const (
	fNone field = iota
	fMethod
	fResourcePath
	fRouteKey
	fPath
	fAPIID
	fStage
	fStatus
	fIntegrationLatency
	fResponseLatency
	fResponseType
	fErrorMessage
	fIntegrationError
	fRequestTimeEpoch
	fRequestTime
	fTimestamp // an envelope's or an Insights row's @timestamp
	// fIntegrationRequestID is $context.integration.requestId or
	// $context.awsEndpointRequestId: a Lambda integration's request ID.
	fIntegrationRequestID
	fCount    // an aggregated row: how many requests
	fTimeouts // an aggregated row: how many timeouts
	fP50
	fP95
	fP99
	fMax
	fMessage // Insights @message: a whole record inside a cell
	nFields
)

// normKey appends the normalised form of key to dst.
func normKey(dst, key []byte) []byte {
	for _, c := range key {
		switch {
		case c >= 'A' && c <= 'Z':
			dst = append(dst, c+'a'-'A')
		case c == '.' || c == '_' || c == '-' || c == ' ' || c == '$':
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// lookupField returns the field a key names. "$context." prefixes (a
// format string's variables) are dropped first.
func lookupField(key []byte) field {
	var buf [64]byte
	if len(key) > len(buf) {
		return fNone
	}
	n := normKey(buf[:0], key)
	if bytes.HasPrefix(n, []byte("context")) && len(n) > len("context") {
		if f := fieldOf(n[len("context"):]); f != fNone {
			return f
		}
	}
	return fieldOf(n)
}

// record is one access-log record's fields, as byte slices into the line
// (valid until the next record). A nil slice is a field not logged.
type record struct {
	val [nFields][]byte
	// set has bit f when field f was logged; val[f] is stale otherwise, so
	// a reset is one word.
	set uint32
	// when is the envelope's or export prefix's time, used when the record
	// carries none.
	when time.Time
}

func (r *record) reset() {
	r.set = 0
	r.when = time.Time{}
}

func (r *record) put(f field, v []byte) {
	if f == fNone {
		return
	}
	r.val[f] = v
	r.set |= 1 << f
}

// get is field f's value, nil when not logged.
func (r *record) get(f field) []byte {
	if r.set&(1<<f) == 0 {
		return nil
	}
	return r.val[f]
}

func (r *record) has(f field) bool { return r.set&(1<<f) != 0 }

// absent is "-" or empty: a variable with no value.
func absent(v []byte) bool {
	return len(v) == 0 || (len(v) == 1 && v[0] == '-')
}

// number parses a non-negative or negative decimal integer; ok is false
// for anything else ("-", empty, text). A fraction is truncated.
func number(v []byte) (n int64, ok bool) {
	neg := false
	if len(v) > 0 && v[0] == '-' {
		neg, v = true, v[1:]
	}
	if len(v) == 0 {
		return 0, false
	}
	i := 0
	for ; i < len(v); i++ {
		c := v[i]
		if c == '.' {
			break
		}
		if c < '0' || c > '9' || i >= 18 {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if i == 0 {
		return 0, false
	}
	if i < len(v) {
		for _, c := range v[i+1:] {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

// request fills q with what the record shows of its request, for
// awsfacts to judge. q is the caller's, reused from record to record.
func (r *record) request(q *awsfacts.Request) {
	q.Status = 0
	if s, ok := number(r.get(fStatus)); ok {
		q.Status = int(s)
	}
	q.ResponseType = r.get(fResponseType)
	q.Messages[0], q.Messages[1] = r.get(fErrorMessage), r.get(fIntegrationError)
	q.IntegrationLatency = r.get(fIntegrationLatency)
	q.RouteKey = r.get(fRouteKey)
}

// time returns when the request was made: requestTimeEpoch (ms or s by
// magnitude), requestTime, or the envelope's time; zero when none.
func (r *record) time() time.Time {
	if n, ok := number(r.get(fRequestTimeEpoch)); ok && n > 0 {
		if n >= 1e11 {
			return time.UnixMilli(n).UTC()
		}
		return time.Unix(n, 0).UTC()
	}
	for _, f := range [...]field{fRequestTime, fTimestamp} {
		if t, ok := parseTime(r.get(f)); ok {
			return t
		}
	}
	return r.when
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// clfTime reads $context.requestTime (02/Jan/2006:15:04:05 -0700) without
// time.Parse, which costs more than the rest of a timed-out record.
func clfTime(v []byte) (time.Time, bool) {
	if len(v) != 26 || v[2] != '/' || v[6] != '/' || v[11] != ':' || v[14] != ':' || v[17] != ':' || v[20] != ' ' {
		return time.Time{}, false
	}
	num := func(b []byte) int {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	mon := 0
	for i, m := range months {
		if string(v[3:6]) == m {
			mon = i + 1
		}
	}
	day, year, hh, mm, ss, zh, zm := num(v[0:2]), num(v[7:11]), num(v[12:14]), num(v[15:17]), num(v[18:20]), num(v[22:24]), num(v[24:26])
	if mon == 0 || day < 1 || day > 31 || year < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 || zh < 0 || zm < 0 || (v[21] != '+' && v[21] != '-') {
		return time.Time{}, false
	}
	off := (zh*60 + zm) * 60
	if v[21] == '-' {
		off = -off
	}
	t := time.Date(year, time.Month(mon), day, hh, mm, ss, 0, time.UTC).Add(-time.Duration(off) * time.Second)
	return t, true
}

// parseTime reads the time formats access logs and exports use.
func parseTime(v []byte) (time.Time, bool) {
	if t, ok := clfTime(v); ok {
		return t, true
	}
	s := string(bytes.Trim(bytes.TrimSpace(v), `"[]`))
	if absent([]byte(s)) {
		return time.Time{}, false
	}
	for _, layout := range [...]string{
		"02/Jan/2006:15:04:05 -0700", // $context.requestTime
		time.RFC3339Nano,
		"2006-01-02 15:04:05.000", // Logs Insights @timestamp
		"2006-01-02 15:04:05",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		if n >= 1e11 {
			return time.UnixMilli(n).UTC(), true
		}
		return time.Unix(n, 0).UTC(), true
	}
	return time.Time{}, false
}
