package live

import (
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/model"
)

func TestIsTimeout(t *testing.T) {
	withType := logFields{"status": "status", "error.responseType": "errorResponseType"}
	without := logFields{"status": "status"}
	tests := []struct {
		name         string
		f            logFields
		status       int
		responseType string
		apiType      model.APIType
		routeKey     bool
		want         bool
	}{
		{"REST 504 INTEGRATION_TIMEOUT", withType, 504, "INTEGRATION_TIMEOUT", model.REST, false, true},
		{"REST 504 INTEGRATION_FAILURE", withType, 504, "INTEGRATION_FAILURE", model.REST, false, false},
		{"REST 503 is never a timeout", without, 503, "", model.REST, false, false},
		{"HTTP 503 without a response type counts", without, 503, "", model.HTTP, false, true},
		{"a routeKey tells an HTTP API when the stage does not", without, 503, "", "", true, true},
		{"throttled 429", withType, 429, "THROTTLED", model.HTTP, true, false},
		{"504 without a response type counts", without, 504, "", model.REST, false, true},
	}
	for _, tt := range tests {
		if got := isTimeout(tt.f, tt.status, tt.responseType, tt.apiType, tt.routeKey); got != tt.want {
			t.Errorf("%s: isTimeout = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestQueryNames: the Insights query names each field as Logs Insights
// flattens the format's JSON (integration.latency, error.responseType),
// and groups by the concrete path only when nothing names the route.
func TestQueryNames(t *testing.T) {
	f := parseFormat(`{"rk":"$context.routeKey","path":"$context.path","status":$context.status,"integration":{"latency":"$context.integration.latency"},"error":{"responseType":"$context.error.responseType"}}`)
	q, ok := f.query()
	if !ok {
		t.Fatal("no query")
	}
	for _, want := range []string{"pct(`integration.latency`, 99)", "by @log, `rk`, `status`, `error.responseType`", "filter ispresent(`status`)"} {
		if !strings.Contains(q, want) {
			t.Errorf("query lacks %q:\n%s", want, q)
		}
	}
	if strings.Contains(q, "`path`") {
		t.Errorf("query groups by the concrete path though the route is logged:\n%s", q)
	}
}
