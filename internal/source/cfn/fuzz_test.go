package cfn_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/cfn"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
	"github.com/gatelint/gatelint/internal/source/yamlpos/yamlpostest"
)

// fuzzSeeds cover the shapes the reader handles, so the fuzzer starts from
// inputs that reach deep into it rather than from parse errors.
var fuzzSeeds = []string{
	restLinks,
	openAPISpec,
	// Access-log formats in every quoting GL009's edit must keep.
	`{"Resources": {"A": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP"}},
 "S": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "A"}, "StageName": "$default",
  "AccessLogSettings": {"DestinationArn": "arn:aws:logs:x", "Format": "{\"s\":\"$context.status\",\"é\":\"\u2028\"}"}}}}}`,
	"Resources:\n  A: {Type: AWS::ApiGateway::RestApi}\n  S:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: !Ref A\n      StageName: v1\n      AccessLogSetting: {DestinationArn: arn, Format: !Sub '$context.status ${AWS::Region} it''s'}\n",
	"Resources:\n  A: {Type: AWS::ApiGateway::RestApi}\n  D:\n    Type: AWS::ApiGateway::Deployment\n    Properties:\n      RestApiId: !Ref A\n      StageName: v1\n      StageDescription:\n        AccessLogSetting:\n          DestinationArn: arn\n          Format: \"$context.status \\\"x\\\" $context.httpMethod\"\n",
	`Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: dev}
  T: {Type: Number}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  C: !And [!Condition IsProd, !Not [!Equals [!Ref AWS::Region, us-east-1]]]
Mappings:
  M: {dev: {T: 10}, prod: {T: "20"}}
Globals:
  Function: {Timeout: !If [C, 60, !Ref AWS::NoValue]}
  Api: {EndpointConfiguration: {Type: REGIONAL}}
Metadata: {gatelint: {ignore: [GL001]}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: {VisibilityTimeout: !FindInMap [M, !Ref Stage, T]}
  Fn:
    Type: AWS::Serverless::Function
    Condition: IsProd
    Metadata: {aws:cdk:path: S/Fn/Resource, gatelint: {ignore: [{id: gl002, reason: x}]}}
    Properties:
      Handler: index.handler
      Events:
        A: {Type: Api, Properties: {Path: /a, Method: post, TimeoutInMillis: !Ref T}}
        H: {Type: HttpApi}
        S: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn}}
  W:
    Type: AWS::Serverless::Function
    Properties: {Timeout: '30', Events: {Q: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn}}}}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      DefinitionUri: api.yaml
`,
	"{\r\n  \"Resources\": {\r\n    \"Fn\": {\r\n      \"Type\": \"AWS::Lambda::Function\",\r\n      \"Properties\": {\r\n        \"Description\": \"a\u2028b\",\r\n        \"Handler\": \"x\"\r\n      }\r\n    },\r\n    \"Http\": {\"Type\": \"AWS::ApiGatewayV2::Api\", \"Properties\": {\"ProtocolType\": \"HTTP\", \"Target\": {\"Fn::GetAtt\": [\"Fn\", \"Arn\"]}}},\r\n    \"I\": {\"Type\": \"AWS::ApiGatewayV2::Integration\", \"Properties\": {\"ApiId\": {\"Ref\": \"Http\"}, \"IntegrationType\": \"AWS_PROXY\", \"IntegrationSubtype\": \"SQS-SendMessage\", \"TimeoutInMillis\": 30000}},\r\n    \"R\": {\"Type\": \"AWS::ApiGatewayV2::Route\", \"Properties\": {\"ApiId\": {\"Ref\": \"Http\"}, \"RouteKey\": \"POST /x\", \"Target\": {\"Fn::Join\": [\"/\", [\"integrations\", {\"Ref\": \"I\"}]]}}}\r\n  }\r\n}\r\n",
	"\ufeffResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Description: \"Größe ✓\", Timeout: 30.0}\n  M:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties: {EventSourceArn: !GetAtt Q.Arn, FunctionName: !Ref Fn}\n  Q: {Type: AWS::SQS::Queue}\n",
	"Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body:\n        paths:\n          /s:\n            post:\n              x-amazon-apigateway-integration: {type: aws_proxy, responseTransferMode: STREAM, uri: 'arn:aws:lambda:us-east-1:1:function:f:live'}\n",
	"Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      ? Handler\n      : x\n      Timeout: &t !!int 30\n      MemorySize: *t\n  G:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: >-\n        30\n  M:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties: {EventSourceArn: !GetAtt Q.Arn, FunctionName: 'g:live'}\n  Q: {Type: AWS::SQS::Queue}\n",
	"Resources: 3\n",
	"\xff\xfeR\x00e\x00s\x00:\x00 \x00{\x00}\x00",
	"Resources:\n  X: [\n",
}

func FuzzLoad(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	demo, _ := filepath.Glob(filepath.Join("..", "..", "..", "fixtures", "demo", "*.yaml"))
	for _, p := range demo {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var m model.Model
		// Included files are the input itself, so every position in the
		// model, whichever file it names, indexes data.
		opts := cfn.Options{
			Params:   map[string]string{"Stage": "prod"},
			ReadFile: func(string) ([]byte, error) { return data, nil },
		}
		ok, errs := cfnLoad(t, &m, path, data, opts)
		if !ok && len(m.APIs)+len(m.Functions)+len(m.Queues)+len(m.EventSources)+len(m.Notes) > 0 {
			t.Errorf("not a template (%v), yet the model was filled", errs)
		}
		src := string(data)
		checkRange := func(what string, r loc.Range) {
			t.Helper()
			if r.IsZero() {
				return
			}
			if r.Start.Offset < 0 || r.Start.Offset > r.End.Offset || r.End.Offset > len(src) {
				t.Fatalf("%s: range %+v out of bounds of %d bytes", what, r, len(src))
			}
			if r.Start.Line == 0 {
				// The whole file: what a missing property points at.
				if r.Start != (loc.Pos{}) || r.End != (loc.Pos{}) {
					t.Fatalf("%s: file range %+v has offsets", what, r)
				}
				return
			}
			if r.Start != yamlpostest.PosAt(src, r.Start.Offset) || r.End != yamlpostest.PosAt(src, r.End.Offset) {
				t.Fatalf("%s: range %+v disagrees with its offsets (%+v..%+v)", what, r, yamlpostest.PosAt(src, r.Start.Offset), yamlpostest.PosAt(src, r.End.Offset))
			}
		}
		checkValue := func(what string, v model.Value) {
			t.Helper()
			checkRange(what+" Loc", v.Loc)
			checkRange(what+" Via", v.Via.Loc)
			if v.Remedy.Edit == nil {
				return
			}
			edited := src
			for _, e := range editTo(v, 29000) {
				if e.Start < 0 || e.Start > e.End || e.End > len(src) {
					t.Fatalf("%s: edit %+v out of bounds of %d bytes", what, e, len(src))
				}
				if e.StartPos != yamlpostest.PosAt(src, e.Start) || e.EndPos != yamlpostest.PosAt(src, e.End) {
					t.Fatalf("%s: edit %+v disagrees with its offsets", what, e)
				}
				edited = edited[:e.Start] + e.NewText + edited[e.End:]
			}
			// A fix must leave a file that still parses.
			if _, err := yamlpos.Parse(path, []byte(edited)); err != nil {
				t.Fatalf("%s: after the edit the file no longer parses: %v\n%s", what, err, edited)
			}
		}
		checkValues := func(what string, vs model.Values) {
			t.Helper()
			for _, v := range vs {
				checkValue(what, v)
			}
		}
		checkResource := func(what string, r *model.Resource) {
			t.Helper()
			if r == nil {
				t.Fatalf("%s has no resource", what)
			}
			checkRange(what+" key", r.Key)
		}
		for _, a := range m.APIs {
			checkResource("API", a.Resource)
			for _, st := range a.Stages {
				if st.API != a {
					t.Fatalf("stage %s does not point back at its API", st.Name)
				}
				checkResource("stage", st.Resource)
				checkRange("stage", st.Loc)
				al := st.AccessLog
				if al == nil {
					continue
				}
				checkRange("access-log format", al.Loc)
				if al.Edit == nil {
					continue
				}
				// What GL009 writes: the format with fields added, quotes
				// and all, must land inside the file and keep it parsing,
				// and the file must then say exactly that format.
				want := al.Format + ` "x":'$context.status'`
				edited := src
				edits := al.Edit(want)
				for i := len(edits) - 1; i >= 0; i-- {
					e := edits[i]
					if e.Start < 0 || e.Start > e.End || e.End > len(src) || e.StartPos != yamlpostest.PosAt(src, e.Start) || e.EndPos != yamlpostest.PosAt(src, e.End) {
						t.Fatalf("access-log format edit %+v out of bounds or disagreeing with its offsets", e)
					}
					edited = edited[:e.Start] + e.NewText + edited[e.End:]
				}
				if len(edits) == 0 {
					continue
				}
				var after model.Model
				if ok, errs := cfnLoad(t, &after, path, []byte(edited), opts); !ok || len(errs) > 0 {
					t.Fatalf("after the format edit the template no longer loads (%v, %v):\n%s", ok, errs, edited)
				}
				found := false
				for _, a2 := range after.APIs {
					for _, st2 := range a2.Stages {
						if st2.AccessLog != nil && st2.AccessLog.Format == want {
							found = true
						}
					}
				}
				if !found {
					t.Fatalf("after the format edit no stage's format reads %q:\n%s", want, edited)
				}
			}
			for _, e := range a.Endpoints {
				if e.API != a {
					t.Fatalf("endpoint %s does not point back at its API", e.Name())
				}
				checkResource("endpoint", e.Resource)
				checkRange("endpoint", e.Loc)
				if in := e.Integration; in != nil {
					checkResource("integration", in.Resource)
					checkRange("integration", in.Loc)
					checkValues("integration timeout", in.Timeout)
					if len(in.Timeout) == 0 {
						t.Fatalf("integration of %s has no timeout", e.Name())
					}
				}
			}
		}
		for _, fn := range m.Functions {
			checkResource("function", fn.Resource)
			checkValues("function timeout", fn.Timeout)
			if len(fn.Timeout) == 0 {
				t.Fatalf("function %s has no timeout", fn.Resource.LogicalID)
			}
		}
		for _, q := range m.Queues {
			checkResource("queue", q.Resource)
			checkValues("visibility timeout", q.VisibilityTimeout)
		}
		for _, es := range m.EventSources {
			checkResource("event source", es.Resource)
			checkRange("event source", es.Loc)
			if es.Queue == nil || es.Function == nil {
				t.Fatal("event source without its queue or function")
			}
		}
		for _, n := range m.Notes {
			checkRange("note", n.Loc)
		}
	})
}
