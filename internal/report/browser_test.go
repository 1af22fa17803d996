package report

import (
	"bytes"
	"context"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser test opens the fixture report in headless Chromium through
// the DevTools protocol: the charts must render, the script must run under
// the page's own Content Security Policy, the controls must filter and
// sort, and nothing may leave the page. CI installs Debian's chromium
// (.ci/run); elsewhere the test skips, saying so.

// chromium finds a browser: $GATELINT_CHROMIUM, else the usual names.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("GATELINT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium found (install Debian's chromium, as .ci/run does, or set GATELINT_CHROMIUM): browser test skipped")
	return ""
}

// pageLoad is what one visit to a page saw.
type pageLoad struct {
	// Requests are the URLs the page asked for besides itself.
	Requests []string
	// Console holds errors and warnings the page or the browser logged
	// (a Content Security Policy violation is one).
	Console    []string
	Screenshot []byte
	ctx        context.Context
}

// openPage loads file in a fresh headless Chromium with a fresh profile
// and the flags a closed network needs.
func openPage(t *testing.T, file string) *pageLoad {
	t.Helper()
	exe := chromium(t)
	// Chromium's profile is written while the test runs; a directory
	// removed under it makes the cleanup fail on some systems, so it gets
	// its own temporary directory that is removed after the browser ends.
	profile, err := os.MkdirTemp("", "gatelint-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1200, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)

	pageURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()
	load := &pageLoad{}
	var mu sync.Mutex
	tctx, tcancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		if ev, ok := ev.(*network.EventRequestWillBeSent); ok && ev.Request != nil && ev.Request.URL != pageURL {
			mu.Lock()
			load.Requests = append(load.Requests, ev.Request.URL)
			mu.Unlock()
		}
	}))
	t.Cleanup(tcancel)
	messages := chromedp.Console(tctx)
	if err := chromedp.Do(tctx, chromedp.Navigate(pageURL), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("opening %s in %s: %v", pageURL, exe, err)
	}
	shot, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	load.Screenshot = shot
	// A round trip after the load lets late events arrive; then the
	// console is read up to this marker.
	const done = "gatelint-test-done"
	if err := chromedp.Do(tctx, chromedp.Evaluate[chromedp.Void](`console.info("`+done+`")`)); err != nil {
		t.Fatal(err)
	}
	for m, err := range messages {
		if err != nil {
			t.Fatal(err)
		}
		if m.Text == done {
			break
		}
		if m.IsException() || m.Type == "error" || m.Type == "warning" {
			load.Console = append(load.Console, string(m.Type)+": "+m.Text)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	load.ctx = tctx
	return load
}

// eval runs a script in the page and decodes its result.
func eval[T any](t *testing.T, p *pageLoad, js string) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

func writePage(t *testing.T, page string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestBrowserReport(t *testing.T) {
	r := htmlResult()
	var buf bytes.Buffer
	if err := HTML(&buf, r, htmlOptions()); err != nil {
		t.Fatal(err)
	}
	p := openPage(t, writePage(t, buf.String()))

	if len(p.Requests) > 0 {
		t.Errorf("the page made requests: %q", p.Requests)
	}
	if len(p.Console) > 0 {
		t.Errorf("the console has errors or warnings: %q", p.Console)
	}
	img, err := png.Decode(bytes.NewReader(p.Screenshot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 2000 {
		t.Errorf("screenshot is %dx%d, want the whole page (at least 800x2000)", b.Dx(), b.Dy())
	}
	if dir := os.Getenv("GATELINT_SCREENSHOT_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "fixture-report.png"), p.Screenshot, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Laid out means drawn: an SVG that failed to parse or was hidden has
	// no size, and a bar has a height only when its attributes took.
	type rendered struct {
		Endpoints, Latency, Timelines, Bars, Limits, Findings int
		Controls                                              bool
	}
	got := eval[rendered](t, p, `(() => {
		const sized = el => { const b = el.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
		const count = sel => [...document.querySelectorAll(sel)].filter(sized).length;
		return {
			endpoints: count("article.endpoint"),
			latency: count("figure.chart[id$='-latency'] svg"),
			timelines: count("figure.chart[id$='-timeline'] svg"),
			bars: count("svg rect.bar"),
			limits: [...document.querySelectorAll("svg line.limit-integration, svg line.limit-function")]
				.filter(l => l.getBoundingClientRect().height > 0).length,
			findings: count("li.finding"),
			controls: sized(document.getElementById("controls")),
		};
	})()`)
	// Three endpoints have latencies, two have timeouts with times; the
	// integration timeout is drawn on two charts, the function timeout on
	// one (900 s is off the axis, one endpoint's limits are unknown).
	want := rendered{Endpoints: len(r.Endpoints), Latency: 3, Timelines: 2, Limits: 3, Findings: len(r.Findings), Controls: true,
		Bars: strings.Count(buf.String(), `<rect class="bar"`)}
	if got != want || want.Bars == 0 {
		t.Errorf("rendered %+v, want %+v", got, want)
	}

	// The controls work from the keyboard's point of view: each is a
	// labelled select that a change event drives.
	type view struct {
		Shown []string
		Cards int
		Text  string
	}
	choose := func(id, value string) view {
		t.Helper()
		return eval[view](t, p, `(() => {
			const s = document.getElementById(`+jsString(id)+`);
			s.value = `+jsString(value)+`;
			s.dispatchEvent(new Event("change"));
			return {
				shown: [...document.querySelectorAll("li.finding")].filter(li => !li.hidden).map(li => li.dataset.rule),
				cards: [...document.querySelectorAll("article.endpoint")].filter(a => !a.hidden).length,
				text: document.getElementById("shown").textContent,
			};
		})()`)
	}
	steps := []struct {
		id, value string
		shown     []string
		cards     int
	}{
		{"filter-severity", "3", []string{"GL004"}, 5},
		{"filter-severity", "2", []string{"GL004", "GL002", "GL003", "GL002"}, 5},
		{"filter-severity", "", []string{"GL004", "GL002", "GL003", "GL001", "GL002", "GL008"}, 5},
		{"sort", "rule", []string{"GL001", "GL002", "GL002", "GL003", "GL004", "GL008"}, 5},
		{"filter-rule", "GL002", []string{"GL002", "GL002"}, 5},
		{"filter-rule", "", []string{"GL001", "GL002", "GL002", "GL003", "GL004", "GL008"}, 5},
		{"sort", "severity", []string{"GL004", "GL002", "GL003", "GL002", "GL001", "GL008"}, 5},
		{"filter-endpoint", "POST /api/reports/generate · ReportsApi", []string{"GL002", "GL003", "GL001"}, 1},
		{"filter-endpoint", "-", []string{"GL008"}, 0},
		{"sort", "order", []string{"GL008"}, 0},
		{"filter-endpoint", "", []string{"GL004", "GL002", "GL003", "GL001", "GL002", "GL008"}, 5},
	}
	for _, s := range steps {
		v := choose(s.id, s.value)
		if strings.Join(v.Shown, " ") != strings.Join(s.shown, " ") || v.Cards != s.cards {
			t.Errorf("%s=%q: shown %v with %d endpoint cards, want %v with %d", s.id, s.value, v.Shown, v.Cards, s.shown, s.cards)
		}
		if want := strconv.Itoa(len(s.shown)) + " of 6 shown"; v.Text != want {
			t.Errorf("%s=%q: status says %q, want %q", s.id, s.value, v.Text, want)
		}
	}
}

// TestBrowserModes checks the page from a keyboard, in a dark-mode
// browser and as printed.
func TestBrowserModes(t *testing.T) {
	var buf bytes.Buffer
	if err := HTML(&buf, htmlResult(), htmlOptions()); err != nil {
		t.Fatal(err)
	}
	p := openPage(t, writePage(t, buf.String()))

	// Tab order: the skip link first, then the links of the page, and the
	// four controls in a row.
	var order []string
	for range 60 {
		if err := chromedp.Do(p.ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		id := eval[string](t, p, `(e => e.id || e.tagName + ":" + e.textContent.slice(0, 20))(document.activeElement)`)
		order = append(order, id)
		if id == "sort" {
			break
		}
	}
	if len(order) == 0 || order[0] != "A:Skip to findings" {
		t.Errorf("first tab stop %q, want the skip link", order)
	}
	if n := len(order); n < 4 || strings.Join(order[n-4:], " ") != "filter-severity filter-rule filter-endpoint sort" {
		t.Errorf("tab order %q does not reach the four controls in order", order)
	}

	type look struct {
		Background, Controls, Bar string
	}
	looks := func(media string, features ...*emulation.MediaFeature) look {
		t.Helper()
		if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media, Features: features}); err != nil {
			t.Fatal(err)
		}
		return eval[look](t, p, `({
			background: getComputedStyle(document.body).backgroundColor,
			controls: getComputedStyle(document.getElementById("controls")).display,
			bar: getComputedStyle(document.querySelector("svg rect.bar")).fill,
		})`)
	}
	light := looks("screen", &emulation.MediaFeature{Name: "prefers-color-scheme", Value: "light"})
	dark := looks("screen", &emulation.MediaFeature{Name: "prefers-color-scheme", Value: "dark"})
	printed := looks("print", &emulation.MediaFeature{Name: "prefers-color-scheme", Value: "dark"})
	if light.Background != "rgb(255, 255, 255)" || dark.Background != "rgb(13, 17, 23)" || light.Bar == dark.Bar {
		t.Errorf("light %+v, dark %+v: want white and dark backgrounds, and bars recoloured", light, dark)
	}
	if printed.Background != "rgb(255, 255, 255)" || printed.Controls != "none" || light.Controls == "none" {
		t.Errorf("printed %+v: want a white page without controls (on screen: %+v)", printed, light)
	}
}

// TestBrowserSeesRequests guards the no-request check above: the same
// report with an external image and style sheet must be caught, blocked
// or not.
func TestBrowserSeesRequests(t *testing.T) {
	var buf bytes.Buffer
	if err := HTML(&buf, htmlMinutesResult(), htmlOptions()); err != nil {
		t.Fatal(err)
	}
	page := strings.Replace(buf.String(), "</main>",
		`<img src="http://192.0.2.1/pixel.png" alt=""><link rel="stylesheet" href="https://192.0.2.1/x.css"></main>`, 1)
	p := openPage(t, writePage(t, page))
	for _, u := range []string{"http://192.0.2.1/pixel.png", "https://192.0.2.1/x.css"} {
		if !slices.Contains(p.Requests, u) {
			t.Errorf("request for %s not seen; saw %q", u, p.Requests)
		}
	}
	// The page's policy blocked both and said so.
	if len(p.Console) != 2 {
		t.Errorf("console has %q, want two Content Security Policy violations", p.Console)
	}
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
