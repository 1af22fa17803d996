package cdk_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/fix"
	"github.com/gatelint/gatelint/rules"
)

// A Python CDK app cannot be synthesized here (no Python CDK runtime),
// so this test writes what `cdk synth --debug` records for the fixture
// app (fixtures/cdk-apps/python/app.py): jsii's JavaScript frames are the
// runtime's, and the host frames (JSII_HOST_STACK_TRACES=1) name the
// Python file and line, with no column, as aws-cdk-lib renders them
// (core/lib/private/stack-trace.ts formatExternalFrame).

const pyTemplate = `{
 "Resources": {
  "SlowFn5557DA41": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 60}, "Metadata": {"aws:cdk:path": "ApiStack/SlowFn/Resource"}},
  "DefaultFn720B1353": {"Type": "AWS::Lambda::Function", "Properties": {}, "Metadata": {"aws:cdk:path": "ApiStack/DefaultFn/Resource"}},
  "Worker1C2E4F8A": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 120}, "Metadata": {"aws:cdk:path": "ApiStack/Worker/Resource"}},
  "Queue4A7E3555": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}, "Metadata": {"aws:cdk:path": "ApiStack/Queue/Resource"}},
  "WorkerSqsEventSource": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {"EventSourceArn": {"Fn::GetAtt": ["Queue4A7E3555", "Arn"]}, "FunctionName": {"Ref": "Worker1C2E4F8A"}}, "Metadata": {"aws:cdk:path": "ApiStack/Worker/SqsEventSource:ApiStackQueue/Resource"}},
  "RestApi0C43BF4B": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "RestApi"}, "Metadata": {"aws:cdk:path": "ApiStack/RestApi/Resource"}},
  "RestApislow": {"Type": "AWS::ApiGateway::Resource", "Properties": {"ParentId": {"Fn::GetAtt": ["RestApi0C43BF4B", "RootResourceId"]}, "PathPart": "slow", "RestApiId": {"Ref": "RestApi0C43BF4B"}}, "Metadata": {"aws:cdk:path": "ApiStack/RestApi/Default/slow/Resource"}},
  "RestApislowGET": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "GET", "ResourceId": {"Ref": "RestApislow"}, "RestApiId": {"Ref": "RestApi0C43BF4B"},
    "Integration": {"IntegrationHttpMethod": "POST", "TimeoutInMillis": 10000, "Type": "AWS_PROXY",
     "Uri": {"Fn::Join": ["", ["arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/", {"Fn::GetAtt": ["SlowFn5557DA41", "Arn"]}, "/invocations"]]}}},
   "Metadata": {"aws:cdk:path": "ApiStack/RestApi/Default/slow/GET/Resource"}}
 }
}`

// frames is a trace as jsii records it for a Python app.
func frames(host ...string) []string {
	out := append([]string{"...jsii runtime..."}, host...)
	return append(out, "<module> (/home/runner/work/shop/shop/app.py:38)")
}

func pyAssembly(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile("../../../fixtures/cdk-apps/python/app.py")
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "app.py"), src, 0o644))
	must(os.Mkdir(filepath.Join(dir, "cdk.out"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "cdk.out", "ApiStack.template.json"), []byte(pyTemplate), 0o644))
	manifest := `{"version": "55.0.0", "artifacts": {"ApiStack": {"type": "aws:cloudformation:stack",
	  "properties": {"templateFile": "ApiStack.template.json"}, "additionalMetadataFile": "ApiStack.metadata.json"}}}`
	must(os.WriteFile(filepath.Join(dir, "cdk.out", "manifest.json"), []byte(manifest), 0o644))
	at := func(line string) string { return "__init__ (/home/runner/work/shop/shop/app.py:" + line + ")" }
	helper := "make_function (/home/runner/work/shop/shop/app.py:12)"
	meta := map[string][]map[string]any{}
	for path, trace := range map[string][]string{
		"/ApiStack/SlowFn/Resource":                              frames(at("24")),
		"/ApiStack/DefaultFn/Resource":                           frames(helper, at("27")),
		"/ApiStack/Worker/Resource":                              frames(helper, at("28")),
		"/ApiStack/Queue/Resource":                               frames(at("29")),
		"/ApiStack/Worker/SqsEventSource:ApiStackQueue/Resource": frames(at("34")),
		"/ApiStack/RestApi/Resource":                             frames(at("31")),
		"/ApiStack/RestApi/Default/slow/Resource":                frames(at("32")),
		"/ApiStack/RestApi/Default/slow/GET/Resource":            frames(at("32")),
	} {
		meta[path] = []map[string]any{{"type": "aws:cdk:creationStack", "data": trace}}
	}
	data, err := json.Marshal(meta)
	must(err)
	must(os.WriteFile(filepath.Join(dir, "cdk.out", "ApiStack.metadata.json"), data, 0o644))
	return dir
}

func TestPythonApp(t *testing.T) {
	dir := pyAssembly(t)
	t.Chdir(dir)
	res := driver.Run(driver.Config{Paths: []string{"."}, Rules: rules.DefaultConfig(), KeepSources: true})
	if err := res.Model.Validate(); err != nil {
		t.Fatal(err)
	}
	got := map[string]finding.Finding{}
	for _, f := range res.Findings {
		got[f.RuleID+" "+f.Resource.CDKPath] = f
	}
	for key, want := range map[string]struct {
		at, edit string
	}{
		// timeout=Duration.seconds(60), on the third line of the call; its
		// first fix raises the one integration that invokes it, too.
		"GL002 ApiStack/SlowFn/Resource": {"app.py:26:41", "millis(29000)"},
		// The helper's **kwargs: the value is at the helper's caller.
		"GL008 ApiStack/Queue/Resource": {"app.py:30:46", "seconds(720)"},
		// add_method("GET", apigw.LambdaIntegration(slow, timeout=Duration.millis(10000))).
		"GL001 ApiStack/RestApi/Default/slow/GET/Resource": {"app.py:32:95", "millis(29000)"},
	} {
		f, ok := got[key]
		if !ok {
			t.Errorf("no %s in %v", key, keys(got))
			continue
		}
		if at := f.Location.String(); at != want.at {
			t.Errorf("%s at %s, want %s", key, at, want.at)
		}
		if len(f.Fixes) == 0 || len(f.Fixes[0].Edits) == 0 || f.Fixes[0].Edits[0].NewText != want.edit || f.Fixes[0].Edits[0].File != "app.py" {
			t.Errorf("%s: fixes %+v, want %s in app.py", key, f.Fixes, want.edit)
		}
		if len(f.Related) == 0 || !strings.HasPrefix(f.Related[0].Location.File, "cdk.out/") {
			t.Errorf("%s: no synthesized place related: %+v", key, f.Related)
		}
	}
	// The worker's timeout is read at its caller, not the helper.
	for _, fn := range res.Model.Functions {
		if fn.Resource.CDKPath == "ApiStack/Worker/Resource" {
			if v := fn.Timeout[0]; v.Loc.String() != "app.py:28:56" || v.Remedy.Edit == nil {
				t.Errorf("worker timeout at %s (edit %v)", v.Loc, v.Remedy.Edit != nil)
			}
		}
	}
	plan := fix.Prepare(res.Findings, res.Sources, fix.Options{Unsafe: true, Reparse: res.Reparse})
	if len(plan.Refused) > 0 || len(plan.Changes) != 1 {
		t.Fatalf("plan: %d changes, refused %v", len(plan.Changes), plan.Refused)
	}
	after := string(plan.Changes[0].After)
	for _, want := range []string{"timeout=Duration.seconds(26))", "visibility_timeout=Duration.seconds(720))", "timeout=Duration.millis(29000)))"} {
		if !strings.Contains(after, want) {
			t.Errorf("patched app.py lacks %q", want)
		}
	}
}

func keys(m map[string]finding.Finding) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
