package report

import (
	"bytes"
	"html"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/golden"
	"github.com/gatelint/gatelint/internal/latency"
)

func htmlOptions() Options {
	return Options{Rules: testRules(), Version: "0.1.0-test", ReportDir: "docs", ReadSource: htmlSources}
}

func renderHTML(t *testing.T, r *Result, o Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, "html", r, o); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

var (
	styleBody  = regexp.MustCompile(`(?s)<style>.*?</style>`)
	scriptBody = regexp.MustCompile(`(?s)<script>.*?</script>`)
	styleHash  = regexp.MustCompile(`style-src 'sha256-[A-Za-z0-9+/=]+'`)
	scriptHash = regexp.MustCompile(`script-src 'sha256-[A-Za-z0-9+/=]+'`)
)

// structure keeps the golden files about the page's structure: the style
// sheet and script (and their hashes) change for reasons of their
// own and are checked separately.
func structure(t *testing.T, page string) []byte {
	t.Helper()
	for _, re := range []*regexp.Regexp{styleBody, scriptBody, styleHash, scriptHash} {
		if n := len(re.FindAllString(page, -1)); n != 1 {
			t.Fatalf("%d matches of %s in the page, want 1", n, re)
		}
	}
	page = styleBody.ReplaceAllString(page, "<style><html.css></style>")
	page = scriptBody.ReplaceAllString(page, "<script><html.js></script>")
	page = styleHash.ReplaceAllString(page, "style-src 'sha256-<html.css>'")
	page = scriptHash.ReplaceAllString(page, "script-src 'sha256-<html.js>'")
	return []byte(page)
}

func TestHTMLGolden(t *testing.T) {
	tests := []struct {
		name string
		r    *Result
		o    Options
	}{
		{"html", htmlResult(), htmlOptions()},
		{"html_minutes", htmlMinutesResult(), htmlOptions()},
		// Without the sources, fixes are listed as edits; the template's
		// own results still render.
		{"html_no_sources", &Result{Findings: htmlResult().Findings[1:2]}, Options{}},
		{"html_empty", &Result{}, Options{}},
		// Endpoints from templates alone: their limits, no traffic.
		{"html_no_logs", &Result{Endpoints: []EndpointView{
			{API: "ItemsApi", APIType: "REST", Method: "GET", Path: "/items", IntegrationTimeoutMs: 29000, FunctionTimeoutMs: 60000},
			{API: "ItemsApi", APIType: "REST", Method: "GET", Path: "/health"},
		}}, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", tt.name+".golden"), structure(t, renderHTML(t, tt.r, tt.o)))
		})
	}
}

// TestHTMLPolicyAllowsPage guards the Content Security Policy: a style
// sheet or script whose hash the policy does not name would be silently
// blocked, leaving the page unstyled and its controls hidden.
func TestHTMLPolicyAllowsPage(t *testing.T) {
	page := renderHTML(t, htmlResult(), htmlOptions())
	for _, part := range []struct {
		element, content, directive string
	}{
		{"style", htmlCSS, "style-src"},
		{"script", htmlJS, "script-src"},
	} {
		if !strings.Contains(page, "<"+part.element+">"+part.content+"</"+part.element+">") {
			t.Errorf("the page's %s differs from the embedded file (escaped?)", part.element)
		}
		if want := part.directive + " 'sha256-" + contentHash(part.content) + "'"; !strings.Contains(page, want) {
			t.Errorf("policy lacks %s", want)
		}
	}
}

// TestHTMLCounts checks the figures a reader looks at first against the
// fixture, independently of the golden file.
func TestHTMLCounts(t *testing.T) {
	r := htmlResult()
	page := html.UnescapeString(renderHTML(t, r, htmlOptions()))
	tests := []struct {
		what string
		sub  string
		want int
	}{
		{"endpoint cards", `<article class="endpoint"`, len(r.Endpoints)},
		// Three endpoints have latencies; /health has no traffic and the
		// DELETE endpoint's counts came without latencies.
		{"latency charts", `-latency">`, 3},
		{"timelines", `-timeline">`, 2},
		{"no-traffic notes", `class="no-chart latency-none"`, 2},
		{"findings", `<li class="finding `, len(r.Findings)},
		{"diffs", `<pre class="diff"`, 2},
		{"inserted line", `<span class="ins">+      Timeout: 7</span>`, 1},
		{"fix shown as edits", `<ul class="edits">`, 1},
		{"rule links", `href="https://github.com/gatelint/gatelint/blob/main/rules/GL00`, len(r.Findings)},
		{"relative file links", `href="../app/template.yaml"`, 7},
		{"escaped file name", `href="../app/queue%20%3C&%3E%20%22jobs%22.yaml"`, 1},
		{"integration timeout lines", `<line class="limit-integration"`, 2},
		{"function timeout lines", `<line class="limit-function"`, 1},
		{"limits beyond the axis", ` →</text>`, 1},
		{"function timeout off the axis", `function timeout 900 s →`, 1},
		{"log rows", `<tr><td><code>logs/`, 2},
		{"unknown timeouts", `<dd class="unknown">unknown</dd>`, 2},
	}
	for _, tt := range tests {
		if got := strings.Count(page, tt.sub); got != tt.want {
			t.Errorf("%s: %d × %q, want %d", tt.what, got, tt.sub, tt.want)
		}
	}
}

// BenchmarkHTML renders the fixture page: five endpoints with charts and
// six findings, two fixes shown as diffs.
func BenchmarkHTML(b *testing.B) {
	r, o := htmlResult(), htmlOptions()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := HTML(&buf, r, o); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

// TestHTMLFunctions: a function whose own log was read gets a card with
// its phantom counts, the proven joins, and a duration histogram with
// both timeouts drawn.
func TestHTMLFunctions(t *testing.T) {
	var h latency.Histogram
	for i := range 200 {
		h.Add(int64(1000 + i*40))
	}
	h.AddN(15000, 9)
	h.AddN(60000, 2)
	r := &Result{Functions: []FunctionView{{Name: "GenerateReportFunction", IntegrationTimeoutMs: 10000, FunctionTimeoutMs: 60000,
		Invocations: 211, Phantoms: 11, Completed: 9, TimedOut: 2, Cold: 1, ByInit: 1, ColdStarts: 4, Durations: &h,
		Percentiles: &Percentiles{Completed: 211, P50: 5000, P95: 14000, P99: 60000, Max: 60000},
		Proven:      []string{"8 of the 9 timed-out requests to POST /reports ran to completion after the 504"}, Sources: []string{"fn.log"}}}}
	page := renderHTML(t, r, Options{})
	for _, want := range []string{
		`<section id="functions"`, `<h3 id="function-1-h">GenerateReportFunction</h3>`,
		`<dt>Phantom executions</dt><dd class="bad">11</dd>`,
		"9 completed after the client&#39;s error · 2 ran into the function&#39;s Timeout · 1 cold (1 pushed over by the init)",
		`<p class="proven">8 of the 9 timed-out requests to POST /reports ran to completion after the 504.</p>`,
		`class="limit-integration"`, `class="limit-function"`, "integration timeout 10 s", "function timeout 60 s",
		"211 invocations reported", "11 invocations longer than the integration timeout.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
