package cli

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/golden"
	"github.com/gatelint/gatelint/internal/schemacheck"
	"github.com/gatelint/gatelint/rules"
)

// run executes gatelint from the repository root, as a user would.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Chdir("../..")
	var out, errb bytes.Buffer
	code = Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestDemoGolden(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif", "rdjson", "github", "markdown"} {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := run(t, "check", "fixtures/demo", "fixtures/cdk", "--logs", "fixtures/demo/logs", "--format", format)
			if code != 1 {
				t.Errorf("exit code %d, want 1 (findings at warning or above); stderr: %s", code, stderr)
			}
			golden.Check(t, filepath.Join("fixtures", "golden", "demo."+format), []byte(out))
			if format == "sarif" {
				schemacheck.Validate(t, schemacheck.SARIF(t), []byte(out))
			}
		})
	}
}

// TestProblemStatement is the end-to-end promise: the demo's template and
// access log give the incident summary the problem statement asks for,
// word for word.
func TestProblemStatement(t *testing.T) {
	_, out, _ := run(t, "check", "fixtures/demo/template.yaml", "--logs", "fixtures/demo/logs/reports-api-access.log", "--no-color")
	const want = "23 requests timed out waiting for backend integration (integrationLatency = -1). All timed-out requests returned HTTP 504 to the client. Affected endpoints: POST /api/reports/generate (18), POST /api/export/csv (5).\n"
	if !strings.Contains(out, want) {
		t.Errorf("no summary %q in\n%s", want, out)
	}
}

// TestDemoFindings pins what the demo is for, independent of wording.
func TestDemoFindings(t *testing.T) {
	_, out, _ := run(t, "check", "fixtures/demo", "--logs", "fixtures/demo/logs", "--format", "json")
	var doc struct {
		Findings []struct {
			ID       string
			Severity string
			Location struct {
				File         string
				Line, Column int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range doc.Findings {
		got = append(got, f.ID+" "+f.Severity+" "+filepath.Base(f.Location.File)+":"+itoa(f.Location.Line)+":"+itoa(f.Location.Column))
	}
	want := []string{
		"GL004 error legacy-api.yaml:52:26",
		"GL002 warning legacy-api.yaml:86:16",
		"GL009 info legacy-api.yaml:158:17",
		"GL012 error legacy-api.yaml:168:16",
		"GL011 warning app.py:10:11",
		"GL011 warning pdf.py:11:12",
		"GL011 warning app.py:15:12",
		"GL002 warning template.yaml:53:3",
		"GL010 error template.yaml:53:3",
		"GL003 warning template.yaml:65:9",
		"GL007 info template.yaml:65:9",
		"GL001 warning template.yaml:71:30",
		"GL005 error template.yaml:71:30",
		"GL002 warning template.yaml:79:16",
		"GL010 error template.yaml:79:16",
		"GL003 warning template.yaml:87:9",
		"GL005 error template.yaml:87:9",
		"GL007 info template.yaml:87:9",
		"GL006 warning template.yaml:108:9",
		"GL009 info template.yaml:124:9",
		"GL008 warning template.yaml:140:26",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("demo findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		// stdout and stderr must contain these
		out, err string
	}{
		{"findings", []string{"check", "fixtures/demo"}, 1, "14 findings", ""},
		{"fail-on error still fails on GL004", []string{"check", "fixtures/demo", "--fail-on", "error"}, 1, "", ""},
		{"fail-on error without errors", []string{"check", "fixtures/demo/template.yaml", "--fail-on", "error"}, 0, "GL002", ""},
		{"fail-on never", []string{"check", "fixtures/demo", "--fail-on", "never"}, 0, "", ""},
		{"clean", []string{"check", "fixtures/cli/clean.yaml"}, 0, "no findings in 1 template", ""},
		{"missing path", []string{"check", "no/such/dir"}, 2, "no/such/dir: error: no such file or directory", ""},
		{"broken input among good ones", []string{"check", "fixtures/cli/broken", "fixtures/demo/legacy-api.yaml"}, 2, "GL004", ""},
		{"broken input names file and line", []string{"check", "fixtures/cli/broken"}, 2, "fixtures/cli/broken/template.yaml:6: error: cannot parse: did not find expected ',' or ']'", ""},
		{"not a template", []string{"check", "fixtures/cli/openapi.yaml"}, 2, "fixtures/cli/openapi.yaml: error: not a CloudFormation template", ""},
		{"unknown flag", []string{"check", "--nope"}, 2, "", "unknown flag: --nope"},
		{"unknown format", []string{"check", "fixtures/demo", "--format", "xml"}, 2, "", `unknown --format "xml"`},
		{"bad fail-on", []string{"check", "fixtures/demo", "--fail-on", "sometimes"}, 2, "", "--fail-on"},
		{"bad param", []string{"check", "fixtures/demo", "--param", "novalue"}, 2, "", "want Key=Value"},
		{"unknown command", []string{"lint"}, 2, "", "unknown command"},
		{"explain unknown", []string{"explain", "GL999"}, 2, "", "unknown rule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, stderr)
			}
			if !strings.Contains(out, tt.out) {
				t.Errorf("stdout lacks %q:\n%s", tt.out, out)
			}
			if !strings.Contains(stderr, tt.err) {
				t.Errorf("stderr lacks %q:\n%s", tt.err, stderr)
			}
			if strings.Contains(out+stderr, "goroutine ") || strings.Contains(out+stderr, "panic") {
				t.Errorf("a stack trace reached the user:\n%s%s", out, stderr)
			}
		})
	}
}

func TestParamsAndConfig(t *testing.T) {
	dir := t.TempDir()
	paramsJSON := filepath.Join(dir, "params.json")
	os.WriteFile(paramsJSON, []byte(`[{"ParameterKey": "WorkerTimeout", "ParameterValue": "40"}]`), 0o644)
	paramsLines := filepath.Join(dir, "params.env")
	os.WriteFile(paramsLines, []byte("# staging\nWorkerTimeout=40\n"), 0o644)
	cfg := filepath.Join(dir, "gatelint.yaml")
	os.WriteFile(cfg, []byte("rules:\n  GL003: off\n  lambda-timeout-exceeds-integration: error\nmargin: 2000\n"), 0o644)
	badCfg := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badCfg, []byte("rules:\n  GL077: off\n"), 0o644)
	typoCfg := filepath.Join(dir, "typo.yaml")
	os.WriteFile(typoCfg, []byte("rest-max-timout: 60000\n"), 0o644)
	asyncCfg := filepath.Join(dir, "async.yaml")
	os.WriteFile(asyncCfg, []byte("async-threshold: 1\n"), 0o644)

	tests := []struct {
		name        string
		args        []string
		has, hasNot string
		code        int
	}{
		{"param default gives GL008", []string{"check", "fixtures/demo/template.yaml"}, "GL008", "", 1},
		{"--param lowers the worker timeout", []string{"check", "fixtures/demo/template.yaml", "--param", "WorkerTimeout=40"}, "", "GL008", 1},
		{"--params-file JSON", []string{"check", "fixtures/demo/template.yaml", "--params-file", paramsJSON}, "", "GL008", 1},
		{"--params-file lines", []string{"check", "fixtures/demo/template.yaml", "--params-file", paramsLines}, "", "GL008", 1},
		{"config disables and raises", []string{"check", "fixtures/demo/template.yaml", "--config", cfg}, "error GL002", "warning GL003", 1},
		{"config names an unknown rule", []string{"check", "fixtures/demo", "--config", badCfg}, "", "GL00", 2},
		{"default async threshold: a 30 s function is GL002's only", []string{"check", "fixtures/demo/legacy-api.yaml"}, "warning GL002", "warning GL003", 1},
		{"config lowers the async threshold", []string{"check", "fixtures/demo/legacy-api.yaml", "--config", asyncCfg}, "warning GL003 POST /v1/orders/{orderId}", "", 1},
		{"config has a typo", []string{"check", "fixtures/demo", "--config", typoCfg}, "", "GL00", 2},
		{"rest ceiling raised does not help edge APIs", []string{"check", "fixtures/demo/legacy-api.yaml", "--rest-max-timeout", "60000"}, "error GL004", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, stderr)
			}
			if tt.has != "" && !strings.Contains(out, tt.has) {
				t.Errorf("output lacks %q:\n%s", tt.has, out)
			}
			if tt.hasNot != "" && strings.Contains(out, tt.hasNot) {
				t.Errorf("output has %q:\n%s", tt.hasNot, out)
			}
		})
	}
}

func TestOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.sarif")
	code, stdout, _ := run(t, "check", "fixtures/demo", "--format", "sarif", "--output", out)
	if code != 1 || stdout != "" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	schemacheck.Validate(t, schemacheck.SARIF(t), data)
}

func TestRulesAndExplain(t *testing.T) {
	code, out, _ := run(t, "rules")
	if code != 0 || strings.Count(out, "\n") != 12 || !strings.Contains(out, "GL008  async-worker-visibility-timeout") {
		t.Errorf("rules: exit %d\n%s", code, out)
	}
	for _, arg := range []string{"GL002", "lambda-timeout-exceeds-integration", "gl002"} {
		code, out, _ = run(t, "explain", arg)
		if code != 0 || !strings.HasPrefix(out, "# GL002 lambda-timeout-exceeds-integration") {
			t.Errorf("explain %s: exit %d\n%.200s", arg, code, out)
		}
	}
}

// TestRulePageExamples keeps each rule page's example finding true: it
// must be what gatelint prints for the demo, word for word.
func TestRulePageExamples(t *testing.T) {
	_, out, _ := run(t, "check", "fixtures/demo", "--logs", "fixtures/demo/logs", "--no-color")
	for _, r := range rules.All() {
		doc := r.Doc()
		_, after, ok := strings.Cut(doc, "## Example finding\n\n```\n")
		if !ok {
			t.Errorf("%s.md has no example finding block", r.ID)
			continue
		}
		example, _, _ := strings.Cut(after, "\n```")
		for _, line := range strings.Split(example, "\n") {
			// The page shows paths relative to the demo directory.
			line = strings.TrimSpace(line)
			if !strings.Contains(out, "fixtures/demo/"+line) && !((strings.HasPrefix(line, "fix: ") || strings.HasPrefix(line, "fix (unsafe): ")) && strings.Contains(out, line)) {
				t.Errorf("%s.md example line is not in the demo output:\n%s", r.ID, line)
			}
		}
	}
}

func TestLogs(t *testing.T) {
	dir := t.TempDir()
	logFile := filepath.Join(dir, "access.log")
	line := `{"httpMethod":"POST","resourcePath":"/api/reports/generate","status":"504","integrationLatency":"-1"}` + "\n"
	if err := os.WriteFile(logFile, []byte(line+line), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		stdin    string
		maxCode  int
		out, err string
	}{
		// Only --logs: the templates under the working directory (the
		// repository's fixtures) are not walked, and the run is no error.
		{"logs only", []string{"check", "--logs", logFile, "-v"}, "", 1, "error GL005 2 of 2 requests to POST /api/reports/generate timed out", logFile + ": access log: JSON lines, 2 records, 0 malformed"},
		{"standard input", []string{"check", "--logs", "-", "-v"}, line, 1, "-:1:1: error GL005 1 of 1 requests", "-: access log: JSON lines, 1 records"},
		{"nothing readable", []string{"check", "--logs", filepath.Join(dir, "missing")}, "", 2, "missing: error: no such file or directory", ""},
		{"unknown log format", []string{"check", "--logs", filepath.Join("fixtures", "demo", "template.yaml")}, "", 2, "--log-format", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir("../..")
			var out, errb bytes.Buffer
			code := Run(tt.args, strings.NewReader(tt.stdin), &out, &errb)
			if code > tt.maxCode || (tt.maxCode == 2 && code != 2) {
				t.Errorf("exit %d, want at most %d\nstdout: %s\nstderr: %s", code, tt.maxCode, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), tt.out) || !strings.Contains(errb.String(), tt.err) {
				t.Errorf("stdout %q / stderr %q lack %q / %q", out.String(), errb.String(), tt.out, tt.err)
			}
			if tt.maxCode < 2 && (strings.Contains(out.String(), "fixtures/") || strings.Contains(errb.String(), "fixtures/demo/") ||
				!strings.Contains(out.String(), " in 0 templates and 1 access log")) {
				t.Errorf("templates were read though only --logs was given:\n%s%s", out.String(), errb.String())
			}
		})
	}
}

// TestHTMLOutput checks what the command line adds to the HTML renderer:
// fixes shown as diffs of the files read, and file links that resolve
// from wherever the report is written.
func TestHTMLOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "reports", "demo.html")
	if err := os.Mkdir(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	_, js, _ := run(t, "check", "fixtures/demo", "--format", "json")
	var doc struct {
		Findings []struct {
			Fixes []struct{ Edits []any }
		}
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	var fixesWithEdits int
	for _, f := range doc.Findings {
		for _, fix := range f.Fixes {
			if len(fix.Edits) > 0 {
				fixesWithEdits++
			}
		}
	}

	// run has moved to the repository root already.
	var stdout, stderr bytes.Buffer
	code := Run([]string{"check", "fixtures/demo", "--format", "html", "--output", out}, strings.NewReader(""), &stdout, &stderr)
	if code != 1 || stdout.Len() != 0 || stderr.Len() != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	if n := strings.Count(page, `<li class="finding `); n != len(doc.Findings) || n == 0 {
		t.Errorf("%d findings in the page, %d in JSON", n, len(doc.Findings))
	}
	if n := strings.Count(page, `<pre class="diff"`); n != fixesWithEdits || n == 0 {
		t.Errorf("%d diffs in the page, %d fixes with edits in JSON", n, fixesWithEdits)
	}
	links := regexp.MustCompile(`href="(\.\./[^"#]+)"`).FindAllStringSubmatch(page, -1)
	if len(links) == 0 {
		t.Fatal("no relative file links in the page")
	}
	for _, l := range links {
		p, err := url.PathUnescape(l[1])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(out), filepath.FromSlash(p))); err != nil {
			t.Errorf("link %s does not resolve from the report: %v", l[1], err)
		}
	}
}

// TestTerraformGolden pins the reports of the Terraform example.
func TestTerraformGolden(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := run(t, "check", "fixtures/terraform", "--format", format)
			if code != 1 {
				t.Errorf("exit code %d, want 1 (findings at warning or above); stderr: %s", code, stderr)
			}
			golden.Check(t, filepath.Join("fixtures", "golden", "terraform."+format), []byte(out))
			if format == "sarif" {
				schemacheck.Validate(t, schemacheck.SARIF(t), []byte(out))
			}
		})
	}
}
