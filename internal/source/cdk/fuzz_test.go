package cdk

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
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
		for i := range s.Toks {
			off := s.Toks[i].Start
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

// FuzzRead: a cloud assembly whose traces point anywhere in an app file
// of any bytes reads, and every value it locates edits without panicking.
func FuzzRead(f *testing.F) {
	dir := f.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "lib"), 0o755); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lib", "s.js"), nil, 0o644); err != nil {
		f.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "cdk.out"), 0o755); err != nil {
		f.Fatal(err)
	}
	template := filepath.Join(dir, "cdk.out", "S.template.json")
	manifest := []byte(`{"artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"}, "additionalMetadataFile": "S.metadata.json"}}}`)
	tmpl := []byte(`{"Resources": {
 "A1": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 40}, "Metadata": {"aws:cdk:path": "S/A/Resource"}},
 "Q1": {"Type": "AWS::SQS::Queue", "Properties": {}, "Metadata": {"aws:cdk:path": "S/Q/Resource"}},
 "Api1": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP"}, "Metadata": {"aws:cdk:path": "S/Api/Resource"}},
 "I1": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": {"Ref": "Api1"}, "IntegrationType": "AWS_PROXY", "TimeoutInMillis": 5000,
   "IntegrationUri": {"Fn::GetAtt": ["A1", "Arn"]}}, "Metadata": {"aws:cdk:path": "S/Api/GET--x/I/Resource"}},
 "R1": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Api1"}, "RouteKey": "GET /x", "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "I1"}]]}},
   "Metadata": {"aws:cdk:path": "S/Api/GET--x/Resource"}}}}`)
	f.Add([]byte("function fn(s, id) {\n  return new lambda.Function(s, id, { timeout: Duration.seconds(40) });\n}\n"), 2, 10, 1, 1)
	f.Add([]byte(hard), 8, 15, 23, 15)
	f.Add([]byte("new Q(this, 'Q', {\n  a: 1,\n});\nh.addRoutes({ integration: new HttpLambdaIntegration('I', fn, { timeout: Duration.seconds(5) }) });\n"), 1, 1, 4, 3)
	f.Fuzz(func(t *testing.T, src []byte, l1, c1, l2, c2 int) {
		if len(src) > 1<<12 {
			return
		}
		at := func(l, c int) string {
			return "new S (/ci/app/lib/s.js:" + strconv.Itoa(l) + ":" + strconv.Itoa(c) + ")"
		}
		meta, _ := json.Marshal(map[string][]map[string]any{
			"/S/A/Resource":   {{"type": "aws:cdk:creationStack", "data": []string{"fn (/ci/app/lib/s.js:1:1)", at(l1, c1)}}},
			"/S/Q/Resource":   {{"type": "aws:cdk:creationStack", "data": []string{at(l2, c2)}}},
			"/S/Api/Resource": {{"type": "aws:cdk:creationStack", "data": []string{at(l1, c2)}}},
			"/S/Api/GET--x/I/Resource": {{"type": "aws:cdk:creationStack", "data": []string{at(l2, c1)}},
				{"type": "aws:cdk:propertyAssignment", "data": map[string]any{"propertyName": "Integration", "stackTrace": []string{at(l1, 1)}}}},
			"/S/Api/GET--x/Resource": {{"type": "aws:cdk:creationStack", "data": []string{"x (/ci/app/lib/s.js:" + strconv.Itoa(l2) + ")"}}},
		})
		files := map[string][]byte{
			filepath.Join(dir, "cdk.out", "manifest.json"):   manifest,
			filepath.Join(dir, "cdk.out", "S.metadata.json"): meta,
			filepath.Join(dir, "lib", "s.js"):                src,
		}
		b := model.NewBuilder()
		file := &source.File{Path: template, Data: tmpl, Include: func(p string) ([]byte, error) {
			if d, ok := files[p]; ok {
				return d, nil
			}
			return nil, os.ErrNotExist
		}}
		out := Reader{}.Read(file, b)
		if !out.Claimed {
			t.Fatalf("not claimed: %+v", out)
		}
		m := b.Model()
		var vs []model.Value
		for _, fn := range m.Functions {
			vs = append(vs, fn.Timeout...)
		}
		for _, q := range m.Queues {
			vs = append(vs, q.VisibilityTimeout...)
		}
		for _, api := range m.APIs {
			for _, e := range api.Endpoints {
				if e.Integration != nil {
					vs = append(vs, e.Integration.Timeout...)
				}
			}
		}
		for _, v := range vs {
			if v.Remedy.Edit != nil {
				for _, e := range v.Remedy.Edit(26 * time.Second) {
					if e.File == filepath.Join(dir, "lib", "s.js") && (e.Start < 0 || e.End > len(src) || e.Start > e.End) {
						t.Fatalf("edit %+v outside the file", e)
					}
				}
			}
			if v.Remedy.Advice != nil {
				_ = v.Remedy.Advice(26 * time.Second)
			}
		}
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
	})
}
