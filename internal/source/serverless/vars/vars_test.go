package vars

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// project writes files into a temporary project directory and parses its
// serverless.yml.
func project(t *testing.T, files map[string]string) (*yamlpos.File, string) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "serverless.yml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := yamlpos.Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return f, dir
}

func TestResolve(t *testing.T) {
	env := map[string]string{"TIMEOUT": "45", "STAGE": "qa"}
	tests := []struct {
		name   string
		yml    string
		files  map[string]string
		params map[string]string
		path   string
		want   string // the resolved scalar, or "unknown: <part of the reason>", or "error: <part of the message>"
		tag    string // the resolved scalar's tag, when it matters
		line   int    // where the value is written, when it has a place (0: it has none)
		kinds  string // the references followed, outermost first
	}{
		{name: "literal", yml: "provider:\n  timeout: 30\n", path: "provider.timeout", want: "30", tag: "!!int", line: 2},
		{name: "self", yml: "custom:\n  t: 40\nprovider:\n  timeout: ${self:custom.t}\n", path: "provider.timeout", want: "40", tag: "!!int", line: 2, kinds: "self"},
		{name: "self through self", yml: "custom:\n  a: ${self:custom.b}\n  b: 12\nfunctions:\n  f:\n    timeout: ${self:custom.a}\n", path: "functions.f.timeout", want: "12", line: 3, kinds: "self self"},
		{name: "self of a sequence item", yml: "custom:\n  ts: [5, 7]\nx: ${self:custom.ts.1}\n", path: "x", want: "7", line: 2, kinds: "self"},
		{name: "opt given", yml: "x: ${opt:stage}\n", params: map[string]string{"stage": "prod"}, path: "x", want: "prod", kinds: "opt"},
		{name: "opt absent", yml: "x: ${opt:stage}\n", path: "x", want: "unknown: no --param stage"},
		{name: "opt fallback string", yml: "x: ${opt:stage, 'dev'}\n", path: "x", want: "dev", kinds: ""},
		{name: "opt fallback double-quoted", yml: "x: ${opt:stage, \"beta\"}\n", path: "x", want: "beta"},
		{name: "fallback number keeps its type", yml: "x: ${opt:t, 25}\n", path: "x", want: "25", tag: "!!int"},
		{name: "fallback to another source", yml: "provider:\n  stage: staging\nx: ${opt:stage, self:provider.stage}\n", path: "x", want: "staging", line: 2, kinds: "self"},
		{name: "fallback to a nested variable", yml: "custom:\n  s: uat\nx: ${opt:stage, ${self:custom.s}}\n", path: "x", want: "uat", line: 2},
		{name: "sls stage default", yml: "x: ${sls:stage}\n", path: "x", want: "dev"},
		{name: "sls stage from provider", yml: "provider:\n  stage: ${opt:stage, 'test'}\nx: ${sls:stage}\n", path: "x", want: "test"},
		{name: "sls stage from param", yml: "provider:\n  stage: test\nx: ${sls:stage}\n", params: map[string]string{"stage": "prod"}, path: "x", want: "prod"},
		{name: "nested address", yml: "custom:\n  timeouts:\n    dev: 10\n    prod: 60\nx: ${self:custom.timeouts.${sls:stage}}\n", params: map[string]string{"stage": "prod"}, path: "x", want: "60", line: 4},
		{name: "interpolation", yml: "service: shop\nx: ${self:service}-${sls:stage}-api\n", path: "x", want: "shop-dev-api", tag: "!!str", kinds: "self sls default"},
		{name: "env", yml: "x: ${env:TIMEOUT}\n", path: "x", want: "45", kinds: "env"},
		{name: "env absent with fallback", yml: "x: ${env:NOPE, 20}\n", path: "x", want: "20"},
		{name: "env absent", yml: "x: ${env:NOPE}\n", path: "x", want: "unknown: NOPE is not set"},
		{name: "strToBool", yml: "x: ${strToBool(${self:custom.on})}\ncustom:\n  on: 'true'\n", path: "x", want: "true", tag: "!!bool"},
		{name: "strToBool of junk", yml: "x: ${strToBool(maybe)}\n", path: "x", want: "error: strToBool takes"},
		{name: "param from params", yml: "params:\n  prod:\n    t: 50\n  default:\n    t: 5\nx: ${param:t}\n", params: map[string]string{"stage": "prod"}, path: "x", want: "50", line: 3},
		{name: "param default", yml: "params:\n  default:\n    t: 5\nx: ${param:t}\n", path: "x", want: "5", line: 3},
		{name: "file value", yml: "x: ${file(./config.yml):timeouts.api}\n", files: map[string]string{"config.yml": "timeouts:\n  api: 28\n"}, path: "x", want: "28", line: 2, kinds: "file"},
		{name: "file whole then self into it", yml: "custom: ${file(./custom.yml)}\nx: ${self:custom.t}\n", files: map[string]string{"custom.yml": "t: 33\n"}, path: "x", want: "33", line: 1, kinds: "self file"},
		{name: "file json", yml: "x: ${file(./c.json):t}\n", files: map[string]string{"c.json": `{"t": 9}`}, path: "x", want: "9", line: 1},
		{name: "file per stage", yml: "x: ${file(./env/${sls:stage}.yml):t}\n", files: map[string]string{"env/dev.yml": "t: 14\n"}, path: "x", want: "14", line: 1},
		{name: "file absent", yml: "x: ${file(./missing.yml):t}\n", path: "x", want: "unknown: does not exist"},
		{name: "file absent with fallback", yml: "x: ${file(./missing.yml):t, 8}\n", path: "x", want: "8"},
		{name: "file outside the project", yml: "x: ${file(../secrets.yml):t}\n", path: "x", want: "error: outside the project directory"},
		{name: "file absolute outside", yml: "x: ${file(/etc/passwd)}\n", path: "x", want: "error: outside the project directory"},
		{name: "file of code", yml: "x: ${file(./t.js):t}\n", files: map[string]string{"t.js": "module.exports = {t: 1}"}, path: "x", want: "unknown: computed by code"},
		{name: "ssm", yml: "x: ${ssm:/app/timeout}\n", path: "x", want: "unknown: SSM Parameter Store"},
		{name: "ssm with fallback is still unknown", yml: "x: ${ssm:/app/timeout, 30}\n", path: "x", want: "unknown: SSM"},
		{name: "cf", yml: "x: ${cf:other.Out}\n", path: "x", want: "unknown: another stack"},
		{name: "s3", yml: "x: ${s3:b/k}\n", path: "x", want: "unknown: S3"},
		{name: "aws account", yml: "x: ${aws:accountId}\n", path: "x", want: "unknown: AWS account"},
		{name: "aws region", yml: "provider:\n  region: eu-west-1\nx: ${aws:region}\n", path: "x", want: "eu-west-1"},
		{name: "a plugin's resolver", yml: "x: ${vault:secret/t}\n", path: "x", want: "unknown: vault resolver"},
		{name: "unknown inside a string", yml: "x: fn-${ssm:/a}\n", path: "x", want: "unknown: SSM"},
		{name: "cycle", yml: "custom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\nx: ${self:custom.a}\n", path: "x", want: "error: a reference cycle"},
		{name: "self cycle", yml: "x: ${self:x}\n", path: "x", want: "error: a reference cycle"},
		{name: "missing self key", yml: "x: ${self:custom.nope}\n", path: "x", want: "unknown: serverless.yml has no custom.nope"},
		{name: "missing self key with fallback", yml: "x: ${self:custom.nope, 3}\n", path: "x", want: "3"},
		{name: "null falls back", yml: "custom:\n  t: null\nx: ${self:custom.t, 4}\n", path: "x", want: "4"},
		{name: "unclosed", yml: "x: ${self:custom\n", path: "x", want: "error: no closing }"},
		{name: "not a variable", yml: "x: ${what ever}\n", path: "x", want: "${what ever}"},
		{name: "CloudFormation and stage variables are not the framework's", yml: "x: ${AWS::Region}/${stageVariables.bucket_name}/${self:y}\ny: z\n", path: "x", want: "${AWS::Region}/${stageVariables.bucket_name}/z"},
		{name: "mapping as part of a string", yml: "custom:\n  m: {a: 1}\nx: pre-${self:custom.m}\n", path: "x", want: "error: cannot be part of a string"},
		{name: "quoted literal is not a variable", yml: "x: '5'\n", path: "x", want: "5", tag: "!!str", line: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"serverless.yml": tc.yml}
			for k, v := range tc.files {
				files[k] = v
			}
			f, dir := project(t, files)
			r := New(f, Options{Dir: dir, Params: tc.params, Version: 3, Env: func(k string) (string, bool) {
				v, ok := env[k]
				return v, ok
			}})
			v, ok, err := r.Path(tc.path)
			switch {
			case strings.HasPrefix(tc.want, "error: "):
				if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(tc.want, "error: ")) {
					t.Fatalf("got %v, %v; want an error with %q", v, err, tc.want)
				}
				// Errors name the file and line of the variable.
				if !strings.Contains(err.Error(), "serverless.yml:") {
					t.Errorf("error %q names no file and line", err)
				}
				return
			case err != nil:
				t.Fatal(err)
			case !ok:
				t.Fatalf("%s not found", tc.path)
			case strings.HasPrefix(tc.want, "unknown: "):
				if v.Known() || !strings.Contains(v.Unknown, strings.TrimPrefix(tc.want, "unknown: ")) {
					t.Fatalf("got %q (unknown %q); want unknown with %q", v.Scalar(), v.Unknown, tc.want)
				}
				return
			}
			if !v.Known() {
				t.Fatalf("unknown: %s", v.Unknown)
			}
			if v.Scalar() != tc.want {
				t.Errorf("got %q, want %q", v.Scalar(), tc.want)
			}
			if tc.tag != "" && v.Node.ShortTag() != tc.tag {
				t.Errorf("tag %s, want %s", v.Node.ShortTag(), tc.tag)
			}
			if tc.line > 0 {
				if v.File == nil {
					t.Fatalf("the value has no place; want line %d", tc.line)
				}
				if got := v.File.Range(v.Node).Start.Line; got != tc.line {
					t.Errorf("written at line %d, want %d", got, tc.line)
				}
			} else if v.File != nil && !v.Literal() && tc.kinds != "" && tc.line == 0 {
				t.Errorf("the value has a place (%s) but the test expects none", v.File.Range(v.Node))
			}
			if tc.kinds != "" {
				var kinds []string
				for _, ref := range v.Refs {
					kinds = append(kinds, ref.Kind)
				}
				if got := strings.Join(kinds, " "); got != tc.kinds {
					t.Errorf("references %q, want %q", got, tc.kinds)
				}
			}
		})
	}
}

// A reference's place is the scalar it is written in, so a reader can
// say "via ${self:custom.t} at serverless.yml:4".
func TestRefPlaces(t *testing.T) {
	f, dir := project(t, map[string]string{"serverless.yml": "custom:\n  t: 40\nfunctions:\n  f:\n    timeout: ${self:custom.t}\n"})
	r := New(f, Options{Dir: dir})
	v, _, err := r.Path("functions.f.timeout")
	if err != nil || len(v.Refs) != 1 {
		t.Fatalf("%v %v", v, err)
	}
	ref := v.Refs[0]
	if ref.Text != "${self:custom.t}" || ref.Key != "custom.t" || ref.File != f || f.Range(ref.Node).Start.Line != 5 {
		t.Errorf("ref %+v at %s", ref, f.Range(ref.Node))
	}
	if ref.Fallback {
		t.Error("not a fallback")
	}
	v, _, _ = New(mustParse(t, "x: ${opt:stage, self:provider.stage}\nprovider:\n  stage: a\n"), Options{}).Path("x")
	if len(v.Refs) == 0 || !v.Refs[0].Fallback {
		t.Errorf("a value from the fallback is marked so: %+v", v.Refs)
	}
}

func TestStage(t *testing.T) {
	for _, tc := range []struct {
		yml    string
		params map[string]string
		want   string
	}{
		{"service: a\n", nil, "dev"},
		{"provider:\n  stage: prod\n", nil, "prod"},
		{"provider:\n  stage: ${opt:stage, 'qa'}\n", nil, "qa"},
		{"provider:\n  stage: ${opt:stage, 'qa'}\n", map[string]string{"stage": "live"}, "live"},
		{"provider:\n  stage: ${ssm:/s}\n", nil, ""},
	} {
		got, err := New(mustParse(t, tc.yml), Options{Params: tc.params}).Stage()
		if err != nil || got != tc.want {
			t.Errorf("%q %v: got %q, %v; want %q", tc.yml, tc.params, got, err, tc.want)
		}
	}
}

// Nodes with no variable come back as they are, with their file: a
// reader edits them in place.
func TestLiteralIsTheNode(t *testing.T) {
	f := mustParse(t, "provider:\n  timeout: 30\n")
	n := yamlpos.Get(yamlpos.Get(f.Root, "provider"), "timeout")
	v, err := New(f, Options{}).Resolve(f, n)
	if err != nil || v.Node != n || v.File != f || !v.Literal() {
		t.Errorf("%+v %v", v, err)
	}
	// A mapping is returned whole; its children resolve when asked for.
	m := yamlpos.Get(f.Root, "provider")
	v, err = New(f, Options{}).Resolve(f, m)
	if err != nil || v.Node != m || v.Node.Kind != yaml.MappingNode {
		t.Errorf("%+v %v", v, err)
	}
}

func mustParse(t testing.TB, yml string) *yamlpos.File {
	t.Helper()
	f, err := yamlpos.Parse("serverless.yml", []byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestDotEnv(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".env", "# defaults\nTIMEOUT=10\nexport NAME='a b'\nQ=\"x\\ny\"\nC=v # a comment\n")
	path, vals, err := DotEnv(dir, "prod", nil)
	if err != nil || filepath.Base(path) != ".env" || vals["TIMEOUT"] != "10" || vals["NAME"] != "a b" || vals["Q"] != "x\ny" || vals["C"] != "v" {
		t.Fatalf("%s %v %v", path, vals, err)
	}
	write(".env.prod", "TIMEOUT=60\n")
	path, vals, _ = DotEnv(dir, "prod", nil)
	if filepath.Base(path) != ".env.prod" || vals["TIMEOUT"] != "60" || vals["NAME"] != "" {
		t.Errorf("the stage's file replaces .env: %s %v", path, vals)
	}
	write(".env.bad", "just words\n")
	if _, _, err := DotEnv(dir, "bad", nil); err == nil || !strings.Contains(err.Error(), ".env.bad:1") {
		t.Errorf("a bad line is named: %v", err)
	}
	if path, vals, err := DotEnv(t.TempDir(), "dev", nil); path != "" || vals != nil || err != nil {
		t.Errorf("no file: %q %v %v", path, vals, err)
	}
}
