package driver

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/rules"
)

const fnTemplate = `Transform: AWS::Serverless-2016-10-31
Resources:
  ReportFn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: reports-fn
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Timeout: 60
      Events:
        Generate: {Type: Api, Properties: {Path: /reports, Method: post}}
`

// TestFunctionLogJoins: one directory holds the access log and the
// function log (named with NAME=PATH); the access log's integration
// request IDs join its timed-out requests to the invocations exactly.
func TestFunctionLogJoins(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tp := write("template.yaml", fnTemplate)
	logs := filepath.Join(dir, "logs")
	os.Mkdir(logs, 0o755)
	var access, fn strings.Builder
	for i := range 6 {
		id := fmt.Sprintf("0000000%d-1111-4222-8333-444444444444", i)
		// Requests and invocations an hour apart: only the ID joins them.
		fmt.Fprintf(&access, `{"requestTime":"20/Nov/2026:09:0%d:00 +0000","httpMethod":"POST","resourcePath":"/reports","status":"504","integrationLatency":"-1","integration":{"requestId":"%s"}}`+"\n", i, id)
		status, dur := "", 35000.5
		if i == 5 {
			status, dur = "\tStatus: timeout", 60000.1
		}
		fmt.Fprintf(&fn, "2026-11-20T10:0%d:00.100Z START RequestId: %s Version: $LATEST\n", i, id)
		fmt.Fprintf(&fn, "2026-11-20T10:0%d:00.200Z [INFO]\tworking\n", i)
		fmt.Fprintf(&fn, "2026-11-20T10:0%d:40.100Z END RequestId: %s\n", i, id)
		fmt.Fprintf(&fn, "2026-11-20T10:0%d:40.100Z REPORT RequestId: %s\tDuration: %.1f ms\tBilled Duration: 35001 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB%s\n", i, id, dur, status)
	}
	write("logs/access.log", access.String())
	fp := write("logs/reports-fn.log", fn.String())
	res := Run(Config{Paths: []string{tp}, Logs: []string{logs, "ReportFn=" + fp}, Rules: rules.DefaultConfig()})
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	var joined bool
	for _, api := range res.Model.APIs {
		for _, e := range api.Endpoints {
			if ph := e.Phantoms; ph != nil {
				joined = true
				if ph.Timeouts != 6 || ph.ByID != 6 || ph.Matched != 6 || ph.Completed != 5 {
					t.Errorf("phantoms %+v", ph)
				}
			}
		}
	}
	if !joined {
		t.Fatal("no endpoint joined to the function log")
	}
	var gl010 string
	for _, f := range res.Findings {
		if f.RuleID == "GL010" {
			gl010 = f.Message
		}
	}
	if !strings.Contains(gl010, "5 of the 6 timed-out requests to POST /reports ran to completion after the 504") {
		t.Errorf("GL010: %q", gl010)
	}
	if res.Stats.FunctionLogFiles != 1 || res.Stats.LogFiles != 1 || res.Stats.Invocations != 6 {
		t.Errorf("stats %+v", res.Stats)
	}
}

// TestFunctionLogNames: a function log that does not say whose it is is
// an input error saying how to name it; a NAME no function has is one
// too.
func TestFunctionLogNames(t *testing.T) {
	dir := t.TempDir()
	tp := filepath.Join(dir, "template.yaml")
	os.WriteFile(tp, []byte(fnTemplate), 0o644)
	fp := filepath.Join(dir, "fn.log")
	os.WriteFile(fp, []byte("START RequestId: r1 Version: $LATEST\nREPORT RequestId: r1\tDuration: 31000.0 ms\tBilled Duration: 31000 ms\n"), 0o644)
	for _, tc := range []struct {
		logs []string
		want string
	}{
		{[]string{fp}, "--logs FUNCTION=" + fp},
		{[]string{"NoSuchFn=" + fp}, "no function NoSuchFn in the templates or account read"},
		{[]string{"reports-fn=" + fp}, ""},
	} {
		res := Run(Config{Paths: []string{tp}, Logs: tc.logs, Rules: rules.DefaultConfig()})
		var msgs []string
		for _, e := range res.Errors {
			msgs = append(msgs, e.Message)
		}
		if got := strings.Join(msgs, "\n"); tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("%v: errors %q, want %q", tc.logs, got, tc.want)
		}
	}
}
