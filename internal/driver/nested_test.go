package driver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/rules"
)

// Deploys that span files (issue 12): nested stacks and cross-stack
// imports.

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func run(t *testing.T, paths ...string) (*Result, map[string]string) {
	t.Helper()
	outcome := map[string]string{}
	res := Run(Config{Paths: paths, Rules: rules.DefaultConfig(), OnFile: func(p, what string) { outcome[filepath.Base(p)] = what }})
	if err := res.Model.Validate(); err != nil {
		t.Errorf("model: %v", err)
	}
	return res, outcome
}

const parentTemplate = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Timeout: {Type: Number, Default: 120}
Resources:
  ApiStack:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: stacks/api.yaml
      Parameters:
        FnTimeout: 120
        Wait: !Ref Timeout
  WorkerApp:
    Type: AWS::Serverless::Application
    Properties:
      Location: ./stacks/worker.yaml
      Parameters:
        WorkerFn: !GetAtt ApiStack.Outputs.FnArn
`

const childTemplate = `Transform: AWS::Serverless-2016-10-31
Parameters:
  FnTimeout: {Type: Number}
  Wait: {Type: Number}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !Ref FnTimeout
      Events:
        Post:
          Type: Api
          Properties: {Path: /jobs, Method: post}
Outputs:
  FnArn:
    Value: !GetAtt Fn.Arn
`

// The worker stack's HTTP API invokes the function of the API stack,
// passed to it as a parameter.
const workerTemplate = `Parameters:
  WorkerFn: {Type: String}
Resources:
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties: {ProtocolType: HTTP}
  Integ:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Http
      IntegrationType: AWS_PROXY
      IntegrationUri: !Ref WorkerFn
      TimeoutInMillis: 5000
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Http
      RouteKey: POST /work
      Target: !Sub integrations/${Integ}
`

// TestNestedStack: a child's Timeout comes from the Parameters its parent
// passes; it is judged in the child, the parent's line related; checking
// the parent alone follows the child; walked too, the child is judged once.
func TestNestedStack(t *testing.T) {
	dir := writeFiles(t, map[string]string{"template.yaml": parentTemplate, "stacks/api.yaml": childTemplate, "stacks/worker.yaml": workerTemplate})
	for name, paths := range map[string][]string{"parent alone": {filepath.Join(dir, "template.yaml")}, "walked": {dir}} {
		t.Run(name, func(t *testing.T) {
			res, outcome := run(t, paths...)
			if len(res.Errors) != 0 {
				t.Fatalf("errors %v", res.Errors)
			}
			var gl2 []finding.Finding
			for _, f := range res.Findings {
				if f.RuleID == "GL002" {
					gl2 = append(gl2, f)
				}
			}
			if len(gl2) != 1 {
				t.Fatalf("GL002 findings %d, want one for the function: %v", len(gl2), res.Findings)
			}
			f := gl2[0]
			if filepath.Base(f.Location.File) != "api.yaml" || f.Location.Start.Line != 9 || !strings.Contains(f.Message, "has Timeout 120 s (from parameter FnTimeout, as stack ApiStack passes it)") {
				t.Errorf("GL002 at %v: %s", f.Location, f.Message)
			}
			// The worker stack's route invokes the API stack's function,
			// passed as the output of one nested stack to another: it is
			// the tighter of the two.
			if !strings.Contains(f.Message, "POST /work stops waiting after 5 s") {
				t.Errorf("worker: %s", f.Message)
			}
			related := false
			for _, r := range f.Related {
				related = related || filepath.Base(r.Location.File) == "template.yaml" && r.Location.Start.Line == 10 && strings.HasSuffix(r.Message, "via stack ApiStack")
			}
			if !related {
				t.Errorf("no related location at the parent's line: %v", f.Related)
			}
			for _, n := range res.Notes {
				if strings.Contains(n.Message, "no default") {
					t.Errorf("the child was judged alone too: %s", n.Message)
				}
			}
			if name == "walked" && (outcome["api.yaml"] != "template (read as a nested stack of "+filepath.Join(dir, "template.yaml")+")" || res.Stats.Templates != 3) {
				t.Errorf("outcomes %v, %d templates", outcome, res.Stats.Templates)
			}
		})
	}
}

// TestNestedStackErrors: a child template that is not there, and stacks
// that nest each other, are input errors naming the file and line.
func TestNestedStackErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"template.yaml": "Resources:\n  Gone:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: gone.yaml\n  Loop:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: loop.yaml}\n",
		"loop.yaml":     "Resources:\n  Back:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: template.yaml}\n",
	})
	res, _ := run(t, filepath.Join(dir, "template.yaml"))
	var msgs []string
	for _, e := range res.Errors {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	if len(res.Errors) != 2 || !strings.Contains(all, "template.yaml:5: the template of stack Gone, "+filepath.Join(dir, "gone.yaml")+", is not there: the deploy would fail") ||
		!strings.Contains(all, "loop.yaml:4: stack Back nests "+filepath.Join(dir, "template.yaml")+", which nests this template again") {
		t.Errorf("errors:\n%s", all)
	}
}

// TestCrossStackImport: CDK writes an export for every cross-stack
// reference; the API stack's integration imports the function of the
// Lambda stack and is linked to it. An import nothing exports is a note.
func TestCrossStackImport(t *testing.T) {
	lambda := `{"Resources": {"AddAirlineFn002E9C30": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 60},
  "Metadata": {"aws:cdk:path": "AirlinesLambdaStack/AddAirlineFn/Resource"}}},
 "Outputs": {"ExportsOutputFnGetAttAddAirlineFn002E9C30Arn4E3C7F16": {"Value": {"Fn::GetAtt": ["AddAirlineFn002E9C30", "Arn"]},
  "Export": {"Name": "AirlinesLambdaStack:ExportsOutputFnGetAttAddAirlineFn002E9C30Arn4E3C7F16"}},
  "Named": {"Value": {"Ref": "AddAirlineFn002E9C30"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-add-airline"}}}}}`
	uri := func(imp string) string {
		return `{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"}, ":lambda:path/2015-03-31/functions/", {"Fn::ImportValue": ` + imp + `}, "/invocations"]]}`
	}
	method := func(id, verb, imp string) string {
		return `"` + id + `": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "` + verb + `", "ResourceId": {"Ref": "R"}, "RestApiId": {"Ref": "Api"},
   "Integration": {"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST", "TimeoutInMillis": 10000, "Uri": ` + uri(imp) + `}}}`
	}
	api := `{"Resources": {"Api": {"Type": "AWS::ApiGateway::RestApi"},
  "R": {"Type": "AWS::ApiGateway::Resource", "Properties": {"ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "PathPart": "airlines", "RestApiId": {"Ref": "Api"}}},
  ` + method("Post", "POST", `"AirlinesLambdaStack:ExportsOutputFnGetAttAddAirlineFn002E9C30Arn4E3C7F16"`) + `,
  ` + method("Put", "PUT", `"prod-add-airline"`) + `,
  ` + method("Get", "GET", `"OtherStack:ExportsOutputRefListFn"`) + `}}`
	dir := writeFiles(t, map[string]string{"cdk.out/AirlinesLambdaStack.template.json": lambda, "cdk.out/AirlinesApiStack.template.json": api})
	res, _ := run(t, dir)
	linked := map[string]bool{}
	for _, a := range res.Model.APIs {
		for _, e := range a.Endpoints {
			linked[e.Method] = e.Integration != nil && e.Integration.Function != nil
		}
	}
	gl2 := 0
	for _, f := range res.Findings {
		if f.RuleID == "GL002" && filepath.Base(f.Location.File) == "AirlinesLambdaStack.template.json" && strings.Contains(f.Message, "function AirlinesLambdaStack/AddAirlineFn has Timeout 60 s") {
			gl2++
		}
	}
	if gl2 != 1 {
		t.Errorf("GL002 on the Lambda stack's function: %d findings", gl2)
	}
	if !linked["POST"] || !linked["PUT"] || linked["GET"] {
		t.Errorf("linked %v, want POST (CDK's export) and PUT (an export named with ${AWS::StackName})", linked)
	}
	note := false
	for _, n := range res.Notes {
		note = note || strings.Contains(n.Message, `the integration of GET /airlines imports its function as "OtherStack:ExportsOutputRefListFn", which no template read exports`)
	}
	if !note {
		t.Errorf("no note for the import nothing exports: %v", res.Notes)
	}
}

// TestCrossStackImportNearest: two copies of one two-stack app in a run
// (two cdk.out, one per environment) export the same names: each import
// reads its own copy's export, and a tie (two exporters beside the
// importer) is noted, not guessed.
func TestCrossStackImportNearest(t *testing.T) {
	fn := func(timeout string) string {
		return `{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": ` + timeout + `}}},
 "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["Fn", "Arn"]}, "Export": {"Name": "FnStack:Arn"}}}}`
	}
	const api = `{"Resources": {"Api": {"Type": "AWS::ApiGateway::RestApi"},
  "M": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "POST", "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "RestApiId": {"Ref": "Api"},
   "Integration": {"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST", "Uri": {"Fn::Join": ["", ["arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/", {"Fn::ImportValue": "FnStack:Arn"}, "/invocations"]]}}}}}}`
	dir := writeFiles(t, map[string]string{
		"prod/cdk.out/FnStack.template.json":  fn("60"),
		"prod/cdk.out/ApiStack.template.json": api,
		"dev/cdk.out/FnStack.template.json":   fn("20"),
		"dev/cdk.out/ApiStack.template.json":  api,
		"tie/FnStack.template.json":           fn("40"),
		"tie/FnCopy.template.json":            fn("50"),
		"tie/ApiStack.template.json":          api,
	})
	res, _ := run(t, dir)
	got := map[string]string{}
	for _, a := range res.Model.APIs {
		for _, e := range a.Endpoints {
			env := filepath.Base(filepath.Dir(filepath.Dir(a.Resource.File)))
			if filepath.Base(filepath.Dir(a.Resource.File)) == "tie" {
				env = "tie"
			}
			got[env] = "-"
			if fn := e.Integration.Function; fn != nil {
				got[env] = filepath.Base(filepath.Dir(filepath.Dir(fn.Resource.File))) + " " + model.Seconds(fn.Timeout[0].D)
			}
		}
	}
	if got["prod"] != "prod 60 s" || got["dev"] != "dev 20 s" || got["tie"] != "-" {
		t.Errorf("links %v, want prod's import to prod's function, dev's to dev's, the tie unlinked", got)
	}
	note := false
	for _, n := range res.Notes {
		note = note || strings.Contains(n.Message, `imports its function as "FnStack:Arn", which several templates export`) && strings.Contains(n.Location.File, "tie")
	}
	if !note {
		t.Errorf("no note for the tie: %v", res.Notes)
	}
}
