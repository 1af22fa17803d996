package cfn_test

import (
	"testing"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/yamlpos/yamlpostest"
)

func TestEdit(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // src after the edits for 26 ("" when there is no edit)
	}{
		{
			name: "plain number: only the digits",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: 30 # s\n",
			want: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: 26 # s\n",
		},
		{
			name: "double-quoted number keeps its quotes",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: \"30\"\n",
			want: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: \"26\"\n",
		},
		{
			name: "single-quoted number keeps its quotes",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: '300'\n",
			want: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: '26'\n",
		},
		{
			// (An anchor that aliases use too gets no edit: it would change
			// every use; see TestAliases.)
			name: "anchored number keeps its anchor",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: &t 30\n",
			want: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: &t 26\n",
		},
		{
			name: "tagged number keeps its tag",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: !!int 30\n",
			want: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: !!int 26\n",
		},
		{
			name: "number with the non-specific tag",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: ! '30'}\n",
			want: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: ! '26'}\n",
		},
		{
			name: "block scalar number: no edit",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: >-\n        30\n",
		},
		{
			name: "number after non-ASCII text on its line",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Description: \"Größe ✓\", Timeout: 30}\n",
			want: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Description: \"Größe ✓\", Timeout: 26}\n",
		},
		{
			name: "number in JSON after a raw line separator",
			src:  "{\"Resources\": {\"Fn\": {\"Type\": \"AWS::Lambda::Function\", \"Properties\": {\"Description\": \"a\u2028b\", \"Timeout\": 30}}}}",
			want: "{\"Resources\": {\"Fn\": {\"Type\": \"AWS::Lambda::Function\", \"Properties\": {\"Description\": \"a\u2028b\", \"Timeout\": 26}}}}",
		},
		{
			name: "number in a CRLF file",
			src:  "Resources:\r\n  Fn:\r\n    Type: AWS::Lambda::Function\r\n    Properties:\r\n      Timeout: 30\r\n",
			want: "Resources:\r\n  Fn:\r\n    Type: AWS::Lambda::Function\r\n    Properties:\r\n      Timeout: 26\r\n",
		},
		{
			name: "default: a line before the first property",
			src: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
        # the entry point
        Handler: index.handler
        Runtime: python3.12
`,
			want: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
        # the entry point
        Timeout: 26
        Handler: index.handler
        Runtime: python3.12
`,
		},
		{
			name: "default: CRLF stays CRLF",
			src:  "Resources:\r\n  Fn:\r\n    Type: AWS::Lambda::Function\r\n    Properties:\r\n      Handler: index.handler\r\n",
			want: "Resources:\r\n  Fn:\r\n    Type: AWS::Lambda::Function\r\n    Properties:\r\n      Timeout: 26\r\n      Handler: index.handler\r\n",
		},
		{
			name: "default: quoted keys are imitated",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      \"Handler\": index.handler\n",
			want: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      \"Timeout\": 26\n      \"Handler\": index.handler\n",
		},
		{
			name: "default: JSON",
			src: `{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Handler": "index.handler"
      }
    }
  }
}`,
			want: `{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Timeout": 26,
        "Handler": "index.handler"
      }
    }
  }
}`,
		},
		{
			name: "default: JSON indented with tabs",
			src:  "{\n\t\"Resources\": {\n\t\t\"Fn\": {\n\t\t\t\"Type\": \"AWS::Lambda::Function\",\n\t\t\t\"Properties\": {\n\t\t\t\t\"Handler\": \"index.handler\"\n\t\t\t}\n\t\t}\n\t}\n}\n",
			want: "{\n\t\"Resources\": {\n\t\t\"Fn\": {\n\t\t\t\"Type\": \"AWS::Lambda::Function\",\n\t\t\t\"Properties\": {\n\t\t\t\t\"Timeout\": 26,\n\t\t\t\t\"Handler\": \"index.handler\"\n\t\t\t}\n\t\t}\n\t}\n}\n",
		},
		{
			name: "default: JSON with CRLF",
			src:  "{\r\n  \"Resources\": {\r\n    \"Fn\": {\r\n      \"Type\": \"AWS::Lambda::Function\",\r\n      \"Properties\": {\r\n        \"Handler\": \"index.handler\"\r\n      }\r\n    }\r\n  }\r\n}\r\n",
			want: "{\r\n  \"Resources\": {\r\n    \"Fn\": {\r\n      \"Type\": \"AWS::Lambda::Function\",\r\n      \"Properties\": {\r\n        \"Timeout\": 26,\r\n        \"Handler\": \"index.handler\"\r\n      }\r\n    }\r\n  }\r\n}\r\n",
		},
		{
			name: "default: JSON on one line",
			src:  `{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "index.handler"}}}}`,
			want: `{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 26, "Handler": "index.handler"}}}}`,
		},
		{
			name: "default: flow mapping on one line",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Handler: index.handler, Runtime: python3.12}\n",
			want: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: 26, Handler: index.handler, Runtime: python3.12}\n",
		},
		{
			name: "default: non-ASCII before the first property",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Description: \"Größe\", Handler: index.handler}\n",
			want: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: 26, Description: \"Größe\", Handler: index.handler}\n",
		},
		{
			name: "Globals: the function gets its own Timeout",
			src: `Globals:
  Function:
    Timeout: 60
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
`,
			want: `Globals:
  Function:
    Timeout: 60
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 26
      Handler: index.handler
`,
		},
		{
			name: "Ref AWS::NoValue is replaced, not doubled",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: index.handler\n      Timeout: !Ref AWS::NoValue\n",
			want: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: index.handler\n      Timeout: 26\n",
		},
		{
			name: "JSON Ref AWS::NoValue is replaced",
			src:  `{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "h", "Timeout": {"Ref": "AWS::NoValue"}}}}}`,
			want: `{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "h", "Timeout": 26}}}}`,
		},
		{
			name: "If falling back to AWS::NoValue: the branch is replaced",
			src: `Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Timeout: !If [IsProd, 60, !Ref AWS::NoValue]
`,
			want: `Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Timeout: !If [IsProd, 60, 26]
`,
		},
		{
			name: "default before a complex key: no edit",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      ? Handler\n      : index.handler\n",
		},
		{
			name: "default without Properties: they are written",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n",
			want: "Resources:\n  Fn:\n    Properties:\n      Timeout: 26\n    Type: AWS::Lambda::Function\n",
		},
		{
			name: "default with empty Properties: filled",
			src:  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {}\n",
			want: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: 26}\n",
		},
		{
			name: "JSON default without Properties",
			src:  `{"Resources": {"Fn": {"Type": "AWS::Lambda::Function"}}}`,
			want: `{"Resources": {"Fn": {"Properties": {"Timeout": 26}, "Type": "AWS::Lambda::Function"}}}`,
		},
		{
			name: "JSON default with empty Properties",
			src:  `{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {}}}}`,
			want: `{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 26}}}}`,
		},
		{
			name: "parameter: no edit",
			src:  "Parameters:\n  T: {Type: Number, Default: 30}\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: !Ref T}\n",
		},
		{
			name: "mapping: no edit",
			src:  "Mappings:\n  M: {a: {b: 30}}\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: !FindInMap [M, a, b]}\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := load(t, tt.src, nil)
			v := one(t, function(t, m, "Fn").Timeout)
			if tt.want == "" {
				if v.Remedy.Edit != nil {
					t.Fatalf("Edit = %+v, want none", editTo(v, 26))
				}
				return
			}
			if v.Remedy.Edit == nil {
				t.Fatal("no Edit")
			}
			got := yamlpostest.Apply(t, tt.src, editTo(v, 26))
			if got != tt.want {
				t.Fatalf("edited:\n%s\nwant:\n%s", got, tt.want)
			}
			// The result reads back as the number asked for, written in
			// the file now.
			nv := one(t, function(t, load(t, got, nil), "Fn").Timeout)
			if !nv.Known || nv.N() != 26 || nv.Origin != model.Literal {
				t.Errorf("after the edit: %+v, want a literal 26", nv)
			}
		})
	}
}

func TestEditQueue(t *testing.T) {
	src := "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      MessageRetentionPeriod: 60\n"
	v := one(t, load(t, src, nil).Queues[0].VisibilityTimeout)
	got := yamlpostest.Apply(t, src, editTo(v, 180))
	want := "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 180\n      MessageRetentionPeriod: 60\n"
	if got != want {
		t.Fatalf("edited:\n%s\nwant:\n%s", got, want)
	}
	if nv := one(t, load(t, got, nil).Queues[0].VisibilityTimeout); nv.N() != 180 || nv.Origin != model.Literal {
		t.Errorf("after the edit: %+v", nv)
	}
}

// Both branches of an unknown !If are editable on their own.
func TestEditIfBranches(t *testing.T) {
	src := `Conditions:
  C: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !If [C, 60, "10"]
`
	vs := function(t, load(t, src, nil), "Fn").Timeout
	if len(vs) != 2 {
		t.Fatalf("got %+v", vs)
	}
	got := yamlpostest.Apply(t, src, append(editTo(vs[0], 27), editTo(vs[1], 8)...))
	want := `Conditions:
  C: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: !If [C, 27, "8"]
`
	if got != want {
		t.Fatalf("edited:\n%s\nwant:\n%s", got, want)
	}
}

// A Globals value that may be AWS::NoValue still leaves Globals alone.
func TestEditGlobalsIf(t *testing.T) {
	src := `Conditions:
  C: !Equals [!Ref AWS::Region, us-east-1]
Globals:
  Function:
    Timeout: !If [C, 60, !Ref AWS::NoValue]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
`
	vs := function(t, load(t, src, nil), "Fn").Timeout
	checkValues(t, src, vs, []want{
		{n: 60, origin: model.Inherited, cond: "C", loc: [2]string{"[C, ", "60"}},
		{n: 3, origin: model.Default, cond: "!C", loc: [2]string{fnKey, "Fn"}},
	})
	want := `Conditions:
  C: !Equals [!Ref AWS::Region, us-east-1]
Globals:
  Function:
    Timeout: !If [C, 60, !Ref AWS::NoValue]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 26
      Handler: index.handler
`
	for i, v := range vs {
		if got := yamlpostest.Apply(t, src, editTo(v, 26)); got != want {
			t.Errorf("value %d edited:\n%s\nwant:\n%s", i, got, want)
		}
	}
}
