package driver

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/rules"
)

// TestServerlessHandlerCode: a Serverless function's handler
// (`handler: src/report.handler`, in the service directory) is scanned
// like any other function's code, and a serverless.yml is read by the
// Serverless reader, not the CloudFormation one.
func TestServerlessHandlerCode(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"serverless.yml": "service: shop\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  report:\n    handler: src/report.handler\n    timeout: 25\n    events:\n      - httpApi: 'POST /reports'\n",
		"src/report.js":  "exports.handler = async () => {\n  const r = await fetch('https://warehouse.example.com/report');\n  return { statusCode: 200, body: await r.text() };\n};\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outcomes := map[string]string{}
	res := Run(Config{Paths: []string{dir}, Rules: rules.DefaultConfig(), OnFile: func(path, what string) { outcomes[filepath.Base(path)] = what }})
	if outcomes["serverless.yml"] != "Serverless service" {
		t.Errorf("serverless.yml: %q", outcomes["serverless.yml"])
	}
	found := false
	for _, f := range res.Findings {
		if f.RuleID == "GL011" && strings.HasSuffix(f.Location.File, filepath.Join("src", "report.js")) && f.Location.Start.Line == 2 {
			found = true
		}
	}
	if !found {
		t.Errorf("no GL011 at src/report.js:2 among %d findings: %+v", len(res.Findings), res.Findings)
	}
}

// TestServerlessIncludes: a resources file a service includes is judged
// once, as part of the service, not again as a template of its own; a
// service that reads a setting from another service's file leaves that
// one a service.
func TestServerlessIncludes(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"shop/serverless.yml": "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\n  stage: ${file(./billing/serverless.yml):provider.stage}\n" +
			"functions:\n  drain:\n    handler: h.main\n    timeout: 60\n    events:\n      - sqs: !GetAtt DrainQueue.Arn\n" +
			"resources:\n  - ${file(./resources/queues.yml)}\n",
		"shop/resources/queues.yml":   "Resources:\n  DrainQueue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 30\n",
		"shop/billing/serverless.yml": "service: billing\nprovider:\n  name: aws\n  runtime: python3.12\n  stage: prod\nfunctions:\n  bill:\n    handler: h.main\n    events:\n      - httpApi: POST /bills\n",
	})
	res, outcome := run(t, dir)
	if len(res.Errors) != 0 {
		t.Fatalf("errors %v", res.Errors)
	}
	if want := "read as part of " + filepath.Join(dir, "shop", "serverless.yml"); outcome["queues.yml"] != want {
		t.Errorf("queues.yml: %q, want %q", outcome["queues.yml"], want)
	}
	if res.Stats.Templates != 2 || len(res.Model.Functions) != 2 {
		t.Errorf("outcomes %v, %d templates, %d functions: billing/serverless.yml is a service of its own", outcome, res.Stats.Templates, len(res.Model.Functions))
	}
	var gl8 []string
	for _, f := range res.Findings {
		if f.RuleID == "GL008" {
			gl8 = append(gl8, f.Location.String())
		}
	}
	if want := filepath.Join(dir, "shop", "resources", "queues.yml") + ":5:26"; len(gl8) != 1 || gl8[0] != want {
		t.Errorf("GL008 at %q, want once at %s", gl8, want)
	}
	if len(res.Model.Queues) != 1 {
		t.Errorf("%d queues in the model, want 1", len(res.Model.Queues))
	}
}

// TestServerlessLogs: access logs and the function's own logs join a
// Serverless service as they join a template: requests by method and
// path, invocations by request ID, and the function log named by the
// function's key in serverless.yml, its deployed name
// (<service>-<stage>-<name>) or its logical ID.
func TestServerlessLogs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"serverless.yml": "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n  report:\n    handler: h.main\n    timeout: 60\n    events:\n      - http: POST reports\n",
	})
	var access, fn strings.Builder
	for i := range 4 {
		id := fmt.Sprintf("0000000%d-1111-4222-8333-444444444444", i)
		fmt.Fprintf(&access, `{"requestTime":"20/Nov/2026:09:0%d:00 +0000","httpMethod":"POST","resourcePath":"/reports","status":"504","integrationLatency":"-1","integration":{"requestId":"%s"}}`+"\n", i, id)
		fmt.Fprintf(&fn, "2026-11-20T09:0%d:00.100Z START RequestId: %s Version: $LATEST\n", i, id)
		fmt.Fprintf(&fn, "2026-11-20T09:0%d:40.100Z REPORT RequestId: %s\tDuration: 40000.0 ms\tBilled Duration: 40000 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\n", i, id)
	}
	logs := filepath.Join(dir, "logs")
	if err := os.Mkdir(logs, 0o755); err != nil {
		t.Fatal(err)
	}
	ap, fp := filepath.Join(logs, "access.log"), filepath.Join(dir, "report.log")
	os.WriteFile(ap, []byte(access.String()), 0o644)
	os.WriteFile(fp, []byte(fn.String()), 0o644)
	for _, name := range []string{"report", "shop-dev-report", "ReportLambdaFunction"} {
		t.Run(name, func(t *testing.T) {
			res := Run(Config{Paths: []string{filepath.Join(dir, "serverless.yml")}, Logs: []string{ap, name + "=" + fp}, Rules: rules.DefaultConfig()})
			if len(res.Errors) > 0 {
				t.Fatalf("errors: %v", res.Errors)
			}
			got := map[string]string{}
			for _, f := range res.Findings {
				got[f.RuleID] = f.Location.String() + " " + f.Message
			}
			file := filepath.Join(dir, "serverless.yml")
			if !strings.Contains(got["GL005"], file+":10:9") || !strings.Contains(got["GL005"], "4 of 4 requests to POST /reports timed out") {
				t.Errorf("GL005: %q", got["GL005"])
			}
			if !strings.Contains(got["GL010"], file+":8:14") || !strings.Contains(got["GL010"], "4 completed successfully") {
				t.Errorf("GL010: %q", got["GL010"])
			}
		})
	}
}
