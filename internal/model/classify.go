package model

import (
	"regexp"
	"strings"
)

// Classify tells whether the client waits for the work behind an
// integration.
func Classify(typ, subtype, uri, invocation string) (IntegrationKind, string) {
	typ = strings.ToUpper(typ)
	if subtype != "" {
		switch {
		case strings.HasPrefix(subtype, "SQS-"), subtype == "StepFunctions-StartExecution",
			subtype == "EventBridge-PutEvents", subtype == "Kinesis-PutRecord":
			return AWSAsync, subtype
		}
		return AWSSync, subtype
	}
	isLambda := strings.Contains(uri, ":lambda:path/") || strings.Contains(uri, ":function:") || (typ == "AWS_PROXY" && uri != "")
	switch typ {
	case "AWS_PROXY":
		if isLambda {
			return LambdaProxy, ""
		}
		return AWSSync, ""
	case "AWS":
		if isLambda {
			if strings.EqualFold(invocation, "Event") {
				return LambdaEvent, "Lambda (Event)"
			}
			return LambdaSync, ""
		}
		return awsService(uri)
	case "HTTP", "HTTP_PROXY":
		return HTTPBackend, ""
	case "MOCK":
		return Mock, ""
	}
	if isLambda {
		return LambdaProxy, ""
	}
	return KindUnknown, ""
}

// serviceURI picks the service and action out of an AWS integration URI.
// The region is usually ${AWS::Region}, whose colons must not count as
// field separators.
var serviceURI = regexp.MustCompile(`:apigateway:(?:\$\{[^}]*\}|[^:]*):([^:]*):(.*)`)

// awsService classifies an AWS service integration by its URI,
// arn:aws:apigateway:{region}:{service}:{action|path}/...
func awsService(uri string) (IntegrationKind, string) {
	m := serviceURI.FindStringSubmatch(uri)
	if m == nil {
		return AWSSync, ""
	}
	service, action := m[1], m[2]
	switch service {
	case "sqs", "events", "kinesis", "firehose", "sns":
		return AWSAsync, strings.ToUpper(service)
	case "states":
		if strings.Contains(action, "StartSyncExecution") {
			return AWSSync, "Step Functions StartSyncExecution"
		}
		if strings.Contains(action, "StartExecution") {
			return AWSAsync, "Step Functions StartExecution"
		}
	}
	return AWSSync, service
}

// SplitRouteKey splits "GET /items/{id}" into method and path; "$default"
// and WebSocket route keys have no method.
func SplitRouteKey(key string) (string, string) {
	if m, p, ok := strings.Cut(key, " "); ok {
		return m, p
	}
	return "", key
}
