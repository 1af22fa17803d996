package awsfacts

import "bytes"

// What counts as a timeout: the one definition every log reader applies
// to a request (an access-log record, a Logs Insights row). Each request
// is judged by the strongest signal it carries:
//
//  1. error.responseType names the cause. INTEGRATION_TIMEOUT is a timeout;
//     any other type (INTEGRATION_FAILURE, THROTTLED, DEFAULT_5XX, ...) is
//     not, whatever the status. Where the row comes from a query grouped by
//     error.responseType (Request.ResponseTypeVouched), an empty type says
//     API Gateway generated no error: the 504 is the backend's own.
//  2. Without a response type, an error message (error.message,
//     integrationErrorMessage, integration.error) saying the request
//     "timed out" ("Endpoint request timed out") is a timeout when the
//     status is API Gateway's timeout status (or not logged); a 502 saying
//     "Task timed out" is the function's own timeout, relayed. A message
//     naming another cause ("Internal server error", "Network error
//     communicating with endpoint") is not a timeout. The bare status texts
//     "Service Unavailable" and "Gateway Timeout", which HTTP APIs write for
//     timeouts and other failures alike, name no cause.
//  3. Otherwise a 504, or a 503 on an HTTP API route, whose integration
//     latency is -1, "-", empty or not logged is a weak timeout: a timeout
//     unless the endpoint's integration timeout is known and the response
//     came at least a second before it, which only the join with the
//     configuration can tell (see WeakTimeoutRuledOut).
//
// A 5xx that is not a timeout is another 5xx; anything else completed.

// Outcome is what became of a request.
type Outcome uint8

const (
	// Completed requests include 2xx and 4xx answers.
	Completed Outcome = iota
	// TimedOut requests were certainly cut off by the integration timeout.
	TimedOut
	// WeakTimeout requests are timeouts by the weak signal alone.
	WeakTimeout
	// Other5xx requests failed some other way.
	Other5xx
)

// Request is what a log shows of one request. Values are as logged: nil
// for a variable the log does not have, "-" or empty for one logged
// without a value.
type Request struct {
	// Status is the status the client got; 0 when not logged.
	Status int
	// ResponseType is $context.error.responseType.
	ResponseType []byte
	// ResponseTypeVouched is set for rows grouped by error.responseType,
	// where an empty type means API Gateway sent no error of its own.
	ResponseTypeVouched bool
	// Messages are error.message and integrationErrorMessage (or
	// integration.error).
	Messages [2][]byte
	// IntegrationLatency is $context.integrationLatency: -1, "-", empty or
	// not logged (nil) when no answer came from the integration.
	IntegrationLatency []byte
	// RouteKey is $context.routeKey; HTTPAPI is set where the API is
	// known to be an HTTP API without it.
	RouteKey []byte
	HTTPAPI  bool
}

var (
	integrationTimeout = []byte("INTEGRATION_TIMEOUT")
	timedOut           = []byte("timed out")
)

// IntegrationTimeoutType is the gateway response type of a timeout.
const IntegrationTimeoutType = "INTEGRATION_TIMEOUT"

// Outcome applies the definition above.
func (r *Request) Outcome() Outcome {
	is5xx := r.Status >= 500 && r.Status <= 599
	if rt := bytes.TrimSpace(r.ResponseType); !absent(rt) || r.ResponseTypeVouched {
		if bytes.EqualFold(rt, integrationTimeout) {
			return TimedOut
		}
		if is5xx {
			return Other5xx
		}
		return Completed
	}
	otherCause := false
	for _, m := range r.Messages {
		if absent(m) {
			continue
		}
		m = bytes.TrimSpace(bytes.Trim(m, `"`))
		if containsFold(m, timedOut) {
			if r.Status == 0 || r.Status == 504 || r.Status == 503 {
				return TimedOut
			}
			otherCause = true
			continue
		}
		if !neutralMessage(m) {
			otherCause = true
		}
	}
	if otherCause {
		if is5xx {
			return Other5xx
		}
		return Completed
	}
	if (r.Status == 504 || (r.Status == 503 && (r.HTTPAPI || HTTPRoute(r.RouteKey)))) && noLatency(r.IntegrationLatency) {
		return WeakTimeout
	}
	if is5xx {
		return Other5xx
	}
	return Completed
}

// WeakTimeoutRuledOut reports whether a weak timeout answered after
// responseLatency ms cannot have been the integration timing out: the
// endpoint's integration timeout is known (limit, in ms) and the response
// came more than a second before it.
func WeakTimeoutRuledOut(responseLatencyMs, limitMs int64) bool {
	return responseLatencyMs < limitMs-1000
}

// HTTPRoute reports whether a routeKey is an HTTP API's ("GET /x",
// "$default") rather than a WebSocket API's ($connect, sendMessage).
func HTTPRoute(rk []byte) bool {
	return bytes.IndexByte(rk, ' ') > 0 || bytes.Equal(rk, []byte("$default"))
}

// noLatency reports whether an integration latency says no answer came:
// not logged, "-", empty, or a negative number (-1).
func noLatency(v []byte) bool {
	if absent(v) {
		return true
	}
	if v[0] != '-' {
		return false
	}
	for _, c := range v[1:] {
		if (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return true
}

// absent is "-" or empty: a variable with no value.
func absent(v []byte) bool {
	return len(v) == 0 || (len(v) == 1 && v[0] == '-')
}

// neutralMessage is a message that names no cause: the status text HTTP
// APIs write for a timeout and for other failures alike.
func neutralMessage(m []byte) bool {
	return absent(m) || bytes.EqualFold(m, []byte("Service Unavailable")) ||
		bytes.EqualFold(m, []byte("Gateway Timeout"))
}

// containsFold reports whether s contains the lower-case ASCII sub.
func containsFold(s, sub []byte) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if bytes.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
