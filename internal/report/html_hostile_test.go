package report

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/latency"
	"github.com/gatelint/gatelint/internal/loc"
)

// html/template used to guarantee that no input could become markup. The
// page is now written by hand, so these tests put hostile text in every
// field a run can carry and check the page two ways: a strict scan finds
// only the page's own elements and attributes, with nothing unescaped in
// text or attribute values; and every hostile string is still there once
// entities are decoded, so the scan did not pass because a field was
// dropped.

// hostile is one field's text: markup, both quotes, an entity, a '+', a
// script URL, non-ASCII and U+2028 (a line end to JavaScript), tagged by
// field so a missing one can be named.
func hostile(field string) string {
	return fmt.Sprintf("<script>alert('%s')</script>\" onmouseover=\"x\" & &amp; 1+1 javascript:alert(1) naïve ✓ \u2028 %s", field, field)
}

// hostileResult fills every field with text(field name). The fields
// listed in want are those whose text reaches the page verbatim.
func hostileResult(text func(field string) string) (r *Result, o Options, want []string) {
	h := func(field string) string {
		want = append(want, text(field))
		return text(field)
	}
	// File names reach the page inside "file:line:col" and their links.
	file := func(field string) string { return h(field) }
	at := func(f string) loc.Range {
		return loc.Range{File: f, Start: loc.Pos{Line: 3, Column: 5, Offset: 20}, End: loc.Pos{Line: 3, Column: 9, Offset: 24}}
	}
	source := "a: 1\nb: " + h("source line") + "\nc: 3\n"
	sourceFile := file("edited file")
	seen := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	p99 := int64(1200)
	lat := &latency.Histogram{}
	for _, ms := range []int64{120, 450, 900, 2400} {
		lat.Add(ms)
	}
	r = &Result{
		Generated: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
		Findings: []finding.Finding{{
			RuleID: h("rule id"), RuleName: h("rule name"), Severity: finding.Error,
			Message:  h("message"),
			Location: at(file("finding file")),
			Resource: finding.Resource{Address: "Fn", LogicalID: "Fn", CDKPath: h("cdk path"), Type: h("resource type")},
			Endpoint: &finding.Endpoint{API: h("finding api"), APIType: "REST", Method: h("finding method"), Path: h("finding path")},
			Related:  []finding.Related{{Location: at(file("related file")), Message: h("related message")}},
			Fixes: []finding.Fix{
				{
					Description: h("fix description"),
					Edits:       []finding.TextEdit{{File: sourceFile, Start: 5, End: 5, NewText: h("inserted text") + " "}},
					Commands:    []string{h("fix command")},
				},
				{
					Description: h("unreadable fix"),
					Edits:       []finding.TextEdit{{File: file("unreadable file"), Start: 0, End: 1, NewText: "x"}},
				},
			},
			Evidence: &finding.Evidence{Timeouts: 2, Requests: 9, P99IntegrationLatencyMs: &p99, FirstSeen: &seen, LastSeen: &seen, Sources: []string{h("evidence source")}},
		}, {
			// A finding on a resource alone, with no endpoint card.
			RuleID: "GL001", Severity: finding.Info, Message: h("second message"),
			Location: at(file("second file")),
			Resource: finding.Resource{LogicalID: h("logical id")},
		}},
		Errors: []finding.InputError{{File: file("error file"), Line: 4, Message: h("error message")}, {File: file("error file, no line"), Message: "x"}},
		Notes:  []Note{{Location: at(file("note file")), Message: h("note message")}},
		Logs:   []LogView{{File: h("log file"), Shape: h("log shape"), Bytes: 2048, Records: 9, Malformed: 1, MalformedLines: []int{7}}},
		Live:   &LiveView{Account: h("account"), Regions: []string{h("region")}, APIs: 1, Calls: 3},
		Endpoints: []EndpointView{{
			API: h("endpoint api"), APIType: h("api type"), Stage: h("stage"), Method: "POST", Path: h("endpoint path"),
			Location:             at(file("endpoint file")),
			IntegrationTimeoutMs: 29000, FunctionTimeoutMs: 60000,
			Requests: 9, Timeouts: 2, Latency: lat,
			TimeoutsByMinute: map[int64]int64{seen.Unix() / 60: 2},
			FirstTimeout:     seen, LastTimeout: seen,
			Sources: []string{h("endpoint source")},
		}},
	}
	o = Options{
		Version:   h("version"),
		ReportDir: "docs",
		ReadSource: func(f string) ([]byte, error) {
			if f == sourceFile {
				return []byte(source), nil
			}
			return nil, &os.PathError{Op: "open", Path: f, Err: os.ErrNotExist}
		},
	}
	return r, o, want
}

func TestHTMLEscapesHostileInput(t *testing.T) {
	r, o, want := hostileResult(hostile)
	page := renderHTML(t, r, o)
	scanPage(t, page)
	text := html.UnescapeString(page)
	for _, s := range want {
		if !strings.Contains(text, s) {
			t.Errorf("the page lost a field: %q is not in it, even unescaped", s)
		}
	}
	if strings.Contains(page, hostile("message")) {
		t.Error("a hostile message is in the page unescaped")
	}
}

// FuzzHTMLEscapes puts any text in every field: whatever it is, the page
// must scan as the page's own markup only.
func FuzzHTMLEscapes(f *testing.F) {
	for _, s := range []string{hostile("seed"), "", "&lt;", "a\nb\r\n", "javascript:x", "/abs/path", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, o, _ := hostileResult(func(field string) string { return s + field })
		var buf bytes.Buffer
		if err := HTML(&buf, r, o); err != nil {
			t.Fatal(err)
		}
		scanPage(t, buf.String())
	})
}

// The page's own markup: any other element or attribute is an injection.
var (
	pageElements = setOf("html", "head", "meta", "title", "style", "body", "a", "header", "h1", "h2", "h3", "p", "time",
		"ul", "ol", "li", "span", "main", "section", "dl", "div", "dt", "dd", "table", "caption", "thead", "tbody", "tr",
		"th", "td", "code", "article", "figure", "svg", "desc", "rect", "line", "text", "figcaption", "details",
		"summary", "form", "label", "select", "option", "output", "strong", "pre", "script")
	pageAttributes = setOf("lang", "charset", "http-equiv", "content", "name", "class", "href", "id", "aria-label",
		"aria-labelledby", "aria-live", "datetime", "scope", "data-endpoint", "data-order", "data-severity", "data-rule",
		"data-place", "viewBox", "role", "x", "y", "width", "height", "x1", "y1", "x2", "y2", "text-anchor", "hidden", "value")
	// entities are the only ones the escaper writes.
	entities = []string{"&amp;", "&lt;", "&gt;", "&#34;", "&#39;", "&#43;"}
)

func setOf(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// scanPage reads the page as a browser would tokenise it, strictly: tags
// of the page's own elements and attributes, every attribute value
// double-quoted, no '<', '>', quote or NUL in text or values, '&' only
// starting an entity the escaper writes, every link to a relative file,
// a fragment or https. The style sheet, script and policy are the page's
// own and are checked against the embedded files instead.
func scanPage(t *testing.T, page string) {
	t.Helper()
	for _, own := range []struct{ whole, empty string }{
		{"<style>" + htmlCSS + "</style>", "<style></style>"},
		{"<script>" + htmlJS + "</script>", "<script></script>"},
		{`content="` + htmlCSP + `"`, `content=""`},
	} {
		if n := strings.Count(page, own.whole); n != 1 {
			t.Fatalf("%d copies of %.30q…, want 1", n, own.whole)
		}
		page = strings.Replace(page, own.whole, own.empty, 1)
	}
	const doctype = "<!DOCTYPE html>"
	if !strings.HasPrefix(page, doctype) {
		t.Fatal("the page does not start with its doctype")
	}
	tags := map[string]int{}
	for i := len(doctype); i < len(page); {
		switch c := page[i]; c {
		case '<':
			n, name, err := scanTag(page[i:])
			if err != nil {
				t.Fatalf("at byte %d (%q): %v", i, around(page, i), err)
			}
			tags[name]++
			i += n
		case '>', '"', '\'', 0:
			t.Fatalf("raw %q in text at byte %d: %q", c, i, around(page, i))
		case '&':
			if !isEntity(page[i:]) {
				t.Fatalf("bare '&' in text at byte %d: %q", i, around(page, i))
			}
			i++
		default:
			i++
		}
	}
	for _, el := range []string{"script", "style"} {
		if tags[el] != 1 {
			t.Errorf("%d <%s> elements, want 1", tags[el], el)
		}
	}
}

// scanTag reads one tag at the start of s and returns its length and
// element name.
func scanTag(s string) (int, string, error) {
	i := 1
	end := i < len(s) && s[i] == '/'
	if end {
		i++
	}
	start := i
	for i < len(s) && ('a' <= s[i] && s[i] <= 'z' || '0' <= s[i] && s[i] <= '9') {
		i++
	}
	name := s[start:i]
	if !pageElements[name] {
		return 0, "", fmt.Errorf("element <%s> is not one the page writes", name)
	}
	if end {
		if i >= len(s) || s[i] != '>' {
			return 0, "", fmt.Errorf("end tag </%s not closed", name)
		}
		return i + 1, "/" + name, nil
	}
	for {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		switch {
		case strings.HasPrefix(s[i:], ">"):
			return i + 1, name, nil
		case strings.HasPrefix(s[i:], "/>"):
			return i + 2, name, nil
		}
		start := i
		for i < len(s) && (s[i] == '-' || 'a' <= s[i] && s[i] <= 'z' || 'A' <= s[i] && s[i] <= 'Z' || '0' <= s[i] && s[i] <= '9') {
			i++
		}
		attr := s[start:i]
		if !pageAttributes[attr] {
			return 0, "", fmt.Errorf("attribute %q of <%s> is not one the page writes", attr, name)
		}
		if i >= len(s) || s[i] != '=' {
			continue // a boolean attribute: hidden
		}
		if i+1 >= len(s) || s[i+1] != '"' {
			return 0, "", fmt.Errorf("attribute %s of <%s> is not double-quoted", attr, name)
		}
		n := strings.IndexByte(s[i+2:], '"')
		if n < 0 {
			return 0, "", fmt.Errorf("attribute %s of <%s> never ends", attr, name)
		}
		value := s[i+2 : i+2+n]
		if err := checkValue(attr, value); err != nil {
			return 0, "", fmt.Errorf("<%s %s>: %w", name, attr, err)
		}
		i += 2 + n + 1
	}
}

func checkValue(attr, value string) error {
	if strings.ContainsAny(value, "<>'\x00") {
		return fmt.Errorf("value %q holds markup", value)
	}
	for rest := value; strings.Contains(rest, "&"); {
		_, rest, _ = strings.Cut(rest, "&")
		if !isEntity("&" + rest) {
			return fmt.Errorf("value %q holds a bare '&'", value)
		}
	}
	if attr == "href" {
		return checkLink(html.UnescapeString(value))
	}
	return nil
}

// checkLink allows what the page links to: a fragment, a relative file
// (no scheme before the first '/'), and https rule documentation.
func checkLink(u string) error {
	switch scheme, _, ok := strings.Cut(u, ":"); {
	case strings.HasPrefix(u, "#"), !ok, strings.Contains(scheme, "/"):
	case scheme == "https":
	default:
		return fmt.Errorf("link %q has scheme %q", u, scheme)
	}
	if strings.ContainsAny(u, " \"'<>\u2028") {
		return fmt.Errorf("link %q is not percent-encoded", u)
	}
	return nil
}

func isEntity(s string) bool {
	for _, e := range entities {
		if strings.HasPrefix(s, e) {
			return true
		}
	}
	return false
}

func around(s string, i int) string {
	return s[max(i-40, 0):min(i+40, len(s))]
}

// TestPageWriterPut covers each verb, and the links no field can produce
// today but a later one might: a script URL is refused, not linked.
func TestPageWriterPut(t *testing.T) {
	tests := []struct {
		format string
		args   []any
		want   string
	}{
		{`<a href="%u">`, []any{"javascript:alert(1)"}, `<a href="#ZgotmplZ">`},
		{`<a href="%u">`, []any{"JavaScript:alert(1)"}, `<a href="#ZgotmplZ">`},
		{`<a href="%u">`, []any{"data:text/html,<b>"}, `<a href="#ZgotmplZ">`},
		{`<a href="%u">`, []any{`../a b/"q"&'s'.yaml`}, `<a href="../a%20b/%22q%22&amp;%27s%27.yaml">`},
		{`<a href="%u">`, []any{"https://example.com/x?a=1&b=2"}, `<a href="https://example.com/x?a=1&amp;b=2">`},
		{`<a href="#%f">`, []any{`x"/y#z`}, `<a href="#x%22%2fy%23z">`},
		{`<p title="%s">%s</p>`, []any{`"a'<b>&+`, " é"}, `<p title="&#34;a&#39;&lt;b&gt;&amp;&#43;">` + " é</p>"},
		{`%d of %d, 100%%`, []any{3, int64(-4)}, `3 of -4, 100%`},
		{`<rect x="%n" y="%n"/>`, []any{12.34, -0.05}, `<rect x="12.3" y="-0.1"/>`},
		// A verb that does not fit its argument shows, as fmt's do.
		{`%d|%s|%n|%s|%`, []any{"x", 1, "y"}, `%!d|%!s|%!n|%!s|%`},
	}
	for _, tt := range tests {
		var w pageWriter
		w.put(tt.format, tt.args...)
		if got := string(w.buf); got != tt.want {
			t.Errorf("put(%q, %q) = %s, want %s", tt.format, tt.args, got, tt.want)
		}
	}
}
