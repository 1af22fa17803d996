package live

import (
	"strings"
	"testing"
)

// FuzzFormat: any access-log format yields a query or none, never a
// panic, and a query only over keys the format writes.
func FuzzFormat(f *testing.F) {
	for _, s := range []string{
		`{"requestId":"$context.requestId","status":"$context.status","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","integrationLatency":"$context.integrationLatency","responseType":"$context.error.responseType"}`,
		`{"st": $context.status, "rk": "$context.routeKey", "il": "$context.integration.latency"}`,
		`$context.requestId $context.status`,
		`{"a`, `{"":"$context.status","p":"$context.path"}`, "{\"`x`\":\"$context.status\",\"p\":\"$context.path\"}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, format string) {
		fields := parseFormat(format)
		q, ok := fields.query()
		if !ok {
			return
		}
		if !strings.Contains(q, "| stats count(*) as requests") {
			t.Errorf("query without stats: %q", q)
		}
		for v, key := range fields {
			if !strings.Contains(format, `"`+key+`"`) {
				t.Errorf("field %s under key %q is not in the format %q", v, key, format)
			}
		}
	})
}

// FuzzIntegrationURI: any integration URI yields a function ARN or none,
// and a parsed ARN's parts come from it.
func FuzzIntegrationURI(f *testing.F) {
	for _, s := range []string{
		"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fn:live/invocations",
		"arn:aws:lambda:eu-west-1:123456789012:function:fn",
		"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:${stageVariables.fn}/invocations",
		"arn:aws:apigateway:us-east-1:sqs:path/123/q", "https://example.com", "arn:aws:lambda:::function:",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		target := functionInURI(uri)
		if target == "" {
			return
		}
		a, ok := parseLambdaARN(target)
		if !ok {
			return
		}
		for _, part := range []string{a.region, a.account, a.name, a.qualifier} {
			if !strings.Contains(uri, part) {
				t.Errorf("part %q of %q is not in the URI", part, target)
			}
		}
		if _, ok := logGroupName(uri); ok && !strings.Contains(uri, ":log-group:") {
			t.Errorf("log group read from %q", uri)
		}
		_ = num(a.name)
	})
}
