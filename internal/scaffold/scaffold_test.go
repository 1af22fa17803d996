package scaffold_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/fix"
	"github.com/gatelint/gatelint/internal/golden"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/scaffold"
	"github.com/gatelint/gatelint/internal/source/cfn"
	"github.com/gatelint/gatelint/rules"
)

var cases = []struct {
	name, file, endpoint string
	crlf                 bool
	// worker is the function moved behind the queue; enqueue is the
	// function that answers the endpoint afterwards.
	worker, enqueue string
}{
	{"sam-rest", "../../fixtures/demo/template.yaml", "POST /api/reports/generate", false, "GenerateReportFunction", "GenerateReportFunctionEnqueue"},
	{"sam-rest-crlf", "../../fixtures/demo/template.yaml", "POST /api/export/csv", true, "ExportCsvFunction", "ExportCsvFunctionEnqueue"},
	{"cfn-rest", "../../fixtures/demo/legacy-api.yaml", "POST /v1/orders/{orderId}", false, "OrdersFunction", "OrdersFunctionEnqueue"},
	{"cdk-rest-json", "../../fixtures/cdk/cdk.out/ReportsStack.template.json", "POST /reports", false, "GenerateFn4E1A2B3C", "GenerateFn4E1A2B3CEnqueue"},
	{"cfn-http", "testdata/http-route.yaml", "POST /exports", false, "ExportFn", "ExportFnEnqueue"},
	{"sam-http", "testdata/sam-httpapi.yaml", "POST /thumbnails", false, "Thumbnails", "ThumbnailsEnqueue"},
}

// lint runs gatelint on one file.
func lint(t *testing.T, path string) ([]finding.Finding, *model.Model) {
	t.Helper()
	// GL003 at any overshoot (async-threshold 1): the cases include the
	// demo's 30 s legacy function, which a 29 s API cannot wait for.
	cfg := rules.DefaultConfig()
	cfg.AsyncThreshold = 1
	res := driver.Run(driver.Config{Paths: []string{path}, Rules: cfg, KeepSources: true})
	if len(res.Errors) > 0 {
		t.Fatalf("%s: %v", path, res.Errors)
	}
	return res.Findings, res.Model
}

func hasGL003(fs []finding.Finding, endpoint string) bool {
	for _, f := range fs {
		if f.RuleID == "GL003" && f.Endpoint != nil && f.Endpoint.String() == endpoint {
			return true
		}
	}
	return false
}

func TestAsyncMergedTemplate(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if tc.crlf {
				data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
			}
			goldenDir, _ := filepath.Abs("testdata/golden")
			dir := t.TempDir()
			t.Chdir(dir)
			name := filepath.Base(tc.file)
			if err := os.WriteFile(name, data, 0o644); err != nil {
				t.Fatal(err)
			}
			before, _ := lint(t, name)
			if !hasGL003(before, tc.endpoint) {
				t.Fatalf("GL003 does not flag %s before the scaffold: the case tests nothing", tc.endpoint)
			}

			res, err := scaffold.Async(name, data, tc.endpoint, cfn.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Fix.Safety != finding.Unsafe {
				t.Error("adding resources must be an unsafe fix")
			}
			plan := fix.Prepare([]finding.Finding{{Fixes: []finding.Fix{res.Fix}}}, map[string][]byte{name: data}, fix.Options{Unsafe: true, Reparse: cfn.Reader{}.Reparse})
			if len(plan.Refused) > 0 || len(plan.Changes) != 1 {
				t.Fatalf("merge refused: %v", plan.Refused)
			}
			var diff bytes.Buffer
			if err := fix.Diff(&diff, plan.Changes); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join(goldenDir, tc.name+".snippet"), []byte(res.Snippet))
			golden.Check(t, filepath.Join(goldenDir, tc.name+".diff"), diff.Bytes())
			gitApplies(t, name, data, diff.Bytes())
			if _, errs := fix.Write(plan.Changes, []string{"."}); len(errs) > 0 {
				t.Fatal(errs)
			}
			merged, _ := os.ReadFile(name)
			if tc.crlf && bytes.Contains(bytes.ReplaceAll(merged, []byte("\r\n"), nil), []byte("\n")) {
				t.Error("the merged CRLF template has LF-only lines")
			}

			after, m := lint(t, name)
			if hasGL003(after, tc.endpoint) {
				t.Errorf("GL003 still flags %s after the scaffold", tc.endpoint)
			}
			for _, f := range after {
				if f.RuleID == "GL008" && strings.Contains(f.Message, tc.worker) {
					t.Errorf("the new queue is sized wrong: %s", f.Message)
				}
			}
			checkModel(t, m, tc.endpoint, tc.worker, tc.enqueue)
		})
	}
}

// checkModel asserts the async path exists in the merged template: the
// endpoint answered by the enqueue function, a status route, and a queue
// feeding the worker.
func checkModel(t *testing.T, m *model.Model, endpoint, worker, enqueue string) {
	t.Helper()
	method, path, _ := strings.Cut(endpoint, " ")
	var served, status bool
	for _, api := range m.APIs {
		for _, e := range api.Endpoints {
			fn := ""
			if e.Integration != nil && e.Integration.Function != nil {
				fn = e.Integration.Function.Resource.LogicalID
			}
			switch {
			case strings.EqualFold(e.Method, method) && e.Path == path:
				served = true
				if fn != enqueue {
					t.Errorf("%s is served by %q, want %s", endpoint, fn, enqueue)
				}
			case e.Method == "GET" && e.Path == path+"/{jobId}":
				status = true
			}
		}
	}
	if !served || !status {
		t.Errorf("endpoint present %v, status route present %v", served, status)
	}
	fed := false
	for _, es := range m.EventSources {
		fed = fed || es.Function.Resource.LogicalID == worker
	}
	if !fed {
		t.Errorf("no queue feeds %s", worker)
	}
}

func gitApplies(t *testing.T, name string, before, diff []byte) {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Log("git not found: git apply not checked")
		return
	}
	repo := t.TempDir()
	if err := os.WriteFile(filepath.Join(repo, name), before, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q"}, {"apply", "--check", "-"}} {
		cmd := exec.Command(git, args...)
		cmd.Dir = repo
		cmd.Stdin = bytes.NewReader(diff)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func TestAsyncErrors(t *testing.T) {
	legacy, err := os.ReadFile("../../fixtures/demo/legacy-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, endpoint string
		data           []byte
		want           string
	}{
		{"no method", "/v1/orders", legacy, "want METHOD /path"},
		{"unknown endpoint", "GET /nope", legacy, "no endpoint GET /nope; the template has POST /v1/orders, POST /v1/orders/{orderId}"},
		{"already async", "POST /v1/orders", legacy, "not served synchronously by a Lambda function"},
		{"broken template", "POST /x", []byte("Resources:\n  A: [\n"), "t.yaml:"},
		{"not a template", "POST /x", []byte("a: 1\n"), "not a CloudFormation template"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scaffold.Async("t.yaml", tt.data, tt.endpoint, cfn.Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
