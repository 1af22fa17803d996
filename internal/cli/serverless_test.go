package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/golden"
	"github.com/gatelint/gatelint/internal/schemacheck"
)

// TestServerlessGolden pins the reports of the Serverless Framework demo.
func TestServerlessGolden(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := run(t, "check", "fixtures/serverless/demo", "--format", format)
			if code != 1 {
				t.Errorf("exit code %d, want 1 (findings at warning or above); stderr: %s", code, stderr)
			}
			golden.Check(t, filepath.Join("fixtures", "golden", "serverless."+format), []byte(out))
			if format == "sarif" {
				schemacheck.Validate(t, schemacheck.SARIF(t), []byte(out))
			}
		})
	}
}

// copyServerlessDemo copies the Serverless demo to a temporary
// directory and makes it the working directory.
func copyServerlessDemo(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const sub = "fixtures/serverless/demo"
	if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join(root, sub))); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	return sub
}

// TestServerlessDiffAndFix: --diff applies with git apply and changes
// nothing itself; --fix keeps the file's comments and layout, gives the
// inheriting function its own timeout (never lowering provider.timeout),
// and the fixed service re-checks without the findings it fixed.
func TestServerlessDiffAndFix(t *testing.T) {
	demo := copyServerlessDemo(t)
	file := filepath.Join(demo, "serverless.yml")
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	code, diff, stderr := runHere(t, "check", "--diff", demo)
	if code != 1 || !strings.Contains(diff, "+++ b/"+file) {
		t.Fatalf("--diff: exit %d, stderr %s\n%s", code, stderr, diff)
	}
	if after, _ := os.ReadFile(file); string(after) != string(before) {
		t.Fatal("--diff changed the file")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	cmd := exec.Command(git, "apply", "-")
	cmd.Stdin = strings.NewReader(diff)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s\n%s", err, out, diff)
	}
	applied, _ := os.ReadFile(file)
	if err := os.WriteFile(file, before, 0o644); err != nil {
		t.Fatal(err)
	}

	// --diff shows the unsafe fixes too: it is what --unsafe-fixes writes.
	code, out, stderr := runHere(t, "check", "--fix", "--unsafe-fixes", demo)
	if unsafe, _ := os.ReadFile(file); string(unsafe) != string(applied) {
		t.Errorf("--fix --unsafe-fixes wrote something other than the diff:\n%s", unsafe)
	}
	if code != 0 || !strings.Contains(out, "1 finding (1 info)") || !strings.Contains(out, "GL009 stage $default of HttpApi writes no access logs") {
		t.Errorf("after --fix --unsafe-fixes: exit %d, stderr %s\n%s", code, stderr, out)
	}
	if err := os.WriteFile(file, before, 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, stderr = runHere(t, "check", "--fix", demo)
	fixed, _ := os.ReadFile(file)
	text := string(fixed)
	for _, want := range []string{
		"# An orders service: a REST API, an HTTP API and a queue worker.\n", // comments stay
		"  # Every function without its own timeout gets this one.\n  timeout: 40\n",
		"  getOrder:\n    timeout: 26\n    handler: src/orders.get\n", // its own, inserted
		"    timeout: 60\n", // lowering it is unsafe: the work may need it (GL003)
		"        VisibilityTimeout: 720\n",
		"    restApi: {format: '",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("fixed file lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "\n") != strings.Count(string(before), "\n")+1 {
		t.Errorf("--fix changed the layout beyond one inserted line:\n%s", text)
	}
	if code != 1 || !strings.Contains(stderr, "fixed 3 findings in 1 file") {
		t.Errorf("--fix: exit %d, stderr %s\n%s", code, stderr, out)
	}
	// What --fix leaves is the unsafe lowering of timeouts the work may
	// need (GL003's) and the HTTP API's missing access logs.
	code, out, _ = runHere(t, "check", demo, "--format", "text")
	for _, gone := range []string{"GL008", "function getOrder has timeout", "access-log format of stage dev"} {
		if strings.Contains(out, gone) {
			t.Errorf("after --fix, still %q:\n%s", gone, out)
		}
	}
	if code != 1 || strings.Count(out, "warning GL003") != 2 {
		t.Errorf("after --fix: exit %d\n%s", code, out)
	}
	_, _, stderr = runHere(t, "check", "--fix", demo)
	if again, _ := os.ReadFile(file); string(again) != text || !strings.Contains(stderr, "fixed 0 findings") {
		t.Errorf("a second --fix changed something: %s", stderr)
	}
}

// TestLiveWithServerless: a live REST API joins the service that deploys
// it by CloudFormation's tags (its logical ID and the stack
// <service>-<stage>), a live function by its deployed name
// <service>-<stage>-<name>, so the live findings point at serverless.yml
// with its edits.
func TestLiveWithServerless(t *testing.T) {
	const acct = `account: "123456789012"
regions:
  us-east-1:
    restApis:
      - id: ordersrest
        name: dev-orders
        endpointType: EDGE
        tags: {"aws:cloudformation:logical-id": ApiGatewayRestApi, "aws:cloudformation:stack-name": orders-dev}
        stages:
          - name: dev
        resources:
          - {id: root01, path: /}
          - id: res001
            path: /orders
            methods:
              POST: {type: AWS_PROXY, uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders-dev-createOrder/invocations"}
      - id: otherrest
        name: dev-other
        endpointType: EDGE
        tags: {"aws:cloudformation:logical-id": ApiGatewayRestApi, "aws:cloudformation:stack-name": other-dev}
        stages:
          - name: dev
    functions:
      - {name: orders-dev-createOrder, timeout: 60}
`
	serveAccount(t, acct)
	_, out, stderr := run(t, "check", "fixtures/serverless/demo", "--live", "--api", "ordersrest", "--format", "json")
	noSecrets(t, out, stderr)
	doc := jsonFindings(t, out, stderr)
	// Joined, the live function is the configured one: one GL002 for
	// it, at its timeout; unjoined, the live one would be reported apart,
	// at no line of serverless.yml.
	n, stage := 0, false
	for _, f := range doc.Findings {
		// The live stage logs nothing (the configured one logs in the
		// framework's format): said of the configured stage's line.
		if f.ID == "GL009" && strings.HasPrefix(f.Message, "stage dev of ApiGatewayRestApi writes no access logs") && f.Location.Line == 16 {
			stage = true
		}
		if f.ID == "GL002" && strings.Contains(f.Message, "createOrder") {
			if f.Location.File != "fixtures/serverless/demo/serverless.yml" || f.Location.Line != 21 {
				t.Errorf("a GL002 of createOrder at %s:%d, not at its timeout", f.Location.File, f.Location.Line)
			}
			n++
		}
	}
	if n != 1 || !stage {
		t.Errorf("%d GL002 findings for createOrder, want 1; live stage joined: %v\n%s\n%s", n, stage, out, stderr)
	}
}

// TestServerlessStageParam: --param stage=prod is the stage the framework
// would deploy (${opt:stage}), and a --param no service reads is an error.
func TestServerlessStageParam(t *testing.T) {
	code, out, stderr := run(t, "check", "fixtures/serverless/demo", "--param", "stage=prod")
	if code != 1 || !strings.Contains(out, "stage prod of ApiGatewayRestApi") || strings.Contains(out, "stage dev") {
		t.Errorf("exit %d, stderr %s\n%s", code, stderr, out)
	}
	code, out, stderr = runHere(t, "check", "fixtures/serverless/demo", "--param", "nosuch=1")
	if code != 2 || !strings.Contains(out+stderr, "declares a parameter nosuch") {
		t.Errorf("an unread --param: exit %d, stderr %s\n%s", code, stderr, out)
	}
}
