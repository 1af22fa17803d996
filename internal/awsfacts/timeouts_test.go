package awsfacts

import "testing"

// TestOutcome is the definition of a timeout, case by case, as every log
// reader applies it.
func TestOutcome(t *testing.T) {
	b := func(s string) []byte { return []byte(s) }
	tests := []struct {
		name string
		r    Request
		want Outcome
	}{
		{"the gateway's own response type", Request{Status: 504, ResponseType: b("INTEGRATION_TIMEOUT")}, TimedOut},
		{"another response type on a 504", Request{Status: 504, ResponseType: b("INTEGRATION_FAILURE"), IntegrationLatency: b("-1")}, Other5xx},
		{"throttled", Request{Status: 429, ResponseType: b("THROTTLED")}, Completed},
		{"a row grouped by response type, none logged: the backend's 504", Request{Status: 504, ResponseType: b(""), ResponseTypeVouched: true}, Other5xx},
		{"a message saying it timed out", Request{Status: 504, Messages: [2][]byte{b("Endpoint request timed out")}}, TimedOut},
		{"the function's own timeout relayed as a 502", Request{Status: 502, Messages: [2][]byte{nil, b("Task timed out after 6.01 seconds")}}, Other5xx},
		{"a message naming another cause", Request{Status: 504, Messages: [2][]byte{b("Network error communicating with endpoint")}, IntegrationLatency: b("-1")}, Other5xx},
		{"HTTP APIs' neutral status text", Request{Status: 503, Messages: [2][]byte{b("Service Unavailable")}, RouteKey: b("GET /x"), IntegrationLatency: b("-")}, WeakTimeout},
		{"a 504 with latency -1", Request{Status: 504, IntegrationLatency: b("-1")}, WeakTimeout},
		{"a 504 with no latency logged", Request{Status: 504}, WeakTimeout},
		{"a 504 whose integration answered", Request{Status: 504, IntegrationLatency: b("1200")}, Other5xx},
		{"a REST 503", Request{Status: 503, IntegrationLatency: b("-1")}, Other5xx},
		{"a 503 on an API known to be HTTP", Request{Status: 503, HTTPAPI: true}, WeakTimeout},
		{"a WebSocket route's 503", Request{Status: 503, RouteKey: b("sendMessage")}, Other5xx},
		{"a success", Request{Status: 200, IntegrationLatency: b("35")}, Completed},
	}
	for _, tt := range tests {
		if got := tt.r.Outcome(); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if !WeakTimeoutRuledOut(5000, 29000) || WeakTimeoutRuledOut(28500, 29000) {
		t.Error("a weak timeout is ruled out only by a response a second or more before the integration timeout")
	}
}
