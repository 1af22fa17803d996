package cfn_test

import (
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
)

// want describes one expected Value. loc and paramLoc are (anchor, text):
// the value must cover exactly the first text after anchor.
type want struct {
	n        int64
	unknown  string // a substring of Unknown; Known is false when set
	origin   model.Origin
	param    string
	cond     string
	loc      [2]string
	paramLoc [2]string
}

func checkValues(t *testing.T, src string, got model.Values, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d values %+v, want %d", len(got), got, len(wants))
	}
	for i, w := range wants {
		g := got[i]
		if w.unknown != "" {
			if g.Known || !strings.Contains(g.Unknown, w.unknown) {
				t.Errorf("value %d: Known=%v Unknown=%q, want unknown with %q", i, g.Known, g.Unknown, w.unknown)
			}
		} else if !g.Known || g.N() != w.n {
			t.Errorf("value %d: Known=%v N=%d (%s), want %d", i, g.Known, g.N(), g.Unknown, w.n)
		}
		if g.Origin != w.origin || paramOf(g) != w.param || condOf(g) != w.cond {
			t.Errorf("value %d: Origin=%v Param=%q Cond=%q, want %v %q %q", i, g.Origin, paramOf(g), condOf(g), w.origin, w.param, w.cond)
		}
		wantSpan(t, "Loc", g.Loc, src, w.loc[0], w.loc[1], 0)
		if w.paramLoc[1] == "" {
			if paramLocOf(g) != (loc.Range{}) {
				t.Errorf("value %d: ParamLoc = %+v, want none", i, paramLocOf(g))
			}
		} else {
			wantSpan(t, "ParamLoc", paramLocOf(g), src, w.paramLoc[0], w.paramLoc[1], 0)
		}
	}
}

const fnKey = "Resources:\n  "

func TestFunctionTimeout(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		params map[string]string
		want   []want
	}{
		{
			name: "literal",
			src: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Timeout: 30   # seconds
`,
			want: []want{{n: 30, loc: [2]string{"Timeout: ", "30"}}},
		},
		{
			name: "literal in JSON",
			src: `{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {"Handler": "index.handler", "Timeout": 30}
    }
  }
}`,
			want: []want{{n: 30, loc: [2]string{`"Timeout": `, "30"}}},
		},
		{
			name: "double-quoted",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: \"30\"\n",
			want: []want{{n: 30, loc: [2]string{"Timeout: ", `"30"`}}},
		},
		{
			name: "single-quoted",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: '30'\n",
			want: []want{{n: 30, loc: [2]string{"Timeout: ", `'30'`}}},
		},
		{
			name: "integral float",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: 30.0}\n",
			want: []want{{n: 30, loc: [2]string{"Timeout: ", "30.0"}}},
		},
		{
			name: "not a number",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: thirty}\n",
			want: []want{{unknown: `"thirty" is not a number`, loc: [2]string{"Timeout: ", "thirty"}}},
		},
		{
			name: "a mapping",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: {a: 1}}\n",
			want: []want{{unknown: "expected a number", loc: [2]string{"Timeout: ", "{a: 1}"}}},
		},
		{
			name: "missing: the Lambda default at the logical ID",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: index.handler\n",
			want: []want{{n: 3, origin: model.Default, loc: [2]string{fnKey, "Fn"}}},
		},
		{
			name: "no Properties at all",
			src:  "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n",
			want: []want{{n: 3, origin: model.Default, loc: [2]string{fnKey, "Fn"}}},
		},
		{
			name: "SAM Globals",
			src: `Globals:
  Function:
    Timeout: 60
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
`,
			want: []want{{n: 60, origin: model.Inherited, loc: [2]string{"Timeout: ", "60"}}},
		},
		{
			name: "SAM Globals do not apply to AWS::Lambda::Function",
			src: `Globals:
  Function:
    Timeout: 60
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
`,
			want: []want{{n: 3, origin: model.Default, loc: [2]string{fnKey, "Fn"}}},
		},
		{
			name: "own Timeout wins over SAM Globals",
			src: `Globals:
  Function:
    Timeout: 60
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 10
`,
			want: []want{{n: 10, loc: [2]string{"Properties:\n      Timeout: ", "10"}}},
		},
		{
			name: "SAM Globals through a parameter",
			src: `Parameters:
  T: {Type: Number, Default: 45}
Globals:
  Function:
    Timeout: !Ref T
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
`,
			want: []want{{n: 45, origin: model.Variable, param: "T", loc: [2]string{"Timeout: ", "!Ref T"}, paramLoc: [2]string{"Default: ", "45"}}},
		},
		{
			name: "parameter default",
			src: `Parameters:
  T:
    Type: Number
    Default: "20"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !Ref T
`,
			want: []want{{n: 20, origin: model.Variable, param: "T", loc: [2]string{"Timeout: ", "!Ref T"}, paramLoc: [2]string{"Default: ", `"20"`}}},
		},
		{
			name: "parameter default, JSON",
			src: `{"Parameters": {"T": {"Type": "Number", "Default": 20}},
 "Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": {"Ref": "T"}}}}}`,
			want: []want{{n: 20, origin: model.Variable, param: "T", loc: [2]string{`"Timeout": `, `{"Ref": "T"}`}, paramLoc: [2]string{`"Default": `, "20"}}},
		},
		{
			name: "parameter overridden",
			src: `Parameters:
  T: {Type: Number, Default: 20}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: !Ref T}
`,
			params: map[string]string{"T": "40"},
			want:   []want{{n: 40, origin: model.Variable, param: "T", loc: [2]string{"Timeout: ", "!Ref T"}}},
		},
		{
			name: "parameter without default",
			src: `Parameters:
  T: {Type: Number}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: !Ref T}
`,
			want: []want{{unknown: "pass --param T=VALUE", origin: model.Variable, param: "T", loc: [2]string{"Timeout: ", "!Ref T"}}},
		},
		{
			name: "parameter without default, given",
			src: `Parameters:
  T: {Type: Number}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: !Ref T}
`,
			params: map[string]string{"T": "7"},
			want:   []want{{n: 7, origin: model.Variable, param: "T", loc: [2]string{"Timeout: ", "!Ref T"}}},
		},
		{
			name: "parameter that is not a number",
			src: `Parameters:
  T: {Type: String, Default: long}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: !Ref T}
`,
			want: []want{{unknown: `parameter T is "long"`, origin: model.Variable, param: "T", loc: [2]string{"Timeout: ", "!Ref T"}}},
		},
		{
			name: "pseudo parameter",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: !Ref AWS::Region}\n",
			want: []want{{unknown: "not a parameter", origin: model.Variable, param: "AWS::Region", loc: [2]string{"Timeout: ", "!Ref AWS::Region"}}},
		},
		{
			name: "other intrinsic",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: !Sub '30'}\n",
			want: []want{{unknown: "deploy time", loc: [2]string{"Timeout: ", "!Sub '30'"}}},
		},
		{
			name: "If, condition true from defaults",
			src: `Parameters:
  Stage: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !If [IsProd, 60, 10]
`,
			want: []want{{n: 60, loc: [2]string{"IsProd, ", "60"}}},
		},
		{
			name: "If, condition false from defaults",
			src: `Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [prod, !Ref Stage]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !If [IsProd, 60, 10]
`,
			want: []want{{n: 10, loc: [2]string{"60, ", "10"}}},
		},
		{
			name: "If, condition decided by an override",
			src: `Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !If [IsProd, 60, 10]
`,
			params: map[string]string{"Stage": "prod"},
			want:   []want{{n: 60, loc: [2]string{"IsProd, ", "60"}}},
		},
		{
			name: "If, JSON long form",
			src: `{"Parameters": {"Stage": {"Type": "String", "Default": "prod"}},
 "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
 "Resources": {"Fn": {"Type": "AWS::Lambda::Function",
   "Properties": {"Timeout": {"Fn::If": ["IsProd", 60, 10]}}}}}`,
			want: []want{{n: 60, loc: [2]string{`"IsProd", `, "60"}}},
		},
		{
			name: "If, condition on the region: both branches",
			src: `Conditions:
  C: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !If [C, 60, 10]
`,
			want: []want{
				{n: 60, cond: "C", loc: [2]string{"[C, ", "60"}},
				{n: 10, cond: "!C", loc: [2]string{"60, ", "10"}},
			},
		},
		{
			name: "If, condition on a parameter without default: both branches",
			src: `Parameters:
  Stage: {Type: String}
Conditions:
  C: !Equals [!Ref Stage, prod]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !If
        - C
        - 60
        - 10
`,
			want: []want{
				{n: 60, cond: "C", loc: [2]string{"- C\n        - ", "60"}},
				{n: 10, cond: "!C", loc: [2]string{"- 60\n        - ", "10"}},
			},
		},
		{
			name: "nested If with unknown conditions",
			src: `Conditions:
  C: !Equals [!Ref AWS::Region, us-east-1]
  D: !Equals [!Ref AWS::AccountId, "1"]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !If [C, !If [D, 1, 2], 3]
`,
			want: []want{
				{n: 1, cond: "C and D", loc: [2]string{"[D, ", "1"}},
				{n: 2, cond: "C and !D", loc: [2]string{"1, ", "2"}},
				{n: 3, cond: "!C", loc: [2]string{"2], ", "3"}},
			},
		},
		{
			name: "If with AWS::NoValue, known: the default",
			src: `Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !If [IsProd, 60, !Ref AWS::NoValue]
`,
			want: []want{{n: 3, origin: model.Default, loc: [2]string{fnKey, "Fn"}}},
		},
		{
			name: "If with AWS::NoValue, unknown: a value and the default",
			src: `Conditions:
  C: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !If [C, !Ref AWS::NoValue, 60]
`,
			want: []want{
				{n: 3, origin: model.Default, cond: "C", loc: [2]string{fnKey, "Fn"}},
				{n: 60, cond: "!C", loc: [2]string{"NoValue, ", "60"}},
			},
		},
		{
			name: "Ref AWS::NoValue",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: !Ref AWS::NoValue}\n",
			want: []want{{n: 3, origin: model.Default, loc: [2]string{fnKey, "Fn"}}},
		},
		{
			name: "FindInMap",
			src: `Parameters:
  Stage: {Type: String, Default: prod}
Mappings:
  Stages:
    dev: {Timeout: 10}
    prod: {Timeout: 25}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !FindInMap [Stages, !Ref Stage, Timeout]
`,
			// Like a parameter: located at the lookup, set in the mapping.
			want: []want{{n: 25, origin: model.Lookup, param: "Mappings.Stages.prod.Timeout",
				loc: [2]string{"Timeout: ", "!FindInMap [Stages, !Ref Stage, Timeout]"}, paramLoc: [2]string{"prod: {Timeout: ", "25"}}},
		},
		{
			name: "FindInMap, JSON",
			src: `{"Mappings": {"M": {"k": {"T": "12"}}},
 "Resources": {"Fn": {"Type": "AWS::Lambda::Function",
   "Properties": {"Timeout": {"Fn::FindInMap": ["M", "k", "T"]}}}}}`,
			want: []want{{n: 12, origin: model.Lookup, param: "Mappings.M.k.T",
				loc: [2]string{`{"Timeout": `, `{"Fn::FindInMap": ["M", "k", "T"]}`}, paramLoc: [2]string{`{"T": `, `"12"`}}},
		},
		{
			name: "FindInMap keyed on the region",
			src: `Mappings:
  R: {us-east-1: {T: 1}}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: !FindInMap [R, !Ref AWS::Region, T]}
`,
			want: []want{{unknown: "deploy time", loc: [2]string{"Timeout: ", "!FindInMap [R, !Ref AWS::Region, T]"}}},
		},
		{
			name: "FindInMap, missing entry",
			src: `Mappings:
  R: {a: {T: 1}}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: !FindInMap [R, b, T]}
`,
			want: []want{{unknown: "Mappings R/b/T not found", loc: [2]string{"Timeout: ", "!FindInMap [R, b, T]"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := load(t, tt.src, tt.params)
			checkValues(t, tt.src, function(t, m, "Fn").Timeout, tt.want)
			// Every value no rule can judge is listed for the reports.
			for _, v := range function(t, m, "Fn").Timeout {
				if v.Known {
					continue
				}
				found := false
				for _, u := range m.Notes {
					found = found || (u.Loc == v.Loc && strings.Contains(u.Message, "Timeout of Fn: ") && strings.HasSuffix(u.Message, v.Unknown))
				}
				if !found {
					t.Errorf("%q is not in Unresolved %+v", v.Unknown, m.Notes)
				}
			}
		})
	}
}

func TestConditions(t *testing.T) {
	src := `Parameters:
  Stage: {Type: String, Default: prod}
  Size: {Type: String, Default: small}
  Free: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsSmall: !Equals [!Ref Size, small]
  IsFree: !Equals [!Ref Free, x]
  Ref: !Condition IsProd
  Not: !Not [!Condition IsProd]
  AndTrue: !And [!Condition IsProd, !Condition IsSmall]
  AndFalse: !And [!Condition IsProd, !Not [!Condition IsSmall]]
  AndUnknownFalse: !And [!Condition IsFree, !Not [!Condition IsProd]]
  AndUnknownTrue: !And [!Condition IsFree, !Condition IsProd]
  OrTrue: !Or [!Condition IsFree, !Condition IsProd]
  OrFalse: !Or [!Not [!Condition IsProd], !Not [!Condition IsSmall]]
  OrUnknown: !Or [!Condition IsFree, !Not [!Condition IsProd]]
  NotUnknown: !Not [!Condition IsFree]
  LongForm: {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Not": [{"Fn::Equals": ["a", "b"]}]}]}
  Cycle1: !Condition Cycle2
  Cycle2: !Not [!Condition Cycle1]
  Missing: !Condition Nowhere
  Malformed: !Equals [a]
Resources:
`
	conds := []struct {
		name string
		want string // "true", "false" or "unknown"
	}{
		{"IsProd", "true"}, {"Ref", "true"}, {"Not", "false"},
		{"AndTrue", "true"}, {"AndFalse", "false"},
		{"AndUnknownFalse", "false"}, {"AndUnknownTrue", "unknown"},
		{"OrTrue", "true"}, {"OrFalse", "false"}, {"OrUnknown", "unknown"},
		{"NotUnknown", "unknown"}, {"LongForm", "true"},
		{"Cycle1", "unknown"}, {"Missing", "unknown"}, {"Malformed", "unknown"},
		{"NotDeclared", "unknown"},
	}
	for _, c := range conds {
		src += "  " + c.name + ":\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: !If [" + c.name + ", 1, 2]\n"
	}
	m := load(t, src, nil)
	for _, c := range conds {
		vs := function(t, m, c.name).Timeout
		var got string
		switch {
		case len(vs) == 1 && vs[0].N() == 1 && condOf(vs[0]) == "":
			got = "true"
		case len(vs) == 1 && vs[0].N() == 2 && condOf(vs[0]) == "":
			got = "false"
		case len(vs) == 2 && condOf(vs[0]) == c.name && condOf(vs[1]) == "!"+c.name:
			got = "unknown"
		default:
			got = "something else"
		}
		if got != c.want {
			t.Errorf("%s: %s (%+v), want %s", c.name, got, vs, c.want)
		}
	}
}

func TestQueueVisibilityTimeout(t *testing.T) {
	src := `Resources:
  Q1:
    Type: AWS::SQS::Queue
  Q2:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 180
`
	m := load(t, src, nil)
	if len(m.Queues) != 2 {
		t.Fatalf("got %d queues", len(m.Queues))
	}
	checkValues(t, src, m.Queues[0].VisibilityTimeout, []want{{n: 30, origin: model.Default, loc: [2]string{fnKey, "Q1"}}})
	checkValues(t, src, m.Queues[1].VisibilityTimeout, []want{{n: 180, loc: [2]string{"VisibilityTimeout: ", "180"}}})
}
