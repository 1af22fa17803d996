package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/rules"
)

// callModel is one function of the given Timeout behind a REST proxy
// integration waiting wait, whose code makes calls.
func callModel(fnTimeout, wait time.Duration, calls ...*model.Call) *model.Model {
	b := model.NewBuilder()
	ft := model.Value{Known: true, D: fnTimeout, Unit: model.InSeconds, Origin: model.Literal, Setting: "Timeout"}
	fn := b.Function(&model.Function{Resource: &model.Resource{Address: "Fn", Kind: model.KindFunction}, Timeout: model.Values{ft},
		Calls: calls, CodeRead: true})
	api := b.API(&model.API{Resource: &model.Resource{Address: "Api"}, Type: model.REST, EndpointType: model.Regional})
	in := &model.Integration{Resource: &model.Resource{Address: "M"}, Kind: model.LambdaProxy, Function: fn,
		Timeout: model.Values{{Known: true, D: wait, Unit: model.InMillis, Origin: model.Literal, Setting: "TimeoutInMillis"}}}
	b.Endpoint(api, &model.Endpoint{Method: "POST", Path: "/ask", Resource: &model.Resource{Address: "M"}, Integration: in})
	return b.Model()
}

func call(client string, timeout time.Duration, origin model.Origin, attempts int) *model.Call {
	c := &model.Call{Client: client, Lang: "Python", Loc: loc.Range{File: "app.py", Start: loc.Pos{Line: 3, Column: 5}},
		Timeout: model.Value{Known: true, D: timeout, Unit: model.InSeconds, Origin: origin, Setting: "timeout"}, Attempts: attempts, AttemptsFrom: "retries"}
	c.Fix = func(budget time.Duration) (string, []finding.TextEdit) {
		return "set timeout to " + model.Seconds(budget), []finding.TextEdit{{File: "app.py", Start: 1, End: 2, NewText: "x"}}
	}
	return c
}

func TestGL011(t *testing.T) {
	unbounded := call("requests.get", 0, model.Default, 1)
	unbounded.Unbounded = true
	fastSet := call("boto3 dynamodb client", 40*time.Second, model.Literal, 3)
	fastSet.Fast = true
	fastDefault := call("boto3 s3 client", 60*time.Second, model.Default, 5)
	fastDefault.Fast = true
	unknown := call("httpx.get", 0, model.Literal, 1)
	unknown.Timeout = model.Value{Unknown: "environment variable T is not set", Setting: "timeout"}
	cases := []struct {
		name     string
		ft, wait time.Duration
		margin   time.Duration
		call     *model.Call
		want     []string // substrings of the message and fix; nil: no finding
	}{
		{"unbounded", 60 * time.Second, 29 * time.Second, 0, unbounded, []string{"requests.get: no timeout is set", "POST /ask waits 29 s", "Bound it to 21 s, 5 s before 26 s, the longest Timeout that fits the wait (GL002)", "set timeout to 21 s"}},
		{"bounded below the wait", 60 * time.Second, 29 * time.Second, 0, call("requests.get", 20*time.Second, model.Literal, 1), nil},
		{"attempts multiply", 27 * time.Second, 29 * time.Second, 0, call("boto3 bedrock-runtime client", 10*time.Second, model.Literal, 3), []string{"timeout 10 s × 3 attempts (retries) = 30 s", "until its Timeout of 27 s ends it", "Bound it to 22 s, 5 s before its Timeout"}},
		{"the default, said", 28 * time.Second, 29 * time.Second, 0, call("boto3 bedrock-runtime client", 60*time.Second, model.Default, 5), []string{"timeout 60 s (the default) × 5 attempts (retries) = 300 s"}},
		{"a fast service with its default", 60 * time.Second, 29 * time.Second, 0, fastDefault, nil},
		{"a fast service set above the wait", 60 * time.Second, 29 * time.Second, 0, fastSet, []string{"boto3 dynamodb client: timeout 40 s × 3 attempts"}},
		{"unknown is not judged", 60 * time.Second, 29 * time.Second, 0, unknown, nil},
		{"call-margin", 27 * time.Second, 29 * time.Second, 8 * time.Second, call("requests.get", 20*time.Second, model.Literal, 1), []string{"Bound it to 19 s, 8 s before its Timeout"}},
		{"a short wait: never less than half", 60 * time.Second, 6 * time.Second, 0, call("requests.get", 5*time.Second, model.Literal, 1), []string{"Bound it to 1.5 s"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			m := callModel(tt.ft, tt.wait, tt.call)
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			cfg := rules.DefaultConfig()
			if tt.margin > 0 {
				cfg.CallMargin = tt.margin
			}
			fs := rules.GL011.Check(m, &cfg)
			if tt.want == nil {
				if len(fs) > 0 {
					t.Errorf("unexpected finding: %s", fs[0].Message)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("%d findings, want 1", len(fs))
			}
			f := fs[0]
			text := f.Message
			for _, fx := range f.Fixes {
				text += " | " + fx.Description
				if fx.Safety != finding.Unsafe {
					t.Error("the fix is not marked unsafe")
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q:\n%s", w, text)
				}
			}
			if f.Location.File != "app.py" || f.Resource.Address != "Fn" {
				t.Errorf("located at %v, filed under %s", f.Location, f.Resource.Address)
			}
		})
	}
}

// GL003 and GL006 say what the function's calls mean for its time.
func TestCallAdvice(t *testing.T) {
	unbounded := call("requests.get", 0, model.Default, 1)
	unbounded.Unbounded = true
	cfg := rules.DefaultConfig()
	for _, tc := range []struct {
		c    *model.Call
		want string
	}{
		{unbounded, "bound the function's outbound calls: requests.get at app.py:3:5 can wait longer than the integration (GL011)"},
		{call("requests.get", 3*time.Second, model.Literal, 1), "None of the 1 outbound calls in its code is likely to outlast the integration (GL011)"},
	} {
		fs := rules.GL003.Check(callModel(60*time.Second, 29*time.Second, tc.c), &cfg)
		if len(fs) != 1 || !strings.Contains(fs[0].Message, tc.want) {
			t.Errorf("GL003: %v, want %q", fs, tc.want)
		}
	}
}
