package live_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/live"
	"github.com/gatelint/gatelint/internal/source/live/awsfake"
	"github.com/gatelint/gatelint/rules"
)

const fixture = "../../../fixtures/live/account.yaml"

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
	for _, f := range driver.Lint(m, driver.Config{Rules: rules.DefaultConfig()}) {
		out = append(out, f.RuleID+" "+f.Location.String())
	}
	return out
}

func TestEveryRuleFromLiveData(t *testing.T) {
	srv := fake(t, load(t))
	res := read(t, context.Background(), fast(live.Options{}))
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	const api = "arn:aws:apigateway:us-east-1::/restapis/ordersapi/resources/"
	want := []string{
		"GL001 " + api + "res001/methods/POST",                                   // 10 s, below the standard 29 s
		"GL001 arn:aws:apigateway:us-east-1::/apis/httpapi1/integrations/int002", // 5 s on an HTTP API
		// Explicit timeouts of 29 s and 45 s are not below the standard
		// maximum: the account's raised quota of 60 s is no target.
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
	read(t, context.Background(), fast(live.Options{}))
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
			got = summary(read(t, context.Background(), fast(live.Options{})).Model)
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
			extra: []string{
				"GL004 arn:aws:apigateway:us-east-1::/restapis/ordersapi/resources/res003/methods/POST",
				// 60 s functions are long work for a 29 s ceiling (the 40 s
				// one is not: below 1.5 × 29 s).
				"GL003 arn:aws:apigateway:us-east-1::/restapis/ordersapi/resources/res001/methods/POST",
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
			res := read(t, context.Background(), fast(tc.opts))
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

// observations lists what the Insights queries saw, one line each.
func observations(m *model.Model) []string {
	var out []string
	for _, o := range m.Observations {
		line := fmt.Sprintf("%s %s %s %s %s template=%v requests=%d timeouts=%d other5xx=%d", o.LogGroup, o.APIID, o.Stage, o.Method, o.Path, o.PathIsTemplate, o.Requests, o.Timeouts, o.Other5xx)
		if p := o.Percentiles; p != nil {
			line += fmt.Sprintf(" completed=%d p50=%d p95=%d p99=%d max=%d", p.Completed, p.P50, p.P95, p.P99, p.Max)
		}
		out = append(out, line)
	}
	return out
}

func TestInsights(t *testing.T) {
	want := []string{
		"/aws/apigateway/orders-prod ordersapi prod GET /orders/{id} template=true requests=5000 timeouts=0 other5xx=2 completed=4998 p50=40 p95=120 p99=300 max=900",
		// Two time buckets merged: counts add, the larger percentile stays.
		"/aws/apigateway/orders-prod ordersapi prod POST /reports template=true requests=200 timeouts=10 other5xx=2 completed=188 p50=8200 p95=27000 p99=29500 max=29800",
		"/aws/apigateway/public httpapi1 $default GET /items template=true requests=900 timeouts=0 other5xx=0 completed=900 p50=20 p95=40 p99=80 max=150",
	}
	for _, tc := range []struct {
		name     string
		rowLimit int
		// minQueries is the least number of queries the answer needs.
		minQueries int
	}{
		{"one query per format", 0, 2},
		// Five rows per answer: the window over orders-prod (seven
		// rows) is halved until each half fits.
		{"windows halved when an answer is full", 5, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake(t, load(t))
			res := read(t, context.Background(), fast(live.Options{Logs: true, Since: 24 * time.Hour, RowLimit: tc.rowLimit}))
			if len(res.Errors) > 0 {
				t.Fatalf("errors: %v", res.Errors)
			}
			got := observations(res.Model)
			if !slices.Equal(got, want) {
				t.Errorf("observations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if n := calls(srv)["logs.StartQuery"]; n < tc.minQueries {
				t.Errorf("%d queries, want at least %d", n, tc.minQueries)
			}
		})
	}
}

// TestInsightsLimits: 120 stages, each logging to its own group, need
// three queries of at most 50 groups; the fake refuses more than 50
// groups per query and more than 30 queries at once.
func TestInsightsLimits(t *testing.T) {
	acct := &awsfake.Account{ID: "123456789012", Regions: map[string]*awsfake.Region{"us-east-1": {}}}
	reg := acct.Regions["us-east-1"]
	const format = `{"status":"$context.status","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","integrationLatency":"$context.integrationLatency"}`
	for i := range 120 {
		group := fmt.Sprintf("/aws/apigateway/api%03d", i)
		reg.RestAPIs = append(reg.RestAPIs, &awsfake.RestAPI{ID: fmt.Sprintf("api%03d", i), Name: fmt.Sprintf("api%03d", i), EndpointType: "REGIONAL",
			Stages: []*awsfake.Stage{{Name: "prod", AccessLog: &awsfake.AccessLog{Destination: "arn:aws:logs:us-east-1:123456789012:log-group:" + group, Format: format}}}})
		reg.Insights = append(reg.Insights, &awsfake.InsightsRow{LogGroup: group, Time: awsfake.Epoch.Add(-time.Hour),
			Fields: map[string]string{"@log": "123456789012:" + group, "httpMethod": "GET", "resourcePath": "/", "requests": "3"}})
	}
	srv := fake(t, acct)
	res := read(t, context.Background(), fast(live.Options{Logs: true, Concurrency: 100}))
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	if n := calls(srv)["logs.StartQuery"]; n != 3 {
		t.Errorf("%d queries, want 3 (50 + 50 + 20 groups)", n)
	}
	var requests int64
	for _, o := range res.Model.Observations {
		requests += o.Requests
		if o.APIID == "" || o.Stage != "prod" {
			t.Errorf("observation %+v: the group's only stage names the API and stage", o)
		}
	}
	if len(res.Model.Observations) != 120 || requests != 360 {
		t.Errorf("%d observations, %d requests; want 120, 360", len(res.Model.Observations), requests)
	}
}

func TestScope(t *testing.T) {
	tests := []struct {
		name      string
		opts      live.Options
		apis      []string
		functions int
		regions   int
		errs      []string
	}{
		{"configured region", live.Options{}, []string{"chat", "legacy", "orders", "public"}, 10, 1, nil},
		{"two regions", live.Options{Regions: []string{"us-east-1", "eu-west-1"}}, []string{"chat", "legacy", "orders", "public"}, 11, 2, nil},
		{"every region", live.Options{AllRegions: true}, []string{"chat", "legacy", "orders", "public"}, 11, 36, nil},
		// The alias orders-get:live is read only when something invokes it.
		{"one API", live.Options{APIs: []string{"httpapi1"}}, []string{"public"}, 9, 1, nil},
		{"an API that is not there", live.Options{APIs: []string{"httpapi1", "nosuchapi"}}, []string{"public"}, 9, 1,
			[]string{"--api nosuchapi: no REST, HTTP or WebSocket API with this ID in us-east-1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake(t, load(t))
			res := read(t, context.Background(), fast(tc.opts))
			var errs []string
			for _, e := range res.Errors {
				errs = append(errs, e.Error())
			}
			if !slices.Equal(errs, tc.errs) {
				t.Errorf("errors %q, want %q", errs, tc.errs)
			}
			var apis []string
			for _, a := range res.Model.APIs {
				apis = append(apis, a.Name)
			}
			slices.Sort(apis)
			if !slices.Equal(apis, tc.apis) || len(res.Model.Functions) != tc.functions || len(res.Regions) != tc.regions {
				t.Errorf("APIs %v, %d functions, %d regions; want %v, %d, %d", apis, len(res.Model.Functions), len(res.Regions), tc.apis, tc.functions, tc.regions)
			}
		})
	}
}

// TestStageVariables: an integration naming its function through a stage
// variable invokes, per stage, the function that stage names; a stage
// that does not set it is a note, not a guess.
func TestStageVariables(t *testing.T) {
	acct := load(t)
	orders := acct.Regions["us-east-1"].RestAPIs[0]
	orders.Stages = append(orders.Stages, &awsfake.Stage{Name: "test"})
	fake(t, acct)
	res := read(t, context.Background(), fast(live.Options{}))
	invokedBy := map[string][]string{}
	for _, fn := range res.Model.Functions {
		for _, in := range fn.Integrations {
			for _, e := range in.Endpoints {
				invokedBy[fn.Name] = append(invokedBy[fn.Name], e.Name())
			}
		}
	}
	for fn, want := range map[string][]string{
		"worker-prod": {"POST /work"}, "worker-dev": {"POST /work"},
		"orders-get:live": {"GET /orders/{id}"}, "orders-get": nil,
		"items-fn": {"GET /items", "GET /items/{id}", "POST /items"},
	} {
		if !slices.Equal(invokedBy[fn], want) {
			t.Errorf("%s is invoked by %v, want %v", fn, invokedBy[fn], want)
		}
	}
	var notes []string
	for _, v := range res.Model.Notes {
		notes = append(notes, v.Loc.String()+": "+v.Message)
	}
	wantNote := "arn:aws:apigateway:us-east-1::/restapis/ordersapi/resources/res004/methods/POST: integration of POST /work names its function through ${stageVariables.worker}, which stage test does not set"
	if !slices.Contains(notes, wantNote) {
		t.Errorf("notes:\n%s\nwant among them:\n%s", strings.Join(notes, "\n"), wantNote)
	}
}

// TestOverallTimeout: an audit cut short by its overall bound returns
// what it read and says what it could not, without hanging.
func TestOverallTimeout(t *testing.T) {
	acct := load(t)
	acct.Faults.Latency = 30 * time.Millisecond
	fake(t, acct)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	res := read(t, ctx, fast(live.Options{}))
	if len(res.Errors) == 0 {
		t.Fatal("no error entry for what the timeout left unread")
	}
	for _, e := range res.Errors {
		t.Log(e.Error())
		if !strings.Contains(e.Message, "timed out") && !strings.Contains(e.Message, "context") {
			t.Errorf("error %q does not say the audit ran out of time", e.Error())
		}
	}
}

// read audits the fake account and checks the graph the reader built.
func read(t *testing.T, ctx context.Context, o live.Options) *live.Result {
	t.Helper()
	res := live.Read(ctx, o)
	if err := res.Model.Validate(); err != nil {
		t.Errorf("the live model is not consistent: %v", err)
	}
	return res
}
