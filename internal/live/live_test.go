package live_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/check"
	"github.com/gatelint/gatelint/internal/live"
	"github.com/gatelint/gatelint/internal/live/awsfake"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/rules"
)

const fixture = "../../fixtures/live/account.yaml"

func fake(t testing.TB, acct *awsfake.Account) *awsfake.Server { return awsfake.Serve(t, acct) }

func load(t testing.TB) *awsfake.Account {
	t.Helper()
	acct, err := awsfake.Load(fixture)
	if err != nil {
		t.Fatal(err)
	}
	return acct
}

// fast keeps retries and polling short so fault tests take milliseconds.
func fast(o live.Options) live.Options {
	o.MaxBackoff = 5 * time.Millisecond
	o.PollInterval = time.Millisecond
	o.Now = func() time.Time { return awsfake.Epoch }
	return o
}

// summary lists findings as "GL002 location" lines.
func summary(m *model.Model) []string {
	var out []string
	for _, f := range check.Lint(m, check.Config{Rules: rules.DefaultConfig()}) {
		out = append(out, f.RuleID+" "+f.Location.String())
	}
	return out
}

func TestEveryRuleFromLiveData(t *testing.T) {
	srv := fake(t, load(t))
	res := live.Read(context.Background(), fast(live.Options{}))
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	const api = "arn:aws:apigateway:us-east-1::/restapis/ordersapi/resources/"
	want := []string{
		"GL001 " + api + "res001/methods/POST",                                   // 10 s, below the raised 60 s quota
		"GL001 arn:aws:apigateway:us-east-1::/apis/httpapi1/integrations/int002", // 5 s on an HTTP API
		// Explicit timeouts below the account's raised quota of 60 s.
		"GL001 " + api + "res003/methods/POST",
		"GL001 " + api + "res004/methods/POST",
		"GL001 " + api + "res005/methods/POST",
		"GL002 arn:aws:lambda:us-east-1:123456789012:function:items-fn",
		"GL002 arn:aws:lambda:us-east-1:123456789012:function:orders-create",
		"GL002 arn:aws:lambda:us-east-1:123456789012:function:orders-get:live", // the alias's version, not $LATEST
		"GL002 arn:aws:lambda:us-east-1:123456789012:function:reports-fn",
		"GL002 arn:aws:lambda:us-east-1:123456789012:function:worker-prod", // through stage variable of prod
		"GL003 " + api + "res003/methods/POST",
		"GL004 arn:aws:apigateway:us-east-1::/restapis/legacyapi/resources/res101/methods/GET",
		"GL008 arn:aws:sqs:us-east-1:123456789012:jobs",
		"GL008 arn:aws:sqs:us-east-1:123456789012:fast",
		// No access log, and a format that cannot show timeouts.
		"GL009 arn:aws:apigateway:us-east-1::/restapis/legacyapi/stages/v1",
		"GL009 arn:aws:apigateway:us-east-1::/restapis/ordersapi/stages/dev",
	}
	got := summary(res.Model)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Account != "123456789012" || res.APIs != 4 {
		t.Errorf("account %q, %d APIs; want 123456789012, 4", res.Account, res.APIs)
	}
	for _, c := range srv.Calls() {
		if strings.HasSuffix(c, ".GetIntegration") || strings.HasSuffix(c, ".GetMethod") {
			t.Errorf("called %s: embed=methods gives every integration", c)
		}
	}
}

// calls counts operations by name.
func calls(srv *awsfake.Server) map[string]int {
	n := map[string]int{}
	for _, c := range srv.Calls() {
		n[c]++
	}
	return n
}

func TestPaging(t *testing.T) {
	srv := fake(t, load(t))
	live.Read(context.Background(), fast(live.Options{}))
	n := calls(srv)
	for op, min := range map[string]int{
		"apigateway.GetRestApis":          1, // two APIs: one page of 2
		"apigateway.GetResources":         4, // 6 resources of orders in 3 pages, 1 of legacy
		"apigatewayv2.GetApis":            1,
		"apigatewayv2.GetRoutes":          3, // 4 routes of public: 2 pages; 2 of chat: 1
		"apigatewayv2.GetIntegrations":    3,
		"lambda.ListFunctions":            5,
		"lambda.ListEventSourceMappings":  2,
		"servicequotas.ListServiceQuotas": 2,
	} {
		if n[op] < min {
			t.Errorf("%s called %d times, want at least %d (paging)", op, n[op], min)
		}
	}
	if got := n["lambda.GetFunctionConfiguration"]; got != 1 {
		t.Errorf("GetFunctionConfiguration called %d times, want 1 (the alias orders-get:live)", got)
	}
}

func TestFaults(t *testing.T) {
	clean := func() []string {
		t.Helper()
		var got []string
		t.Run("clean", func(t *testing.T) {
			fake(t, load(t))
			got = summary(live.Read(context.Background(), fast(live.Options{})).Model)
		})
		return got
	}()
	tests := []struct {
		name   string
		faults awsfake.Faults
		opts   live.Options
		// errs are the error entries wanted, as "resource: message prefix".
		errs []string
		// same: the findings are those of the clean run; else missing
		// lists findings the failure hides.
		missing []string
		extra   []string
	}{
		{name: "throttling storm", faults: awsfake.Faults{Storm: 12}},
		{name: "throttled to 40 calls a second", faults: awsfake.Faults{Rate: 40, Burst: 3}},
		{name: "AccessDenied on one API",
			faults:  awsfake.Faults{Rules: []*awsfake.FaultRule{{Operation: "GetResources", Match: "legacyapi", Kind: "denied"}}},
			errs:    []string{"arn:aws:apigateway:us-east-1::/restapis/legacyapi/resources: access denied: the audit needs apigateway:GET on arn:aws:apigateway:us-east-1::/restapis/legacyapi/resources"},
			missing: []string{"GL004 arn:aws:apigateway:us-east-1::/restapis/legacyapi/resources/res101/methods/GET"}},
		{name: "AccessDenied on the quota: the default ceiling applies",
			faults: awsfake.Faults{Rules: []*awsfake.FaultRule{{Operation: "ListServiceQuotas", Kind: "denied"}}},
			errs:   []string{"arn:aws:servicequotas:us-east-1::apigateway/Maximum integration timeout in milliseconds: access denied: the audit needs servicequotas:ListServiceQuotas"},
			missing: []string{
				"GL001 arn:aws:apigateway:us-east-1::/restapis/ordersapi/resources/res003/methods/POST",
				"GL001 arn:aws:apigateway:us-east-1::/restapis/ordersapi/resources/res004/methods/POST",
				"GL001 arn:aws:apigateway:us-east-1::/restapis/ordersapi/resources/res005/methods/POST",
			},
			extra: []string{
				"GL004 arn:aws:apigateway:us-east-1::/restapis/ordersapi/resources/res003/methods/POST",
				// Functions longer than 29 s can no longer be waited for.
				"GL003 arn:aws:apigateway:us-east-1::/restapis/ordersapi/resources/res001/methods/POST",
				"GL003 arn:aws:apigateway:us-east-1::/restapis/ordersapi/resources/res002/methods/GET",
				"GL003 arn:aws:apigateway:us-east-1::/restapis/ordersapi/resources/res004/methods/POST",
			}},
		{name: "500s after every retry",
			faults:  awsfake.Faults{Rules: []*awsfake.FaultRule{{Operation: "GetQueueAttributes", Match: "/jobs", Kind: "500"}}},
			opts:    live.Options{MaxAttempts: 3},
			errs:    []string{"arn:aws:sqs:us-east-1:123456789012:jobs: sqs:GetQueueAttributes failed: InternalFailure"},
			missing: []string{"GL008 arn:aws:sqs:us-east-1:123456789012:jobs"}},
		{name: "a slow call times out alone",
			faults:  awsfake.Faults{Rules: []*awsfake.FaultRule{{Operation: "GetFunctionConfiguration", Kind: "slow", Delay: 5 * time.Second}}},
			opts:    live.Options{CallTimeout: 100 * time.Millisecond},
			errs:    []string{"arn:aws:lambda:us-east-1:123456789012:function:orders-get:live: timed out reading it (lambda:GetFunctionConfiguration)"},
			missing: []string{"GL002 arn:aws:lambda:us-east-1:123456789012:function:orders-get:live"}},
		{name: "a function deleted mid-scan",
			faults:  awsfake.Faults{Rules: []*awsfake.FaultRule{{Operation: "GetFunctionConfiguration", Kind: "notfound"}}},
			errs:    []string{"arn:aws:lambda:us-east-1:123456789012:function:orders-get:live: not found: deleted while the audit ran?"},
			missing: []string{"GL002 arn:aws:lambda:us-east-1:123456789012:function:orders-get:live"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			acct := load(t)
			acct.Faults = tc.faults
			srv := fake(t, acct)
			res := live.Read(context.Background(), fast(tc.opts))
			var errs []string
			for _, e := range res.Errors {
				errs = append(errs, e.Error())
			}
			if len(errs) != len(tc.errs) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(tc.errs, "\n"))
			}
			for i := range min(len(errs), len(tc.errs)) {
				if !strings.HasPrefix(errs[i], tc.errs[i]) {
					t.Errorf("error %q, want it to start with %q", errs[i], tc.errs[i])
				}
			}
			var want []string
			for _, f := range clean {
				if !slices.Contains(tc.missing, f) {
					want = append(want, f)
				}
			}
			want = append(want, tc.extra...)
			got := summary(res.Model)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if !res.Read {
				t.Error("Read is false, but most of the account was read")
			}
			if tc.faults.Storm > 0 || tc.faults.Rate > 0 {
				throttled := int64(len(srv.Calls()))
				if res.Calls != throttled {
					t.Errorf("the audit counted %d calls, the fake saw %d", res.Calls, throttled)
				}
			}
		})
	}
}
