package driver

import (
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
