package awsfacts

import (
	"reflect"
	"testing"

	"github.com/gatelint/gatelint/internal/model"
)

func TestFormatFieldsAndKeys(t *testing.T) {
	tests := []struct {
		name, format string
		fields       model.LogFields
		keys         []FormatKey
	}{
		{"AWS's CLF example: no latency or error",
			`$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId`,
			model.LogFields{Status: true, Method: true, Endpoint: true}, nil},
		{"JSON with nested-style keys and unquoted values",
			`{"m":"$context.httpMethod","rk":"$context.routeKey","s":$context.status,"lat":$context.integration.latency,"err":"$context.integration.error"}`,
			model.LogFields{Status: true, IntegrationLatency: true, ErrorMessage: true, Method: true, Endpoint: true},
			[]FormatKey{{"m", "httpMethod"}, {"rk", "routeKey"}, {"s", "status"}, {"lat", "integration.latency"}, {"err", "integration.error"}}},
		{"nested JSON: dotted keys, as Logs Insights names the fields",
			`{"requestId":"$context.requestId","integration":{"latency":$context.integration.latency,"status":"$context.integration.status"},"error":{"responseType":"$context.error.responseType"},"status":"$context.status","ip":"x $context.identity.sourceIp"}`,
			model.LogFields{Status: true, IntegrationLatency: true, ResponseType: true},
			[]FormatKey{{"requestId", "requestId"}, {"integration.latency", "integration.latency"}, {"integration.status", "integration.status"}, {"error.responseType", "error.responseType"}, {"status", "status"}}},
		{"XML elements",
			`<request id="$context.requestId"> <status>$context.status</status> <t>$context.error.responseType</t> </request>`,
			model.LogFields{Status: true, ResponseType: true},
			[]FormatKey{{"status", "status"}, {"t", "error.responseType"}}},
		{"method without a path names no endpoint",
			`$context.httpMethod $context.status $context.responseLatency`,
			model.LogFields{Status: true, ResponseLatency: true, Method: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatFields(tt.format, ""); got != tt.fields {
				t.Errorf("FormatFields = %+v, want %+v", got, tt.fields)
			}
			if got := FormatKeys(tt.format); !reflect.DeepEqual(got, tt.keys) {
				t.Errorf("FormatKeys = %v, want %v", got, tt.keys)
			}
		})
	}
	// routeKey names the endpoint on HTTP and WebSocket APIs only.
	const rk = `$context.httpMethod $context.routeKey $context.status`
	if !FormatFields(rk, model.HTTP).Endpoint || !FormatFields(rk, "").Endpoint || FormatFields(rk, model.REST).Endpoint {
		t.Errorf("routeKey: %+v on REST", FormatFields(rk, model.REST))
	}
	if !CanDetectTimeouts(model.LogFields{Status: true, ResponseLatency: true}) || CanDetectTimeouts(model.LogFields{IntegrationLatency: true}) {
		t.Error("CanDetectTimeouts: status plus one of latency, response type or response latency")
	}
}

func TestWebSocketWaiting(t *testing.T) {
	for _, tt := range []struct {
		key     string
		answers bool
		want    model.Waiting
	}{
		{"$connect", false, model.ConnectionWaits},
		{"$disconnect", true, model.NobodyWaits},
		{"sendmessage", false, model.NobodyWaits},
		{"ask", true, model.ClientWaits},
		{"$default", true, model.ClientWaits},
		{"$default", false, model.NobodyWaits},
	} {
		if got := WebSocketWaiting(tt.key, tt.answers); got != tt.want {
			t.Errorf("WebSocketWaiting(%q, %v) = %v, want %v", tt.key, tt.answers, got, tt.want)
		}
	}
}
