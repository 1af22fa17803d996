package live

import (
	"strconv"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/model"
)

// TestRowOutcome: Insights rows are judged by awsfacts' one definition
// of a timeout, with what a row grouped by status (and response type,
// when logged) can show.
func TestRowOutcome(t *testing.T) {
	withType := logFields{"status": "status", "error.responseType": "errorResponseType", "routeKey": "rk"}
	without := logFields{"status": "status", "routeKey": "rk"}
	tests := []struct {
		name         string
		f            logFields
		status       int
		responseType string
		apiType      model.APIType
		routeKey     string
		want         bool
	}{
		{"REST 504 INTEGRATION_TIMEOUT", withType, 504, "INTEGRATION_TIMEOUT", model.REST, "", true},
		{"REST 504 INTEGRATION_FAILURE", withType, 504, "INTEGRATION_FAILURE", model.REST, "", false},
		{"a 504 with no gateway error type is the backend's", withType, 504, "", model.REST, "", false},
		{"REST 503 is never a timeout", without, 503, "", model.REST, "", false},
		{"HTTP 503 without a response type counts", without, 503, "", model.HTTP, "", true},
		{"a routeKey tells an HTTP API when the stage does not", without, 503, "", "", "GET /x", true},
		{"throttled 429", withType, 429, "THROTTLED", model.HTTP, "GET /x", false},
		{"504 without a response type counts", without, 504, "", model.REST, "", true},
	}
	for _, tt := range tests {
		v := map[string]string{"status": strconv.Itoa(tt.status), "rk": tt.routeKey}
		if tt.f.has("error.responseType") {
			v["errorResponseType"] = tt.responseType
		}
		o := outcome(tt.f, v, tt.status, tt.apiType)
		if got := o == awsfacts.TimedOut || o == awsfacts.WeakTimeout; got != tt.want {
			t.Errorf("%s: outcome %v, want timeout %v", tt.name, o, tt.want)
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
