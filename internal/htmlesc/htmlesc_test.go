package htmlesc

import (
	"html/template"
	"strings"
	"testing"
)

// The escapers must agree with html/template byte for byte: the report
// moved off it and its pages may not change. html/template is fine here,
// in a test binary, where its size does not matter.
var reference = []*template.Template{
	template.Must(template.New("").Parse(`<p>{{.}}</p>`)),
	template.Must(template.New("").Parse(`<p title="{{.}}"></p>`)),
	template.Must(template.New("").Parse(`<a href="{{.}}"></a>`)),
	template.Must(template.New("").Parse(`<a href="#{{.}}"></a>`)),
}

func viaTemplate(t testing.TB, s string) []string {
	t.Helper()
	var out []string
	for _, tmpl := range reference {
		var b strings.Builder
		if err := tmpl.Execute(&b, s); err != nil {
			t.Fatal(err)
		}
		out = append(out, b.String())
	}
	return out
}

func ours(s string) []string {
	return []string{
		"<p>" + Text(s) + "</p>",
		`<p title="` + Text(s) + `"></p>`,
		`<a href="` + Text(URL(s)) + `"></a>`,
		`<a href="#` + Text(URLPart(s)) + `"></a>`,
	}
}

var contexts = []string{"text", "attribute", "URL", "URL fragment"}

func compare(t *testing.T, s string) {
	t.Helper()
	want, got := viaTemplate(t, s), ours(s)
	for i := range contexts {
		if got[i] != want[i] {
			t.Errorf("%s of %q:\n got %s\nwant %s", contexts[i], s, got[i], want[i])
		}
	}
}

var hostile = []string{
	"",
	"plain words",
	`<script>alert(1)</script>`,
	`"quoted" and 'single'`,
	"a & b &amp; c",
	"1+1",
	"javascript:alert(1)",
	"JavaScript:alert(1)",
	"data:text/html,<b>x</b>",
	"vbscript:msgbox",
	"https://example.com/a b?q=1&r=<2>#frag",
	"mailto:someone@example.com",
	"../app/queue%20%3C&%3E%20%22jobs%22.yaml",
	"dir/with:colon",
	"100%",
	"%4",
	"%zz",
	"%41",
	"naïve café ✓ 日本",
	"line\u2028separator\u2029",
	"nul\x00byte",
	"bad \xff\xfe utf-8",
	"tab\tnewline\n",
	"(parens) [brackets] {braces} `backticks` ~tilde ^caret |pipe \\backslash",
}

func TestMatchesHTMLTemplate(t *testing.T) {
	for _, s := range hostile {
		compare(t, s)
	}
}

// TestTextLeavesNoMarkup checks the property the escapers exist for,
// independently of html/template: no escaped string can open a tag, end an
// attribute or start an entity of its own, and no script URL survives.
func TestTextLeavesNoMarkup(t *testing.T) {
	entities := strings.NewReplacer("&amp;", "", "&lt;", "", "&gt;", "", "&#34;", "", "&#39;", "", "&#43;", "")
	for _, s := range hostile {
		for _, out := range []string{Text(s), Text(URL(s)), Text(URLPart(s))} {
			if strings.ContainsAny(entities.Replace(out), "<>\"'&\x00") {
				t.Errorf("escaped %q still holds markup: %q", s, out)
			}
		}
	}
	for _, s := range []string{"javascript:alert(1)", "JAVASCRIPT:x", " javascript:x", "data:text/html,x", "vbscript:x"} {
		if got := URL(s); got != Unsafe {
			t.Errorf("URL(%q) = %q, want %q", s, got, Unsafe)
		}
	}
}

func FuzzMatchesHTMLTemplate(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		compare(t, s)
	})
}
