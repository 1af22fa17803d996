package awsfacts

import (
	"regexp"
	"strings"

	"github.com/gatelint/gatelint/internal/model"
)

// Classify tells whether the client waits for the work behind an
// integration.
func Classify(typ, subtype, uri, invocation string) (model.IntegrationKind, string) {
	typ = strings.ToUpper(typ)
	if subtype != "" {
		switch {
		case strings.HasPrefix(subtype, "SQS-"), subtype == "StepFunctions-StartExecution",
			subtype == "EventBridge-PutEvents", subtype == "Kinesis-PutRecord":
			return model.AWSAsync, subtype
		}
		return model.AWSSync, subtype
	}
	isLambda := strings.Contains(uri, ":lambda:path/") || strings.Contains(uri, ":function:") || (typ == "AWS_PROXY" && uri != "")
	switch typ {
	case "AWS_PROXY":
		if isLambda {
			return model.LambdaProxy, ""
		}
		return model.AWSSync, ""
	case "AWS":
		if isLambda {
			if strings.EqualFold(invocation, "Event") {
				return model.LambdaEvent, "Lambda (Event)"
			}
			return model.LambdaSync, ""
		}
		return awsService(uri)
	case "HTTP", "HTTP_PROXY":
		return model.HTTPBackend, ""
	case "MOCK":
		return model.Mock, ""
	}
	if isLambda {
		return model.LambdaProxy, ""
	}
	return model.KindUnknown, ""
}

// serviceURI picks the service and action out of an AWS integration URI.
// The region is usually ${AWS::Region}, whose colons must not count as
// field separators.
var serviceURI = regexp.MustCompile(`:apigateway:(?:\$\{[^}]*\}|[^:]*):([^:]*):(.*)`)

// awsService classifies an AWS service integration by its URI,
// arn:aws:apigateway:{region}:{service}:{action|path}/...
func awsService(uri string) (model.IntegrationKind, string) {
	m := serviceURI.FindStringSubmatch(uri)
	if m == nil {
		return model.AWSSync, ""
	}
	service, action := m[1], m[2]
	switch service {
	case "sqs", "events", "kinesis", "firehose", "sns":
		return model.AWSAsync, strings.ToUpper(service)
	case "states":
		if strings.Contains(action, "StartSyncExecution") {
			return model.AWSSync, "Step Functions StartSyncExecution"
		}
		if strings.Contains(action, "StartExecution") {
			return model.AWSAsync, "Step Functions StartExecution"
		}
	}
	return model.AWSSync, service
}

// SplitRouteKey splits "GET /items/{id}" into method and path; "$default"
// and WebSocket route keys have no method.
func SplitRouteKey(key string) (string, string) {
	if m, p, ok := strings.Cut(key, " "); ok {
		return m, p
	}
	return "", key
}

// stageVariable is a stage variable in an integration URI:
// ${stageVariables.name}, or CloudFormation's escaped ${!stageVariables.name}.
var stageVariable = regexp.MustCompile(`\$\{!?stageVariables\.([A-Za-z0-9_]+)\}`)

// StageVariables substitutes a stage's variables into an integration URI
// that names its function through one
// (functions/...:function:${stageVariables.fn}/invocations); a variable the
// stage does not set stays as written.
func StageVariables(uri string, vars map[string]string) string {
	return stageVariable.ReplaceAllStringFunc(uri, func(v string) string {
		if val, ok := vars[stageVariable.FindStringSubmatch(v)[1]]; ok {
			return val
		}
		return v
	})
}
