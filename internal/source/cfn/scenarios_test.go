package cfn_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/cfn"
)

// Each scenario is one reading: its resources are tagged with it, and
// link only to each other (a function matched by name in its own).
func TestScenariosAreSeparateGraphs(t *testing.T) {
	src := `Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: orders
      Timeout: !If [IsProd, 60, 10]
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      Integration:
        Type: AWS_PROXY
        Uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations
  Api:
    Type: AWS::ApiGateway::RestApi
`
	m := load(t, src, nil)
	if len(m.Functions) != 2 || len(m.APIs) != 2 {
		t.Fatalf("%d functions and %d APIs, want one of each per scenario", len(m.Functions), len(m.APIs))
	}
	for _, fn := range m.Functions {
		sc := fn.Resource.Scenario
		if sc == nil || len(sc.Set.List) != 2 || len(fn.Integrations) != 1 {
			t.Fatalf("function %+v", fn)
		}
		if e := fn.Integrations[0].Endpoints[0]; e.Resource.Scenario != sc || e.API.Resource.Scenario != sc {
			t.Errorf("the function of scenario %v is invoked from another", sc.Inputs)
		}
		v, _ := fn.Timeout.Max()
		want := map[string]int64{"dev": 10, "prod": 60}[sc.Inputs[0].Value]
		if v.N() != want || len(v.When) != 0 {
			t.Errorf("Env=%s: Timeout %d (when %v), want %d", sc.Inputs[0].Value, v.N(), v.When, want)
		}
		if got := sc.Conds; len(got) != 1 || got[0].Holds != (sc.Inputs[0].Value == "prod") {
			t.Errorf("conditions %+v", got)
		}
	}
}

// A parameter that only names things is not a scenario; one without
// AllowedValues is read at its Default.
func TestScenariosOnlyForWhatIsJudged(t *testing.T) {
	src := `Parameters:
  Stage: {Type: String, Default: dev, AllowedValues: [dev, staging, prod]}
  Size: {Type: String, Default: small}
Conditions:
  Big: !Equals [!Ref Size, large]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub orders-${Stage}
      Timeout: !If [Big, 60, 10]
`
	m := load(t, src, nil)
	if len(m.Functions) != 1 || m.Functions[0].Resource.Scenario != nil {
		t.Fatalf("%d functions, scenario %v: want one reading", len(m.Functions), m.Functions[0].Resource.Scenario)
	}
}

// More combinations than cfn-lint's 128 scenarios: the first 128 are
// read, and a note says so.
func TestScenariosCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("Parameters:\n")
	for i := range 8 {
		fmt.Fprintf(&b, "  P%d: {Type: String, Default: a, AllowedValues: [a, b]}\n", i)
	}
	b.WriteString("Conditions:\n")
	for i := range 8 {
		fmt.Fprintf(&b, "  C%d: !Equals [!Ref P%d, b]\n", i, i)
	}
	b.WriteString("Resources:\n")
	for i := range 8 {
		fmt.Fprintf(&b, "  Fn%d:\n    Type: AWS::Lambda::Function\n    Condition: C%d\n    Properties: {Timeout: 5}\n", i, i)
	}
	m := load(t, b.String(), nil)
	sets := map[*finding.Scenarios]bool{}
	for _, fn := range m.Functions {
		sets[fn.Resource.Scenario.Set] = true
	}
	var set *finding.Scenarios
	for s := range sets {
		set = s
	}
	if len(sets) != 1 || len(set.List) != 128 {
		t.Fatalf("%d sets, %d scenarios; want 128", len(sets), len(set.List))
	}
	if len(m.Notes) != 1 || !strings.Contains(m.Notes[0].Message, "the parameters allow 256 combinations of P0, P1, P2, P3, P4, P5, P6, P7; gatelint judged the first 128") {
		t.Errorf("notes %+v", m.Notes)
	}
}

// An environment's value wins over the Default and the AllowedValues, is
// located at the environment's line, and is fixed there on request;
// --param wins over it.
func TestEnvironmentValues(t *testing.T) {
	src := `Parameters:
  FnTimeout: {Type: Number, Default: 10, AllowedValues: [10, 40]}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !Ref FnTimeout
`
	at := loc.Range{File: "samconfig.toml", Start: loc.Pos{Line: 3, Column: 35, Offset: 60}, End: loc.Pos{Line: 3, Column: 37, Offset: 62}}
	edit := func(s string) []finding.TextEdit {
		return []finding.TextEdit{{File: "samconfig.toml", Start: 60, End: 62, NewText: s}}
	}
	envs := []cfn.Env{
		{Name: "dev", Kind: "samconfig environment", Params: map[string]cfn.EnvParam{}},
		{Name: "prod", Kind: "samconfig environment", Params: map[string]cfn.EnvParam{"FnTimeout": {Env: "prod", Kind: "samconfig environment", Value: "40", Loc: at, Edit: edit}}},
	}
	var m model.Model
	if ok, errs := cfnLoad(t, &m, path, []byte(src), cfn.Options{Envs: envs}); !ok || len(errs) > 0 {
		t.Fatal(errs)
	}
	got := map[string]string{}
	for _, fn := range m.Functions {
		sc := fn.Resource.Scenario
		v, _ := fn.Timeout.Max()
		got[sc.Env+" "+fmt.Sprint(sc.Inputs)] = fmt.Sprintf("%d %s", v.N(), v.Via.Loc)
		if sc.Env == "prod" {
			fix, ok := v.Remedy.Shared(26e9, "Timeout of Fn")
			if !ok || fix.Edits[0].File != "samconfig.toml" || fix.Description != "set parameter FnTimeout to 26 in samconfig.toml (for Timeout of Fn)" {
				t.Errorf("prod fix %+v", fix)
			}
			if a := v.Remedy.Advice(26e9); a != " Deploy with FnTimeout=26: change it in samconfig.toml, where it is set." {
				t.Errorf("prod advice %q", a)
			}
		}
	}
	// dev leaves FnTimeout to the template, which allows 10 and 40.
	want := map[string]string{"dev [{FnTimeout 10}]": "10 t.yaml:2:58", "dev [{FnTimeout 40}]": "40 t.yaml:2:62", "prod []": "40 samconfig.toml:3:35"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	m = model.Model{}
	// (A --param outside AllowedValues is refused: one of them is given.)
	cfnLoad(t, &m, path, []byte(src), cfn.Options{Envs: envs, Params: map[string]string{"FnTimeout": "10"}})
	for _, fn := range m.Functions {
		if v, _ := fn.Timeout.Max(); v.N() != 10 {
			t.Errorf("--param lost to %s: %d", fn.Resource.Scenario.Env, v.N())
		}
	}
}

// A parameter a condition reads only behind another (Fn::And stops at
// the first false) is found, and judged in each of its values.
func TestScenariosBehindAnotherCondition(t *testing.T) {
	src := `Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
  Size: {Type: String, Default: small, AllowedValues: [small, large]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  BigProd: !And [!Condition IsProd, !Equals [!Ref Size, large]]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !If [BigProd, 60, 10]
`
	m := load(t, src, nil)
	if len(m.Functions) != 4 {
		t.Fatalf("%d readings, want Env × Size = 4", len(m.Functions))
	}
	long := 0
	for _, fn := range m.Functions {
		if v, _ := fn.Timeout.Max(); v.N() == 60 {
			long++
			if in := fmt.Sprint(fn.Resource.Scenario.Inputs); in != "[{Env prod} {Size large}]" {
				t.Errorf("60 s under %s", in)
			}
		}
	}
	if long != 1 {
		t.Errorf("%d readings with 60 s, want 1", long)
	}
}
