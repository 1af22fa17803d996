package report

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/latency"
	"github.com/gatelint/gatelint/internal/loc"
)

// The HTML fixture is a hand-built run of the kind log evidence produces:
// every severity, endpoints with and without traffic, one whose timeouts
// are unknown, one whose function timeout is far off the latency axis,
// logs, a live account, and fixes that are edits (shown as a diff against
// htmlTemplate), commands, and edits to a file that cannot be read.

const htmlTemplateFile = "app/template.yaml"

const htmlTemplate = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 60
Resources:
  GenerateFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: generate.handler
      Events:
        Generate:
          Type: Api
          Properties:
            Path: /api/reports/generate
            Method: post
            TimeoutInMillis: 10000
  OrdersMethod:
    Type: AWS::ApiGateway::Method
    Properties:
      Integration:
        TimeoutInMillis: 35000
`

// htmlSources serves htmlTemplate to the renderer as if read from disk.
func htmlSources(file string) ([]byte, error) {
	if file == htmlTemplateFile {
		return []byte(htmlTemplate), nil
	}
	return nil, &os.PathError{Op: "open", Path: file, Err: os.ErrNotExist}
}

// at locates the n-th (0-based) occurrence of s in htmlTemplate.
func at(s string, n int) (start, end int, r loc.Range) {
	off := -1
	for range n + 1 {
		i := strings.Index(htmlTemplate[off+1:], s)
		if i < 0 {
			panic(fmt.Sprintf("%q not in the fixture template", s))
		}
		off += 1 + i
	}
	line := strings.Count(htmlTemplate[:off], "\n") + 1
	col := off - strings.LastIndex(htmlTemplate[:off], "\n")
	pos := loc.Pos{Line: line, Column: col, Offset: off}
	endPos := loc.Pos{Line: line, Column: col + len(s), Offset: off + len(s)}
	return off, off + len(s), loc.Range{File: htmlTemplateFile, Start: pos, End: endPos}
}

// spread records n latencies rising from lo to hi with a long tail, the
// shape real integration latencies have.
func spread(n int, lo, hi int64) *latency.Histogram {
	h := &latency.Histogram{}
	for i := range n {
		f := float64(i) / float64(n)
		h.Add(lo + int64(f*f*f*float64(hi-lo)))
	}
	return h
}

var htmlNow = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func minute(t time.Time) int64 { return t.Unix() / 60 }

// htmlResult spreads the timeouts over three weeks.
func htmlResult() *Result {
	fnStart, fnEnd, fnLoc := at("60", 0)
	itStart, itEnd, itLoc := at("10000", 0)
	_, _, limitLoc := at("35000", 0)
	insertAt, _, _ := at("      Handler", 0)
	start := time.Date(2026, 10, 29, 8, 0, 0, 0, time.UTC)
	weeks := map[int64]int64{}
	// Twenty weeks of logs: the timeline needs week-long buckets.
	for d := 0; d < 140; d += 9 {
		weeks[minute(start.Add(time.Duration(d)*24*time.Hour+time.Duration(d)*time.Hour))] = int64(1 + d%4)
	}
	ordersTimeouts := map[int64]int64{minute(start.Add(50 * time.Hour)): 2, minute(start.Add(51 * time.Hour)): 1}
	p99 := int64(27400)
	first, last := start, start.Add(135*24*time.Hour+135*time.Hour)
	generate := &finding.Endpoint{API: "ReportsApi", APIType: "REST", Method: "POST", Path: "/api/reports/generate"}
	return &Result{
		Generated: htmlNow,
		Stats:     Stats{FilesRead: 3, Templates: 2, Endpoints: 5, Functions: 3, LinkedFunctions: 3},
		Findings: []finding.Finding{
			{
				RuleID: "GL004", RuleName: "integration-timeout-above-limit", Severity: finding.Error,
				Message:  "TimeoutInMillis 35000 is above the 29000 ms limit for edge-optimized REST APIs",
				Location: limitLoc,
				Resource: finding.Resource{Address: "OrdersMethod", LogicalID: "OrdersMethod", Type: "AWS::ApiGateway::Method"},
				Endpoint: &finding.Endpoint{API: "OrdersApi", APIType: "REST", Method: "POST", Path: "/v1/orders/{orderId}"},
				Fixes: []finding.Fix{{
					Description: "lower TimeoutInMillis to 29000 in a file moved since",
					Edits:       []finding.TextEdit{{File: "app/legacy-api.yaml", Start: 500, End: 505, NewText: "29000", StartPos: loc.Pos{Line: 21, Column: 26, Offset: 500}}},
				}},
			},
			{
				RuleID: "GL002", RuleName: "lambda-timeout-exceeds-integration", Severity: finding.Warning,
				Message:  "function GenerateFunction has Timeout 60 s (inherited from Globals) but POST /api/reports/generate stops waiting after 10 s",
				Location: fnLoc,
				Resource: finding.Resource{Address: "GenerateFunction", LogicalID: "GenerateFunction", Type: "AWS::Serverless::Function"},
				Endpoint: generate,
				Related:  []finding.Related{{Location: fnLoc, Message: "Timeout 60 s is set here"}, {Location: itLoc, Message: "integration timeout of POST /api/reports/generate"}},
				Fixes: []finding.Fix{{
					Description: "set Timeout of GenerateFunction to 7",
					Edits:       []finding.TextEdit{{File: htmlTemplateFile, Start: insertAt, End: insertAt, NewText: "      Timeout: 7\n"}},
				}},
				Evidence: &finding.Evidence{Timeouts: 40, Requests: 1200, P99IntegrationLatencyMs: &p99, FirstSeen: &first, LastSeen: &last, Sources: []string{"logs/prod-access.json.gz"}},
			},
			{
				RuleID: "GL003", RuleName: "missing-async-path", Severity: finding.Warning,
				Message:  "GenerateFunction may run 60 s behind POST /api/reports/generate, which can wait at most 29 s",
				Location: fnLoc,
				Resource: finding.Resource{Address: "GenerateFunction", LogicalID: "GenerateFunction", Type: "AWS::Serverless::Function"},
				Endpoint: generate,
			},
			{
				RuleID: "GL001", RuleName: "integration-timeout-below-max", Severity: finding.Info,
				Message:  "integration timeout of POST /api/reports/generate is 10000 ms, below the regional REST API maximum of 29000 ms",
				Location: itLoc,
				Resource: finding.Resource{Address: "GenerateFunction", LogicalID: "GenerateFunction", Type: "AWS::Serverless::Function"},
				Endpoint: generate,
				Fixes: []finding.Fix{{
					Description: "raise TimeoutInMillis to 29000 and lower Globals Timeout to 27",
					Edits: []finding.TextEdit{
						{File: htmlTemplateFile, Start: itStart, End: itEnd, NewText: "29000"},
						{File: htmlTemplateFile, Start: fnStart, End: fnEnd, NewText: "27"},
					},
				}},
			},
			{
				RuleID: "GL002", RuleName: "lambda-timeout-exceeds-integration", Severity: finding.Warning,
				Message:  "function orders (Timeout 60 s) outlives its integration (29 s) on GET /status",
				Location: loc.Range{File: "arn:aws:lambda:eu-west-1:123456789012:function:orders"},
				Resource: finding.Resource{Address: "orders", LogicalID: "orders", Type: "AWS::Lambda::Function"},
				Endpoint: &finding.Endpoint{API: "live-api", APIType: "HTTP", Method: "GET", Path: "/status"},
				Fixes: []finding.Fix{{
					Description: "lower the function timeout to 27 s",
					Commands:    []string{"aws lambda update-function-configuration --function-name orders --timeout 27"},
				}},
			},
			{
				RuleID: "GL008", RuleName: "async-worker-visibility-timeout", Severity: finding.Info,
				Message:  "queue ReportJobs: VisibilityTimeout 300 s is below 6 × the worker's Timeout (120 s)",
				Location: loc.Range{File: "app/queue <&> \"jobs\".yaml", Start: loc.Pos{Line: 3, Column: 5}},
				Resource: finding.Resource{Address: "ReportJobs", LogicalID: "ReportJobs", Type: "AWS::SQS::Queue"},
			},
		},
		Errors: []finding.InputError{{File: "app/broken.yaml", Line: 7, Message: "cannot parse: did not find expected key"}},
		Notes:  []Note{{Location: loc.Range{File: "app/worker.yaml", Start: loc.Pos{Line: 9, Column: 16}}, Message: "Timeout of Worker: parameter WorkerTimeout has no default"}},
		Logs: []LogView{
			{File: "logs/prod-access.json.gz", Shape: "CloudWatch Logs export", Gzip: true, Bytes: 3 << 20, Records: 1742},
			{File: "logs/orders.log", Shape: "JSON lines", Bytes: 18230, Records: 40, Malformed: 5, MalformedLines: []int{3, 17, 40}},
		},
		Live: &LiveView{Account: "123456789012", Regions: []string{"eu-west-1", "us-east-1"}, APIs: 4, Calls: 37},
		Endpoints: []EndpointView{
			{
				API: "ReportsApi", APIType: "REST", Stage: "prod", Method: "POST", Path: "/api/reports/generate", Location: itLoc,
				IntegrationTimeoutMs: 29000, FunctionTimeoutMs: 60000, Requests: 1200, Timeouts: 40, Other5xx: 3,
				Latency: spread(1186, 900, 27800), TimeoutsByMinute: weeks, FirstTimeout: first, LastTimeout: last,
				Sources: []string{"logs/prod-access.json.gz"},
			},
			{
				API: "ReportsApi", APIType: "REST", Stage: "prod", Method: "GET", Path: "/api/reports/{id}",
				IntegrationTimeoutMs: 10000, FunctionTimeoutMs: 900000, Requests: 500,
				Latency: spread(500, 120, 2400), Sources: []string{"logs/prod-access.json.gz"},
			},
			{API: "ServerlessHttpApi", APIType: "HTTP", Method: "GET", Path: "/health", IntegrationTimeoutMs: 30000, FunctionTimeoutMs: 3000},
			{
				APIType: "REST", Method: "POST", Path: "/v1/orders/{orderId}",
				Location: loc.Range{File: "logs/orders.log", Start: loc.Pos{Line: 1, Column: 1}},
				Requests: 40, Timeouts: 3, Latency: spread(37, 300, 29100), TimeoutsByMinute: ordersTimeouts,
				FirstTimeout: start.Add(50 * time.Hour), LastTimeout: start.Add(51 * time.Hour), Sources: []string{"logs/orders.log"},
			},
			{
				API: "ReportsApi", APIType: "REST", Stage: "prod", Method: "DELETE", Path: "/api/reports/{id}",
				IntegrationTimeoutMs: 29000, FunctionTimeoutMs: 30000, Requests: 100, Timeouts: 2,
				Sources: []string{"CloudWatch Logs Insights"},
			},
		},
	}
}

// htmlMinutesResult has 45 minutes of timeouts on one endpoint.
func htmlMinutesResult() *Result {
	start := time.Date(2026, 11, 19, 23, 40, 0, 0, time.UTC)
	byMinute := map[int64]int64{}
	for m := 0; m < 45; m += 4 {
		byMinute[minute(start.Add(time.Duration(m)*time.Minute))] = int64(1 + m%3)
	}
	return &Result{
		Generated: htmlNow,
		Stats:     Stats{FilesRead: 1, Templates: 1, Endpoints: 1, Functions: 1, LinkedFunctions: 1},
		Logs:      []LogView{{File: "-", Shape: "filter-log-events output", Bytes: 912, Records: 60}},
		Endpoints: []EndpointView{{
			API: "HttpApi", APIType: "HTTP", Method: "ANY", Path: "/{proxy+}", IntegrationTimeoutMs: 30000, FunctionTimeoutMs: 29000,
			Requests: 60, Timeouts: 24, Latency: spread(35, 20000, 29900), TimeoutsByMinute: byMinute,
			FirstTimeout: start, LastTimeout: start.Add(44 * time.Minute), Sources: []string{"-"},
		}},
	}
}
