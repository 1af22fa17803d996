package report

import (
	"time"

	"github.com/gatelint/gatelint/internal/latency"
	"github.com/gatelint/gatelint/internal/loc"
)

// EndpointView is one endpoint as reports that draw traffic show it: its
// limits and what the logs saw. The caller fills it from the model; a
// report only draws it.
type EndpointView struct {
	API     string
	APIType string
	Stage   string
	Method  string
	Path    string
	// Location is the template line of the endpoint, or the log record
	// when no template defines it.
	Location loc.Range
	// IntegrationTimeoutMs and FunctionTimeoutMs are 0 when unknown.
	IntegrationTimeoutMs int64
	FunctionTimeoutMs    int64
	Requests             int64
	Timeouts             int64
	Other5xx             int64
	// Latency is the integration latency of completed requests.
	Latency *latency.Histogram
	// Percentiles summarise Latency, or stand alone when the logs were
	// aggregated elsewhere (Logs Insights); nil when no request completed
	// with a logged latency.
	Percentiles *Percentiles
	// TimeoutsByMinute counts timeouts per Unix minute.
	TimeoutsByMinute map[int64]int64
	FirstTimeout     time.Time
	LastTimeout      time.Time
	Sources          []string
}

// FunctionView is what one function's own logs showed, for reports that
// show more than findings.
type FunctionView struct {
	Name string
	// Location is the function's timeout setting (or its key).
	Location loc.Range
	// IntegrationTimeoutMs is the shortest synchronous integration wait in
	// front of it, FunctionTimeoutMs its Timeout; 0 when unknown.
	IntegrationTimeoutMs int64
	FunctionTimeoutMs    int64
	Invocations          int64
	// Phantoms ran longer than the integration waited; Completed of them
	// succeeded after the client's 504, TimedOut ran into the function's
	// Timeout, Cold were cold starts, ByInit pushed over by the init.
	Phantoms, Completed, TimedOut, Cold, ByInit int64
	ColdStarts                                  int64
	// Durations are the handler's durations (ms), nil when none was read;
	// Percentiles summarise them (or stand alone, from Logs Insights).
	Durations   *latency.Histogram
	Percentiles *Percentiles
	First, Last time.Time
	// Endpoints name the endpoints it serves; Proven says, per endpoint
	// whose timed-out requests were joined to invocations, "16 of the 18
	// timed-out requests ran to completion after the 504".
	Endpoints []string
	Proven    []string
	Sources   []string
	// Reported is set when GL010 reported the function.
	Reported bool
}

// LogView is one access-log input as read, for report headers.
type LogView struct {
	// Kind is "access log" or "function log".
	Kind      string
	File      string
	Shape     string
	Gzip      bool
	Bytes     int64
	Records   int64
	Malformed int64
	// MalformedLines are the first few skipped lines.
	MalformedLines []int
}

// LiveView says what part of an account a live audit read.
type LiveView struct {
	Account string
	Regions []string
	APIs    int
	Calls   int64
	// Errors counts the parts of the account that could not be read (the
	// run's input errors that came from the audit); Unreadable is true
	// when nothing at all could be (exit 2).
	Errors     int
	Unreadable bool
}

// Percentiles of integration latency in ms over Completed requests.
type Percentiles struct {
	Completed int64 `json:"completed"`
	P50       int64 `json:"p50"`
	P95       int64 `json:"p95"`
	P99       int64 `json:"p99"`
	Max       int64 `json:"max"`
}
