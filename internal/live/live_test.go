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
