// Package model is the vocabulary every source (templates, access logs, a
// live account) fills and every rule reads: APIs, their endpoints and
// integrations, functions, queues. Rules never learn where a fact came from
// except through a Value's Origin, which they use only to word messages.
package model

import (
	"strings"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
)

// APIType is the kind of API Gateway API; it sets the integration timeout
// ceiling.
type APIType string

const (
	REST      APIType = "REST"
	HTTP      APIType = "HTTP"
	WebSocket APIType = "WEBSOCKET"
)

// MaxTimeoutMillis is the integration timeout ceiling API Gateway enforces
// without a quota increase, which is also the default when unset.
func (t APIType) MaxTimeoutMillis() int64 {
	if t == HTTP {
		return 30000
	}
	return 29000
}

// StreamingMaxTimeoutMillis is the ceiling for REST integrations that
// stream their response (ResponseTransferMode STREAM): 15 minutes.
const StreamingMaxTimeoutMillis = 900000

// EndpointType matters only for REST APIs: edge-optimized APIs can never
// have the integration timeout quota raised. It is empty when unknown (an
// API defined outside the template).
type EndpointType string

const (
	Edge     EndpointType = "EDGE"
	Regional EndpointType = "REGIONAL"
	Private  EndpointType = "PRIVATE"
)

// Resource is what a template (or the live account) calls one thing: the
// unit suppressions attach to and findings are filed under.
type Resource struct {
	File      string
	LogicalID string
	Type      string
	CDKPath   string
	// Key is the logical ID key in the template, where findings about
	// defaulted values point.
	Key loc.Range
	// Ignore maps rule IDs or names to the reason given (may be empty),
	// template-level ignores included.
	Ignore map[string]string
}

// Ignores reports whether the resource's Metadata (or its template's)
// suppresses the rule, named by ID or name.
func (r *Resource) Ignores(id, name string) bool {
	return r != nil && Suppresses(r.Ignore, id, name)
}

// Suppresses reports whether an ignore list names the rule by ID or name
// (the lists hold them upper-cased).
func Suppresses(ignore map[string]string, id, name string) bool {
	_, byID := ignore[strings.ToUpper(id)]
	_, byName := ignore[strings.ToUpper(name)]
	return byID || byName
}

// Finding returns the resource as reports name it.
func (r *Resource) Finding() finding.Resource {
	if r == nil {
		return finding.Resource{}
	}
	return finding.Resource{LogicalID: r.LogicalID, Type: r.Type, CDKPath: r.CDKPath, File: r.File}
}

// Name is how messages refer to the resource: the CDK construct path when
// there is one, since CDK users never see logical IDs.
func (r *Resource) Name() string {
	if r.CDKPath != "" {
		// L2 constructs keep their L1 resource as child "Resource"; the
		// construct is what the user wrote.
		return strings.TrimSuffix(r.CDKPath, "/Resource")
	}
	return r.LogicalID
}

// Model is everything gathered from all inputs.
type Model struct {
	APIs         []*API
	Functions    []*Function
	Queues       []*Queue
	EventSources []*EventSource
	// Observations are access-log statistics per endpoint, before they are
	// joined to Endpoints (Endpoint.Observed).
	Observations []*Observation
	// LogSources are the access-log inputs read.
	LogSources []*LogSource
	// Unresolved lists values no rule could judge, so reports can say so
	// instead of a rule treating them as a number, and other parts of the
	// inputs left unchecked (Unknown says what and why).
	Unresolved []Value
}

// API is one REST, HTTP or WebSocket API.
type API struct {
	Resource     *Resource
	Name         string
	Type         APIType
	EndpointType EndpointType
	// Implicit is true for the API SAM creates for events without RestApiId/ApiId.
	Implicit bool
	// FromLogs is true for an API that only access logs tell of: no
	// template or account defined it, so nothing is known of its settings.
	FromLogs bool
	// ID is the API's id when known (live, or logged as apiId).
	ID string
	// QuotaMaxTimeoutMillis is the account's REST integration timeout
	// quota as read from Service Quotas (live audits), which governs
	// Regional and private APIs; 0 when not known.
	QuotaMaxTimeoutMillis int64
	Endpoints             []*Endpoint
	Stages                []*Stage
}

// Endpoint is one method and path (or WebSocket route) and what serves it.
type Endpoint struct {
	API    *API
	Method string
	Path   string
	// Resource defines the endpoint: a Method, a Route, a function's event
	// or the API whose OpenAPI body holds the operation.
	Resource    *Resource
	Loc         loc.Range
	Integration *Integration
	// RequiredHeaders are request headers the API itself requires
	// (lower case), as request validation enforces them.
	RequiredHeaders []string
	// Observed is what access logs say about the endpoint, nil when no log
	// mentions it.
	Observed *Observation
}

// Finding returns the endpoint as reports name it.
func (e *Endpoint) Finding() *finding.Endpoint {
	return &finding.Endpoint{API: e.API.Resource.Name(), APIType: string(e.API.Type), Method: e.Method, Path: e.Path}
}

// Name is "POST /path".
func (e *Endpoint) Name() string { return e.Finding().String() }

// IntegrationKind says whether the client waits for the backend's work.
type IntegrationKind int

const (
	KindUnknown IntegrationKind = iota
	// LambdaProxy and LambdaSync wait for the function to return.
	LambdaProxy
	LambdaSync
	// LambdaEvent invokes the function with X-Amz-Invocation-Type: Event.
	LambdaEvent
	// HTTPBackend waits for an HTTP server.
	HTTPBackend
	// AWSAsync hands the work to a queue, stream, bus or state machine.
	AWSAsync
	// AWSSync calls another AWS API and waits for its answer.
	AWSSync
	Mock
)

// Synchronous reports whether the client waits for the work itself.
func (k IntegrationKind) Synchronous() bool {
	return k == LambdaProxy || k == LambdaSync || k == HTTPBackend || k == AWSSync
}

func (k IntegrationKind) String() string {
	return [...]string{"unknown", "Lambda proxy", "synchronous Lambda", "asynchronous Lambda (Event)", "HTTP", "asynchronous AWS service", "synchronous AWS service", "mock"}[k]
}

// Integration is what an endpoint hands the request to.
type Integration struct {
	// Resource holds the integration's settings: a Method, an
	// ApiGatewayV2::Integration, a SAM function (events) or an API (OpenAPI).
	Resource *Resource
	Loc      loc.Range
	// Timeout is TimeoutInMillis, or a Default-origin value when unset.
	Timeout Values
	Kind    IntegrationKind
	// Target describes an AWS service target ("SQS SendMessage").
	Target string
	// Function is the Lambda function invoked, when it could be linked.
	Function *Function
	// Qualifier is the alias or version in the invoked ARN.
	Qualifier string
	// Streaming is a REST proxy integration with ResponseTransferMode
	// STREAM, which may wait up to 15 minutes.
	Streaming bool
	Endpoints []*Endpoint
}

// Function is a Lambda function (or one of its aliases, which share its
// configuration in templates).
type Function struct {
	Resource *Resource
	// Name is the FunctionName when written literally, for matching plain ARNs.
	Name    string
	Timeout Values
	// Aliases are logical IDs of AWS::Lambda::Alias / Version resources
	// pointing at this function.
	Aliases      []string
	Integrations []*Integration
}

// Queue is an SQS queue.
type Queue struct {
	Resource          *Resource
	VisibilityTimeout Values
}

// EventSource is a queue feeding a function.
type EventSource struct {
	Resource *Resource
	Loc      loc.Range
	Queue    *Queue
	Function *Function
}
