package cdk_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/rules"
)

// jsApp is an app written to reach every branch of locating a value: a
// helper that makes two functions (a value written there is shared), a
// value that is not a literal, an integration held in a variable, an
// access-log format that is a literal, and a construct in a file this
// checkout does not have.
const jsApp = `const { Stack, Duration } = require('aws-cdk-lib');
const apigateway = require('aws-cdk-lib/aws-apigateway');

function fn(scope, id, props) {
  return new lambda.Function(scope, id, {
    timeout: Duration.seconds(40),
  });
}

class S extends Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const a = fn(this, 'A');
    const b = fn(this, 'B');
    const c = new lambda.Function(this, 'C', { timeout: props.timeout });
    const api = new apigateway.RestApi(this, 'Api', {
      deployOptions: { accessLogDestination: dest, accessLogFormat: apigateway.AccessLogFormat.custom('$context.status') },
    });
    const integ = new apigateway.LambdaIntegration(c, { timeout: Duration.seconds(5) });
    api.root.addMethod('GET', integ);
  }
}
`

const jsTemplate = `{"Resources": {
 "A1": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 40}, "Metadata": {"aws:cdk:path": "S/A/Resource"}},
 "B1": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 40}, "Metadata": {"aws:cdk:path": "S/B/Resource"}},
 "C1": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 50}, "Metadata": {"aws:cdk:path": "S/C/Resource"}},
 "Z1": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 3}, "Metadata": {"aws:cdk:path": "S/Z/Resource"}},
 "Api1": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}, "Metadata": {"aws:cdk:path": "S/Api/Resource"}},
 "Stage1": {"Type": "AWS::ApiGateway::Stage", "Properties": {"RestApiId": {"Ref": "Api1"}, "StageName": "prod",
   "AccessLogSetting": {"DestinationArn": "arn:aws:logs:us-east-1:1:log-group:x", "Format": "$context.status"}},
   "Metadata": {"aws:cdk:path": "S/Api/DeploymentStage.prod/Resource"}},
 "GET1": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "GET", "ResourceId": {"Fn::GetAtt": ["Api1", "RootResourceId"]}, "RestApiId": {"Ref": "Api1"},
   "Integration": {"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST", "TimeoutInMillis": 5000,
    "Uri": {"Fn::Join": ["", ["arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/", {"Fn::GetAtt": ["C1", "Arn"]}, "/invocations"]]}}},
   "Metadata": {"aws:cdk:path": "S/Api/Default/GET/Resource"}}
}}`

func jsAssembly(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(p, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("lib/s.js", jsApp)
	write("cdk.out/S.template.json", jsTemplate)
	write("cdk.out/manifest.json", `{"version": "55.0.0", "artifacts": {"S": {"type": "aws:cloudformation:stack",
	  "properties": {"templateFile": "S.template.json"}, "additionalMetadataFile": "S.metadata.json"}}}`)
	f := func(line, col string) string { return "new S (/ci/app/lib/s.js:" + line + ":" + col + ")" }
	helper := "fn (/ci/app/lib/s.js:5:10)"
	app := "<anonymous> (/ci/app/bin/app.js:3:1)"
	meta := map[string][]map[string]any{}
	for path, trace := range map[string][]string{
		"/S/A/Resource":                        {"...new Function in aws-cdk-lib...", helper, f("13", "15"), app},
		"/S/B/Resource":                        {"...new Function in aws-cdk-lib...", helper, f("14", "15"), app},
		"/S/C/Resource":                        {f("15", "15"), app},
		"/S/Z/Resource":                        {"new S (/ci/app/lib/gone.js:3:7)", app},
		"/S/Api/Resource":                      {f("16", "17"), app},
		"/S/Api/DeploymentStage.prod/Resource": {f("16", "17"), app},
		"/S/Api/Default/GET/Resource":          {f("20", "14"), app},
	} {
		meta[path] = []map[string]any{{"type": "aws:cdk:creationStack", "data": trace}}
	}
	data, err := json.Marshal(meta)
	if err != nil {
		t.Fatal(err)
	}
	write("cdk.out/S.metadata.json", string(data))
	return dir
}

func TestLocatingValues(t *testing.T) {
	t.Chdir(jsAssembly(t))
	res := driver.Run(driver.Config{Paths: []string{"cdk.out"}, Rules: rules.DefaultConfig(), KeepSources: true})
	if err := res.Model.Validate(); err != nil {
		t.Fatal(err)
	}
	fns := map[string]*model.Function{}
	for _, fn := range res.Model.Functions {
		fns[fn.Resource.Display] = fn
	}
	check := func(name string, v model.Value, at string, edit bool, advice string) {
		t.Helper()
		if v.Loc.String() != at {
			t.Errorf("%s at %s, want %s", name, v.Loc, at)
		}
		if (v.Remedy.Edit != nil) != edit {
			t.Errorf("%s: edit %v, want %v", name, v.Remedy.Edit != nil, edit)
		}
		got := ""
		if v.Remedy.Advice != nil {
			got = v.Remedy.Advice(26 * time.Second)
		}
		if !strings.Contains(got, advice) || advice == "" && got != "" {
			t.Errorf("%s: advice %q, want %q", name, got, advice)
		}
	}
	// Written in the helper both functions come from: not one's to edit.
	check("S/A", fns["S/A"].Timeout[0], "lib/s.js:6:14", false, "in code that makes other constructs too: set timeout to Duration.seconds(26) for this one alone")
	check("S/B", fns["S/B"].Timeout[0], "lib/s.js:6:14", false, "in code that makes other constructs too")
	if a := fns["S/A"].Resource.Key.String(); a != "lib/s.js:13:15" {
		t.Errorf("S/A is located at %s, want its own call lib/s.js:13:15", a)
	}
	check("S/C", fns["S/C"].Timeout[0], "lib/s.js:15:57", false, "timeout is props.timeout at lib/s.js:15:57, not a literal")
	// The frame's file is not here: the template's place stays.
	if z := fns["S/Z"]; z.Resource.Key.File != "cdk.out/S.template.json" || z.Timeout[0].Loc.File != "cdk.out/S.template.json" {
		t.Errorf("S/Z located at %s", z.Resource.Key)
	}
	noted := false
	for _, n := range res.Notes {
		noted = noted || strings.Contains(n.Message, "S/Z: the app's frame /ci/app/lib/gone.js:3:7 cannot be followed (no file of that path exists")
	}
	if !noted {
		t.Errorf("no note on the missing file: %+v", res.Notes)
	}
	api := res.Model.APIs[0]
	in := api.Endpoints[0].Integration
	check("integration", in.Timeout[0], "lib/s.js:19:66", true, "")
	if e := in.Timeout[0].Remedy.Edit(29 * time.Second); len(e) != 1 || e[0].NewText != "seconds(29)" {
		t.Errorf("integration edit %+v", e)
	}
	al := api.Stages[0].AccessLog
	if al.Loc.String() != "lib/s.js:17:69" || al.Edit == nil {
		t.Fatalf("access log at %s, edit %v", al.Loc, al.Edit != nil)
	}
	if e := al.Edit(`{"status":"$context.status"}`); len(e) != 1 || e[0].NewText != `'{"status":"$context.status"}'` {
		t.Errorf("access-log edit %+v", e)
	}
}
