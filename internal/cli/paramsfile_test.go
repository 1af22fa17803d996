package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParamsFileLocated: a value a --params-file gives, in each of
// CloudFormation's forms, is judged at the file's line (the related
// location) and --fix --fix-parameters changes it there, not the
// template's Default; a --param for the same name wins and is not
// located.
func TestParamsFileLocated(t *testing.T) {
	const tpl = `Transform: AWS::Serverless-2016-10-31
Parameters:
  FnTimeout:
    Type: Number
    Default: 20
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Timeout: !Ref FnTimeout
      Events:
        Post:
          Type: Api
          Properties: {Path: /x, Method: post}
`
	for _, tt := range []struct {
		name, file, content, fixed string
		line                       int
	}{
		{"list of Key=Value", "params.json", "[\n  \"Stage=prod\",\n  \"FnTimeout=28\"\n]\n", "\"FnTimeout=26\"", 3},
		{"ParameterKey and ParameterValue", "params.json", "[\n  {\"ParameterKey\": \"FnTimeout\", \"ParameterValue\": \"28\"}\n]\n", `"ParameterValue": "26"`, 2},
		{"Parameters object", "params.json", "{\n  \"Parameters\": {\n    \"FnTimeout\": 28\n  }\n}\n", `"FnTimeout": 26`, 3},
		{"Git sync deployment file", "deploy.yaml", "template-file-path: template.yaml\nparameters:\n  FnTimeout: 28 # seconds\n", "  FnTimeout: 26 # seconds", 3},
		{"Key=Value lines", "params.env", "# prod\nFnTimeout=28\n", "FnTimeout=26\n", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tp, pp := filepath.Join(dir, "template.yaml"), filepath.Join(dir, tt.file)
			os.WriteFile(tp, []byte(tpl), 0o644)
			os.WriteFile(pp, []byte(tt.content), 0o644)
			_, out, stderr := run(t, "check", dir, "--params-file", pp, "--no-color")
			if !strings.Contains(out, "has Timeout 28 s (from parameter FnTimeout)") || !strings.Contains(out, pp+":"+itoa(tt.line)+":") ||
				!strings.Contains(out, "is set here, in parameter file "+tt.file) {
				t.Fatalf("output:\n%s%s", out, stderr)
			}
			_, _, stderr = run(t, "check", dir, "--params-file", pp, "--fix", "--fix-parameters")
			got, _ := os.ReadFile(pp)
			if !strings.Contains(string(got), tt.fixed) {
				t.Errorf("fixed %s:\n%s\n%s", tt.file, got, stderr)
			}
			if now, _ := os.ReadFile(tp); string(now) != tpl {
				t.Errorf("the template changed:\n%s", now)
			}
			_, out, _ = run(t, "check", dir, "--params-file", pp, "--no-color")
			if strings.Contains(out, "GL002") {
				t.Errorf("after the fix:\n%s", out)
			}
		})
	}
	// --param wins, and is not located in the file.
	dir := t.TempDir()
	tp, pp := filepath.Join(dir, "template.yaml"), filepath.Join(dir, "params.json")
	os.WriteFile(tp, []byte(tpl), 0o644)
	os.WriteFile(pp, []byte(`["FnTimeout=28"]`), 0o644)
	_, out, _ := run(t, "check", dir, "--params-file", pp, "--param", "FnTimeout=40", "--no-color")
	if !strings.Contains(out, "has Timeout 40 s (from parameter FnTimeout)") || strings.Contains(out, "params.json") {
		t.Errorf("--param over the file:\n%s", out)
	}
}
