package awsfacts

import "strings"

// slowServices are the AWS services whose calls can take as long as the
// work they run: a model's generation, an inference endpoint, another
// function invoked synchronously, a synchronous workflow, document
// analysis. Every other service (DynamoDB, S3 Get/Put, SQS, SNS, SSM,
// Secrets Manager, EventBridge, ...) answers in milliseconds, so a client
// of one outlives an integration's wait only when its timeouts were set
// that long (GL011). Names are the services' SDK names without dashes,
// lower case (boto3 "bedrock-runtime", JavaScript v3
// "@aws-sdk/client-bedrock-runtime", Go "bedrockruntime").
var slowServices = map[string]string{
	"bedrockruntime":      "a model's answer",
	"bedrockagentruntime": "an agent's answer",
	"bedrockagent":        "",
	"sagemakerruntime":    "an inference endpoint's answer",
	"lambda":              "the invoked function",
	"sfn":                 "a synchronous workflow",
	"stepfunctions":       "a synchronous workflow",
	"textract":            "document analysis",
	"polly":               "speech synthesis",
	"qbusiness":           "",
	"lexruntimev2":        "a bot's fulfilment",
	"athena":              "a query",
}

// serviceKey is a service name as slowServices keys it.
func serviceKey(service string) string {
	s := strings.ToLower(service)
	s = strings.TrimPrefix(s, "@aws-sdk/client-")
	return strings.NewReplacer("-", "", "_", "", " ", "").Replace(s)
}

// SlowService reports whether calls of an AWS service can take as long
// as the work behind them (and so need a timeout bounded by the
// integration's wait).
func SlowService(service string) bool {
	_, ok := slowServices[serviceKey(service)]
	return ok
}

// SlowOperation reports whether one operation of a slow service is one
// of its long calls: Lambda's Invoke unless asynchronous, Step
// Functions' StartSyncExecution, Athena's waiting calls; every
// operation of the other slow services. op is the SDK's method or
// command name in any case style (invoke_model, InvokeModelCommand).
func SlowOperation(service, op string) bool {
	k := serviceKey(service)
	if _, ok := slowServices[k]; !ok {
		return false
	}
	o := strings.ToLower(strings.NewReplacer("_", "").Replace(op))
	o = strings.TrimSuffix(o, "command")
	switch k {
	case "lambda":
		return o == "invoke" || o == "invokewithresponsestream"
	case "sfn", "stepfunctions":
		return o == "startsyncexecution"
	case "athena":
		return false // queries are started and polled, each call quick
	case "bedrockagent":
		return false // the control plane
	case "textract":
		return strings.HasPrefix(o, "analyze") || strings.HasPrefix(o, "detect")
	}
	return true
}
