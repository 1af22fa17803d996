package cdk

import (
	"testing"
	"time"
)

// FuzzSource: any bytes, as JavaScript/TypeScript and as Python, tokenize
// and locate without panicking and in time linear in their size: every
// step of the locator runs at every token.
func FuzzSource(f *testing.F) {
	f.Add([]byte(hard), false)
	f.Add([]byte("from aws_cdk import Duration\nf(self, 'X', timeout=Duration.seconds(60), **kw)\n"), true)
	f.Add([]byte("`${`${`${'}'}`}`}` /re[/]/ /* */ x = {a: (b as T)} new A<B<C>>>(d)"), false)
	f.Add([]byte("f\"{'{'}}{{\" '''\n''' r'\\' (((( ]]] }"), true)
	f.Add([]byte("(0, h_1.f)(this, 'X', { ...e, timeout: D.seconds(1) }); cfn.timeout = 4"), false)
	f.Fuzz(func(t *testing.T, data []byte, py bool) {
		if len(data) > 1<<12 { // the harness calls the locator at every token: quadratic by design
			return
		}
		start := time.Now()
		s := parseSource("x", data, py)
		names := s.durationNames()
		_ = names.expr()
		for i := range s.toks {
			off := s.toks[i].start
			c, err := s.callAt(off)
			if err == nil {
				ms, obj := s.props(c)
				_, _, _ = lookupPath(s, ms, []string{"deployOptions", "accessLogFormat"})
				for _, m := range ms {
					_, _ = s.duration(m.value, names)
					_, _ = s.objectAt(m.value)
				}
				_, _ = s.insertion(c, obj, "timeout: Duration.seconds(1)")
				_ = s.column16(off)
				_ = s.pos(off)
			}
			_, _ = s.stringValue(i)
			_, _ = s.number(i)
		}
		for line := 1; line <= len(s.lineStarts()) && line < 64; line++ {
			for _, c := range s.callsOnLine(line) {
				_, _ = s.props(c)
			}
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("%d bytes took %v", len(data), d)
		}
	})
}

// FuzzFrame: any trace line parses or is refused, never panics.
func FuzzFrame(f *testing.F) {
	for _, s := range []string{"new ApiStack (/app/lib/api-stack.js:15:20)", "/a.js:5: (/a.js:5:3)", "x (:)", "f (a.py:3)", "(no user code"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if fr, ok := parseFrame(s); ok && (fr.line <= 0 || fr.file == "") {
			t.Fatalf("%q: %+v", s, fr)
		}
	})
}

// FuzzSourceMap: a hostile source map costs an error, not the run.
func FuzzSourceMap(f *testing.F) {
	f.Add([]byte(`{"version":3,"sources":["a.ts"],"mappings":"AAAA,SAAS"}`), 1, 5)
	f.Add([]byte(`{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":null}]}`), 1, 1)
	f.Add([]byte(`{"version":3,"sources":[],"mappings":"AAAA"}`), 1, 1)
	f.Fuzz(func(t *testing.T, data []byte, line, col int) {
		_, _, _, _ = lookup(data, line, col)
		js := append([]byte("x;\n//# sourceMappingURL=data:application/json;base64,"), data...)
		_, _, _ = mapFrame("a.js", js, line, col, func(string) ([]byte, error) { return data, nil })
	})
}

// FuzzStrings: a string written by quote reads back as itself.
func FuzzStrings(f *testing.F) {
	f.Add("$context.status ${x} \\ ' \" `\n")
	f.Fuzz(func(t *testing.T, s string) {
		for _, q := range []byte{'\'', '"', '`'} {
			lit := quote(s, q)
			got, ok := unquote(lit, false)
			if !ok || got != s {
				t.Fatalf("%q in %c: %s reads %q %v", s, q, lit, got, ok)
			}
		}
	})
}
