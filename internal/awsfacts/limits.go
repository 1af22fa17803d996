// Package awsfacts is what gatelint knows about AWS, in one place: the
// limits and defaults of API Gateway, Lambda and SQS, which integrations
// make a client wait, the $context variables of access-log formats, and
// the one definition of "a request that timed out" that access logs, Logs
// Insights results and function logs are all read with. Sources and
// rules ask here instead of writing a number or a rule of thumb of their
// own. Each fact's source is in ../shared/reference/aws-facts.md and
// access-logs.md.
package awsfacts

import (
	"time"

	"github.com/gatelint/gatelint/internal/model"
)

// Integration timeout limits (API Gateway quotas; the 2024-06 increase
// for Regional and private REST APIs is a quota, not a new default).
const (
	// MinIntegrationTimeout is the smallest TimeoutInMillis API Gateway
	// accepts.
	MinIntegrationTimeout = 50 * time.Millisecond
	// StreamingMaxIntegrationTimeout bounds a REST integration that streams
	// its response (ResponseTransferMode STREAM).
	StreamingMaxIntegrationTimeout = 15 * time.Minute
)

// MaxIntegrationTimeout is the integration timeout ceiling API Gateway
// enforces for an API type without a quota increase, which is also the
// timeout when none is set: 30 s for HTTP APIs, 29 s for REST and
// WebSocket APIs.
func MaxIntegrationTimeout(t model.APIType) time.Duration {
	if t == model.HTTP {
		return 30 * time.Second
	}
	return 29 * time.Second
}

// QuotaRaisable reports whether an API's integration timeout ceiling can
// be raised through Service Quotas: Regional and private REST APIs only
// (an unknown endpoint type may be either).
func QuotaRaisable(t model.APIType, e model.EndpointType) bool {
	return t == model.REST && e != model.Edge
}

// GatewayTimeoutStatus is the HTTP status a client gets when the
// integration times out: 503 from HTTP APIs (their reports show 503
// "Service Unavailable"), 504 from REST APIs.
func GatewayTimeoutStatus(t model.APIType) int {
	if t == model.HTTP {
		return 503
	}
	return 504
}

// WebSocketWaiting says who waits for a WebSocket route's integration:
// the client's upgrade request on $connect (pending until it completes;
// API Gateway docs, "$connect and $disconnect routes"); nobody on
// $disconnect; on a message route the client only when the route answers
// (a route response, which a RouteResponseSelectionExpression selects),
// else the integration's answer goes nowhere.
func WebSocketWaiting(routeKey string, answers bool) model.Waiting {
	switch {
	case routeKey == "$connect":
		return model.ConnectionWaits
	case routeKey == "$disconnect" || !answers:
		return model.NobodyWaits
	}
	return model.ClientWaits
}

// Lambda.
const (
	// LambdaDefaultTimeout applies to a function without a Timeout.
	LambdaDefaultTimeout = 3 * time.Second
	// LambdaMaxTimeout is the longest Timeout a function may have (outside
	// Lambda Managed Instances).
	LambdaMaxTimeout = 900 * time.Second
	// LambdaMinTimeout is the shortest Timeout Lambda accepts.
	LambdaMinTimeout = 1 * time.Second
)

// SQS.
const (
	// SQSDefaultVisibilityTimeout applies to a queue without one.
	SQSDefaultVisibilityTimeout = 30 * time.Second
	// SQSMaxVisibilityTimeout is SQS's ceiling.
	SQSMaxVisibilityTimeout = 43200 * time.Second
	// VisibilityTimeoutFactor is how many times a consuming function's
	// Timeout AWS advises the queue's VisibilityTimeout be (Lambda
	// developer guide, "Using Lambda with Amazon SQS").
	VisibilityTimeoutFactor = 6
)
