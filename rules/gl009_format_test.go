package rules

import "testing"

// TestWithVarsShapes: the fix writes the missing fields in the format's
// own shape.
func TestWithVarsShapes(t *testing.T) {
	vars := []string{"$context.integrationLatency", "$context.error.responseType"}
	for _, tt := range []struct{ format, want string }{
		// The Serverless Framework's default REST format (logs.restApi: true).
		{"requestId: $context.requestId, status: $context.status",
			"requestId: $context.requestId, status: $context.status, integrationLatency: $context.integrationLatency, errorResponseType: $context.error.responseType"},
		{"requestId=$context.requestId status=$context.status",
			"requestId=$context.requestId status=$context.status integrationLatency=$context.integrationLatency errorResponseType=$context.error.responseType"},
		{`{"status":"$context.status"}`, `{"status":"$context.status","integrationLatency":"$context.integrationLatency","errorResponseType":"$context.error.responseType"}`},
		{"$context.requestId $context.status", "$context.requestId $context.status $context.integrationLatency $context.error.responseType"},
	} {
		if got := withVars(tt.format, vars); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.format, got, tt.want)
		}
	}
}
