package rules_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/rules"
)

// The rules read the model only. These cases build it by hand, as a
// source other than CloudFormation would (Terraform's spelling here), and
// check that every rule fires where it should and words settings the way
// the source spells them, never in CloudFormation's terms.

// at is a position in main.tf.
func at(line int) loc.Range {
	p := loc.Pos{Line: line, Column: 3, Offset: line * 10}
	return loc.Range{File: "main.tf", Start: p, End: p}
}

// tfValue is a literal setting of main.tf, with the edit a Terraform
// source would offer (it records the value asked for).
func tfValue(n int64, u model.Unit, setting string, line int, edited *[]string) model.Value {
	v := model.Known(n, u)
	v.Origin, v.Setting, v.Loc = model.Literal, setting, at(line)
	v.Remedy.Edit = func(d time.Duration) []finding.TextEdit {
		*edited = append(*edited, fmt.Sprintf("%s=%d", setting, u.Count(d)))
		return []finding.TextEdit{{File: "main.tf", Start: line * 10, End: line*10 + 2, NewText: fmt.Sprint(u.Count(d))}}
	}
	return v
}

func tfResource(address string, kind model.Kind, line int) *model.Resource {
	return &model.Resource{Address: address, Kind: kind, File: "main.tf", Key: at(line)}
}

// terraformModel is an HTTP API route whose integration waits 10 s for a
// 60 s function, and a queue of 30 s feeding it, as a Terraform source
// would build them: through the Builder.
func terraformModel(edited *[]string) *model.Model {
	b := model.NewBuilder()
	fn := b.Function(&model.Function{Resource: tfResource("aws_lambda_function.report", model.KindFunction, 1), Name: "report",
		Timeout: model.Values{tfValue(60, model.InSeconds, "timeout", 3, edited)}})
	api := b.API(&model.API{Resource: tfResource("aws_api_gateway_rest_api.api", model.KindAPI, 10), Type: model.REST, EndpointType: model.Regional})
	in := &model.Integration{Resource: tfResource("aws_api_gateway_integration.report", model.KindIntegration, 20), Loc: at(20),
		Timeout: model.Values{tfValue(10000, model.InMillis, "timeout_milliseconds", 24, edited)}, Kind: model.LambdaProxy}
	b.Invokes(in, fn, "")
	b.Endpoint(api, &model.Endpoint{Method: "POST", Path: "/reports", Resource: tfResource("aws_api_gateway_method.report", model.KindMethod, 15), Loc: at(15), Integration: in})
	q := b.Queue(&model.Queue{Resource: tfResource("aws_sqs_queue.jobs", model.KindQueue, 30),
		VisibilityTimeout: model.Values{tfValue(30, model.InSeconds, "visibility_timeout_seconds", 32, edited)}})
	b.EventSource(&model.EventSource{Resource: tfResource("aws_lambda_event_source_mapping.jobs", model.KindEventSource, 40), Loc: at(40), Queue: q, Function: fn})
	return b.Model()
}

func TestRulesAreSourceNeutral(t *testing.T) {
	var edited []string
	m := terraformModel(&edited)
	if err := m.Validate(); err != nil {
		t.Fatalf("the built model is not consistent: %v", err)
	}
	cfg := rules.DefaultConfig()
	got := map[string]finding.Finding{}
	for _, r := range rules.All() {
		for _, f := range r.Check(m, &cfg) {
			got[f.RuleID] = f
		}
	}
	want := map[string][]string{
		"GL001": {"is 10000 ms", "set timeout_milliseconds to 29000"},
		"GL002": {"has timeout 60 s", "Raise timeout_milliseconds to 29000 (GL001) and set timeout to 26 s", "set timeout of aws_lambda_function.report to 26"},
		"GL003": {"which may run 60 s", "can wait at most 29 s"},
		"GL008": {"has visibility_timeout_seconds 30 s", "with timeout 60 s", "Set visibility_timeout_seconds to at least 6 × 60 = 360 s", "set visibility_timeout_seconds of aws_sqs_queue.jobs to 360"},
	}
	for id, parts := range want {
		f, ok := got[id]
		if !ok {
			t.Errorf("%s did not fire", id)
			continue
		}
		text := f.Message
		for _, fix := range f.Fixes {
			text += " | " + fix.Description
		}
		for _, r := range f.Related {
			text += " | " + r.Message
		}
		for _, p := range parts {
			if !strings.Contains(text, p) {
				t.Errorf("%s lacks %q:\n%s", id, p, text)
			}
		}
		for _, cfnWord := range []string{"TimeoutInMillis", "VisibilityTimeout ", "Timeout of", "Globals", "parameter"} {
			if strings.Contains(text, cfnWord) {
				t.Errorf("%s speaks CloudFormation (%q) of a Terraform model:\n%s", id, cfnWord, text)
			}
		}
		if f.Resource.Address == "" || f.Resource.LogicalID != "" {
			t.Errorf("%s resource %+v: want an address and no logical ID", id, f.Resource)
		}
	}
	if len(got) != len(want) {
		t.Errorf("fired %d rules, want %d", len(got), len(want))
	}
}

// TestFixOnBehalfIsDropped: GL002's fix that raises the integration
// timeout is GL001's too; the driver drops it, and GL002 says what it says
// without it, where GL001 is off or suppressed on the integration.
func TestFixOnBehalfIsDropped(t *testing.T) {
	var edited []string
	withFix := func(cfg driver.Config, ignore bool) finding.Finding {
		m := terraformModel(&edited)
		if ignore {
			m.APIs[0].Endpoints[0].Integration.Resource.Ignore = map[string]string{"INTEGRATION-TIMEOUT-BELOW-MAX": "tuned on purpose"}
		}
		cfg.Rules = rules.DefaultConfig()
		for _, f := range driver.Lint(m, cfg) {
			if f.RuleID == "GL002" {
				return f
			}
		}
		t.Fatal("no GL002")
		return finding.Finding{}
	}
	on := withFix(driver.Config{}, false)
	if len(on.Fixes) != 2 || on.Fixes[0].Behalf == nil || !strings.Contains(on.Message, "Raise timeout_milliseconds") {
		t.Fatalf("with GL001 on: fixes %+v, message %s", on.Fixes, on.Message)
	}
	for name, f := range map[string]finding.Finding{
		"GL001 off":        withFix(driver.Config{Disabled: map[string]bool{"GL001": true}}, false),
		"GL001 suppressed": withFix(driver.Config{}, true),
	} {
		if len(f.Fixes) != 1 || f.Fixes[0].Behalf != nil || strings.Contains(f.Message, "Raise timeout_milliseconds") ||
			!strings.Contains(f.Message, "Set timeout to 7 s so it fails first") {
			t.Errorf("%s: fixes %+v, message %s", name, f.Fixes, f.Message)
		}
	}
}
