package cfn_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/cfn"
)

// TestLargeJSONTemplate: a JSON template above source.LargeFile is read
// with the properties of resources the reader does not read left unbuilt;
// what it reads is the same as in the template without them.
func TestLargeJSONTemplate(t *testing.T) {
	head := `{"Resources": {
  "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 60, "Code": {"ZipFile": "x"}, "Role": {"Fn::GetAtt": ["Role0", "Arn"]}}},
  "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "a"}},
  "R": {"Type": "AWS::ApiGateway::Resource", "Properties": {"ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "PathPart": "jobs", "RestApiId": {"Ref": "Api"}}},
  "M": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "POST", "ResourceId": {"Ref": "R"}, "RestApiId": {"Ref": "Api"},
    "MethodResponses": [{"StatusCode": "200"}],
    "Integration": {"Type": "AWS_PROXY", "TimeoutInMillis": 10000, "Uri": {"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"}}}}`
	var pad strings.Builder
	for i := 0; pad.Len() < source.LargeFile; i++ {
		fmt.Fprintf(&pad, `,
  "Role%d": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}]}}}`, i)
	}
	small, large := head+"}}\n", head+pad.String()+"}}\n"
	a, b := readModel(t, "t.json", small), readModel(t, "t.json", large)
	describe := func(m *model.Model) string {
		var s []string
		for _, fn := range m.Functions {
			s = append(s, fmt.Sprintf("fn %s %v at %v", fn.Resource.Address, fn.Timeout[0].D, fn.Timeout[0].Loc))
		}
		for _, api := range m.APIs {
			for _, e := range api.Endpoints {
				in := e.Integration
				s = append(s, fmt.Sprintf("%s %s → %s %v at %v", e.Method, e.Path, in.Function.Resource.Address, in.Timeout[0].D, in.Timeout[0].Loc))
			}
		}
		return strings.Join(s, "\n")
	}
	if da, db := describe(a), describe(b); da != db || len(b.Functions) != 1 {
		t.Errorf("small:\n%s\nlarge:\n%s", da, db)
	}
}

// TestLargeYAMLTemplate: a block-style YAML template above
// source.LargeFile is read with the Properties of the types no rule
// reads blanked out: the same model at the same places, and what is
// blanked keeps its bytes' count and its newlines. A file with anchors,
// or a layout it does not know, is read whole.
func TestLargeYAMLTemplate(t *testing.T) {
	head := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 60
      Code:
        ZipFile: x
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: a
  R:
    Type: AWS::ApiGateway::Resource
    Properties:
      ParentId: !GetAtt Api.RootResourceId
      PathPart: jobs
      RestApiId: !Ref Api
`
	method := `  # gatelint:ignore GL003 the queue is next quarter's
  M:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: POST
      ResourceId: !Ref R
      RestApiId: !Ref Api
      Integration:
        Type: AWS_PROXY
        TimeoutInMillis: 10000
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
`
	var pad strings.Builder
	for i := 0; pad.Len() < source.LargeFile; i++ {
		fmt.Fprintf(&pad, `  Role%d:
    Type: "AWS::IAM::Role" # a role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Action: sts:AssumeRole
            Effect: Allow

# a comment at the margin, inside the block
            Principal: {Service: lambda.amazonaws.com}
    DependsOn: Fn
`, i)
	}
	large := head + pad.String() + method
	pruned, ok := cfn.PruneYAML([]byte(large))
	if !ok || len(pruned) != len(large) || bytes.Count(pruned, []byte("\n")) != strings.Count(large, "\n") {
		t.Fatalf("pruned %v: %d bytes, %d lines (want %d, %d)", ok, len(pruned), bytes.Count(pruned, []byte("\n")), len(large), strings.Count(large, "\n"))
	}
	if bytes.Contains(pruned, []byte("sts:AssumeRole")) || !bytes.Contains(pruned, []byte("DependsOn: Fn")) || !bytes.Contains(pruned, []byte("# gatelint:ignore GL003")) || !bytes.Contains(pruned, []byte("TimeoutInMillis: 10000")) {
		t.Errorf("pruned the wrong parts:\n%.600s", pruned)
	}
	lineOf := func(src, s string) int { return strings.Count(src[:strings.Index(src, s)], "\n") + 1 }
	for name, src := range map[string]string{"small": head + method, "large": large} {
		m := readModel(t, "t.yaml", src)
		if len(m.Functions) != 1 || len(m.APIs) != 1 || len(m.APIs[0].Endpoints) != 1 {
			t.Fatalf("%s: %d functions, %d APIs", name, len(m.Functions), len(m.APIs))
		}
		fn, e := m.Functions[0], m.APIs[0].Endpoints[0]
		in := e.Integration
		if fn.Timeout[0].D != 60*time.Second || fn.Timeout[0].Loc.Start.Line != 6 || in.Function != fn || in.Timeout[0].D != 10*time.Second ||
			in.Timeout[0].Loc.Start.Line != lineOf(src, "TimeoutInMillis: 10000") || in.Timeout[0].Loc.Start.Column != 26 ||
			e.Method != "POST" || e.Path != "/jobs" {
			t.Errorf("%s: fn %+v; endpoint %s %s, integration %+v", name, fn.Timeout[0], e.Method, e.Path, in.Timeout[0])
		}
	}
	// What it does not know is read whole.
	for name, src := range map[string]string{
		"an anchor":          strings.Replace(large, "Effect: Allow", "Effect: &allow Allow", 1),
		"a tab":              strings.Replace(large, "    DependsOn: Fn", "\tDependsOn: Fn", 1),
		"no Resources block": "Outputs: {}\n" + pad.String(),
	} {
		if _, ok := cfn.PruneYAML([]byte(src)); ok {
			t.Errorf("%s: pruned", name)
		}
	}
}

// readModel reads src as the template name, which must read cleanly.
func readModel(t *testing.T, name, src string) *model.Model {
	t.Helper()
	var m model.Model
	ok, errs := cfnLoad(t, &m, name, []byte(src), cfn.Options{})
	if !ok || len(errs) > 0 {
		t.Fatalf("%v %v", ok, errs)
	}
	return &m
}
