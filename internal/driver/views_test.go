package driver

import (
	"testing"

	"github.com/gatelint/gatelint/internal/finding"
)

func TestTimeoutSummary(t *testing.T) {
	gl005 := func(method, path string, n, minusOne int64, status map[int]int64) finding.Finding {
		return finding.Finding{RuleID: "GL005", Endpoint: &finding.Endpoint{Method: method, Path: path},
			Evidence: &finding.Evidence{Timeouts: n, TimeoutsWithLatencyMinusOne: minusOne, TimeoutStatus: status}}
	}
	tests := []struct {
		name string
		fs   []finding.Finding
		want string
	}{
		{"the problem statement's example", []finding.Finding{
			gl005("POST", "/api/export/csv", 5, 5, map[int]int64{504: 5}),
			gl005("POST", "/api/reports/generate", 18, 18, map[int]int64{504: 18}),
			{RuleID: "GL002", Endpoint: &finding.Endpoint{Method: "GET", Path: "/x"}},
		}, "23 requests timed out waiting for backend integration (integrationLatency = -1). All timed-out requests returned HTTP 504 to the client. Affected endpoints: POST /api/reports/generate (18), POST /api/export/csv (5)."},
		{"one request, HTTP API 503, no -1", []finding.Finding{
			gl005("GET", "/a", 1, 0, map[int]int64{503: 1}),
		}, "1 request timed out waiting for backend integration. All timed-out requests returned HTTP 503 to the client. Affected endpoints: GET /a (1)."},
		{"mixed statuses and signals", []finding.Finding{
			gl005("GET", "/a", 3, 1, map[int]int64{504: 2, 503: 1}),
			gl005("GET", "/b", 3, 0, nil),
		}, "6 requests timed out waiting for backend integration (1 with integrationLatency = -1). Timed-out requests returned HTTP 504 (2) and 503 (1) to the client. Affected endpoints: GET /a (3), GET /b (3)."},
		{"no timeouts", []finding.Finding{{RuleID: "GL002"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := timeoutSummary(tt.fs); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
