package model

import (
	"slices"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/latency"
	"github.com/gatelint/gatelint/internal/loc"
)

// Stage is a deployed stage of an API: where its access logs go and in
// what format, and its stage variables.
type Stage struct {
	API  *API
	Name string
	// Resource defines the stage (an ApiGateway::Stage, the SAM API, a live
	// stage's ARN).
	Resource *Resource
	// Loc is where a finding about the stage points: the access-log
	// setting when there is one, else the resource key.
	Loc loc.Range
	// AccessLog is nil when the stage writes no access logs.
	AccessLog *AccessLog
	// NoAccessLogWhen, when set, is the condition under which the stage
	// writes none though AccessLog is set (under AccessLog.When).
	NoAccessLogWhen []Cond
	Variables       map[string]string
}

// AccessLog is a stage's access-log setting.
type AccessLog struct {
	// Destination is the log group or Firehose ARN, as written.
	Destination string
	// Format is the $context format string; FormatKnown is false when it
	// could not be resolved (an intrinsic gatelint cannot evaluate).
	Format      string
	FormatKnown bool
	// Loc is the Format scalar, or the setting's key when Format is absent.
	Loc loc.Range
	// Edit returns the byte edits that make the source's format say s, or
	// nil when no direct edit can (the format comes through a parameter).
	Edit func(format string) []finding.TextEdit `json:"-"`
	// Commands returns the AWS CLI commands that set a live stage's
	// format to s.
	Commands func(format string) []string `json:"-"`
	// When is the condition the setting holds under; empty when always.
	When []Cond
}

// LogFields says which timeout-relevant $context variables a log carries.
type LogFields struct {
	Status             bool
	IntegrationLatency bool
	ResponseType       bool // error.responseType
	ErrorMessage       bool // error.message, integrationErrorMessage, integration.error
	ResponseLatency    bool
	// Method is httpMethod.
	Method bool
	// Endpoint: httpMethod with resourcePath, routeKey or path.
	Endpoint bool
}

// PathNotLogged is the path of requests whose log record names no path
// or route key: they are counted, under this name, never as an endpoint
// with an empty path.
const PathNotLogged = "(path not logged)"

// LogSource is one access-log input as it was read.
type LogSource struct {
	// File is the path given ("-" for standard input).
	File string
	// Shape is what was detected: "JSON lines", "CloudWatch Logs export",
	// "filter-log-events output", "Firehose (subscription filter)", ...
	Shape string
	// Gzip is true when the content was gzip-compressed.
	Gzip bool
	// Query is true for the results of a Logs Insights query: what they
	// show is decided by the query's grouping, not the stage's format.
	Query bool
	Bytes int64
	// Records is the number of access-log records read.
	Records int64
	// Malformed records were skipped; MalformedLines holds the first few
	// line numbers (1-based, in the decompressed stream).
	Malformed      int64
	MalformedLines []int
	// Fields are the variables seen in the records.
	Fields LogFields
	// LogGroups names the CloudWatch log groups an envelope gave.
	LogGroups []string
	// Loc is the first record, where findings about the file point.
	Loc loc.Range
}

// Observation is what access logs say about one endpoint, from one or
// more sources, merged.
type Observation struct {
	// APIID, Stage, LogGroup and APIType are set when the log tells.
	APIID    string
	Stage    string
	LogGroup string
	APIType  APIType
	Method   string
	// Path is a path template (/items/{id}) when PathIsTemplate (REST
	// resourcePath, HTTP routeKey), else the concrete path requested.
	Path           string
	PathIsTemplate bool

	Requests int64
	// Timeouts counts requests certainly cut off by the integration
	// timeout; Doubtful holds the weak-signal ones that may not be (see
	// Doubt).
	Timeouts int64
	// Other5xx counts 5xx responses that are not timeouts.
	Other5xx int64
	// Latency is the integration latency of requests that completed.
	Latency latency.Histogram
	// Percentiles are integration-latency percentiles computed elsewhere
	// (a Logs Insights query, an aggregated export) when no per-request
	// latencies were read; nil otherwise. Latency wins when it has values.
	Percentiles *Percentiles
	// FirstTimeout and LastTimeout bound the timeouts in time; zero when
	// the log carries no time.
	FirstTimeout, LastTimeout time.Time
	// FirstTimeoutAt is the log record of the first timeout read.
	FirstTimeoutAt loc.Range
	// FirstSeenAt is the endpoint's first record read.
	FirstSeenAt loc.Range
	// TimeoutsByMinute counts timeouts per Unix minute, for timelines.
	TimeoutsByMinute map[int64]int64
	// Doubtful counts, by responseLatency in ms, timeouts known only by a
	// 504/503 with no integration latency and no cause named: they are
	// timeouts unless the endpoint's integration timeout is known and the
	// response came at least a second before it.
	Doubtful map[int64]*Doubt
	// TimeoutStatus counts timeouts by the HTTP status the client got, and
	// TimeoutLatencyMinusOne those whose integration latency was logged as
	// -1, so a report can say exactly what the client saw and which signal
	// told.
	TimeoutStatus          map[int]int64
	TimeoutLatencyMinusOne int64
	// StatusOnly counts the timeouts known by their status alone: the log
	// has no integration latency, responseLatency, error type or message
	// for them, so they may be other 5xx responses (a web server's 504, an
	// integration failure). Rules word them as possible timeouts.
	StatusOnly int64
	// TimeoutMethods counts timed-out requests by the method logged, when
	// the endpoint takes several (ANY): GL007 asks whether a POST did.
	TimeoutMethods map[string]int64
	// Aggregated is true when some rows were already aggregated (Logs
	// Insights stats): counts are exact, latency percentiles may be absent.
	Aggregated bool
	Sources    []string
	// TimedOut lists the timed-out requests with a time or an integration
	// request ID, for joining to the function's invocations; at most
	// MaxRuns, TimedOutCut set when there were more.
	TimedOut    []TimedOutRequest
	TimedOutCut bool
	listed      int // requests listed here and in Doubtful
}

// ListTimeout keeps a timed-out request for joins: in o.TimedOut, or in
// d's list when it is a weak-signal one (d not nil). At most MaxRuns are
// kept of an observation, weak or not.
func (o *Observation) ListTimeout(d *Doubt, q TimedOutRequest) {
	if o.listed >= MaxRuns {
		o.TimedOutCut = true
		return
	}
	o.listed++
	if d != nil {
		d.Requests = append(d.Requests, q)
		return
	}
	o.TimedOut = append(o.TimedOut, q)
}

// TimedOutRequest is one request cut off by the integration timeout, as
// its access-log record told it.
type TimedOutRequest struct {
	// When the request was received (zero when not logged).
	When time.Time
	// IntegrationRequestID is $context.integration.requestId or
	// $context.awsEndpointRequestId: the Lambda request ID of the
	// invocation, when logged.
	IntegrationRequestID string
}

// Doubt is a tally of weak-signal timeouts with one responseLatency.
type Doubt struct {
	Count       int64
	First, Last time.Time
	At          loc.Range
	// Status counts them by the status the client got; MinusOne counts
	// those whose integration latency was logged as -1.
	Status   map[int]int64
	MinusOne int64
	// ByMinute counts them per Unix minute, for the timeline.
	ByMinute map[int64]int64
	// Requests are those with a time or an integration request ID, for
	// joins (Observation.ListTimeout).
	Requests []TimedOutRequest
}

// Merge adds src's counts into o: pieces of one file read in parallel,
// files of one endpoint, concrete paths of one path template.
func (o *Observation) Merge(src *Observation) {
	o.Requests += src.Requests
	o.Timeouts += src.Timeouts
	o.Other5xx += src.Other5xx
	o.Latency.Merge(&src.Latency)
	o.Percentiles = MergePercentiles(o.Percentiles, src.Percentiles)
	o.Aggregated = o.Aggregated || src.Aggregated
	if o.FirstSeenAt.File == "" {
		o.FirstSeenAt = src.FirstSeenAt
	}
	if src.Timeouts > 0 {
		// The earliest timeout's record stands; without times, the first
		// one read.
		if o.FirstTimeoutAt.File == "" || (!src.FirstTimeout.IsZero() && src.FirstTimeout.Before(o.FirstTimeout)) {
			o.FirstTimeoutAt = src.FirstTimeoutAt
		}
		o.FirstTimeout = earliest(o.FirstTimeout, src.FirstTimeout)
		if src.LastTimeout.After(o.LastTimeout) {
			o.LastTimeout = src.LastTimeout
		}
	}
	o.TimeoutsByMinute = AddCounts(o.TimeoutsByMinute, src.TimeoutsByMinute)
	o.TimeoutStatus = AddCounts(o.TimeoutStatus, src.TimeoutStatus)
	o.TimeoutLatencyMinusOne += src.TimeoutLatencyMinusOne
	o.StatusOnly += src.StatusOnly
	for rl, d := range src.Doubtful {
		if o.Doubtful == nil {
			o.Doubtful = map[int64]*Doubt{}
		}
		e := o.Doubtful[rl]
		if e == nil {
			c := *d
			c.Status = AddCounts(nil, d.Status)
			c.ByMinute = AddCounts(nil, d.ByMinute)
			c.Requests = nil
			o.Doubtful[rl] = &c
			o.listRequests(&c, d.Requests)
			continue
		}
		o.listRequests(e, d.Requests)
		e.Count += d.Count
		e.MinusOne += d.MinusOne
		e.Status = AddCounts(e.Status, d.Status)
		e.ByMinute = AddCounts(e.ByMinute, d.ByMinute)
		if !d.First.IsZero() && (e.First.IsZero() || d.First.Before(e.First)) {
			e.First, e.At = d.First, d.At
		}
		if d.Last.After(e.Last) {
			e.Last = d.Last
		}
	}
	for _, s := range src.Sources {
		if !slices.Contains(o.Sources, s) {
			o.Sources = append(o.Sources, s)
		}
	}
	o.TimedOutCut = o.TimedOutCut || src.TimedOutCut
	o.listRequests(nil, src.TimedOut)
}

// listRequests lists qs as ListTimeout does.
func (o *Observation) listRequests(d *Doubt, qs []TimedOutRequest) {
	for _, q := range qs {
		o.ListTimeout(d, q)
	}
}

// MergePercentiles combines server-side percentiles of two disjoint
// groups of requests. They cannot be combined exactly; the larger of each
// is an upper bound, the safe side for "how close to the wall".
func MergePercentiles(a, b *Percentiles) *Percentiles {
	switch {
	case a == nil && b == nil:
		return nil
	case a == nil:
		c := *b
		return &c
	case b == nil:
		return a
	}
	return &Percentiles{Completed: a.Completed + b.Completed,
		P50: max(a.P50, b.P50), P95: max(a.P95, b.P95), P99: max(a.P99, b.P99), Max: max(a.Max, b.Max)}
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// AddCounts adds b's counts into a, allocating a when needed.
func AddCounts[K comparable](a, b map[K]int64) map[K]int64 {
	for k, n := range b {
		a = Count(a, k, n)
	}
	return a
}

// Count adds n to m[k], allocating m when needed.
func Count[K comparable](m map[K]int64, k K, n int64) map[K]int64 {
	if m == nil {
		m = map[K]int64{}
	}
	m[k] += n
	return m
}

// HasTraffic reports whether any request was seen.
func (o *Observation) HasTraffic() bool { return o != nil && o.Requests > 0 }

// Percentiles of integration latency in ms, as a server-side aggregation
// reported them. Completed is how many requests they describe.
type Percentiles struct {
	Completed          int64
	P50, P95, P99, Max int64
}

// Where is the log record a finding about o points at: its first timeout,
// else its first record, else the first source.
func (o *Observation) Where() loc.Range {
	switch {
	case o.FirstTimeoutAt.File != "":
		return o.FirstTimeoutAt
	case o.FirstSeenAt.File != "":
		return o.FirstSeenAt
	case len(o.Sources) > 0:
		return loc.Range{File: o.Sources[0]}
	}
	return loc.Range{}
}
