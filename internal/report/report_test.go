package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/golden"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/schemacheck"
	"github.com/gatelint/gatelint/rules"
)

func rng(file string, line, col, off, endLine, endCol, endOff int) loc.Range {
	return loc.Range{File: file, Start: loc.Pos{Line: line, Column: col, Offset: off}, End: loc.Pos{Line: endLine, Column: endCol, Offset: endOff}}
}

func testRules() []*rules.Rule {
	return []*rules.Rule{
		{ID: "GL001", Name: "integration-timeout-below-max", Severity: finding.Info, Summary: "Integration timeout is below what the API allows."},
		{ID: "GL002", Name: "lambda-timeout-exceeds-integration", Severity: finding.Warning, Summary: "Lambda timeout exceeds the integration timeout."},
		{ID: "GL003", Name: "missing-async-path", Severity: finding.Warning, Summary: "Long-running work has no asynchronous path."},
		{ID: "GL004", Name: "integration-timeout-above-limit", Severity: finding.Error, Summary: "Integration timeout is above the API Gateway limit."},
		{ID: "GL005", Name: "timeouts-observed", Severity: finding.Error, Summary: "Access logs show timeouts."},
		{ID: "GL008", Name: "async-worker-visibility-timeout", Severity: finding.Warning, Summary: "Queue visibility timeout is too short for its worker."},
	}
}

// sampleResult covers every shape a renderer must handle: endpoint or not,
// related locations, multi-edit fixes, non-ASCII paths, CDK paths, live
// resources named by ARN, input errors with and without a line, and an
// unresolved value.
func sampleResult() *Result {
	p99 := int64(9870)
	first := time.Date(2026, 11, 20, 9, 14, 3, 0, time.UTC)
	last := first.Add(150 * time.Minute)
	const (
		api  = "templates/api.yaml"
		cafe = "stacks/café/template.yaml"
		cdk  = "cdk.out/ShopStack.template.json"
		arn  = "arn:aws:lambda:us-east-1:123456789012:function:orders"
	)
	return &Result{
		Findings: []finding.Finding{
			{
				RuleID: "GL002", RuleName: "lambda-timeout-exceeds-integration", Severity: finding.Warning,
				Message:  "function orders (timeout 60s) outlives its integration (29s) on POST /orders",
				Location: rng(arn, 0, 0, 0, 0, 0, 0),
				Resource: finding.Resource{Address: "orders", LogicalID: "orders", Type: "AWS::Lambda::Function"},
				Endpoint: &finding.Endpoint{API: "shop", APIType: "REST", Method: "POST", Path: "/orders"},
				Fixes: []finding.Fix{{
					Description: "lower the function timeout to 27s",
					Commands:    []string{"aws lambda update-function-configuration --function-name orders --timeout 27"},
				}},
			},
			{
				RuleID: "GL003", RuleName: "missing-async-path", Severity: finding.Warning,
				Message:  "ShopStack/Api/Report takes up to 120s behind a synchronous endpoint",
				Location: rng(cdk, 41, 9, 1180, 41, 28, 1199),
				Resource: finding.Resource{Address: "ApiReport1A2B3C4D", LogicalID: "ApiReport1A2B3C4D", Type: "AWS::Lambda::Function", CDKPath: "ShopStack/Api/Report/Resource"},
				Endpoint: &finding.Endpoint{API: "ShopApi", APIType: "HTTP", Method: "ANY", Path: "/{proxy+}"},
			},
			{
				RuleID: "GL001", RuleName: "integration-timeout-below-max", Severity: finding.Info,
				Message:  "TimeoutInMillis 10000 is below the 29000 ms the API allows",
				Location: rng(cafe, 22, 26, 640, 22, 31, 645),
				Resource: finding.Resource{Address: "Méthode", LogicalID: "Méthode", Type: "AWS::ApiGateway::Method"},
				Endpoint: &finding.Endpoint{API: "Boutique", APIType: "REST", Method: "GET", Path: "/crème"},
				Fixes: []finding.Fix{{
					Description: "raise TimeoutInMillis to 29000",
					Edits: []finding.TextEdit{{
						File: cafe, Start: 640, End: 645, NewText: "29000",
						StartPos: loc.Pos{Line: 22, Column: 26, Offset: 640}, EndPos: loc.Pos{Line: 22, Column: 31, Offset: 645},
					}},
				}},
			},
			{
				RuleID: "GL002", RuleName: "lambda-timeout-exceeds-integration", Severity: finding.Warning,
				Message:  "function ItemsFunction (timeout 30s) outlives its integration (29s) on GET /items/{id}",
				Location: rng(api, 14, 16, 312, 14, 18, 314),
				Resource: finding.Resource{Address: "ItemsFunction", LogicalID: "ItemsFunction", Type: "AWS::Serverless::Function"},
				Endpoint: &finding.Endpoint{API: "ItemsApi", APIType: "REST", Method: "GET", Path: "/items/{id}"},
				Related: []finding.Related{{
					Location: rng(api, 48, 25, 1320, 48, 30, 1325),
					Message:  "integration timeout is 29000 ms here",
				}},
				Fixes: []finding.Fix{{
					Description: "lower Timeout to 27 and raise TimeoutInMillis to 29000",
					Edits: []finding.TextEdit{
						{File: api, Start: 312, End: 314, NewText: "27", StartPos: loc.Pos{Line: 14, Column: 16, Offset: 312}, EndPos: loc.Pos{Line: 14, Column: 18, Offset: 314}},
						{File: api, Start: 1320, End: 1325, NewText: "29000"},
					},
				}},
			},
			{
				RuleID: "GL004", RuleName: "integration-timeout-above-limit", Severity: finding.Error,
				Message:  "TimeoutInMillis 35000 is above the 29000 ms limit for edge-optimized REST APIs",
				Location: rng(api, 60, 26, 1600, 60, 31, 1605),
				Resource: finding.Resource{Address: "ReportMethod", LogicalID: "ReportMethod", Type: "AWS::ApiGateway::Method"},
				Endpoint: &finding.Endpoint{API: "ItemsApi", APIType: "REST", Method: "GET", Path: "/report"},
			},
			{
				RuleID: "GL008", RuleName: "async-worker-visibility-timeout", Severity: finding.Info,
				Message:  "queue OrdersQueue: visibility timeout 30s equals the worker's timeout",
				Location: rng(api, 75, 7, 1900, 75, 24, 1917),
				Resource: finding.Resource{Address: "OrdersQueue", LogicalID: "OrdersQueue", Type: "AWS::SQS::Queue"},
			},
			{
				RuleID: "GL005", RuleName: "timeouts-observed", Severity: finding.Error,
				Message:  "18 of 240 requests to POST /orders timed out waiting for the backend integration",
				Location: rng(api, 30, 9, 700, 30, 15, 706),
				Resource: finding.Resource{Address: "OrdersFunction", LogicalID: "OrdersFunction", Type: "AWS::Serverless::Function"},
				Endpoint: &finding.Endpoint{API: "ItemsApi", APIType: "REST", Method: "POST", Path: "/orders"},
				Related:  []finding.Related{{Location: rng("logs/access.log.gz", 7, 1, 0, 0, 0, 0), Message: "first timeout in the access log"}},
				Evidence: &finding.Evidence{Timeouts: 18, Requests: 240, P99IntegrationLatencyMs: &p99, FirstSeen: &first, LastSeen: &last,
					Sources: []string{"logs/access.log.gz"}, TimeoutStatus: map[int]int64{504: 18}, TimeoutsWithLatencyMinusOne: 18},
			},
		},
		TimeoutSummary: "18 requests timed out waiting for backend integration (integrationLatency = -1). All timed-out requests returned HTTP 504 to the client. Affected endpoints: POST /orders (18).",
		Errors: []finding.InputError{
			{File: "templates/broken.yaml", Line: 12, Message: "mapping values are not allowed in this context"},
			{File: "templates/missing.yaml", Message: "no such file or directory"},
		},
		Notes: []Note{{
			Location: rng(api, 8, 16, 150, 8, 36, 170),
			Message:  "Timeout: !Ref FunctionTimeout has no default; checks that need it were skipped",
		}},
		Stats: Stats{FilesRead: 5, Templates: 3, Endpoints: 6, Functions: 4, LinkedFunctions: 3, LogFiles: 1, LogRecords: 1234567},
	}
}

func TestGolden(t *testing.T) {
	opts := Options{Rules: testRules(), Version: "0.1.0-test"}
	colour, quiet := opts, opts
	colour.Color = true
	quiet.Quiet = true
	tests := []struct {
		name   string
		format string
		r      *Result
		o      Options
	}{
		{"text", "text", sampleResult(), opts},
		{"text_color", "text", sampleResult(), colour},
		{"text_quiet", "text", sampleResult(), quiet},
		{"text_empty", "text", &Result{Stats: Stats{Templates: 1}}, opts},
		{"json", "json", sampleResult(), opts},
		{"json_empty", "json", &Result{}, opts},
		{"sarif", "sarif", sampleResult(), opts},
		{"sarif_empty", "sarif", &Result{}, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.format, tt.r, tt.o); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			if tt.format == "sarif" {
				got = hideDocs(t, got, tt.o.Rules)
			}
			golden.Check(t, filepath.Join("testdata", tt.name+".golden"), got)
		})
	}
}

// hideDocs replaces each rule's documentation page with a placeholder so
// the golden file does not change whenever someone edits rules/GL*.md.
func hideDocs(t *testing.T, out []byte, rs []*rules.Rule) []byte {
	t.Helper()
	for _, r := range rs {
		var doc bytes.Buffer
		if err := encode(&doc, r.Doc()); err != nil {
			t.Fatal(err)
		}
		quoted := bytes.TrimSuffix(doc.Bytes(), []byte("\n"))
		if !bytes.Contains(out, quoted) {
			t.Fatalf("SARIF output lacks the documentation of %s", r.ID)
		}
		out = bytes.ReplaceAll(out, quoted, []byte(`"<`+r.ID+`.md>"`))
	}
	return out
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	sch := schemacheck.SARIF(t)
	odd := &Result{
		Findings: []finding.Finding{
			{RuleID: "GL999", Severity: finding.Warning, Message: "unknown rule, absolute path", Location: rng("/home/me/t.yaml", 1, 1, 0, 1, 5, 4)},
			{RuleID: "GL002", Severity: finding.Error, Message: "odd characters", Location: rng("my stacks/a#b.yaml", 3, 1, 0, 0, 0, 0)},
		},
		Errors: []finding.InputError{{File: "arn:aws:apigateway:us-east-1::/restapis/abc", Message: "access denied"}},
	}
	for name, r := range map[string]*Result{"sample": sampleResult(), "empty": {}, "odd": odd} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := SARIF(&buf, r, Options{Rules: testRules(), Version: "1.2.3"}); err != nil {
				t.Fatal(err)
			}
			schemacheck.Validate(t, sch, buf.Bytes())
		})
	}
}

// TestSARIFSchemaRejects guards the validation test itself: if the schema
// stopped being enforced, every SARIF would pass.
func TestSARIFSchemaRejects(t *testing.T) {
	var buf bytes.Buffer
	if err := SARIF(&buf, sampleResult(), Options{Rules: testRules()}); err != nil {
		t.Fatal(err)
	}
	schemaRejects(t, schemacheck.SARIF(t), buf.String(), `"level": "warning"`, `"level": "fatal"`)
}

// schemaRejects checks that sch refuses doc with from replaced by to.
func schemaRejects(t *testing.T, sch *jsonschema.Schema, doc, from, to string) {
	t.Helper()
	broken := strings.Replace(doc, from, to, 1)
	if broken == doc {
		t.Fatalf("no %s to break", from)
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(broken))
	if err != nil {
		t.Fatal(err)
	}
	if sch.Validate(v) == nil {
		t.Errorf("schema accepted %s", to)
	}
}

func TestJSONEmptyArrays(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, &Result{}, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "null") {
		t.Errorf("empty result has null in JSON:\n%s", buf.String())
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"findings", "errors", "notes"} {
		if a, ok := m[k].([]any); !ok || len(a) != 0 {
			t.Errorf("%s = %#v, want []", k, m[k])
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, sampleResult(), Options{}); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	checkKeys(t, "top level", m, "version", "findings", "errors", "notes", "summary")
	checkKeys(t, "summary", m["summary"], "findings", "error", "warning", "info", "inputErrors",
		"filesRead", "templates", "endpoints", "functions", "linkedFunctions", "logFiles", "logRecords", "timeoutSummary")

	findings := m["findings"].([]any)
	if len(findings) != 7 {
		t.Fatalf("got %d findings, want 7", len(findings))
	}
	// The repo finding with everything: endpoint, related, a two-edit fix.
	f := findings[3].(map[string]any)
	checkKeys(t, "finding", f, "id", "rule", "severity", "message", "location", "resource", "endpoint", "related", "fixes")
	checkKeys(t, "location", f["location"], "file", "line", "column", "endLine", "endColumn")
	checkKeys(t, "resource", f["resource"], "address", "logicalId", "type")
	checkKeys(t, "endpoint", f["endpoint"], "api", "apiType", "method", "path")
	checkKeys(t, "related", f["related"].([]any)[0], "location", "message")
	fix := f["fixes"].([]any)[0]
	checkKeys(t, "fix", fix, "description", "edits")
	checkKeys(t, "edit", fix.(map[string]any)["edits"].([]any)[0], "file", "start", "end", "newText")

	// The info finding: no endpoint key, empty arrays.
	info := findings[5].(map[string]any)
	checkKeys(t, "info finding", info, "id", "rule", "severity", "message", "location", "resource", "related", "fixes")

	checkKeys(t, "CDK resource", findings[1].(map[string]any)["resource"], "address", "logicalId", "type", "cdkPath")
	checkKeys(t, "command fix", findings[0].(map[string]any)["fixes"].([]any)[0], "description", "edits", "commands")
	checkKeys(t, "error with line", m["errors"].([]any)[0], "file", "line", "message")
	checkKeys(t, "error without line", m["errors"].([]any)[1], "file", "message")
	checkKeys(t, "notes", m["notes"].([]any)[0], "location", "message")

	// The log finding carries its evidence.
	logf := findings[6].(map[string]any)
	checkKeys(t, "log finding", logf, "id", "rule", "severity", "message", "location", "resource", "endpoint", "related", "fixes", "evidence")
	checkKeys(t, "evidence", logf["evidence"], "timeouts", "requests", "p99IntegrationLatencyMs", "firstSeen", "lastSeen", "sources",
		"timeoutStatus", "timeoutsWithLatencyMinusOne")
	if ev := logf["evidence"].(map[string]any); ev["firstSeen"] != "2026-11-20T09:14:03Z" || ev["timeouts"] != 18.0 {
		t.Errorf("evidence = %v", ev)
	}

	if got := m["summary"].(map[string]any)["findings"]; got != 7.0 {
		t.Errorf("summary.findings = %v, want 7", got)
	}
}

func checkKeys(t *testing.T, what string, v any, want ...string) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Errorf("%s: %T is not an object", what, v)
		return
	}
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s keys = %v, want %v", what, got, want)
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, "xml", &Result{}, Options{})
	if err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Errorf("Write(xml) error = %v, want unknown format", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Write(xml) wrote %q", buf.String())
	}
}

func TestSummaryLine(t *testing.T) {
	f := func(s finding.Severity) finding.Finding { return finding.Finding{Severity: s} }
	tests := []struct {
		r    Result
		want string
	}{
		{Result{Stats: Stats{Templates: 5}}, "no findings in 5 templates"},
		{Result{Stats: Stats{Templates: 1}}, "no findings in 1 template"},
		{Result{Findings: []finding.Finding{f(finding.Warning)}, Stats: Stats{Templates: 1}}, "1 finding (1 warning) in 1 template"},
		{Result{Findings: []finding.Finding{f(finding.Error), f(finding.Warning), f(finding.Info)}, Stats: Stats{Templates: 2},
			Errors: []finding.InputError{{File: "x"}}}, "3 findings (1 error, 1 warning, 1 info) in 2 templates; 1 input error"},
		{Result{Findings: []finding.Finding{f(finding.Error), f(finding.Error), f(finding.Info), f(finding.Info)}, Stats: Stats{Templates: 2},
			Errors: []finding.InputError{{File: "x"}, {File: "y"}}}, "4 findings (2 errors, 2 info) in 2 templates; 2 input errors"},
	}
	for _, tt := range tests {
		if got := summaryLine(&tt.r); got != tt.want {
			t.Errorf("summaryLine = %q, want %q", got, tt.want)
		}
	}
}

func TestArtifactLocation(t *testing.T) {
	tests := []struct {
		file, uri, base string
	}{
		{"templates/api.yaml", "templates/api.yaml", "%SRCROOT%"},
		{"stacks/café/t.yaml", "stacks/caf%C3%A9/t.yaml", "%SRCROOT%"},
		{"my stacks/a#b?.yaml", "my%20stacks/a%23b%3F.yaml", "%SRCROOT%"},
		{"a:b/t.yaml", "./a:b/t.yaml", "%SRCROOT%"},
		{"../infra/t.yaml", "../infra/t.yaml", "%SRCROOT%"},
		{"/home/me/t.yaml", "file:///home/me/t.yaml", ""},
		{"arn:aws:lambda:us-east-1:123456789012:function:f", "arn:aws:lambda:us-east-1:123456789012:function:f", ""},
	}
	for _, tt := range tests {
		got := artifactLocation(tt.file)
		if got.URI != tt.uri || got.URIBaseID != tt.base {
			t.Errorf("artifactLocation(%q) = %+v, want {%s %s}", tt.file, got, tt.uri, tt.base)
		}
	}
}
