package report

import (
	"strings"

	"os"
	"path/filepath"
	"testing"

	"github.com/gatelint/gatelint/internal/latency"
)

func TestFileHref(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file, reportDir, want string
	}{
		{"templates/api.yaml", "", "templates/api.yaml"},
		{"templates/api.yaml", "out", "../templates/api.yaml"},
		// An absolute path is linked relative to the report too: a file://
		// link is what the escaping refuses.
		{filepath.Join(wd, "templates", "api.yaml"), "", "templates/api.yaml"},
		{filepath.Join(wd, "templates", "api.yaml"), "out", "../templates/api.yaml"},
		{"stacks/café/a b.yaml", "", "stacks/caf%C3%A9/a%20b.yaml"},
		{"arn:aws:lambda:us-east-1:123456789012:function:orders", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := fileHref(tt.file, tt.reportDir); got != tt.want {
			t.Errorf("fileHref(%q, %q) = %q, want %q", tt.file, tt.reportDir, got, tt.want)
		}
	}
}

// TestHTMLServerSidePercentiles: an endpoint whose latency a Logs Insights
// query aggregated shows its percentiles, and says why there is no chart.
func TestHTMLServerSidePercentiles(t *testing.T) {
	r := &Result{Endpoints: []EndpointView{{API: "orders", APIType: "REST", Method: "POST", Path: "/reports",
		IntegrationTimeoutMs: 29000, Requests: 200, Timeouts: 10, Latency: &latency.Histogram{},
		Percentiles: &Percentiles{Completed: 188, P50: 8200, P95: 27000, P99: 29500, Max: 29800}}},
		Live: &LiveView{Account: "123456789012", Regions: []string{"us-east-1"}, APIs: 1}}
	var b strings.Builder
	if err := HTML(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"p50 8.2 s · p95 27 s · p99 29.5 s · max 29.8 s", "aggregated where the logs are (Logs Insights): percentiles only"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
