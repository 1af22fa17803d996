package cdk

import (
	"strings"
	"testing"
	"time"
)

// hard is TypeScript written to fool a line regex: timeout: inside a
// regular expression, a template literal (with a substitution holding a
// brace), comments, strings and nested objects; a quoted key; casts,
// generics, non-null assertions, shorthand members and spreads.
const hard = "import * as cdk from 'aws-cdk-lib';\n" +
	"import { Duration as D } from 'aws-cdk-lib';\n" +
	"import type { Construct } from 'constructs';\n" +
	"const re = /timeout: \\{[}]/g; // a regex that looks like code\n" +
	"export class Hard extends cdk.Stack {\n" +
	"  constructor(scope: Construct, id: string) {\n" +
	"    super(scope, id);\n" +
	"    const a = new lambda.Function(this, `Fn${id}`, { // timeout: in a comment\n" +
	"      ...common,\n" +
	"      code: lambda.Code.fromInline(`exports.handler = async () => ({ body: \"${'}'}, timeout: 1\" })`),\n" +
	"      environment: { TIMEOUT: '5', nested: JSON.stringify({ timeout: 3 }) },\n" +
	"      'timeout': D.minutes(2) as cdk.Duration,\n" +
	"    });\n" +
	"    const b = new lambda.Function<never>(this, 'B', { handler: 'h', timeout: cdk.Duration.seconds(Number(process.env.T ?? 30) / 2) });\n" +
	"    const c = new lambda.Function(this, 'C', {\n" +
	"      handler: 'h',\n" +
	"      code: lambda.Code.fromInline('x')\n" +
	"    });\n" +
	"    const timeout = D.seconds(12);\n" +
	"    const d = new lambda.Function(this, 'Dd', { timeout, handler: 'h' });\n" +
	"    const e = new lambda.Function(this, 'E', {});\n" +
	"    (<lambda.CfnFunction>e.node.defaultChild).timeout = 7;\n" +
	"    const f = new sqs.Queue(this, 'F');\n" +
	"  }\n" +
	"}\n"

// at is the offset of the n-th (1-based) occurrence of needle.
func at(t *testing.T, src, needle string, n int) int {
	t.Helper()
	off := -1
	for i := 0; i < n; i++ {
		j := strings.Index(src[off+1:], needle)
		if j < 0 {
			t.Fatalf("no %q #%d", needle, n)
		}
		off += 1 + j
	}
	return off
}

func TestTokenizerKeepsCodeOutOfLiterals(t *testing.T) {
	s := parseSource("hard.ts", []byte(hard), false)
	if s.Problems != 0 {
		t.Errorf("%d problems in valid TypeScript", s.Problems)
	}
	for _, tok := range s.Toks {
		text := string(s.Src[tok.Start:tok.End])
		if tok.Kind == tIdent && text == "timeout" {
			line := s.lineOf(tok.Start)
			if line != 11 && line != 14 && line != 19 && line != 20 && line != 22 {
				t.Errorf("timeout read as code on line %d", line)
			}
		}
	}
}

func TestLocateProps(t *testing.T) {
	s := parseSource("hard.ts", []byte(hard), false)
	names := s.durationNames()
	if names.bound != "D" || names.namespace != "cdk" || names.expr() != "D" {
		t.Errorf("Duration is named %+v", names)
	}
	for _, c := range []struct {
		at    int
		value string // "" when the key is absent
		d     time.Duration
		lit   bool
	}{
		{at(t, hard, "new lambda.Function(this, `Fn", 1), "D.minutes(2) as cdk.Duration", 2 * time.Minute, true},
		{at(t, hard, "new lambda.Function<never>", 1), "cdk.Duration.seconds(Number(process.env.T ?? 30) / 2)", 0, false},
		{at(t, hard, "new lambda.Function(this, 'C'", 1), "", 0, false},
		{at(t, hard, "new lambda.Function(this, 'Dd'", 1), "timeout", 0, false},
		{at(t, hard, "new lambda.Function(this, 'E'", 1), "", 0, false},
	} {
		call, err := s.callAt(c.at)
		if err != nil {
			t.Fatal(err)
		}
		ms, _ := s.props(call)
		m, found, _ := lookupMember(ms, "timeout")
		if c.value == "" {
			if found {
				t.Errorf("%s: found timeout %q", call.callee, s.Text(m.value[0]))
			}
			continue
		}
		if !found {
			t.Errorf("%s at %d: no timeout", call.callee, c.at)
			continue
		}
		v := m.value
		if got := string(s.Src[s.Toks[v[0]].Start:s.Toks[v[1]].End]); got != c.value {
			t.Errorf("%s: timeout is %q, want %q", call.callee, got, c.value)
		}
		lit, ok := s.duration(v, names)
		if ok != c.lit || ok && lit.d != c.d {
			t.Errorf("%s: duration %v %v, want %v %v", call.callee, lit.d, ok, c.d, c.lit)
		}
	}
	// The assignment through a cast: its right-hand side.
	call, err := s.callAt(at(t, hard, "= 7", 1))
	if err != nil || !call.assign || s.Text(call.value[0]) != "7" || call.callee != "timeout" {
		t.Errorf("assignment: %+v %v", call, err)
	}
}

func TestInsertionFollowsLayout(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"new Q(this, 'Q', {\n  a: 1,\n  b: 2,\n});", "new Q(this, 'Q', {\n  a: 1,\n  b: 2,\n  timeout: Duration.seconds(26),\n});"},
		{"new Q(this, 'Q', {\n    a: 1\n});", "new Q(this, 'Q', {\n    a: 1,\n    timeout: Duration.seconds(26)\n});"},
		{"new Q(this, 'Q', { a: 1 });", "new Q(this, 'Q', { a: 1, timeout: Duration.seconds(26) });"},
		{"new Q(this, 'Q', { a: 1, });", "new Q(this, 'Q', { a: 1, timeout: Duration.seconds(26), });"},
		{"new Q(this, 'Q', {});", "new Q(this, 'Q', { timeout: Duration.seconds(26) });"},
		{"new Q(this, 'Q');", "new Q(this, 'Q', { timeout: Duration.seconds(26) });"},
		{"new Q(\n  this,\n  'Q',\n);", "new Q(\n  this,\n  'Q',\n  { timeout: Duration.seconds(26) },\n);"},
	} {
		s := parseSource("x.ts", []byte(c.src), false)
		call, err := s.callAt(0)
		if err != nil {
			t.Fatal(err)
		}
		_, obj := s.props(call)
		off, text := s.insertion(call, obj, "timeout: Duration.seconds(26)")
		if got := c.src[:off] + text + c.src[off:]; got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.src, got, c.want)
		}
	}
	py := "q = sqs.Queue(self, \"Q\",\n              retention_period=Duration.days(4))\n"
	s := parseSource("x.py", []byte(py), true)
	calls := s.callsOnLine(1)
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	off, text := s.insertion(calls[0], [2]int{-1, -1}, "visibility_timeout=Duration.seconds(540)")
	if got := py[:off] + text + py[off:]; !strings.Contains(got, "Duration.days(4),\n              visibility_timeout=Duration.seconds(540))") {
		t.Errorf("Python insertion:\n%s", got)
	}
}

// TestTypeScriptCallPositions: positions as the traces give them in each
// kind of app point at different tokens of the same call.
func TestTypeScriptCallPositions(t *testing.T) {
	src := "    const f = makeFunction(this, 'DefaultFn');\n" +
		"    const g = (0, helpers_1.makeFunction)(this, 'DefaultFn');\n" +
		"    api.root.addResource('x').addMethod('GET', integ);\n" +
		"    cfn.timeout = 45;\n"
	s := parseSource("x.ts", []byte(src), false)
	for _, c := range []struct {
		needle, callee string
	}{
		{"makeFunction(this", "makeFunction"},
		{"(this, 'DefaultFn');\n    const g", "makeFunction"},
		{"(this, 'DefaultFn');\n    api", "helpers_1.makeFunction"},
		{"addMethod", "addMethod"},
		{".addMethod", "addMethod"},
		{" = 45", "timeout"},
	} {
		call, err := s.callAt(at(t, src, c.needle, 1))
		if err != nil {
			t.Errorf("%q: %v", c.needle, err)
			continue
		}
		if !strings.HasSuffix(call.callee, c.callee) {
			t.Errorf("%q: callee %q, want %q", c.needle, call.callee, c.callee)
		}
	}
}

func TestPython(t *testing.T) {
	src := "from aws_cdk import App, Duration as Dur, Stack\n" +
		"slow = _lambda.Function(self, \"SlowFn\", runtime=x,\n" +
		"    code=_lambda.Code.from_inline(f\"def handler(e, c):\\n    return {{'timeout': {60}}} {'}'}\"),\n" +
		"    timeout=Dur.seconds(60))  # timeout=Duration.seconds(1) in a comment\n"
	s := parseSource("app.py", []byte(src), true)
	if s.Problems != 0 {
		t.Errorf("%d problems", s.Problems)
	}
	names := s.durationNames()
	if names.expr() != "Dur" {
		t.Errorf("Duration is %q", names.expr())
	}
	calls := s.callsOnLine(2)
	c := pick(s, calls, "SlowFn")
	if c == nil || c.callee != "_lambda.Function" {
		t.Fatalf("call %+v", c)
	}
	ms, _ := s.props(c)
	m, found, _ := lookupMember(ms, "timeout")
	if !found {
		t.Fatal("no timeout")
	}
	lit, ok := s.duration(m.value, names)
	if !ok || lit.d != time.Minute {
		t.Errorf("timeout %v %v", lit, ok)
	}
}

func TestDurations(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		unit string
		want string
	}{
		{26 * time.Second, "seconds", "seconds(26)"},
		{9 * time.Minute, "minutes", "minutes(9)"},
		{540 * time.Second, "minutes", "minutes(9)"},
		{90 * time.Second, "minutes", "seconds(90)"},
		{1500 * time.Millisecond, "seconds", "millis(1500)"},
		{29 * time.Second, "millis", "millis(29000)"},
		{48 * time.Hour, "days", "days(2)"},
	} {
		if got := durationCall(c.d, c.unit); got != c.want {
			t.Errorf("%v in %s: %s, want %s", c.d, c.unit, got, c.want)
		}
	}
	names := durationNames{bound: "Duration"}
	for src, want := range map[string]time.Duration{
		"Duration.seconds(60)":           time.Minute,
		"cdk.Duration.millis(90_000)":    90 * time.Second,
		"core.Duration.minutes(2)":       2 * time.Minute,
		"Duration.seconds(1.5)":          1500 * time.Millisecond,
		"aws_cdk_lib_1.Duration.days(4)": 96 * time.Hour,
		"Duration.seconds(x)":            0,
		"Duration.seconds(6 * 10)":       0,
		"Other.seconds(60)":              0,
		"Duration.weeks(1)":              0,
		"Duration.seconds(-1)":           0,
	} {
		s := parseSource("x.ts", []byte(src), false)
		lit, ok := s.duration([2]int{0, len(s.Toks) - 1}, names)
		if ok != (want > 0) || lit.d != want {
			t.Errorf("%s: %v %v, want %v", src, lit.d, ok, want)
		}
	}
}

func TestImports(t *testing.T) {
	for src, want := range map[string]string{
		"import { Duration } from 'aws-cdk-lib';":                                             "Duration",
		"import { Stack, Duration as D } from \"aws-cdk-lib\";":                               "D",
		"import * as cdk from 'aws-cdk-lib';":                                                 "cdk.Duration",
		"import cdk = require('aws-cdk-lib');":                                                "cdk.Duration",
		"const cdk = require('aws-cdk-lib');":                                                 "cdk.Duration",
		"const { Stack, Duration } = require('aws-cdk-lib');":                                 "Duration",
		"const { Duration: Dur } = require('aws-cdk-lib');":                                   "Dur",
		"import { Duration } from 'aws-cdk-lib/core';":                                        "",
		"import * as lambda from 'aws-cdk-lib/aws-lambda';":                                   "",
		"const aws_cdk_lib_1 = require(\"aws-cdk-lib\");":                                     "aws_cdk_lib_1.Duration",
		"import type { Duration } from 'aws-cdk-lib';":                                        "",
		"// import { Duration } from 'aws-cdk-lib';":                                          "",
		"const s = \"import { Duration } from 'aws-cdk-lib'\";":                               "",
		"import { Duration, Stack } from 'aws-cdk-lib';\nimport * as cdk from 'aws-cdk-lib';": "Duration",
	} {
		if got := parseSource("x.ts", []byte(src), false).durationNames().expr(); got != want {
			t.Errorf("%s: %q, want %q", src, got, want)
		}
	}
	for src, want := range map[string]string{
		"from aws_cdk import Duration":                  "Duration",
		"from aws_cdk import (\n  App,\n  Duration,\n)": "Duration",
		"import aws_cdk as cdk":                         "cdk.Duration",
		"import aws_cdk":                                "aws_cdk.Duration",
		"from aws_cdk import aws_lambda":                "",
	} {
		if got := parseSource("x.py", []byte(src), true).durationNames().expr(); got != want {
			t.Errorf("%s: %q, want %q", src, got, want)
		}
	}
}

func TestStrings(t *testing.T) {
	for lit, want := range map[string]string{
		`'a\'b'`:            "a'b",
		`"$context.status"`: "$context.status",
		"`a ${b}`":          "",
		"`plain`":           "plain",
		`'\u00e9\x41\n'`:    "éA\n",
		`'\u{1F600}'`:       "😀",
	} {
		got, ok := unquote(lit, false)
		if want == "" && ok || want != "" && (!ok || got != want) {
			t.Errorf("%s: %q %v, want %q", lit, got, ok, want)
		}
	}
	for _, q := range []byte{'\'', '"', '`'} {
		s := `{"status":"$context.status","x":'${a}'} \ ` + "\n"
		lit := quote(s, q)
		if got, ok := unquote(lit, false); !ok || got != s {
			t.Errorf("quote %c: %s reads back as %q %v", q, lit, got, ok)
		}
		if p := parseSource("x.js", []byte(lit), false); p.Problems != 0 || len(p.Toks) != 1 {
			t.Errorf("quote %c: %s is not one string token", q, lit)
		}
	}
}

func TestFrames(t *testing.T) {
	for in, want := range map[string]string{
		"new ApiStack (/app/lib/api-stack.js:15:20)":                  "/app/lib/api-stack.js:15:20",
		"at new Bucket (lib/bucket.ts:42)":                            "lib/bucket.ts:42",
		"<anonymous> (/app/bin/app.js:7:13)":                          "/app/bin/app.js:7:13",
		"Object.<anonymous> (C:\\app\\bin\\app.js:7:13)":              "C:\\app\\bin\\app.js:7:13",
		"/tmp/anon/app.js:5:31":                                       "/tmp/anon/app.js:5:31",
		"make_function (/src/app.py:12)":                              "/src/app.py:12",
		"...new Function2 in aws-cdk-lib...":                          "",
		"(no user code in 10 frames, use --stack-trace-limit to ...)": "",
		"Array.map (:)": "",
		"node:internal/main/run_main_module:28:49":                  "",
		"new Function (/app/node_modules/aws-cdk-lib/x.js:1:10397)": "",
	} {
		got := ""
		if fs := userFrames([]string{in}); len(fs) == 1 {
			got = fs[0].String()
		}
		if got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
	// The renderer cut the last digit of an arrow function's column.
	f, ok := parseFrame("/tmp/anon/app.js:5: (/tmp/anon/app.js:5:3)")
	if !ok || !f.colTens || f.col != 3 || f.line != 5 {
		t.Errorf("cut column: %+v %v", f, ok)
	}
	f, ok = parseFrame("/tmp/anon/app.js:5: (/tmp/anon/app.js:5:)")
	if !ok || f.col != 0 || f.line != 5 {
		t.Errorf("cut one-digit column: %+v %v", f, ok)
	}
}

func TestOffsetsCountUTF16(t *testing.T) {
	src := "x = 'é😀'; new Q(this)\n"
	s := parseSource("x.js", []byte(src), false)
	// V8 counts the emoji as two columns: `new` is column 12.
	off, ok := s.offsetOf(1, 12)
	if !ok || !strings.HasPrefix(src[off:], "new") {
		t.Errorf("column 12 is %q", src[off:])
	}
	if c := s.column16(off); c != 12 {
		t.Errorf("column16 %d", c)
	}
	if p := s.pos(off); p.Column != 11 {
		t.Errorf("code-point column %d, want 11", p.Column)
	}
}

func TestReparseRefusesBrokenSource(t *testing.T) {
	before := []byte("new Q(this, 'Q', { a: Duration.seconds(1) });\n")
	if err := (Reader{}).Reparse("lib/x.ts", before, []byte("new Q(this, 'Q', { a: Duration.seconds(2) });\n")); err != nil {
		t.Error(err)
	}
	if err := (Reader{}).Reparse("lib/x.ts", before, []byte("new Q(this, 'Q', { a: Duration.seconds(2) );\n")); err == nil {
		t.Error("an unbalanced brace passed")
	}
	if err := (Reader{}).Reparse("app.py", []byte("f(x=1)\n"), []byte("f(x='1)\n")); err == nil {
		t.Error("an unclosed Python string passed")
	}
}
