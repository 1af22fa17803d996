package live_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/source/live"
	"github.com/gatelint/gatelint/internal/source/live/awsfake"
)

// large generates an account: restAPIs REST APIs with methods methods
// each (two per resource), httpAPIs HTTP APIs with routes routes each,
// and functions functions that the integrations invoke in turn.
func large(restAPIs, methods, httpAPIs, routes, functions int) *awsfake.Account {
	reg := &awsfake.Region{Quotas: []*awsfake.Quota{{Service: "apigateway", Code: "L-E5AE38E3", Name: "Maximum integration timeout in milliseconds", Value: 29000}}}
	fnARN := func(i int) string {
		return fmt.Sprintf("arn:aws:lambda:us-east-1:123456789012:function:fn%05d", i%functions)
	}
	n := 0
	for a := range restAPIs {
		api := &awsfake.RestAPI{ID: fmt.Sprintf("rest%04d", a), Name: fmt.Sprintf("rest%04d", a), EndpointType: "REGIONAL",
			Stages:    []*awsfake.Stage{{Name: "prod"}},
			Resources: []*awsfake.RestResource{{ID: "root", Path: "/"}}}
		for r := range (methods + 1) / 2 {
			res := &awsfake.RestResource{ID: fmt.Sprintf("r%04d", r), Path: fmt.Sprintf("/items%d/{id}", r), Methods: map[string]*awsfake.Integration{}}
			for _, verb := range []string{"GET", "POST"}[:min(2, methods-2*r)] {
				n++
				res.Methods[verb] = &awsfake.Integration{Type: "AWS_PROXY", TimeoutInMillis: int32(10000 + n%20000),
					URI: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + fnARN(n) + "/invocations"}
			}
			api.Resources = append(api.Resources, res)
		}
		reg.RestAPIs = append(reg.RestAPIs, api)
	}
	for a := range httpAPIs {
		api := &awsfake.V2API{ID: fmt.Sprintf("http%04d", a), Name: fmt.Sprintf("http%04d", a), Protocol: "HTTP", Stages: []*awsfake.Stage{{Name: "$default"}}}
		for r := range routes {
			n++
			id := fmt.Sprintf("i%04d", r)
			api.Integrations = append(api.Integrations, &awsfake.Integration{ID: id, Type: "AWS_PROXY", URI: fnARN(n)})
			api.Routes = append(api.Routes, &awsfake.Route{ID: fmt.Sprintf("r%04d", r), RouteKey: fmt.Sprintf("GET /items%d", r), Target: "integrations/" + id})
		}
		reg.APIs = append(reg.APIs, api)
	}
	for i := range functions {
		reg.Functions = append(reg.Functions, &awsfake.Function{Name: fmt.Sprintf("fn%05d", i), Timeout: int32(3 + i%60)})
	}
	return &awsfake.Account{ID: "123456789012", Regions: map[string]*awsfake.Region{"us-east-1": reg}}
}

// TestCallsGrowWithPagesNotMethods: the calls an audit makes depend on
// how many APIs and pages there are, never on how many methods.
func TestCallsGrowWithPagesNotMethods(t *testing.T) {
	count := func(restAPIs, methods int) map[string]int {
		var n map[string]int
		t.Run(fmt.Sprintf("%d×%d", restAPIs, methods), func(t *testing.T) {
			srv := fake(t, large(restAPIs, methods, 2, 5, 10))
			res := live.Read(context.Background(), fast(live.Options{}))
			if len(res.Errors) > 0 {
				t.Fatal(res.Errors)
			}
			n = calls(srv)
		})
		return n
	}
	few, many, paged := count(10, 40), count(10, 800), count(10, 1200)
	if few["apigateway.GetResources"] != 10 || many["apigateway.GetResources"] != 10 {
		t.Errorf("GetResources: %d calls for 10 APIs × 40 methods, %d for 10 × 800; want 10 and 10 (one page of up to 500 resources per API)",
			few["apigateway.GetResources"], many["apigateway.GetResources"])
	}
	// 1,200 methods are 601 resources: two pages per API.
	if paged["apigateway.GetResources"] != 20 {
		t.Errorf("GetResources: %d calls for 10 APIs × 601 resources, want 20", paged["apigateway.GetResources"])
	}
	for _, n := range []map[string]int{few, many, paged} {
		total := 0
		for op, c := range n {
			if op != "apigateway.GetResources" {
				total += c
			}
		}
		if want := 10 /* GetStages */ + 1 /* GetRestApis */ + 1 + 3*2 /* v2 */ + 1 /* functions */ + 1 /* mappings */ + 1; /* quotas */ total != want {
			t.Errorf("calls besides GetResources: %d (%v), want %d", total, n, want)
		}
	}
}

// BenchmarkLargeAccount audits 500 REST APIs × 40 methods, 200 HTTP APIs
// × 20 routes and 5,000 functions with 20 ms per call, and with
// throttle "realistic" AWS's management-API throttle of 10 calls a second
// per service (burst 40).
func BenchmarkLargeAccount(b *testing.B) {
	for _, tc := range []struct {
		name     string
		throttle bool
	}{{"latency", false}, {"latency+throttle", true}} {
		b.Run(tc.name, func(b *testing.B) {
			acct := large(500, 40, 200, 20, 5000)
			acct.Faults.Latency = 20 * time.Millisecond
			if tc.throttle {
				acct.Faults.Rate, acct.Faults.Burst = 10, 40
			}
			srv := fake(b, acct)
			var res *live.Result
			for b.Loop() {
				res = live.Read(context.Background(), live.Options{MaxAttempts: 20, CallTimeout: 10 * time.Minute})
			}
			if len(res.Errors) > 0 {
				b.Fatal(res.Errors[0])
			}
			endpoints := 0
			for _, a := range res.Model.APIs {
				endpoints += len(a.Endpoints)
			}
			if endpoints != 500*40+200*20 {
				b.Fatalf("%d endpoints read, want %d", endpoints, 500*40+200*20)
			}
			b.ReportMetric(float64(res.Calls), "calls/op")
			b.ReportMetric(float64(len(srv.Calls()))/float64(b.N), "fake-calls/op")
		})
	}
}

// TestConcurrencyBound: no service ever has more calls in flight than
// Concurrency allows, however many APIs wait to be read.
func TestConcurrencyBound(t *testing.T) {
	acct := large(40, 4, 20, 2, 60)
	acct.Faults.Latency = 10 * time.Millisecond
	srv := fake(t, acct)
	res := live.Read(context.Background(), fast(live.Options{Concurrency: 3}))
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	for _, svc := range []string{"apigateway", "lambda"} {
		if n := srv.MaxInFlight(svc); n > 3 || n == 0 {
			t.Errorf("%s: %d calls in flight at once, want 1 to 3", svc, n)
		}
	}
	if n := srv.MaxInFlight("apigateway"); n < 2 {
		t.Errorf("apigateway: at most %d call in flight: the APIs were not read in parallel", n)
	}
}
