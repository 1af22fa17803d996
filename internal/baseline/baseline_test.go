package baseline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/baseline"
	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/golden"
	"github.com/gatelint/gatelint/rules"
)

const template = `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 30
      Events:
        Get:
          Type: Api
          Properties: {Path: /a, Method: get, TimeoutInMillis: 10000}
`

// tenLines pushes every resource down ten lines.
const tenLines = "Metadata:\n  Notes:\n" + "    - a comment that moves every line down\n    - again\n    - again\n    - again\n    - again\n    - again\n    - again\n    - again\n"

const newFunction = `  Other:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Events:
        Get:
          Type: Api
          Properties: {Path: /b, Method: get}
`

func run(t *testing.T, src string) []finding.Finding {
	t.Helper()
	if err := os.WriteFile("t.yaml", []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := driver.Run(driver.Config{Paths: []string{"t.yaml"}, Rules: rules.DefaultConfig()})
	if len(res.Errors) > 0 || len(res.Findings) == 0 {
		t.Fatalf("errors %v, %d findings", res.Errors, len(res.Findings))
	}
	return res.Findings
}

func TestBaselineSurvivesMovesAndCatchesNew(t *testing.T) {
	t.Chdir(t.TempDir())
	first := run(t, template)
	var buf bytes.Buffer
	if err := baseline.New(first).Write(&buf); err != nil {
		t.Fatal(err)
	}
	b, err := baseline.Parse("baseline.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		src       string
		wantFresh []string // rule and resource of each new finding
	}{
		{"unchanged", template, nil},
		{"moved down ten lines", tenLines + template, nil},
		{"a new function", template + newFunction, []string{"GL002 Other", "GL003 Other"}},
		{"moved and a new function", tenLines + template + newFunction, []string{"GL002 Other", "GL003 Other"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := run(t, tt.src)
			if strings.HasPrefix(tt.src, tenLines) && fs[0].Location.Start.Line <= first[0].Location.Start.Line {
				t.Fatal("the findings did not move: the case tests nothing")
			}
			fresh, known := b.Filter(fs)
			var got []string
			for _, f := range fresh {
				got = append(got, f.RuleID+" "+f.Resource.LogicalID)
			}
			if strings.Join(got, ",") != strings.Join(tt.wantFresh, ",") {
				t.Errorf("new findings %v, want %v", got, tt.wantFresh)
			}
			if known != len(first) {
				t.Errorf("%d known, want %d", known, len(first))
			}
		})
	}
}

// A second finding with the same rule, resource and endpoint is new: one
// entry absorbs one finding.
func TestBaselineCountsDuplicates(t *testing.T) {
	f := finding.Finding{RuleID: "GL002", Resource: finding.Resource{Address: "Fn", LogicalID: "Fn", File: "t.yaml"}, Endpoint: &finding.Endpoint{API: "Api", Method: "GET", Path: "/a"}}
	b := baseline.New([]finding.Finding{f})
	fresh, known := b.Filter([]finding.Finding{f, f})
	if len(fresh) != 1 || known != 1 {
		t.Errorf("fresh %d known %d, want 1 and 1", len(fresh), known)
	}
}

func TestBaselineFormat(t *testing.T) {
	fs := []finding.Finding{
		{RuleID: "GL008", Message: "queue Q ...", Resource: finding.Resource{Address: "Q", LogicalID: "Q", File: "b/t.yaml"}},
		{RuleID: "GL002", Message: "function Fn ...", Resource: finding.Resource{Address: "Fn", LogicalID: "Fn", File: "a/t.yaml"},
			Endpoint: &finding.Endpoint{API: "Api", APIType: "REST", Method: "POST", Path: "/r&d"}},
		{RuleID: "GL001", Message: "live", Resource: finding.Resource{Address: "arn:aws:apigateway:eu-west-1::/restapis/abc", LogicalID: "arn:aws:apigateway:eu-west-1::/restapis/abc"}},
	}
	var buf bytes.Buffer
	if err := baseline.New(fs).Write(&buf); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "baseline.golden"), buf.Bytes())
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"syntax", "{\n  \"version\": 1,\n  \"findings\": [\n}", "b.json:4: not a gatelint baseline"},
		{"type", "{\n\"version\": \"one\"}", "b.json:2: not a gatelint baseline"},
		{"unknown key", `{"version": 1, "findings": [], "extra": 1}`, `unknown field "extra"`},
		{"version", `{"version": 2, "findings": []}`, "b.json: baseline version 2, want 1"},
		{"empty", ``, "b.json: not a gatelint baseline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := baseline.Parse("b.json", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"version": 1, "findings": [{"rule": "GL002", "file": "t.yaml", "resource": "Fn", "endpoint": "Api GET /a"}]}`))
	f.Add([]byte(`{"version": 1`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := baseline.Parse("b.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "b.json") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		// What parses writes back to something that parses the same.
		var buf bytes.Buffer
		if err := b.Write(&buf); err != nil {
			t.Fatal(err)
		}
		again, err := baseline.Parse("b.json", buf.Bytes())
		if err != nil || len(again.Findings) != len(b.Findings) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// TestReadsBaselineOfEarlierVersion: fixtures/golden/baseline-v1-demo.json
// was written by gatelint before resources had addresses; it still holds
// back every finding of the demo.
func TestReadsBaselineOfEarlierVersion(t *testing.T) {
	t.Chdir("../..")
	data, err := os.ReadFile("fixtures/golden/baseline-v1-demo.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := baseline.Parse("baseline-v1-demo.json", data)
	if err != nil {
		t.Fatal(err)
	}
	res := driver.Run(driver.Config{Paths: []string{"fixtures/demo"}, Logs: []string{"fixtures/demo/logs"}, Rules: rules.DefaultConfig()})
	fresh, known := b.Filter(res.Findings)
	// Every finding the demo has now is in it, but those of rules newer
	// than the baseline (GL010, from the demo's function logs; GL012); an entry
	// may outlive its finding (the demo's 30 s legacy function is no
	// longer GL003's).
	fresh = slices.DeleteFunc(fresh, func(f finding.Finding) bool {
		return !slices.ContainsFunc(b.Findings, func(e baseline.Entry) bool { return e.Rule == f.RuleID })
	})
	newer := 0
	for _, f := range res.Findings {
		if !slices.ContainsFunc(b.Findings, func(e baseline.Entry) bool { return e.Rule == f.RuleID }) {
			newer++
		}
	}
	if len(fresh) != 0 || known != len(res.Findings)-newer || known == 0 {
		t.Errorf("%d findings not in the baseline (%v), %d of its %d entries matched", len(fresh), fresh, known, len(b.Findings))
	}
}

// TestLiveEntryByLogicalID: a live finding recorded when its resource was
// named by function name matches the finding that now has an ARN address.
func TestLiveEntryByLogicalID(t *testing.T) {
	b, err := baseline.Parse("b.json", []byte(`{"version":1,"findings":[{"rule":"GL002","file":"arn:aws:lambda:eu-west-1:123456789012:function:reports","resource":"reports"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:lambda:eu-west-1:123456789012:function:reports"
	f := finding.Finding{RuleID: "GL002", Resource: finding.Resource{Address: arn, LogicalID: "reports"}}
	f.Location.File = arn
	if fresh, known := b.Filter([]finding.Finding{f}); len(fresh) != 0 || known != 1 {
		t.Errorf("fresh %v, known %d", fresh, known)
	}
	// Written again, the entry names the address.
	if e := baseline.New([]finding.Finding{f}).Findings[0]; e.Resource != arn {
		t.Errorf("entry names %q", e.Resource)
	}
}
