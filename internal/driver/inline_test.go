package driver

import (
	"fmt"
	"strings"
	"testing"
)

// TestInlineCodeBlocks: two functions' inline code in one template are
// two scans, each found and fixed at its own lines (they once shared a
// cache key, and the second block was read as the first).
func TestInlineCodeBlocks(t *testing.T) {
	const tpl = `Transform: AWS::Serverless-2016-10-31
Resources:
  First:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Timeout: 20
      InlineCode: |
        import requests
        def handler(event, context):
            return requests.get("https://a.example.com/x").text
      Events:
        Get:
          Type: Api
          Properties: {Path: /a, Method: get}
  Second:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Timeout: 20
      InlineCode: |
        import requests

        def handler(event, context):
            return requests.post("https://b.example.com/y", timeout=60).text
      Events:
        Post:
          Type: Api
          Properties: {Path: /b, Method: post}
`
	dir := writeFiles(t, map[string]string{"template.yaml": tpl})
	res, _ := run(t, dir)
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	var got []string
	for _, f := range res.Findings {
		if f.RuleID == "GL011" {
			got = append(got, fmt.Sprintf("%d:%d %s", f.Location.Start.Line, f.Location.Start.Column, f.Message))
		}
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], "12:20 requests.get: no timeout") || !strings.Contains(got[0], "function First") ||
		!strings.HasPrefix(got[1], "27:20 requests.post: timeout 60 s") || !strings.Contains(got[1], "function Second") {
		t.Errorf("GL011 findings:\n%s", strings.Join(got, "\n"))
	}
}
