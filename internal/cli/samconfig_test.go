package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A SAM project: the function's Timeout comes from a parameter each
// samconfig environment sets; QueueTimeout's is the same everywhere.
const samProject = `Parameters:
  FnTimeout:
    Type: Number
    Default: 20
  Greeting:
    Type: String
    Default: hi
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !Ref FnTimeout
      Events:
        Post:
          Type: Api
          Properties: {Path: /x, Method: post}
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 28
      Events:
        Get:
          Type: Api
          Properties: {Path: /y, Method: get}
`

const samConfig = `version = 0.1
[default.deploy.parameters]
stack_name = "app-dev"
parameter_overrides = "FnTimeout=20 Greeting=\"hello world\""

[staging.deploy.parameters]
parameter_overrides = ["FnTimeout=25", "Greeting=hello"]

[prod.deploy.parameters]
parameter_overrides = "Greeting='good day' FnTimeout=40"
`

func samDir(t *testing.T, config string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range map[string]string{"template.yaml": samProject, "samconfig.toml": config} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	return runHere(t, args...)
}

// Two environments where a finding holds in one only (prod's 40 s), the
// string and list forms of parameter_overrides, quoted values with
// spaces; the finding that holds in every environment is said once.
func TestSAMConfigEnvironments(t *testing.T) {
	dir := samDir(t, samConfig)
	code, out, stderr := runIn(t, dir, "check", "template.yaml", "--no-color")
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d, stderr %s\n%s", code, stderr, out)
	}
	want := []string{
		"template.yaml:12:16: warning GL002 in samconfig environment prod, function Fn has Timeout 40 s (from parameter FnTimeout) but POST /x stops waiting after 29 s (the default):",
		"Deploy with FnTimeout=26: change it in samconfig.toml, where it is set.",
		"    samconfig.toml:10:54: Timeout 40 s is set here, in samconfig environment prod",
		// Other's 28 s is too long in every environment: said once, as is.
		"template.yaml:20:16: warning GL002 function Other has Timeout 28 s but GET /y stops waiting after 29 s (the default)",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if n := strings.Count(out, "GL002"); n != 2 {
		t.Errorf("%d GL002 findings, want 2:\n%s", n, out)
	}
}

func TestSAMConfigFixParameters(t *testing.T) {
	dir := samDir(t, samConfig)
	_, diff, _ := runIn(t, dir, "check", "template.yaml", "--diff")
	if strings.Contains(diff, "samconfig.toml") {
		t.Errorf("without --fix-parameters the environment is edited:\n%s", diff)
	}
	_, diff, _ = runHere(t, "check", "template.yaml", "--diff", "--fix-parameters")
	if !strings.Contains(diff, "-parameter_overrides = \"Greeting='good day' FnTimeout=40\"\n+parameter_overrides = \"Greeting='good day' FnTimeout=26\"") {
		t.Errorf("--fix-parameters diff:\n%s", diff)
	}
	tmpl, _ := os.ReadFile("template.yaml")
	runHere(t, "check", "template.yaml", "--fix", "--fix-parameters")
	after, _ := os.ReadFile("template.yaml")
	if string(after) == string(tmpl) {
		t.Error("Other's Timeout was not fixed")
	}
	if strings.Contains(string(after), "Default: 26") {
		t.Error("the template's Default was edited")
	}
	code, out, _ := runHere(t, "check", "template.yaml")
	if code != 0 || strings.Contains(out, "GL002") {
		t.Errorf("after --fix --fix-parameters: exit %d\n%s", code, out)
	}
}

func TestSAMConfigEnv(t *testing.T) {
	dir := samDir(t, samConfig)
	// One environment: no other is judged, and none is named.
	code, out, _ := runIn(t, dir, "check", "template.yaml", "--config-env", "staging")
	if code != 1 || strings.Contains(out, "samconfig") || strings.Count(out, "GL002") != 1 {
		t.Errorf("--config-env staging: exit %d\n%s", code, out)
	}
	code, out, _ = runHere(t, "check", "template.yaml", "--config-env", "prod")
	if code != 1 || !strings.Contains(out, "GL002 function Fn has Timeout 40 s (from parameter FnTimeout)") {
		t.Errorf("--config-env prod: exit %d\n%s", code, out)
	}
	// An unknown environment is a usage error naming those there are.
	code, out, stderr := runHere(t, "check", "template.yaml", "--config-env", "prd")
	if code != 2 || out != "" || !strings.Contains(stderr, "gatelint: --config-env prd: samconfig.toml has no such environment (it has default, staging, prod)") || !strings.Contains(stderr, "Run 'gatelint --help' for usage.") {
		t.Errorf("--config-env prd: exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	// Without a samconfig file that defines it, --config-env is a usage
	// error too.
	code, _, stderr = runHere(t, "check", "template.yaml", "--config-env", "prod", "--config-file", filepath.Join(t.TempDir()))
	if code != 2 {
		t.Errorf("--config-file a directory: exit %d, %s", code, stderr)
	}
	// --config-file names the file elsewhere.
	if err := os.Rename("samconfig.toml", "deploy.toml"); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runHere(t, "check", "template.yaml", "--config-file", "deploy.toml")
	if code != 1 || !strings.Contains(out, "in samconfig environment prod, function Fn") {
		t.Errorf("--config-file: exit %d\n%s", code, out)
	}
	code, _, stderr = runHere(t, "check", "template.yaml", "--config-file", "missing.toml")
	if code != 2 || !strings.Contains(stderr, "--config-file") {
		t.Errorf("--config-file missing: exit %d, %s", code, stderr)
	}
	if err := os.Remove("deploy.toml"); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runHere(t, "check", "template.yaml", "--config-env", "prod")
	if code != 2 || !strings.Contains(stderr, "--config-env prod: no template checked is deployed with a samconfig file that defines it") {
		t.Errorf("--config-env without a samconfig file: exit %d, %s", code, stderr)
	}
}

// A finding that holds in several environments but not all names them,
// once, with each environment's line.
func TestSAMConfigSeveralEnvironments(t *testing.T) {
	config := strings.Replace(samConfig, `["FnTimeout=25", "Greeting=hello"]`, `["FnTimeout=40", "Greeting=hello"]`, 1)
	dir := samDir(t, config)
	_, out, _ := runIn(t, dir, "check", "template.yaml")
	for _, w := range []string{
		"warning GL002 in samconfig environments staging, prod, function Fn has Timeout 40 s",
		"    samconfig.toml:7:35: Timeout 40 s is set here, in samconfig environment staging",
		"    samconfig.toml:10:54: Timeout 40 s is set here, in samconfig environment prod",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if n := strings.Count(out, "function Fn has"); n != 1 {
		t.Errorf("%d findings for Fn, want one:\n%s", n, out)
	}
	// With --fix-parameters its one fix edits both lines.
	_, diff, _ := runHere(t, "check", "template.yaml", "--diff", "--fix-parameters")
	if !strings.Contains(diff, `+parameter_overrides = ["FnTimeout=26", "Greeting=hello"]`) || !strings.Contains(diff, `+parameter_overrides = "Greeting='good day' FnTimeout=26"`) {
		t.Errorf("diff:\n%s", diff)
	}
	// A condition the environments decide alike: one finding naming both.
	config = "version = 0.1\n[default.deploy.parameters]\nstack_name = \"x\"\n[staging.deploy.parameters]\nparameter_overrides = \"Greeting=a\"\n[prod.deploy.parameters]\nparameter_overrides = \"Greeting=b\"\n"
	dir = samDir(t, config)
	os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(strings.Replace(samProject, "Timeout: !Ref FnTimeout", "Timeout: !If [Hello, 40, 10]", 1)+"Conditions:\n  Hello: !Not [!Equals [!Ref Greeting, hi]]\n"), 0o644)
	_, out, _ = runIn(t, dir, "check", "template.yaml")
	if !strings.Contains(out, "in samconfig environments staging, prod, function Fn has Timeout 40 s") {
		t.Errorf("want one finding in staging and prod:\n%s", out)
	}
}
