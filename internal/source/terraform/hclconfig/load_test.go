package hclconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

func load(t *testing.T, dir string, opts Options) *Config {
	t.Helper()
	if opts.ProjectRoot == "" {
		opts.ProjectRoot = filepath.Join("testdata", dir)
	}
	cfg, _ := Load(filepath.Join("testdata", dir), opts)
	if cfg == nil {
		t.Fatalf("Load(%s) returned no config", dir)
	}
	return cfg
}

func attr(t *testing.T, cfg *Config, res, name string) *AttrValue {
	t.Helper()
	ri := cfg.Resource(res)
	if ri == nil {
		var all []string
		for _, r := range cfg.Resources {
			all = append(all, r.Addr)
		}
		t.Fatalf("no resource %s; have %s", res, strings.Join(all, ", "))
	}
	a := ri.Attr(name)
	if a == nil {
		t.Fatalf("%s has no attribute %s", res, name)
	}
	return a
}

func num(v cty.Value) (int64, bool) {
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
		return 0, false
	}
	i, _ := v.AsBigFloat().Int64()
	return i, true
}

func str(v cty.Value) (string, bool) {
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

func hasDiag(diags hcl.Diagnostics, substr string) *hcl.Diagnostic {
	for _, d := range diags {
		if strings.Contains(d.Summary+": "+d.Detail, substr) {
			return d
		}
	}
	return nil
}

func TestKnownValues(t *testing.T) {
	cfg := load(t, "basic", Options{})
	cases := []struct {
		res, attr string
		want      any // int64 or string
	}{
		{"aws_lambda_function.api", "timeout", int64(20)},      // override file replaces var.timeout
		{"aws_lambda_function.api", "memory_size", int64(256)}, // terraform.tfvars
		{"aws_lambda_function.api", "function_name", "api-override"},
		{"aws_lambda_function.api", "handler", "index.handler"},
		{"aws_lambda_function.counted[0]", "timeout", int64(5)},
		{"aws_lambda_function.counted[1]", "timeout", int64(6)},
		{"aws_lambda_function.counted[1]", "function_name", "f-1"},
		{`aws_lambda_function.each["a"]`, "timeout", int64(3)},
		{`aws_lambda_function.each["b"]`, "function_name", "b"},
		{"aws_sqs_queue.q", "name", "api-override-queue"},
		{"aws_lambda_event_source_mapping.m", "function_name", "f-1"},
		{"aws_api_gateway_stage.s", "stage_name", "auto-b"}, // auto.tfvars in lexical order beat terraform.tfvars
	}
	for _, c := range cases {
		t.Run(c.res+"."+c.attr, func(t *testing.T) {
			a := attr(t, cfg, c.res, c.attr)
			switch w := c.want.(type) {
			case int64:
				if got, ok := num(a.Val); !ok || got != w {
					t.Errorf("got %#v, want %d (reasons %v)", a.Val, w, a.Reasons())
				}
			case string:
				if got, ok := str(a.Val); !ok || got != w {
					t.Errorf("got %#v, want %q (reasons %v)", a.Val, w, a.Reasons())
				}
			}
		})
	}
}

func TestUnknownReasonsAndOrigins(t *testing.T) {
	cfg := load(t, "basic", Options{})
	cases := []struct {
		res, attr  string
		reason     string // a substring of one reason
		originAddr string // an origin that must be present
		originAttr string
	}{
		{"aws_api_gateway_integration.int", "uri", "aws_lambda_function.api.invoke_arn is known only after apply", "aws_lambda_function.api", "invoke_arn"},
		{"aws_api_gateway_integration.via_local", "uri", "aws_lambda_function.api.arn is known only after apply", "aws_lambda_function.api", "arn"},
		{"aws_sqs_queue.q", "visibility_timeout_seconds", "data.aws_ssm_parameter.vis.value is known only after apply", "data.aws_ssm_parameter.vis", "value"},
		{"aws_api_gateway_integration.int", "timeout_milliseconds", "var.env has no default and no value was given", "var.env", ""},
		{"aws_lambda_function.escapes", "description", "outside the project root", "", ""},
		{"aws_lambda_event_source_mapping.m", "event_source_arn", "aws_sqs_queue.q.arn is known only after apply", "aws_sqs_queue.q", "arn"},
	}
	for _, c := range cases {
		t.Run(c.res+"."+c.attr, func(t *testing.T) {
			a := attr(t, cfg, c.res, c.attr)
			if a.Known() {
				t.Fatalf("got known %#v", a.Val)
			}
			if !strings.Contains(strings.Join(a.Reasons(), "\n"), c.reason) {
				t.Errorf("reasons %q lack %q", a.Reasons(), c.reason)
			}
			if c.originAddr != "" {
				found := false
				for _, o := range a.Origins {
					found = found || (o.Addr == c.originAddr && o.Attr == c.originAttr)
				}
				if !found {
					t.Errorf("origins %+v lack %s %s", a.Origins, c.originAddr, c.originAttr)
				}
			}
		})
	}
	// A known value that came from another resource's configuration is linked.
	a := attr(t, cfg, "aws_lambda_event_source_mapping.m", "function_name")
	if len(a.Origins) != 1 || a.Origins[0].Addr != "aws_lambda_function.counted[1]" || a.Origins[0].Reason != "" {
		t.Errorf("function_name origins = %+v", a.Origins)
	}
	// References are listed statically.
	uri := attr(t, cfg, "aws_api_gateway_integration.via_local", "uri")
	var subj []string
	for _, r := range uri.Refs {
		subj = append(subj, string(r.Kind)+":"+r.Subject+"."+r.Attr)
	}
	if got := strings.Join(subj, " "); got != "data:data.aws_region.current.name resource:aws_lambda_function.api.arn" {
		t.Errorf("refs = %s", got)
	}
	if d := hasDiag(cfg.Diags, "outside the project root"); d == nil || d.Subject == nil || !strings.HasSuffix(d.Subject.Filename, "api.tf") {
		t.Errorf("no located diagnostic for the escaping file(): %v", d)
	}
}

func TestConditionalAlternatives(t *testing.T) {
	cfg := load(t, "basic", Options{})
	cases := []struct {
		res, attr string
		want      []int64
		cond      string
	}{
		{"aws_api_gateway_integration.int", "timeout_milliseconds", []int64{29000, 20000, 10000}, `var.env == "prod"`},
		{"aws_api_gateway_integration.via_local", "timeout_milliseconds", []int64{29000, 10000}, `var.env == "prod"`},
	}
	for _, c := range cases {
		t.Run(c.res, func(t *testing.T) {
			a := attr(t, cfg, c.res, c.attr)
			if len(a.Alternatives) != len(c.want) {
				t.Fatalf("got %d alternatives, want %d: %+v", len(a.Alternatives), len(c.want), a.Alternatives)
			}
			for i, alt := range a.Alternatives {
				if got, ok := num(alt.Val); !ok || got != c.want[i] {
					t.Errorf("alternative %d = %#v, want %d", i, alt.Val, c.want[i])
				}
			}
			first := a.Alternatives[0]
			if len(first.Conditions) == 0 || first.Conditions[0].Text != c.cond || !first.Conditions[0].Holds {
				t.Errorf("conditions = %+v", first.Conditions)
			}
			last := a.Alternatives[len(a.Alternatives)-1]
			if last.Conditions[0].Holds {
				t.Errorf("the last alternative should be the false branch: %+v", last.Conditions)
			}
			if last.Range.Start.Byte >= last.Range.End.Byte {
				t.Errorf("branch range %v", last.Range)
			}
		})
	}
	// With the variable given, the conditional is decided.
	cfg = load(t, "basic", Options{Vars: []VarArg{{Name: "env", Value: "test"}}})
	a := attr(t, cfg, "aws_api_gateway_integration.int", "timeout_milliseconds")
	if got, _ := num(a.Val); got != 20000 || a.Alternatives != nil {
		t.Errorf("got %#v with %d alternatives", a.Val, len(a.Alternatives))
	}
}

func TestExpansion(t *testing.T) {
	cfg := load(t, "basic", Options{})
	root := cfg.Root
	maybe := cfg.Resource("aws_lambda_function.maybe[?]")
	for _, r := range root.Resources {
		if r.Resource.Name == "maybe" {
			maybe = r
		}
	}
	if maybe == nil || !maybe.KeyUnknown || !strings.Contains(maybe.ExpansionReason, "count of aws_lambda_function.maybe is not known") {
		t.Fatalf("maybe = %+v", maybe)
	}
	if got, _ := num(maybe.Attr("timeout").Val); got != 7 {
		t.Errorf("unknown-count resource still evaluates its attributes, got %#v", maybe.Attr("timeout").Val)
	}
	disabled := false
	for _, r := range root.Disabled {
		disabled = disabled || r.Addr == "aws_lambda_function.off"
	}
	if !disabled || cfg.Resource("aws_lambda_function.off[0]") != nil {
		t.Errorf("count = 0 should leave no instance and list the resource as disabled")
	}
	// With env=prod the count is known: one instance.
	cfg = load(t, "basic", Options{Env: []string{"TF_VAR_env=prod"}})
	if cfg.Resource("aws_lambda_function.maybe[0]") == nil {
		t.Errorf("TF_VAR_env=prod should give maybe[0]")
	}
}

func TestNestedAndDynamicBlocks(t *testing.T) {
	cfg := load(t, "basic", Options{})
	st := cfg.Resource("aws_api_gateway_stage.s")
	als := st.Body.BlocksOfType("access_log_settings")
	if len(als) != 1 {
		t.Fatalf("access_log_settings: %d", len(als))
	}
	f := als[0].Attrs["format"]
	if s, ok := str(f.Val); !ok || !strings.Contains(s, "$context.requestId") {
		t.Errorf("format = %#v", f.Val)
	}
	if f.Range.Start.Line != 38 || f.ValueRange.Start.Byte <= f.NameRange.End.Byte {
		t.Errorf("format ranges: %v %v", f.Range, f.ValueRange)
	}
	ms := st.Body.BlocksOfType("method_settings")
	if len(ms) != 2 {
		t.Fatalf("method_settings: %d", len(ms))
	}
	if p, _ := str(ms[0].Attrs["method_path"].Val); p != "*/*" {
		t.Errorf("method_path = %#v", ms[0].Attrs["method_path"].Val)
	}
	if n, _ := num(ms[1].Attrs["throttle"].Val); n != 5 || ms[1].Dynamic == nil {
		t.Errorf("throttle = %#v", ms[1].Attrs["throttle"].Val)
	}
	canary := st.Body.BlocksOfType("canary")
	if len(canary) != 1 || canary[0].DynamicKey.IsKnown() {
		t.Errorf("a dynamic block with unknown for_each gives one block with an unknown key: %+v", canary)
	}
	// The environment block was replaced by the override file's block.
	env := cfg.Resource("aws_lambda_function.api").Body.BlocksOfType("environment")
	if len(env) != 1 || !strings.HasSuffix(env[0].Block.Filename(), "main_override.tf") {
		t.Errorf("environment blocks = %+v", env)
	}
}

func TestOpenAPIBodies(t *testing.T) {
	cfg := load(t, "basic", Options{})
	// jsonencode with an unknown uri: the body is unknown but linked.
	b := attr(t, cfg, "aws_api_gateway_rest_api.json_body", "body")
	if b.Known() {
		t.Fatalf("body should be unknown (it holds invoke_arn)")
	}
	linked := false
	for _, o := range b.Origins {
		linked = linked || o.Addr == "aws_lambda_function.api" && o.Attr == "invoke_arn"
	}
	if !linked {
		t.Errorf("origins %+v", b.Origins)
	}
	// templatefile + yamldecode with known inputs is known.
	spec := cfg.Root.Locals["spec_ms"]
	if n, ok := num(spec.Val); !ok || n != 12000 {
		t.Errorf("spec_ms = %#v %v", spec.Val, spec.Reasons())
	}
	tpl := attr(t, cfg, "aws_api_gateway_rest_api.tpl_body", "body")
	if tpl.Known() || !strings.Contains(strings.Join(tpl.Reasons(), ""), "invoke_arn") {
		t.Errorf("tpl body = %#v %v", tpl.Val, tpl.Reasons())
	}
}

func TestVariablePrecedence(t *testing.T) {
	extra, _ := filepath.Abs("testdata/basic/extra.tfvars")
	cases := []struct {
		name    string
		opts    Options
		memory  int64
		source  VarSource
		wantLn  int    // line of the setting, 0 when none
		wantFil string // file suffix
	}{
		{"tfvars", Options{}, 256, FromTFVars, 1, "terraform.tfvars"},
		{"env below tfvars", Options{Env: []string{"TF_VAR_memory=64"}}, 256, FromTFVars, 1, "terraform.tfvars"},
		{"var file", Options{Vars: []VarArg{{File: extra}}}, 1024, FromVarFile, 1, "extra.tfvars"},
		{"cli after file", Options{Vars: []VarArg{{File: extra}, {Name: "memory", Value: "2048"}}}, 2048, FromCLI, 0, ""},
		{"file after cli", Options{Vars: []VarArg{{Name: "memory", Value: "2048"}, {File: extra}}}, 1024, FromVarFile, 1, "extra.tfvars"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := load(t, "basic", c.opts)
			v := cfg.Root.Vars["memory"]
			got, _ := num(v.Value.Val)
			if v.Value.Val.Type() == cty.String { // untyped variable: -var gives a string
				n, _ := toNumber(v.Value.Val)
				got, _ = num(n)
			}
			if got != c.memory || v.Source != c.source {
				t.Errorf("memory = %#v from %s, want %d from %s", v.Value.Val, v.Source, c.memory, c.source)
			}
			if c.wantLn != 0 && (v.Range.Start.Line != c.wantLn || !strings.HasSuffix(v.File, c.wantFil)) {
				t.Errorf("set at %s %v", v.File, v.Range)
			}
		})
	}
	cfg := load(t, "basic", Options{})
	tv := cfg.Root.Vars["timeout"]
	if tv.Source != FromDefault || tv.ValueRange.Start.Line != 3 {
		t.Errorf("timeout default at %v (%s)", tv.ValueRange, tv.Source)
	}
	env := cfg.Root.Vars["env"]
	if env.Source != Unset || env.Value.Known() {
		t.Errorf("env = %+v", env)
	}
	cfg = load(t, "basic", Options{Env: []string{"TF_VAR_env=test", "TF_VAR_timeout=17"}})
	if v := cfg.Root.Vars["timeout"]; v.Source != FromEnv || v.EnvName != "TF_VAR_timeout" {
		t.Errorf("timeout from env: %+v", v)
	} else if n, _ := num(v.Value.Val); n != 17 {
		t.Errorf("TF_VAR_timeout converted to number: %#v", v.Value.Val)
	}
}

func TestAnnotations(t *testing.T) {
	cfg := load(t, "basic", Options{})
	api := cfg.Resource("aws_lambda_function.api").Resource.Block
	if a, ok := Ignores(api.Annotations, "GL002"); !ok || a.Reason != "the client polls" {
		t.Errorf("block annotations = %+v", api.Annotations)
	}
	tm := cfg.Resource("aws_api_gateway_integration.int").Resource.Block.Attr("timeout_milliseconds")
	if a, ok := Ignores(tm.Annotations, "GL004"); !ok || a.Reason != "kept short on purpose" || len(a.Rules) != 2 {
		t.Errorf("attribute annotations = %+v", tm.Annotations)
	}
	if _, ok := Ignores(tm.Annotations, "GL002"); ok {
		t.Errorf("GL002 is not ignored on timeout_milliseconds")
	}
	uri := cfg.Resource("aws_api_gateway_integration.int").Resource.Block.Attr("uri")
	if len(uri.Annotations) != 0 {
		t.Errorf("uri has no annotation: %+v", uri.Annotations)
	}
	cases := []struct {
		text   string
		ok     bool
		rules  string
		reason string
	}{
		{"# gatelint:ignore GL002 reason here", true, "GL002", "reason here"},
		{"// gatelint:ignore GL001,GL002", true, "GL001,GL002", ""},
		{"# gatelint:ignore: GL009 -- why", true, "GL009", "why"},
		{"# gatelint:ignore", true, "all", ""},
		{"# gatelint:ignored GL002", false, "", ""},
		{"# tflint-ignore: aws_x", false, "", ""},
		{"/* gatelint:ignore GL005 block comment */", true, "GL005", "block comment"},
	}
	for _, c := range cases {
		a, ok := parseAnnotation(c.text)
		if ok != c.ok || ok && (strings.Join(a.Rules, ",") != c.rules || a.Reason != c.reason) {
			t.Errorf("%q: got %v %+v", c.text, ok, a)
		}
	}
}

func TestModules(t *testing.T) {
	cfg := load(t, "modules", Options{})
	// The local module's input sets the function timeout, and the value
	// remembers the caller's argument.
	fn := cfg.Module("module.fn")
	if fn == nil || fn.NotLoaded != "" {
		t.Fatalf("module.fn = %+v", fn)
	}
	to := attr(t, cfg, "module.fn.aws_lambda_function.this[0]", "timeout")
	if n, _ := num(to.Val); n != 40 {
		t.Errorf("timeout = %#v", to.Val)
	}
	vt := fn.Vars["timeout"]
	if vt.Source != FromCaller || vt.Attr == nil || !strings.HasSuffix(vt.File, filepath.Join("modules", "main.tf")) || vt.Range.Start.Line != 9 {
		t.Errorf("var.timeout of module.fn set at %s %v (%s)", vt.File, vt.Range, vt.Source)
	}
	trace := Trace(cfg, fn, to.Attribute)
	if len(trace) != 3 || trace[len(trace)-1].Source != FromDefault || trace[len(trace)-1].Range.Start.Line != 3 {
		t.Errorf("trace = %+v", trace)
	}
	// for_each and count module instances.
	for _, addr := range []string{`module.fns["a"].aws_lambda_function.this[0]`, `module.fns["b"].aws_lambda_function.this[0]`, "module.counted[0].aws_lambda_function.this[0]"} {
		if cfg.Resource(addr) == nil {
			t.Errorf("no %s", addr)
		}
	}
	if s, _ := str(attr(t, cfg, `module.fns["b"].aws_lambda_function.this[0]`, "function_name").Val); s != "fn-b" {
		t.Errorf("fns[b] name = %q", s)
	}
	// Output through a module into another module: the integration's uri
	// is linked to the function inside module.fn.
	uri := attr(t, cfg, "module.api.aws_api_gateway_integration.this", "uri")
	linked := false
	for _, o := range uri.Origins {
		linked = linked || o.Addr == "module.fn.aws_lambda_function.this[0]" && o.Attr == "invoke_arn"
	}
	if !linked || uri.Known() {
		t.Errorf("uri origins = %+v", uri.Origins)
	}
	if s, _ := str(cfg.Root.Outputs["fn_name"].Val); s != "orders" {
		t.Errorf("output fn_name = %#v", cfg.Root.Outputs["fn_name"].Val)
	}
	// A registry module without downloaded source is reported, with its
	// inputs evaluated, and its outputs are unknown with a reason.
	reg := cfg.Module("module.registry_lambda")
	if reg == nil || reg.NotLoaded == "" || reg.Source != "terraform-aws-modules/lambda/aws" || reg.Version != "~> 7.0" {
		t.Fatalf("registry module = %+v", reg)
	}
	if n, _ := num(reg.Inputs["timeout"].Val); n != 60 || reg.Inputs["timeout"].Range.Start.Line != 36 {
		t.Errorf("registry timeout input = %#v at %v", reg.Inputs["timeout"].Val, reg.Inputs["timeout"].Range)
	}
	iu := attr(t, cfg, "aws_apigatewayv2_integration.reg", "integration_uri")
	if iu.Known() || len(iu.Origins) != 1 || iu.Origins[0].Kind != OriginModule || iu.Origins[0].Addr != "module.registry_lambda" || iu.Origins[0].Attr != "lambda_function_invoke_arn" {
		t.Errorf("integration_uri origins = %+v", iu.Origins)
	}
}

func TestInstalledModules(t *testing.T) {
	cfg := load(t, "installed", Options{})
	if n, _ := num(attr(t, cfg, "module.lambda.aws_lambda_function.this", "timeout").Val); n != 90 {
		t.Errorf("installed module timeout = %d", n)
	}
	if n, _ := num(attr(t, cfg, "module.lambda.module.inner.aws_sqs_queue.q", "visibility_timeout_seconds").Val); n != 540 {
		t.Errorf("nested installed module = %d", n)
	}
}

func TestModuleCycles(t *testing.T) {
	for _, dir := range []string{"selfcall", "cycle"} {
		t.Run(dir, func(t *testing.T) {
			cfg := load(t, dir, Options{})
			d := hasDiag(cfg.Diags, "Module calls itself")
			if d == nil || d.Subject == nil {
				t.Fatalf("no cycle diagnostic: %v", cfg.Diags)
			}
			bad := 0
			for _, m := range cfg.Modules {
				if strings.HasPrefix(m.NotLoaded, "module cycle") {
					bad++
				}
			}
			if bad != 1 {
				t.Errorf("%d modules marked as cycles", bad)
			}
		})
	}
	if cfg := load(t, "selfcall", Options{}); cfg.Resource("aws_lambda_function.f") == nil {
		t.Errorf("the rest of the configuration still loads")
	}
}

func TestJSONSyntax(t *testing.T) {
	cfg := load(t, "json", Options{})
	fn := cfg.Resource("aws_lambda_function.fn")
	if n, _ := num(fn.Attr("timeout").Val); n != 15 {
		t.Errorf("timeout = %#v", fn.Attr("timeout").Val)
	}
	if n, _ := num(fn.Attr("memory_size").Val); n != 512 {
		t.Errorf("override.tf.json memory_size = %#v", fn.Attr("memory_size"))
	}
	if len(fn.Body.BlocksOfType("environment")) != 1 {
		t.Errorf("environment block not decoded")
	}
	e, err := fn.Resource.Block.InsertAttribute("handler", `"index.handler"`)
	if err != nil {
		t.Fatal(err)
	}
	src := cfg.Sources[e.Filename]
	out, err := ApplyEdits(src, []Edit{e})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, diags := ParseFile(e.Filename, out); diags.HasErrors() {
		t.Errorf("patched JSON does not parse: %v\n%s", diags, out)
	}
}

func TestParseErrorsAndOverrides(t *testing.T) {
	cfg := load(t, "parseerr", Options{})
	d := hasDiag(cfg.Diags, "")
	if !cfg.Diags.HasErrors() || d.Subject == nil || !strings.HasSuffix(d.Subject.Filename, "bad.tf") || d.Subject.Start.Line != 2 {
		t.Errorf("diags = %v", cfg.Diags)
	}
	if !strings.Contains(cfg.Diags.Error(), "bad.tf:2,") {
		t.Errorf("diagnostics carry file:line,col: %s", cfg.Diags.Error())
	}
	if cfg.Resource("aws_lambda_function.ok") == nil {
		t.Errorf("good.tf still loads")
	}
	cfg = load(t, "missingbase", Options{})
	if hasDiag(cfg.Diags, "Missing base block for override") == nil {
		t.Errorf("diags = %v", cfg.Diags)
	}
}

func TestCaps(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "main.tf", `
resource "aws_lambda_function" "many" {
  count   = 100000000
  timeout = count.index
}
locals {
  r = range(100000000)
  f = format("%999999999d", 1)
}
`)
	cfg, _ := Load(dir, Options{MaxInstances: 50})
	n := 0
	for _, r := range cfg.Resources {
		if r.Resource.Name == "many" {
			n++
		}
	}
	if n != 50 || hasDiag(cfg.Diags, "Too many instances") == nil {
		t.Errorf("%d instances; diags %v", n, cfg.Diags)
	}
	if cfg.Root.Locals["r"].Known() || cfg.Root.Locals["f"].Known() {
		t.Errorf("capped functions should fail")
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOutsideProjectRoot(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "root")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{root, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(t, outside, "main.tf", `resource "aws_lambda_function" "x" { timeout = 1 }`)
	write(t, outside, "secret.txt", "secret")
	write(t, root, "main.tf", `
module "out" {
  source = "../outside"
}
locals {
  s = file("../outside/secret.txt")
  t = templatefile("/etc/hostname", {})
}
`)
	cfg, _ := Load(root, Options{ProjectRoot: root})
	m := cfg.Module("module.out")
	if m == nil || !strings.Contains(m.NotLoaded, "outside the project root") {
		t.Errorf("module.out = %+v", m)
	}
	for _, name := range []string{"s", "t"} {
		if v := cfg.Root.Locals[name]; v.Known() || !strings.Contains(strings.Join(v.Reasons(), ""), "outside the project root") {
			t.Errorf("local.%s = %#v %v", name, v.Val, v.Reasons())
		}
	}
}
