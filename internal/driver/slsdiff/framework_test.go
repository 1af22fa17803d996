package slsdiff_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gatelint/gatelint/internal/model"
)

// What a deployed Serverless service has but its compiled template does
// not say, or says in the framework's words rather than the user's. Each
// adjustment below makes the compiled side's model what the framework
// deploys, from the framework's own resolved configuration
// (.serverless/serverless-state.json, the state its after-deploy hooks
// read), and names the framework source that decides it. Nothing here
// reads serverless.yml or gatelint's model of it.

// restDefaultLogFormat is the access-log format the framework sets on a
// REST stage for `provider.logs.restApi: true` (serverless@3.40.0
// lib/plugins/aws/package/compile/events/api-gateway/lib/hack/update-stage.js
// L7-18, defaultApiGatewayLogFormat). frameworkFacts checks the installed
// framework still says so.
var restDefaultLogFormat = []string{
	"requestId: $context.requestId",
	"ip: $context.identity.sourceIp",
	"caller: $context.identity.caller",
	"user: $context.identity.user",
	"requestTime: $context.requestTime",
	"httpMethod: $context.httpMethod",
	"resourcePath: $context.resourcePath",
	"status: $context.status",
	"protocol: $context.protocol",
	"responseLength: $context.responseLength",
}

// updateStageJS is the framework file the REST log adjustment follows.
const updateStageJS = "lib/plugins/aws/package/compile/events/api-gateway/lib/hack/update-stage.js"

// frameworkFacts checks that the installed framework is the one this file
// was written against: its update-stage.js holds the default format's
// parts, and http-api.js hard-codes the HTTP API integration timeout.
func frameworkFacts(framework string) error {
	us, err := os.ReadFile(filepath.Join(framework, updateStageJS))
	if err != nil {
		return err
	}
	for _, p := range restDefaultLogFormat {
		if !strings.Contains(string(us), "'"+p+"'") {
			return fmt.Errorf("%s no longer holds %q in its default format: update restDefaultLogFormat", updateStageJS, p)
		}
	}
	const httpAPIJS = "lib/plugins/aws/package/compile/events/http-api.js"
	ha, err := os.ReadFile(filepath.Join(framework, httpAPIJS))
	if err != nil {
		return err
	}
	if !strings.Contains(string(ha), "TimeoutInMillis: 30000") {
		return fmt.Errorf("%s no longer hard-codes TimeoutInMillis: 30000: revisit frameworkIntegrationTimeouts", httpAPIJS)
	}
	return nil
}

// state is what the adjustments read of serverless-state.json.
type state struct {
	Service struct {
		Provider struct {
			Stage      string          `json:"stage"`
			Logs       json.RawMessage `json:"logs"`
			APIGateway struct {
				RestAPIID any    `json:"restApiId"`
				Stage     string `json:"stage"`
			} `json:"apiGateway"`
		} `json:"provider"`
	} `json:"service"`
}

func readState(path string) (*state, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s state
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

// adjustments is what was changed, for the test's log.
type adjustments []string

// deployed turns the model of a compiled template into the model of what
// the framework deploys with it: the changes are listed in the result.
func deployed(m *model.Model, st *state, stage string) adjustments {
	var out adjustments
	out = append(out, restStageLogs(m, st, stage)...)
	out = append(out, frameworkIntegrationTimeouts(m)...)
	out = append(out, customResourceFunctions(m)...)
	return out
}

// restStageLogs applies what update-stage.js does after the deploy
// (hook after:deploy:deploy, api-gateway/index.js L267): v3 sets a
// REST stage's access logs through the API, not the template, because of
// CloudFormation's trouble with a dedicated Stage resource (its L23-24), so
// the compiled template only creates the log group. It applies to the
// template's one AWS::ApiGateway::RestApi that a Deployment refers to
// (resolveApiGatewayResource), never to an external API
// (provider.apiGateway.restApiId, L63), at the stage
// provider.apiGateway.stage or the stage packaged (provider.js
// getApiGatewayStage), when provider.logs.restApi is set (L33): a truthy
// value with accessLogging not false sets the format (logs.format, else
// the default, L248-296); accessLogging: false removes the setting
// (L297-303); false leaves access logs as they are — none on a new stage.
func restStageLogs(m *model.Model, st *state, stage string) adjustments {
	if st.Service.Provider.APIGateway.RestAPIID != nil || len(st.Service.Provider.Logs) == 0 {
		return nil
	}
	var logs struct {
		RestAPI json.RawMessage `json:"restApi"`
	}
	if err := json.Unmarshal(st.Service.Provider.Logs, &logs); err != nil || len(logs.RestAPI) == 0 || string(logs.RestAPI) == "null" {
		return nil
	}
	var on bool
	var cfg struct {
		Format        string `json:"format"`
		AccessLogging *bool  `json:"accessLogging"`
	}
	if err := json.Unmarshal(logs.RestAPI, &on); err != nil {
		if err := json.Unmarshal(logs.RestAPI, &cfg); err != nil {
			return adjustments{fmt.Sprintf("provider.logs.restApi is neither a boolean nor a mapping in serverless-state.json: %s", logs.RestAPI)}
		}
		on = true
	}
	var rest []*model.API
	for _, api := range m.APIs {
		if api.Type == model.REST && api.Resource.Type == "AWS::ApiGateway::RestApi" {
			rest = append(rest, api)
		}
	}
	if len(rest) != 1 {
		return nil
	}
	name := st.Service.Provider.APIGateway.Stage
	if name == "" {
		name = stage
	}
	var target *model.Stage
	for _, s := range rest[0].Stages {
		if s.Name == name {
			target = s
		}
	}
	if target == nil {
		// ensureStage (L210) creates it when the deploy made none.
		target = &model.Stage{API: rest[0], Name: name, Resource: rest[0].Resource}
		rest[0].Stages = append(rest[0].Stages, target)
	}
	switch {
	case !on:
		return nil
	case cfg.AccessLogging != nil && !*cfg.AccessLogging:
		target.AccessLog = nil
		return adjustments{fmt.Sprintf("stage %s: no access log (logs.restApi.accessLogging: false; %s L297-303)", name, updateStageJS)}
	}
	format := strings.Join(restDefaultLogFormat, ", ")
	why := "the default format"
	if cfg.Format != "" {
		format, why = cfg.Format, "logs.restApi.format"
	}
	target.AccessLog = &model.AccessLog{Format: format, FormatKnown: true}
	return adjustments{fmt.Sprintf("stage %s: access log with %s, as %s sets it after the deploy", name, why, updateStageJS)}
}

// frameworkIntegrationTimeouts: v3 writes TimeoutInMillis: 30000 into
// every HTTP API integration it compiles from an httpApi event
// (lib/plugins/aws/package/compile/events/http-api.js L636,
// compileIntegration), and serverless.yml has no setting for it, so the
// template's literal is the framework's default, not a value the user
// chose: its origin is Default. An integration written by hand in
// resources.Resources keeps what it says.
func frameworkIntegrationTimeouts(m *model.Model) adjustments {
	var out adjustments
	for _, api := range m.APIs {
		if api.Type != model.HTTP {
			continue
		}
		for _, e := range api.Endpoints {
			in := e.Integration
			if in == nil || in.Resource == nil || !strings.HasPrefix(in.Resource.Address, "HttpApiIntegration") {
				continue
			}
			for i, v := range in.Timeout {
				if v.Origin == model.Literal && v.Known && v.D.Milliseconds() == 30000 {
					in.Timeout[i].Origin = model.Default
					out = append(out, fmt.Sprintf("%s: TimeoutInMillis 30000 is the framework's (http-api.js L636)", in.Resource.Address))
				}
			}
		}
	}
	return slices.Compact(out)
}

// customResourceFunctions: the framework adds Lambda functions of its own
// for custom resources (the API Gateway CloudWatch role for logs.restApi,
// an existing S3 bucket's or Cognito pool's events:
// lib/plugins/aws/custom-resources/index.js, named
// `custom-resource-<name>` and so CustomDashresourceDash...LambdaFunction
// by naming.js getLambdaLogicalId). They serve no endpoint and read no
// queue, and serverless.yml says nothing of them: a reader of
// serverless.yml cannot and need not build them.
func customResourceFunctions(m *model.Model) adjustments {
	var out adjustments
	m.Functions = slices.DeleteFunc(m.Functions, func(fn *model.Function) bool {
		if strings.HasPrefix(fn.Resource.Address, "CustomDashresourceDash") && len(fn.Integrations) == 0 {
			out = append(out, fmt.Sprintf("function %s is the framework's custom resource (custom-resources/index.js)", fn.Resource.Address))
			return true
		}
		return false
	})
	return out
}
