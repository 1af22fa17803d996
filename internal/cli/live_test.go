package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/golden"
	"github.com/gatelint/gatelint/internal/schemacheck"
	"github.com/gatelint/gatelint/internal/source/live/awsfake"
)

func liveAccount(t *testing.T) *awsfake.Account {
	t.Helper()
	acct, err := awsfake.Load("../../fixtures/live/account.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return acct
}

// noSecrets fails t if any credential of the fake environment was printed.
func noSecrets(t *testing.T, outputs ...string) {
	t.Helper()
	for _, out := range outputs {
		for _, s := range []string{awsfake.Secret, awsfake.SessionToken, awsfake.AccessKeyID} {
			if strings.Contains(out, s) {
				t.Errorf("output contains the credential %q:\n%s", s, out)
			}
		}
	}
}

// TestLiveGolden runs gatelint check --live end to end against the fake
// account, through the SDK's standard configuration (AWS_ENDPOINT_URL).
func TestLiveGolden(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			awsfake.Serve(t, liveAccount(t))
			// A since long enough that the fixture's log rows stay in range.
			code, out, stderr := run(t, "check", "--live", "--live-logs", "--since", "87600h", "--format", format)
			if code != 1 {
				t.Errorf("exit code %d, want 1 (findings); stderr: %s", code, stderr)
			}
			if stderr != "" {
				t.Errorf("stderr is not a terminal, yet got: %q", stderr)
			}
			noSecrets(t, out, stderr)
			if format == "sarif" {
				// Not pinned: SARIF embeds every rule's page, which changes
				// on its own; the findings are pinned by text and JSON.
				schemacheck.Validate(t, schemacheck.SARIF(t), []byte(out))
				return
			}
			golden.Check(t, filepath.Join("fixtures", "golden", "live."+format), []byte(out))
		})
	}
}

func TestLiveExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		faults []*awsfake.FaultRule
		args   []string
		code   int
		want   []string // in stdout
	}{
		{name: "part of the account denied", code: 1,
			faults: []*awsfake.FaultRule{{Operation: "GetResources", Match: "legacyapi", Kind: "denied"}, {Operation: "GetQueueAttributes", Kind: "denied"}},
			want: []string{"arn:aws:apigateway:us-east-1::/restapis/legacyapi/resources: error: access denied: the audit needs apigateway:GET on arn:aws:apigateway:us-east-1::/restapis/legacyapi/resources",
				"arn:aws:sqs:us-east-1:123456789012:jobs: error: access denied: the audit needs sqs:GetQueueAttributes on arn:aws:sqs:us-east-1:123456789012:jobs",
				"GL002"}},
		{name: "everything denied", code: 2, faults: []*awsfake.FaultRule{{Kind: "denied"}},
			want: []string{"access denied: the audit needs lambda:ListFunctions"}},
		{name: "deleted while read", code: 1, faults: []*awsfake.FaultRule{{Operation: "GetRoutes", Match: "wsapi001", Kind: "notfound"}},
			want: []string{"arn:aws:apigateway:us-east-1::/apis/wsapi001/routes: error: not found: deleted while the audit ran?"}},
		{name: "no --live", code: 2, args: []string{"--region", "us-east-1"}},
		{name: "region and all regions", code: 2, args: []string{"--live", "--region", "us-east-1", "--all-regions"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			acct := liveAccount(t)
			acct.Faults.Rules = tc.faults
			awsfake.Serve(t, acct)
			args := tc.args
			if args == nil {
				args = []string{"--live"}
			}
			code, out, stderr := run(t, append([]string{"check"}, args...)...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stdout:\n%s\nstderr: %s", code, tc.code, out, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			noSecrets(t, out, stderr)
		})
	}
}

// TestLiveWithTemplate: deployed resources the template defines point at
// its lines, with the template edit beside the AWS CLI commands.
func TestLiveWithTemplate(t *testing.T) {
	acct := liveAccount(t)
	acct.Regions["us-east-1"].RestAPIs[0].Tags = map[string]string{"aws:cloudformation:logical-id": "OrdersApi", "aws:cloudformation:stack-name": "orders"}
	awsfake.Serve(t, acct)
	code, out, stderr := run(t, "check", "fixtures/live/template.yaml", "--live", "--api", "ordersapi", "--format", "json")
	if code != 1 {
		t.Errorf("exit code %d, want 1; stderr: %s", code, stderr)
	}
	noSecrets(t, out, stderr)
	golden.Check(t, filepath.Join("fixtures", "golden", "live-template.json"), []byte(out))
}

// TestLiveProfile: --profile takes region and credentials from the shared
// files, as the standard chain does.
func TestLiveProfile(t *testing.T) {
	awsfake.Serve(t, liveAccount(t))
	dir := t.TempDir()
	cfg, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	writeFile(t, cfg, "[profile audit]\nregion = eu-west-1\n")
	writeFile(t, creds, "[audit]\naws_access_key_id = "+awsfake.AccessKeyID+"\naws_secret_access_key = "+awsfake.Secret+"\n")
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SESSION_TOKEN", "")
	code, out, stderr := run(t, "check", "--live", "--profile", "audit")
	if code != 0 {
		t.Errorf("exit code %d, want 0 (eu-west-1 has one function and nothing wrong); stdout:\n%s\nstderr: %s", code, out, stderr)
	}
	if want := "no findings in 0 APIs of account 123456789012 (eu-west-1; "; !strings.Contains(out, want) {
		t.Errorf("stdout lacks %q:\n%s", want, out)
	}
	noSecrets(t, out, stderr)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestLiveEveryFormat: every output format renders a live audit, whose
// locations are ARNs, not files; none prints a credential.
func TestLiveEveryFormat(t *testing.T) {
	for _, format := range []string{"rdjson", "rdjsonl", "github", "markdown", "html"} {
		t.Run(format, func(t *testing.T) {
			awsfake.Serve(t, liveAccount(t))
			code, out, stderr := run(t, "check", "--live", "--format", format)
			if code != 1 || out == "" {
				t.Errorf("exit code %d with %d bytes of output, want 1 and a report; stderr: %s", code, len(out), stderr)
			}
			if !strings.Contains(out, "orders-create") {
				t.Errorf("the %s report does not name function orders-create", format)
			}
			noSecrets(t, out, stderr)
		})
	}
}

// TestLiveWithoutCredentials: with nothing in the credential chain the
// audit says so once, not once per call, and exits 2.
func TestLiveWithoutCredentials(t *testing.T) {
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_REGION", "us-east-1")
	code, out, _ := run(t, "check", "--live")
	if code != 2 || strings.Count(out, "error:") != 1 || !strings.Contains(out, "credentials: error: no AWS credentials from the standard chain") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestLiveWithTemplateFunctionUnjoined: a template function the account
// cannot match by name (no FunctionName) is not judged a second time
// against its template API's old limits once that API joined the
// account's: one GL002 per function, with the account's quota.
func TestLiveWithTemplateFunctionUnjoined(t *testing.T) {
	acct := liveAccount(t)
	acct.Regions["us-east-1"].RestAPIs[0].Tags = map[string]string{"aws:cloudformation:logical-id": "OrdersApi", "aws:cloudformation:stack-name": "orders"}
	awsfake.Serve(t, acct)
	src, err := os.ReadFile("../../fixtures/live/template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(tmpl, []byte(strings.Replace(string(src), "      FunctionName: orders-create\n", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := run(t, "check", tmpl, "--live", "--api", "ordersapi", "--format", "json")
	var doc struct {
		Findings []struct{ ID, Message string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range doc.Findings {
		if f.ID == "GL002" && strings.Contains(f.Message, "POST /orders ") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d GL002 findings about POST /orders, want 1:\n%s", n, out)
	}
}

// TestLiveWithTerraform: a live API joins the Terraform configuration
// that defines it by its name, a live function by function_name, so the
// live findings point at the .tf lines with their edits.
func TestLiveWithTerraform(t *testing.T) {
	awsfake.Serve(t, liveAccount(t))
	code, out, stderr := run(t, "check", "fixtures/live/terraform", "--live", "--api", "httpapi1", "--format", "json")
	if code != 1 {
		t.Errorf("exit code %d, want 1; stderr: %s", code, stderr)
	}
	noSecrets(t, out, stderr)
	var doc struct {
		Findings []struct {
			ID       string
			Message  string
			Location struct {
				File string
				Line int
			}
			Fixes []struct {
				Edits []struct{ File string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	joined := 0
	for _, f := range doc.Findings {
		got = append(got, f.ID+" "+f.Location.File+":"+itoa(f.Location.Line)+" "+f.Message)
		if f.Location.File == "fixtures/live/terraform/main.tf" {
			joined++
			if strings.Contains(f.Message, "TimeoutInMillis") || strings.Contains(f.Message, "has Timeout") {
				t.Errorf("a finding at a .tf line speaks CloudFormation: %s", f.Message)
			}
		}
	}
	want := []string{
		"GL002 fixtures/live/terraform/main.tf:8 ",  // items-fn's timeout, read live, at its .tf line
		"GL001 fixtures/live/terraform/main.tf:26 ", // POST /items' 5000 ms, read live
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if strings.HasPrefix(g, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no finding %q among:\n%s", w, strings.Join(got, "\n"))
		}
	}
	if joined == 0 {
		t.Errorf("no live finding points at the Terraform configuration:\n%s", strings.Join(got, "\n"))
	}
}

// TestLiveWithTerraformTags: of two live HTTP APIs with the configured
// name, the one whose tags carry every tag the configuration gives joins
// it: its live integration timeout is reported at the .tf line, and the
// other API stays apart.
func TestLiveWithTerraformTags(t *testing.T) {
	dir := t.TempDir()
	const tf = `resource "aws_lambda_function" "items" {
  function_name = "items-fn"
  handler       = "items.handler"
  runtime       = "python3.12"
  timeout       = 3
}

resource "aws_apigatewayv2_api" "public" {
  name          = "public"
  protocol_type = "HTTP"
  tags = {
    env = "prod"
  }
}

resource "aws_apigatewayv2_integration" "list" {
  api_id           = aws_apigatewayv2_api.public.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.items.arn
}

resource "aws_apigatewayv2_route" "list" {
  api_id    = aws_apigatewayv2_api.public.id
  route_key = "GET /items"
  target    = "integrations/${aws_apigatewayv2_integration.list.id}"
}
`
	const acct = `account: "123456789012"
regions:
  us-east-1:
    apis:
      - id: pubdev01
        name: public
        protocol: HTTP
        tags: {env: dev, team: shop}
        integrations:
          - {id: int001, type: AWS_PROXY, uri: "arn:aws:lambda:us-east-1:123456789012:function:items-fn", timeoutInMillis: 7000}
        routes:
          - {id: rt001, routeKey: GET /items, target: integrations/int001}
      - id: pubprod1
        name: public
        protocol: HTTP
        tags: {env: prod, team: shop}
        integrations:
          - {id: int002, type: AWS_PROXY, uri: "arn:aws:lambda:us-east-1:123456789012:function:items-fn", timeoutInMillis: 4000}
        routes:
          - {id: rt002, routeKey: GET /items, target: integrations/int002}
    functions:
      - {name: items-fn, timeout: 3}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	serveAccount(t, acct)
	_, out, stderr := run(t, "check", filepath.Join(dir, "main.tf"), "--live", "--format", "json")
	noSecrets(t, out, stderr)
	doc := jsonFindings(t, out, stderr)
	var atTF, apart []string
	for _, f := range doc.Findings {
		if f.ID != "GL001" {
			continue
		}
		if strings.HasSuffix(f.Location.File, "main.tf") {
			atTF = append(atTF, itoa(f.Location.Line)+" "+f.Message)
		} else {
			apart = append(apart, f.Location.File+" "+f.Message)
		}
	}
	if len(atTF) != 1 || !strings.Contains(atTF[0], "4000 ms") {
		t.Errorf("GL001 at main.tf: %q, want the prod API's 4000 ms once", atTF)
	}
	if len(apart) != 1 || !strings.Contains(apart[0], "7000 ms") {
		t.Errorf("GL001 elsewhere: %q, want the dev API's 7000 ms, not joined", apart)
	}
}

// serveAccount serves the fake account written as yml for t.
func serveAccount(t *testing.T, yml string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "account.yaml")
	if err := os.WriteFile(path, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := awsfake.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	awsfake.Serve(t, a)
}

// jsonFinding is what the live tests read of a JSON report's finding.
type jsonFinding struct {
	ID       string
	Message  string
	Location struct {
		File string
		Line int
	}
}

// jsonFindings parses a JSON report.
func jsonFindings(t *testing.T, out, stderr string) struct{ Findings []jsonFinding } {
	t.Helper()
	var doc struct{ Findings []jsonFinding }
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, stderr)
	}
	return doc
}
