package hclconfig

import (
	"strings"
	"testing"
)

func TestLoadPlan(t *testing.T) {
	p, err := LoadPlan("testdata/plan/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	if p.TerraformVersion != "1.9.5" || p.Variables["env"] != "prod" {
		t.Errorf("plan header: %+v", p)
	}
	cases := []struct {
		addr, config, module string
		attr                 string
		value                float64
		refs                 string
		unknown              string
		action               string
	}{
		{"aws_api_gateway_integration.int", "aws_api_gateway_integration.int", "", "timeout_milliseconds", 29000, "", "uri", "create"},
		{`module.fn["a"].aws_lambda_function.this[0]`, "module.fn.aws_lambda_function.this", `module.fn["a"]`, "timeout", 40, "var.timeout", "invoke_arn", "update"},
	}
	for _, c := range cases {
		t.Run(c.addr, func(t *testing.T) {
			r := p.Resource(c.addr)
			if r == nil {
				t.Fatalf("no resource")
			}
			if r.ConfigAddr != c.config || r.ModuleAddr != c.module {
				t.Errorf("addresses %q %q", r.ConfigAddr, r.ModuleAddr)
			}
			if v, _ := r.Values[c.attr].(float64); v != c.value {
				t.Errorf("%s = %v", c.attr, r.Values[c.attr])
			}
			if got := strings.Join(r.References(c.attr), ","); got != c.refs {
				t.Errorf("refs = %q", got)
			}
			if r.Unknown[c.unknown] != true {
				t.Errorf("after_unknown = %v", r.Unknown)
			}
			if len(r.Actions) != 1 || r.Actions[0] != c.action {
				t.Errorf("actions = %v", r.Actions)
			}
		})
	}
	if refs := p.Resource("aws_api_gateway_integration.int").References("uri"); len(refs) == 0 || refs[0] != `module.fn["a"].invoke_arn` {
		t.Errorf("uri refs = %v", refs)
	}
	if _, err := ParsePlan([]byte(`{"format_version": "9.0"}`)); err == nil {
		t.Errorf("an unsupported format should fail")
	}
}
