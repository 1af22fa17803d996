package scaffold

import (
	"fmt"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/apigatewayv2"
	"github.com/awslabs/goformation/v7/cloudformation/dynamodb"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"
	"gopkg.in/yaml.v3"
)

func ptr[T any](v T) *T { return &v }

const (
	runtime        = "python3.12"
	handlerTimeout = 10 // seconds: the enqueue and status functions only touch SQS and DynamoDB
)

// common adds what every variant shares: the queue and its dead-letter
// queue, the job table, and the existing function wired as the worker.
func (b *builder) common(id ids, visibility int64) {
	v := b.vals
	b.add(id.queue, &sqs.Queue{
		VisibilityTimeout:      ptr(int(visibility)),
		MessageRetentionPeriod: ptr(345600),
		RedrivePolicy: map[string]any{
			"deadLetterTargetArn": v.getAtt(id.dlq, "Arn"),
			"maxReceiveCount":     3,
		},
	})
	b.add(id.dlq, &sqs.Queue{MessageRetentionPeriod: ptr(1209600)})
	b.add(id.table, &dynamodb.Table{
		BillingMode:             ptr("PAY_PER_REQUEST"),
		AttributeDefinitions:    []dynamodb.Table_AttributeDefinition{{AttributeName: "jobId", AttributeType: "S"}},
		KeySchema:               []dynamodb.Table_KeySchema{{AttributeName: "jobId", KeyType: "HASH"}},
		TimeToLiveSpecification: &dynamodb.Table_TimeToLiveSpecification{AttributeName: ptr("expiresAt"), Enabled: true},
	})

	mapping := &lambda.EventSourceMapping{
		EventSourceArn: ptr(v.getAtt(id.queue, "Arn")),
		FunctionName:   v.ref(b.fn.Resource.LogicalID),
		BatchSize:      ptr(1),
	}
	if role := b.workerRole(); role != "" {
		b.add(id.policy, &iam.Policy{
			PolicyName: v.sub("${AWS::StackName}-" + id.policy),
			Roles:      []string{v.ref(role)},
			PolicyDocument: policy(
				statement([]string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"}, v.getAtt(id.queue, "Arn")),
				statement([]string{"dynamodb:GetItem", "dynamodb:UpdateItem"}, v.getAtt(id.table, "Arn")),
			),
		})
		// The mapping checks the role can read the queue when it is created.
		mapping.AWSCloudFormationDependsOn = []string{id.policy}
	} else {
		b.notes = append(b.notes, fmt.Sprintf("the role of %s could not be told from its Role property: grant it sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes on %s and dynamodb:UpdateItem on %s",
			b.fn.Resource.LogicalID, id.queue, id.table))
	}
	b.add(id.mapping, mapping)
}

// workerRole is the logical ID of the existing function's role: its
// Role's !GetAtt target, or the role SAM generates for a function without
// one.
func (b *builder) workerRole() string {
	props := get(get(b.resources, b.fn.Resource.LogicalID), "Properties")
	role := get(props, "Role")
	if role == nil && b.fn.Resource.Type == "AWS::Serverless::Function" {
		return b.fn.Resource.LogicalID + "Role"
	}
	return getAttTarget(role)
}

func policy(statements ...map[string]any) map[string]any {
	return map[string]any{"Version": "2012-10-17", "Statement": statements}
}

func statement(actions []string, resource string) map[string]any {
	return map[string]any{"Effect": "Allow", "Action": actions, "Resource": resource}
}

func (b *builder) env(id ids) map[string]string {
	return map[string]string{
		"QUEUE_URL":   b.vals.ref(id.queue),
		"JOBS_TABLE":  b.vals.ref(id.table),
		"STATUS_PATH": statusPath(b.e.Path),
	}
}

// ---------------------------------------------------------------- SAM events

// samEvent: the endpoint is an Api or HttpApi event of the function. The
// event moves to a small enqueue function; a status function serves GET
// PATH/{jobId} on the same API.
func (b *builder) samEvent(id ids) error {
	props := get(get(b.resources, b.fn.Resource.LogicalID), "Properties")
	events := get(props, "Events")
	idx := -1
	for i := 0; events != nil && i+1 < len(events.Content); i += 2 {
		if b.f.Range(events.Content[i]).Start.Offset == b.e.Loc.Start.Offset {
			idx = i
		}
	}
	if idx < 0 {
		return fmt.Errorf("%s: the event of %s was not found", b.e.Loc, b.e.Name())
	}
	ev := events.Content[idx+1]
	evType := scalarOf(get(ev, "Type"))
	evProps := get(ev, "Properties")
	v := b.vals
	mkEvent := func(method, path string) serverless.Function_EventSource {
		if evType == "HttpApi" {
			e := &serverless.Function_HttpApiEvent{Method: ptr(method), Path: ptr(path)}
			if api := get(evProps, "ApiId"); api != nil {
				e.ApiId = ptr(v.raw(api))
			}
			return serverless.Function_EventSource{Type: "HttpApi", Properties: &serverless.Function_Properties{HttpApiEvent: e}}
		}
		e := &serverless.Function_ApiEvent{Method: strings.ToLower(method), Path: path}
		if api := get(evProps, "RestApiId"); api != nil {
			e.RestApiId = ptr(v.raw(api))
		}
		return serverless.Function_EventSource{Type: "Api", Properties: &serverless.Function_Properties{ApiEvent: e}}
	}
	for i := 0; evProps != nil && i+1 < len(evProps.Content); i += 2 {
		switch k := evProps.Content[i].Value; k {
		case "Path", "Method", "RestApiId", "ApiId", "TimeoutInMillis":
		default:
			b.notes = append(b.notes, fmt.Sprintf("the event's %s was not carried over to %s and %s: add it to their events if it matters", k, id.enqueue, id.status))
		}
	}
	b.add(id.enqueue, &serverless.Function{
		Handler: ptr("index.handler"), Runtime: ptr(runtime), InlineCode: ptr(enqueueCode), Timeout: ptr(handlerTimeout),
		Environment: &serverless.Function_FunctionEnvironment{Variables: b.env(id)},
		Policies: &serverless.Function_Policies{SAMPolicyTemplateArray: &[]serverless.Function_SAMPolicyTemplate{
			{SQSSendMessagePolicy: &serverless.Function_QueueSAMPT{QueueName: v.getAtt(id.queue, "QueueName")}},
			{DynamoDBCrudPolicy: &serverless.Function_TableSAMPT{TableName: v.ref(id.table)}},
		}},
		Events: map[string]serverless.Function_EventSource{"Enqueue": mkEvent(b.e.Method, b.e.Path)},
	})
	b.add(id.status, &serverless.Function{
		Handler: ptr("index.handler"), Runtime: ptr(runtime), InlineCode: ptr(statusCode), Timeout: ptr(handlerTimeout),
		Environment: &serverless.Function_FunctionEnvironment{Variables: map[string]string{"JOBS_TABLE": v.ref(id.table)}},
		Policies: &serverless.Function_Policies{SAMPolicyTemplateArray: &[]serverless.Function_SAMPolicyTemplate{
			{DynamoDBReadPolicy: &serverless.Function_TableSAMPT{TableName: v.ref(id.table)}},
		}},
		Events: map[string]serverless.Function_EventSource{"Status": mkEvent("GET", statusPath(b.e.Path))},
	})
	// The worker no longer serves the endpoint: its event goes (with the
	// Events key when it was the only one).
	if len(events.Content) == 2 {
		for i := 0; i+1 < len(props.Content); i += 2 {
			if props.Content[i+1] == events {
				b.deleteEntry(props, i)
			}
		}
	} else {
		b.deleteEntry(events, idx)
	}
	return nil
}

func scalarOf(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

// ---------------------------------------------------------------- functions

// grant is what a new function may do: as IAM statements for a plain
// function, as SAM policy templates in a SAM template.
type grant struct {
	statements []map[string]any
	sam        []serverless.Function_SAMPolicyTemplate
}

func (b *builder) enqueueGrant(id ids) grant {
	v := b.vals
	return grant{
		statements: []map[string]any{
			statement([]string{"sqs:SendMessage"}, v.getAtt(id.queue, "Arn")),
			statement([]string{"dynamodb:PutItem"}, v.getAtt(id.table, "Arn")),
		},
		sam: []serverless.Function_SAMPolicyTemplate{
			{SQSSendMessagePolicy: &serverless.Function_QueueSAMPT{QueueName: v.getAtt(id.queue, "QueueName")}},
			{DynamoDBCrudPolicy: &serverless.Function_TableSAMPT{TableName: v.ref(id.table)}},
		},
	}
}

func (b *builder) statusGrant(id ids) grant {
	v := b.vals
	return grant{
		statements: []map[string]any{statement([]string{"dynamodb:GetItem"}, v.getAtt(id.table, "Arn"))},
		sam:        []serverless.Function_SAMPolicyTemplate{{DynamoDBReadPolicy: &serverless.Function_TableSAMPT{TableName: v.ref(id.table)}}},
	}
}

// function adds a small Lambda function that API Gateway invokes through
// api (a value of the template: the API's !Ref): SAM's with policy
// templates in a SAM template, else a plain function with its own role.
func (b *builder) function(fnID, code string, env map[string]string, g grant, api *yaml.Node) {
	v := b.vals
	if b.sam {
		b.add(fnID, &serverless.Function{
			Handler: ptr("index.handler"), Runtime: ptr(runtime), InlineCode: ptr(code), Timeout: ptr(handlerTimeout),
			Environment: &serverless.Function_FunctionEnvironment{Variables: env},
			Policies:    &serverless.Function_Policies{SAMPolicyTemplateArray: &g.sam},
		})
	} else {
		roleID := fnID + "Role"
		b.taken[roleID] = true
		b.add(roleID, &iam.Role{
			AssumeRolePolicyDocument: policy(map[string]any{
				"Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole",
			}),
			ManagedPolicyArns: []string{v.sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")},
			Policies:          []iam.Role_Policy{{PolicyName: "jobs", PolicyDocument: policy(g.statements...)}},
		})
		b.add(fnID, &lambda.Function{
			Runtime: ptr(runtime), Handler: ptr("index.handler"), Timeout: ptr(handlerTimeout),
			Code:        &lambda.Function_Code{ZipFile: ptr(code)},
			Role:        v.getAtt(roleID, "Arn"),
			Environment: &lambda.Function_Environment{Variables: env},
		})
	}
	permID := fnID + "Permission"
	b.taken[permID] = true
	b.add(permID, &lambda.Permission{
		Action: "lambda:InvokeFunction", Principal: "apigateway.amazonaws.com",
		FunctionName: v.getAtt(fnID, "Arn"),
		SourceArn:    ptr(v.subWith("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*", map[string]any{"Api": raw{api}})),
	})
}

func (b *builder) proxyURI(fnID string) string {
	return b.vals.sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${" + fnID + ".Arn}/invocations")
}

// propOrder lists a resource's property keys as written.
func (b *builder) propOrder(id string) []string {
	var out []string
	props := get(get(b.resources, id), "Properties")
	for i := 0; props != nil && i+1 < len(props.Content); i += 2 {
		out = append(out, props.Content[i].Value)
	}
	return out
}

// carried returns the entries of the replaced resource to keep as written
// (Metadata, Condition, DependsOn...) and its properties other than skip.
func (b *builder) carried(id string, skip ...string) (keep, extra omap) {
	res := get(b.resources, id)
	for i := 0; res != nil && i+1 < len(res.Content); i += 2 {
		if k := res.Content[i].Value; k != "Type" && k != "Properties" {
			keep = append(keep, kv{k, raw{res.Content[i+1]}})
		}
	}
	props := get(res, "Properties")
	for i := 0; props != nil && i+1 < len(props.Content); i += 2 {
		if k := props.Content[i].Value; !slices.Contains(skip, k) {
			extra = append(extra, kv{k, raw{props.Content[i+1]}})
		}
	}
	return keep, extra
}

// ---------------------------------------------------------------- REST Method

// restMethod: the endpoint is an AWS::ApiGateway::Method. It keeps its
// logical ID (deployments depend on it) and now proxies to the enqueue
// function; the status route is a {jobId} resource below it.
func (b *builder) restMethod(id ids) error {
	mid := b.e.Resource.LogicalID
	props := get(get(b.resources, mid), "Properties")
	api, resID := get(props, "RestApiId"), get(props, "ResourceId")
	if api == nil || resID == nil {
		return fmt.Errorf("%s: method %s has no RestApiId or ResourceId to build on", b.e.Loc, mid)
	}
	v := b.vals
	b.function(id.enqueue, enqueueCode, b.env(id), b.enqueueGrant(id), api)
	b.function(id.status, statusCode, map[string]string{"JOBS_TABLE": v.ref(id.table)}, b.statusGrant(id), api)

	keep, extra := b.carried(mid, "HttpMethod", "RestApiId", "ResourceId", "Integration", "MethodResponses")
	err := b.replaceValue(mid, resource{id: mid, keep: keep, extra: extra, order: b.propOrder(mid), value: &apigateway.Method{
		HttpMethod: b.e.Method, RestApiId: v.raw(api), ResourceId: v.raw(resID),
		Integration: &apigateway.Method_Integration{Type: "AWS_PROXY", IntegrationHttpMethod: ptr("POST"), Uri: ptr(b.proxyURI(id.enqueue))},
	}})
	if err != nil {
		return err
	}
	statusRes := b.name("JobStatusResource")
	b.add(statusRes, &apigateway.Resource{RestApiId: v.raw(api), ParentId: v.raw(resID), PathPart: "{jobId}"})
	_, authExtra := b.carried(mid, "HttpMethod", "RestApiId", "ResourceId", "Integration", "MethodResponses", "RequestParameters", "RequestModels", "RequestValidatorId", "OperationName")
	b.out = append(b.out, resource{id: b.name("JobStatusMethod"), extra: authExtra, value: &apigateway.Method{
		HttpMethod: "GET", RestApiId: v.raw(api), ResourceId: v.ref(statusRes),
		Integration: &apigateway.Method_Integration{Type: "AWS_PROXY", IntegrationHttpMethod: ptr("POST"), Uri: ptr(b.proxyURI(id.status))},
	}})
	b.notes = append(b.notes, "a REST API serves new methods only after a new deployment: give the AWS::ApiGateway::Deployment a new logical ID (or DependsOn the new methods) when deploying")
	return nil
}

// ---------------------------------------------------------------- HTTP Route

// httpRoute: the endpoint is an AWS::ApiGatewayV2::Route. It keeps its
// logical ID and targets a new integration with the enqueue function; a
// second route serves GET PATH/{jobId}.
func (b *builder) httpRoute(id ids) error {
	rid := b.e.Resource.LogicalID
	props := get(get(b.resources, rid), "Properties")
	api := get(props, "ApiId")
	if api == nil {
		return fmt.Errorf("%s: route %s has no ApiId to build on", b.e.Loc, rid)
	}
	v := b.vals
	b.function(id.enqueue, enqueueCode, b.env(id), b.enqueueGrant(id), api)
	b.function(id.status, statusCode, map[string]string{"JOBS_TABLE": v.ref(id.table)}, b.statusGrant(id), api)
	integ := func(fnID string) *apigatewayv2.Integration {
		return &apigatewayv2.Integration{ApiId: v.raw(api), IntegrationType: "AWS_PROXY",
			IntegrationUri: ptr(v.getAtt(fnID, "Arn")), PayloadFormatVersion: ptr("2.0")}
	}
	enqueueInteg, statusInteg := b.name("EnqueueIntegration"), b.name("JobStatusIntegration")
	b.add(enqueueInteg, integ(id.enqueue))
	b.add(statusInteg, integ(id.status))

	keep, extra := b.carried(rid, "ApiId", "RouteKey", "Target")
	routeKey := b.e.Method + " " + b.e.Path
	if err := b.replaceValue(rid, resource{id: rid, keep: keep, extra: extra, order: b.propOrder(rid), value: &apigatewayv2.Route{
		ApiId: v.raw(api), RouteKey: routeKey, Target: ptr(v.sub("integrations/${" + enqueueInteg + "}")),
	}}); err != nil {
		return err
	}
	_, authExtra := b.carried(rid, "ApiId", "RouteKey", "Target", "RequestParameters", "RequestModels", "OperationName", "ModelSelectionExpression", "RouteResponseSelectionExpression")
	b.out = append(b.out, resource{id: b.name("JobStatusRoute"), extra: authExtra, value: &apigatewayv2.Route{
		ApiId: v.raw(api), RouteKey: "GET " + statusPath(b.e.Path), Target: ptr(v.sub("integrations/${" + statusInteg + "}")),
	}})
	return nil
}
