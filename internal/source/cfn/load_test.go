package cfn_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/cfn"
)

func TestResourceCondition(t *testing.T) {
	src := `Parameters:
  Stage: {Type: String, Default: dev}
  Free: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Equals [!Ref Stage, dev]
  Unknown: !Equals [!Ref Free, x]
Resources:
  ProdOnly:
    Type: AWS::Lambda::Function
    Condition: IsProd
  DevOnly:
    Type: AWS::Lambda::Function
    Condition: IsDev
  Maybe:
    Type: AWS::Lambda::Function
    Condition: Unknown
  Always:
    Type: AWS::Lambda::Function
`
	ids := func(m *model.Model) string {
		var out []string
		for _, fn := range m.Functions {
			out = append(out, fn.Resource.LogicalID)
		}
		return strings.Join(out, " ")
	}
	if got := ids(load(t, src, nil)); got != "DevOnly Maybe Always" {
		t.Errorf("defaults: functions %s", got)
	}
	if got := ids(load(t, src, map[string]string{"Stage": "prod", "Free": "y"})); got != "ProdOnly Always" {
		t.Errorf("overrides: functions %s", got)
	}
}

func TestResourceMetadata(t *testing.T) {
	src := `Metadata:
  gatelint:
    ignore: [gl001]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Metadata:
      aws:cdk:path: Shop/Orders/Handler/Resource
      gatelint:
        ignore:
          - id: gl002
            reason: the client polls
          - GL003
  Map:
    Type: AWS::SQS::Queue
    Metadata:
      gatelint:
        ignore: {lambda-timeout-exceeds-integration: known}
  One:
    Type: AWS::SQS::Queue
    Metadata: {gatelint: {ignore: GL008}}
  Api:
    Type: AWS::ApiGateway::RestApi
  Implicit:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        E: {Type: Api, Properties: {Path: /, Method: get}}
`
	m := load(t, src, nil)
	fn := function(t, m, "Fn")
	if fn.Resource.CDKPath != "Shop/Orders/Handler/Resource" {
		t.Errorf("CDKPath = %q", fn.Resource.CDKPath)
	}
	tests := []struct {
		res  *model.Resource
		want map[string]string
	}{
		{fn.Resource, map[string]string{"GL001": "", "GL002": "the client polls", "GL003": ""}},
		{m.Queues[0].Resource, map[string]string{"GL001": "", "LAMBDA-TIMEOUT-EXCEEDS-INTEGRATION": "known"}},
		{m.Queues[1].Resource, map[string]string{"GL001": "", "GL008": ""}},
		{api(t, m, "Api").Resource, map[string]string{"GL001": ""}},
		{api(t, m, "ServerlessRestApi").Resource, map[string]string{"GL001": ""}},
	}
	for _, tt := range tests {
		if !maps.Equal(tt.res.Ignore, tt.want) {
			t.Errorf("%s: Ignore = %v, want %v", tt.res.LogicalID, tt.res.Ignore, tt.want)
		}
	}
	if r := api(t, m, "Api").Resource; r.CDKPath != "" || r.File != path || r.Type != "AWS::ApiGateway::RestApi" {
		t.Errorf("Api resource %+v", r)
	}
}

func TestLoadNotATemplate(t *testing.T) {
	tests := []struct {
		name, src string
		template  bool
		errLine   int // 0: no error expected; -1: an error without a line
		errText   string
	}{
		{name: "YAML syntax error", src: "Resources:\n  Fn:\n    Type: [AWS::Lambda::Function\n  Other: 1\n", errLine: 3, errText: "cannot parse"},
		{name: "tab indentation", src: "Resources:\n\tFn: 1\n", errLine: 2, errText: "cannot parse"},
		{name: "JSON syntax error", src: "{\n  \"Resources\": {\n    \"Fn\": {\"Type\": \"x\",}\n  ,\n}\n", errLine: -1, errText: "cannot parse"},
		{name: "OpenAPI file", src: "openapi: 3.0.1\npaths: {}\n"},
		{name: "package.json", src: `{"name": "x", "version": "1.0.0"}`},
		{name: "scalar document", src: "just text\n"},
		{name: "list document", src: "- Resources\n"},
		{name: "empty", src: ""},
		{name: "comments only", src: "# nothing\n"},
		{name: "Resources is a number", src: "Resources: 3\n", template: true, errLine: 1, errText: "Resources is not a mapping"},
		{name: "Resources is empty", src: "Resources:\n", template: true, errLine: 1, errText: "Resources is not a mapping"},
		{name: "Resources is a list", src: "Resources: [a]\n", template: true, errLine: 1, errText: "Resources is not a mapping"},
		{name: "Resources is an empty mapping", src: "Resources: {}\n", template: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m model.Model
			ok, errs := cfnLoad(t, &m, path, []byte(tt.src), cfn.Options{})
			if ok != tt.template {
				t.Errorf("Load = %v, want %v", ok, tt.template)
			}
			if tt.errLine == 0 {
				if len(errs) != 0 {
					t.Errorf("errors %v, want none", errs)
				}
				return
			}
			if len(errs) != 1 {
				t.Fatalf("errors %v, want one", errs)
			}
			e := errs[0]
			if e.File != path || !strings.Contains(e.Message, tt.errText) || (tt.errLine > 0 && e.Line != tt.errLine) || (tt.errLine < 0 && e.Line == 0) {
				t.Errorf("error %+v, want %q at line %d", e, tt.errText, tt.errLine)
			}
		})
	}
}

// A malformed resource is noted and skipped; the others are still read.
func TestLoadMalformedResources(t *testing.T) {
	src := `Resources:
  Bad: 3
  NoType: {Properties: {Timeout: 3}}
  BadProps:
    Type: AWS::Lambda::Function
    Properties: [1, 2]
  BadIf:
    Type: AWS::Lambda::Function
    Properties: {Timeout: !If [OnlyTwo, 1]}
  BadMap:
    Type: AWS::Lambda::Function
    Properties: {Timeout: !FindInMap [M, k]}
  BadRef:
    Type: AWS::Lambda::Function
    Properties: {Timeout: !Ref [a, b]}
  Method:
    Type: AWS::ApiGateway::Method
    Properties: {Integration: [1], HttpMethod: !Join [a]}
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties: {RouteKey: !Sub [a, b, c], Target: 3}
  Events:
    Type: AWS::Serverless::Function
    Properties:
      Events: {A: 1, B: {Type: Api}, C: {Type: HttpApi, Properties: 2}, D: {Type: SQS}}
  Good:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 20}
`
	var m model.Model
	ok, errs := cfnLoad(t, &m, path, []byte(src), cfn.Options{})
	if !ok || len(errs) != 0 {
		t.Fatalf("Load = %v, %v", ok, errs)
	}
	if v := one(t, function(t, &m, "Good").Timeout); v.N() != 20 {
		t.Errorf("Good: %+v", v)
	}
	if v := one(t, function(t, &m, "BadProps").Timeout); v.N() != 3 || v.Origin != model.Default || v.Remedy.Edit != nil {
		t.Errorf("BadProps: %+v", v)
	}
	for _, id := range []string{"BadIf", "BadMap"} {
		if v := one(t, function(t, &m, id).Timeout); v.Known || !strings.Contains(v.Unknown, "malformed") {
			t.Errorf("%s: %+v", id, v)
		}
	}
	found := false
	for _, u := range m.Notes {
		found = found || strings.Contains(u.Message, "resource Bad is not a mapping")
	}
	if !found {
		t.Errorf("no note about Bad in %+v", m.Notes)
	}
}

// yaml.v3 reads UTF-16 (as PowerShell writes files), but every position
// and fix is in UTF-8 bytes: such a file is refused rather than
// corrupted by a fix.
func TestLoadUTF16(t *testing.T) {
	src := "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: 30}\n"
	for name, bom := range map[string][]byte{"LE": {0xff, 0xfe}, "BE": {0xfe, 0xff}} {
		t.Run(name, func(t *testing.T) {
			data := append([]byte(nil), bom...)
			for _, r := range src {
				if name == "LE" {
					data = append(data, byte(r), 0)
				} else {
					data = append(data, 0, byte(r))
				}
			}
			var m model.Model
			ok, errs := cfnLoad(t, &m, path, data, cfn.Options{})
			if ok || len(errs) != 1 || !strings.Contains(errs[0].Message, "UTF-16") || len(m.Functions) != 0 {
				t.Errorf("Load = %v, %v, %d functions; want a UTF-16 error", ok, errs, len(m.Functions))
			}
		})
	}
}

// TestDuplicateKeys: a key written twice is noted at its second place,
// and the first is what gatelint reads.
func TestDuplicateKeys(t *testing.T) {
	src := "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: 10\n      Timeout: 60\n"
	m := load(t, src, nil)
	if v := one(t, function(t, m, "Fn").Timeout); v.N() != 10 {
		t.Errorf("read Timeout %d, want the first, 10", v.N())
	}
	if len(m.Notes) != 1 || m.Notes[0].Loc.Start.Line != 6 || !strings.Contains(m.Notes[0].Message, `duplicate key "Timeout" (first at line 5)`) {
		t.Errorf("notes %+v", m.Notes)
	}
}
func TestLooksLikeTemplate(t *testing.T) {
	for src, want := range map[string]bool{
		"Resources:\n  X: [":                    true,
		"{\n  \"AWSTemplateFormatVersion\": [":  true,
		"Transform: AWS::Serverless-2016-10-31": true,
		"openapi: 3.0.0\npaths: {":              false,
		`{"name": "pkg", "version": "1"}`:       false,
	} {
		if got := cfn.LooksLikeTemplate([]byte(src)); got != want {
			t.Errorf("LooksLikeTemplate(%q) = %v, want %v", src, got, want)
		}
	}
}
