// Package model is the vocabulary every source (templates, access logs, a
// live account) fills and every rule reads: APIs, their endpoints and
// integrations, functions, queues. Rules never learn where a fact came from
// except through a Value's Origin, which they use only to word messages.
package model

import (
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
)

// APIType is the kind of API Gateway API; it sets the integration timeout
// ceiling (awsfacts.MaxIntegrationTimeout).
type APIType string

const (
	REST      APIType = "REST"
	HTTP      APIType = "HTTP"
	WebSocket APIType = "WEBSOCKET"
)

// EndpointType matters only for REST APIs: edge-optimized APIs can never
// have the integration timeout quota raised. It is empty when unknown (an
// API defined outside the template).
type EndpointType string

const (
	Edge     EndpointType = "EDGE"
	Regional EndpointType = "REGIONAL"
	Private  EndpointType = "PRIVATE"
)

// Kind is what a resource is, in gatelint's terms: sources map their own
// types (AWS::Lambda::Function, aws_lambda_function, an ARN) onto it.
type Kind string

const (
	KindAPI         Kind = "api"
	KindMethod      Kind = "method"
	KindRoute       Kind = "route"
	KindIntegration Kind = "integration"
	KindFunction    Kind = "function"
	KindAlias       Kind = "alias"
	KindQueue       Kind = "queue"
	KindEventSource Kind = "event source"
	KindStage       Kind = "stage"
	KindDeployment  Kind = "deployment"
	KindLog         Kind = "log"
)

// Resource is what a source calls one thing: the unit suppressions attach
// to and findings are filed under.
type Resource struct {
	// Address identifies the resource within its source: a CloudFormation
	// logical ID, an ARN, a log file.
	Address string
	Kind    Kind
	// Display is how messages name the resource (a CDK construct path);
	// the address when empty.
	Display string
	// File is where the resource is defined, for suppressions; empty for
	// a live resource.
	File string
	// Key is where findings about defaulted values point: the resource's
	// name in its file.
	Key loc.Range
	// Ignore maps rule IDs or names (upper-cased) to the reason given (may
	// be empty), file-level ignores included.
	Ignore map[string]string
	// Tags are tags that identify the deployed resource: those a live
	// resource carries, or those its deploy will give a configured one
	// (CloudFormation's aws:cloudformation:logical-id). A live resource
	// joins the configured one that shares a tag.
	Tags map[string]string
	// LogicalID, Type and CDKPath name the resource as CloudFormation and
	// CDK do (Type also for a live resource, AWS's type name, and for a
	// Terraform resource its type, aws_lambda_function); empty for sources
	// that have no such names.
	LogicalID, Type, CDKPath string
	// Scenario is the scenario (environment, parameter values) the
	// resource was read under, when its file is read under several; the
	// resources of one scenario link only to each other.
	Scenario *Scenario
}

// Scenario is one way a configuration is deployed (see finding.Scenario).
type Scenario = finding.Scenario

// Ignores reports whether the resource's suppressions (or its file's)
// name the rule, by ID or name.
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
	return finding.Resource{Address: r.Address, LogicalID: r.LogicalID, Type: r.Type, CDKPath: r.CDKPath, File: r.File, Scenario: r.Scenario}
}

// Name is how messages refer to the resource.
func (r *Resource) Name() string {
	if r.Display != "" {
		return r.Display
	}
	return r.Address
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
	// FunctionLogs are what functions' own logs said, per function,
	// before they are joined to Functions (Function.Log).
	FunctionLogs []*FunctionLog
	// Notes are parts of the inputs left unchecked, each with what and
	// why: a value no rule could judge (reported rather than treated as a
	// number), a file not found, a duplicate key.
	Notes []Note
	// Exports and Imports link configurations read from different files
	// (links.go).
	Exports []*Export
	Imports []*Import
	// Generated maps a location in the file a generated one was made from
	// (the line of a CDK app that a synthesized template came from) to the
	// places in the generated file it became. A source that reads generated
	// files but locates what it builds in their origin records them, and a
	// finding located there keeps the generated place as related: the
	// rules never learn which files are generated.
	Generated map[loc.Range][]GeneratedPlace
}

// GeneratedPlace is where something located in its origin was read
// from: Related names the generated file's place, and Address the
// resource it belongs to (one line of an app may make several).
type GeneratedPlace struct {
	Address string
	Related finding.Related
}

// GeneratedFor is the generated place of what is located at at, for the
// resource of the address given when it has one there, else the first.
func (m *Model) GeneratedFor(at loc.Range, address string) (finding.Related, bool) {
	ps := m.Generated[at]
	for _, p := range ps {
		if p.Address == address {
			return p.Related, true
		}
	}
	if len(ps) > 0 {
		return ps[0].Related, true
	}
	return finding.Related{}, false
}

// Note is a part of an input gatelint could not judge.
type Note struct {
	Loc     loc.Range
	Message string
	// Once marks a note every input of a kind may say alike (how to get a
	// CDK app's source lines): a run says it once.
	Once bool
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
	// QuotaMaxTimeout is the account's REST integration timeout quota as
	// read from Service Quotas (live audits), which governs Regional and
	// private APIs; 0 when not known.
	QuotaMaxTimeout time.Duration
	Endpoints       []*Endpoint
	Stages          []*Stage
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
	// RequireHeader says, in the source's words, how to make the API
	// require a request header; empty where it cannot (HTTP APIs).
	RequireHeader string
	// Observed is what access logs say about the endpoint, nil when no log
	// mentions it.
	Observed *Observation
	// Waiting says who waits for the integration's answer.
	Waiting Waiting
	// Phantoms is what joining its timed-out requests to its function's
	// invocations proved; nil when there was nothing to join.
	Phantoms *Phantoms
}

// Waiting says who, if anyone, waits for an endpoint's integration: what
// a timeout cuts off, and so which timeout rules apply.
type Waiting int

const (
	// ClientWaits: the client waits for the integration's answer (REST
	// and HTTP endpoints, a WebSocket route that answers: one with a
	// route response).
	ClientWaits Waiting = iota
	// ConnectionWaits: a WebSocket $connect route; the client's upgrade
	// request is pending until the integration completes, and the
	// connection is refused when it fails.
	ConnectionWaits
	// NobodyWaits: the integration's answer goes to no one (a WebSocket
	// route without a route response, $disconnect).
	NobodyWaits
)

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
	// Timeout is how long API Gateway is told to wait, or a Default-origin
	// value when unset.
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
	// Invokes is what a Lambda integration names as its function, as the
	// source writes it, for a note when no function could be linked.
	Invokes   string
	Endpoints []*Endpoint
}

// Function is a Lambda function (or one of its aliases, which share its
// configuration in templates).
type Function struct {
	Resource *Resource
	// Name is the deployed function name when the source fixes it, for
	// matching plain ARNs and live functions.
	Name string
	// NameHint, for a function whose name is generated at deploy, is a
	// part every generated name has (CloudFormation's STACK-LOGICALID-
	// SUFFIX holds "-LOGICALID-").
	NameHint string
	Timeout  Values
	// Aliases are the addresses of aliases and versions pointing at this
	// function.
	Aliases      []string
	Integrations []*Integration
	// Log is what the function's own log says of its invocations, nil
	// when none was read.
	Log *FunctionLog
	// Code is where the function's handler code is, when the source
	// knows (nil otherwise); Env are the environment variables its
	// configuration defines, by name.
	Code *Code
	Env  map[string]EnvVar
	// Calls are the outbound calls its code makes (package source/code
	// fills them); CodeRead says the code was found and read.
	Calls    []*Call
	CodeRead bool
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
