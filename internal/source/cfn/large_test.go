package cfn_test

import (
	"fmt"
	"strings"
	"testing"

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
	read := func(src string) *model.Model {
		var m model.Model
		ok, errs := cfnLoad(t, &m, "t.json", []byte(src), cfn.Options{})
		if !ok || len(errs) > 0 {
			t.Fatalf("%v %v", ok, errs)
		}
		return &m
	}
	a, b := read(small), read(large)
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
