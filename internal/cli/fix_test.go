package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/golden"
)

// copyDemo copies the demo templates to a temporary directory and makes
// it the working directory, so --fix edits the copy.
func copyDemo(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, sub := range []string{"fixtures/demo", "fixtures/cdk/cdk.out"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join(root, sub))); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

func runHere(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestDiffThenFix(t *testing.T) {
	goldenPath, err := filepath.Abs("../../fixtures/golden/demo.diff")
	if err != nil {
		t.Fatal(err)
	}
	copyDemo(t)
	paths := []string{"fixtures/demo", "fixtures/cdk"}
	before := snapshot(t, paths...)

	code, diff, stderr := runHere(t, append([]string{"check", "--diff"}, paths...)...)
	if code != 1 {
		t.Errorf("--diff exit %d, want 1 (findings remain unfixed); stderr %s", code, stderr)
	}
	golden.Check(t, goldenPath, []byte(diff))
	if after := snapshot(t, paths...); after != before {
		t.Fatal("--diff changed files")
	}
	if git, err := exec.LookPath("git"); err == nil {
		cmd := exec.Command(git, "apply", "--check", "-")
		cmd.Stdin = strings.NewReader(diff)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("git apply --check: %v\n%s", err, out)
		}
	}

	code, out, stderr := runHere(t, append([]string{"check", "--fix"}, paths...)...)
	if !strings.Contains(stderr, "gatelint: 7 unsafe fixes not applied (--unsafe-fixes applies them)") || !strings.Contains(stderr, "gatelint: fixed 6 findings in 3 files") {
		t.Errorf("--fix says %q", stderr)
	}
	// Lowering a Timeout the work may need (GL003, GL012) is unsafe, and
	// so is bounding an outbound call (GL011): --fix leaves them, so
	// every GL003 is still there, with its GL002, and the GL011s.
	if code != 1 || strings.Count(out, "warning GL003") != 3 || !strings.Contains(out, "11 findings (1 error, 9 warnings, 1 info) in 3 templates") {
		t.Errorf("after --fix: exit %d\n%s", code, out)
	}
	fixed := snapshot(t, paths...)
	if fixed == before {
		t.Fatal("--fix changed nothing")
	}
	_, _, stderr = runHere(t, append([]string{"check", "--fix"}, paths...)...)
	if !strings.Contains(stderr, "fixed 0 findings in 0 files") || snapshot(t, paths...) != fixed {
		t.Errorf("a second --fix changed something: %s", stderr)
	}
	// With --unsafe-fixes the lowered Timeouts also fit the APIs'
	// ceilings, so GL003 is gone too. What is left is a stage with no
	// access logs at all: turning them on needs a log group, which no fix
	// invents.
	code, out, stderr = runHere(t, append([]string{"check", "--fix", "--unsafe-fixes"}, paths...)...)
	if !strings.Contains(stderr, "gatelint: fixed 7 findings in 6 files") {
		t.Errorf("--fix --unsafe-fixes says %q", stderr)
	}
	if code != 0 || !strings.Contains(out, "1 finding (1 info) in 3 templates") || !strings.Contains(out, "GL009 stage $default of ServerlessHttpApi writes no access logs") {
		t.Errorf("after --fix --unsafe-fixes: exit %d\n%s", code, out)
	}
}

func TestFixParameters(t *testing.T) {
	copyDemo(t)
	// The demo's WorkerTimeout parameter is fine; a parameter that feeds a
	// too-long Timeout is made here.
	src := "Parameters:\n  FnTimeout:\n    Type: Number\n    Default: 40 # seconds\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Timeout: !Ref FnTimeout\n      Events:\n        Get:\n          Type: Api\n          Properties: {Path: /x, Method: get}\n"
	if err := os.WriteFile("p.yaml", []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diff, _ := runHere(t, "check", "--diff", "p.yaml")
	if diff != "" {
		t.Errorf("without --fix-parameters a parameter is edited:\n%s", diff)
	}
	_, out, _ := runHere(t, "check", "p.yaml")
	if !strings.Contains(out, "Deploy with FnTimeout=26") {
		t.Errorf("the finding does not say which value to pass:\n%s", out)
	}
	runHere(t, "check", "--fix", "--fix-parameters", "p.yaml")
	got, _ := os.ReadFile("p.yaml")
	if want := strings.Replace(src, "Default: 40 #", "Default: 26 #", 1); string(got) != want {
		t.Errorf("--fix --fix-parameters gave\n%s\nwant\n%s", got, want)
	}
}

func TestBaselineFlags(t *testing.T) {
	copyDemo(t)
	code, out, stderr := runHere(t, "check", "fixtures/demo", "--write-baseline", "baseline.json")
	if code != 0 || !strings.Contains(stderr, "recorded 14 findings in baseline.json") || !strings.Contains(out, "no findings") {
		t.Errorf("--write-baseline: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runHere(t, "check", "fixtures/demo", "--baseline", "baseline.json")
	if code != 0 || !strings.Contains(out, "no findings") || !strings.Contains(stderr, "14 findings in the baseline not shown") {
		t.Errorf("--baseline: exit %d\n%s%s", code, out, stderr)
	}
	// A new problem is reported; the old ones stay hidden.
	data, _ := os.ReadFile("fixtures/demo/template.yaml")
	data = bytes.Replace(data, []byte("      Timeout: 45\n"), []byte("      Timeout: 45\n      # moved down\n"), 1)
	data = bytes.Replace(data, []byte("\nOutputs:\n"), []byte("\n  NewQueueWorker:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: 100\n  NewQueue:\n    Type: AWS::SQS::Queue\n  NewMapping:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      EventSourceArn: !GetAtt NewQueue.Arn\n      FunctionName: !Ref NewQueueWorker\nOutputs:\n"), 1)
	if err := os.WriteFile("fixtures/demo/template.yaml", data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runHere(t, "check", "fixtures/demo", "--baseline", "baseline.json")
	if code != 1 || !strings.Contains(out, "1 finding (1 warning)") || !strings.Contains(out, "GL008 queue NewQueue") {
		t.Errorf("new finding: exit %d\n%s", code, out)
	}
	os.WriteFile("bad.json", []byte("{\n  \"version\": 1,\n  oops\n}"), 0o644)
	code, _, stderr = runHere(t, "check", "fixtures/demo", "--baseline", "bad.json")
	if code != 2 || !strings.Contains(stderr, "bad.json:3: not a gatelint baseline") {
		t.Errorf("bad baseline: exit %d %s", code, stderr)
	}
}

// snapshot is the concatenated contents of every file under paths.
func snapshot(t *testing.T, paths ...string) string {
	t.Helper()
	var b strings.Builder
	for _, p := range paths {
		filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := os.ReadFile(path)
				b.WriteString(path + "\n" + string(data))
			}
			return nil
		})
	}
	return b.String()
}

func TestScaffoldAsync(t *testing.T) {
	copyDemo(t)
	const ep = "POST /api/reports/generate"
	code, out, stderr := runHere(t, "scaffold", "async", "--endpoint", ep, "fixtures/demo/template.yaml")
	if code != 0 || !strings.Contains(out, "GenerateReportFunctionJobsQueue:\n    Type: AWS::SQS::Queue") || !strings.Contains(stderr, "note: GenerateReportFunction now receives SQS events") {
		t.Errorf("scaffold: exit %d\n%s\n%s", code, out, stderr)
	}
	if code, _, stderr = runHere(t, "scaffold", "async", "--endpoint", ep, "fixtures/demo/template.yaml", "--write", "async.yaml"); code != 0 {
		t.Errorf("--write: exit %d %s", code, stderr)
	}
	if written, _ := os.ReadFile("async.yaml"); string(written) != out {
		t.Error("--write wrote something other than what is printed")
	}
	// --write never replaces a file: given the template's own name it
	// would have replaced the template with the snippet.
	before, _ := os.ReadFile("fixtures/demo/template.yaml")
	code, _, stderr = runHere(t, "scaffold", "async", "--endpoint", ep, "fixtures/demo/template.yaml", "--write", "fixtures/demo/template.yaml")
	if after, _ := os.ReadFile("fixtures/demo/template.yaml"); code != 2 || string(after) != string(before) || !strings.Contains(stderr, "the file exists") {
		t.Errorf("--write over the template: exit %d, stderr %q, template changed %v", code, stderr, string(after) != string(before))
	}
	_, diff, _ := runHere(t, "scaffold", "async", "--endpoint", ep, "fixtures/demo/template.yaml", "--diff")
	if git, err := exec.LookPath("git"); err == nil {
		cmd := exec.Command(git, "apply", "-")
		cmd.Stdin = strings.NewReader(diff)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git apply: %v\n%s", err, b)
		}
		_, out, _ = runHere(t, "check", "fixtures/demo/template.yaml", "--format", "json")
		if !strings.Contains(out, `"id": "GL003"`) || strings.Contains(out, "POST /api/reports/generate waits synchronously") {
			t.Errorf("GL003 still flags the endpoint after the scaffold:\n%s", out)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"scaffold", "async", "fixtures/demo/template.yaml"}, "--endpoint 'METHOD /path' is required"},
		{[]string{"scaffold", "async", "--endpoint", "GET /nope", "fixtures/demo/template.yaml"}, "no endpoint GET /nope"},
		{[]string{"scaffold", "async", "--endpoint", ep, "no/such.yaml"}, "no/such.yaml"},
	} {
		code, _, stderr := runHere(t, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, stderr, tt.want)
		}
	}
}

// TestFixWithLogsFromStdin: the report after --fix joins the same access
// log to the fixed templates, read once from standard input.
func TestFixWithLogsFromStdin(t *testing.T) {
	copyDemo(t)
	log, err := os.ReadFile("fixtures/demo/logs/reports-api-access.log")
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	Run([]string{"check", "--fix", "fixtures/demo/template.yaml", "--logs", "-"}, bytes.NewReader(log), &out, &errb)
	// The log was read once: its 760 records are in the report after
	// fixing. GL001's fix raised POST /api/reports/generate to 29 s, so
	// its 504s logged at 10 s (integrationLatency -1, nothing naming the
	// cause) now come long before the integration timeout the template
	// states, and by GL005's definition are not timeouts of it; the 504s
	// at the 29 s wall of POST /api/export/csv still are.
	got := out.String()
	if !strings.Contains(errb.String(), "gatelint: fixed") || !strings.Contains(got, "1 access log (760 records)") ||
		!strings.Contains(got, "GL005 5 of 120 requests to POST /api/export/csv") || strings.Contains(got, "requests to POST /api/reports/generate timed out") {
		t.Errorf("after --fix with --logs -:\nstdout: %s\nstderr: %s", out.String(), errb.String())
	}
}
