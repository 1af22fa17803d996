package driver

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/rules"
)

const tmpl = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: 60}\n"

// TestWalk: what a directory walk reads, skips and reports.
func TestWalk(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("template.yaml", tmpl)
	write("cdk.out/Stack.template.json", `{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}`)
	write("openapi.yaml", "openapi: 3.0.1\npaths: {}\n")
	write("package.json", `{"name": "x"`)               // broken, but not a template
	write("broken.yaml", "Resources:\n  Fn: [\n")       // broken, and looks like one
	write(".aws-sam/build/template.yaml", tmpl)         // hidden: SAM's build output
	write("node_modules/x/template.yaml", tmpl)         // dependencies
	write("legacy/old.yaml", tmpl)                      // excluded below
	write("notes.txt", "Resources: everywhere")         // not a template extension
	write("utf16.yaml", "\xff\xfeR\x00e\x00s\x00:\x00") // PowerShell's encoding: said, not skipped
	if err := os.Symlink(filepath.Join(dir, "template.yaml"), filepath.Join(dir, "linked.yaml")); err != nil {
		t.Fatal(err)
	}

	outcome := map[string]string{}
	res := Run(Config{Paths: []string{dir}, Rules: rules.DefaultConfig(), Exclude: []string{"legacy/**"},
		OnFile: func(p, what string) { rel, _ := filepath.Rel(dir, p); outcome[filepath.ToSlash(rel)] = what }})
	want := map[string]string{
		"template.yaml":               "template",
		"linked.yaml":                 "template",
		"cdk.out/Stack.template.json": "template",
		"openapi.yaml":                "skipped: not a template (no Resources section)",
		"package.json":                "skipped: does not parse and does not look like a template",
		"broken.yaml":                 "error",
		"utf16.yaml":                  "error",
	}
	for p, w := range want {
		if outcome[p] != w {
			t.Errorf("%s: %q, want %q", p, outcome[p], w)
		}
	}
	for p := range outcome {
		if _, ok := want[p]; !ok {
			t.Errorf("%s was read (%s); it should not have been", p, outcome[p])
		}
	}
	if res.Stats.Templates != 3 || len(res.Errors) != 2 || res.Errors[0].Line != 2 || !strings.Contains(res.Errors[0].Message, "unexpected end of file at 2:8") { // the list is unclosed at the end, its last character
		t.Errorf("templates %d, errors %+v", res.Stats.Templates, res.Errors)
	}
}

// TestSuppressionByTemplateMetadata goes through the whole run: a
// template-level ignore silences a rule in that template only.
func TestSuppressionByTemplateMetadata(t *testing.T) {
	dir := t.TempDir()
	api := "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Timeout: 60\n      Events:\n        A: {Type: Api, Properties: {Path: /a, Method: get}}\n"
	os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("Metadata:\n  gatelint:\n    ignore: [missing-async-path]\n"+api), 0o644)
	os.WriteFile(filepath.Join(dir, "b.yaml"), []byte(api), 0o644)
	res := Run(Config{Paths: []string{dir}, Rules: rules.DefaultConfig()})
	var got []string
	for _, f := range res.Findings {
		got = append(got, filepath.Base(f.Location.File)+" "+f.RuleID)
	}
	// GL009 (no access logs) is not suppressed in a.yaml: only GL003 is.
	want := []string{"a.yaml GL002", "a.yaml GL009", "b.yaml GL002", "b.yaml GL003", "b.yaml GL009"}
	if !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
}

// TestLogs: logs beside a template land in the model and the report's
// log views; a log that cannot be read is an input error.
func TestLogs(t *testing.T) {
	dir := t.TempDir()
	tp := filepath.Join(dir, "template.yaml")
	lp := filepath.Join(dir, "access.log")
	if err := os.WriteFile(tp, []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	line := `{"httpMethod":"POST","resourcePath":"/jobs","status":"504","integrationLatency":"-1"}` + "\n"
	if err := os.WriteFile(lp, []byte(line+line), 0o644); err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	res := Run(Config{Paths: []string{tp}, Logs: []string{lp, filepath.Join(dir, "gone.log")}, Rules: rules.DefaultConfig(),
		OnFile: func(path, outcome string) { outcomes = append(outcomes, filepath.Base(path)+": "+outcome) }})
	m := res.Model
	if err := m.Validate(); err != nil {
		t.Errorf("the joined model is not consistent: %v", err)
	}
	if res.Stats.Templates != 1 || len(m.Observations) != 1 || m.Observations[0].Timeouts != 2 || len(m.LogSources) != 1 {
		t.Fatalf("templates %d, observations %+v, sources %d", res.Stats.Templates, m.Observations, len(m.LogSources))
	}
	if len(res.Logs) != 1 || res.Logs[0].Records != 2 || res.Logs[0].Shape != "JSON lines" {
		t.Errorf("log views %+v", res.Logs)
	}
	if len(res.Errors) != 1 || filepath.Base(res.Errors[0].File) != "gone.log" {
		t.Errorf("errors %v", res.Errors)
	}
	want := []string{"template.yaml: template", "access.log: access log: JSON lines, 2 records, 0 malformed"}
	if !slices.Equal(outcomes, want) {
		t.Errorf("outcomes %q, want %q", outcomes, want)
	}
}

// TestFileNamedTwiceIsReadOnce: ". ./t.yaml" names one template twice;
// read twice, its findings (and their fixes) would count twice.
func TestFileNamedTwiceIsReadOnce(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	src := "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Timeout: 60\n      Events:\n        A: {Type: Api, Properties: {Path: /a, Method: get}}\n"
	if err := os.WriteFile("t.yaml", []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Run(Config{Paths: []string{".", "./t.yaml", "t.yaml"}, Rules: rules.DefaultConfig()})
	if res.Stats.Templates != 1 || res.Stats.FilesRead != 1 {
		t.Errorf("templates %d, files read %d; want 1 and 1", res.Stats.Templates, res.Stats.FilesRead)
	}
}
