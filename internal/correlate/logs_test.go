package correlate

import (
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/cfn"
)

func TestPathScore(t *testing.T) {
	tests := []struct {
		template, path string
		want           int
	}{
		{"/items/{id}", "/items/42", 6},
		{"/items/new", "/items/new", 7},
		{"/items/{id}", "/items", 0},
		{"/items/{id}", "/items/42/parts", 0},
		{"/items/{id}", "/items/", 0},
		{"/{proxy+}", "/a/b/c", 2},
		{"/{proxy+}", "/", 0},
		{"/api/{proxy+}", "/api/x", 5},
		{"/", "/", 1},
		{"/", "", 1},
		{"/a", "/b", 0},
	}
	for _, tt := range tests {
		if got := pathScore(tt.template, tt.path); got != tt.want {
			t.Errorf("pathScore(%q, %q) = %d, want %d", tt.template, tt.path, got, tt.want)
		}
	}
	// Specific beats general, as API Gateway routes.
	if !(pathScore("/items/new", "/items/new") > pathScore("/items/{id}", "/items/new") &&
		pathScore("/items/{id}", "/items/new") > pathScore("/{proxy+}", "/items/new")) {
		t.Error("literal must beat variable, which must beat greedy")
	}
}

const twoAPIs = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting:
        DestinationArn: arn:aws:logs:eu-west-1:123456789012:log-group:api-access
        Format: '{"status":"$context.status"}'
  Items:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 10
      Events:
        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: "/items/{id}", Method: get}}
        New: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /items/new, Method: get}}
        Any: {Type: Api, Properties: {RestApiId: !Ref Api, Path: "/{proxy+}", Method: any}}
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: {Type: HttpApi, Properties: {Path: "/items/{id}", Method: get}}
        Default: {Type: HttpApi}
`

func load(t *testing.T, src string) *model.Model {
	t.Helper()
	b := model.NewBuilder()
	ok, errs := cfn.Load(b, "t.yaml", []byte(src), cfn.Options{})
	if !ok || len(errs) > 0 {
		t.Fatalf("load: %v %v", ok, errs)
	}
	return b.Model()
}

func TestJoin(t *testing.T) {
	tests := []struct {
		name string
		obs  model.Observation
		// want is "API method path" of the endpoint that got it, or "log
		// ..." for an endpoint of its own.
		want      string
		ambiguous bool
	}{
		{"REST resourcePath", model.Observation{APIType: model.REST, Method: "GET", Path: "/items/{id}", PathIsTemplate: true}, "Api GET /items/{id}", false},
		{"concrete path with stage prefix", model.Observation{APIType: model.REST, Method: "GET", Path: "/prod/items/42"}, "Api GET /items/{id}", false},
		{"literal beats variable", model.Observation{APIType: model.REST, Method: "GET", Path: "/prod/items/new"}, "Api GET /items/new", false},
		{"ANY catches other methods", model.Observation{APIType: model.REST, Method: "DELETE", Path: "/prod/items/42"}, "Api ANY /{proxy+}", false},
		{"HTTP routeKey", model.Observation{APIType: model.HTTP, Method: "GET", Path: "/items/{id}", PathIsTemplate: true}, "ServerlessHttpApi GET /items/{id}", false},
		{"HTTP $default route", model.Observation{APIType: model.HTTP, Method: "POST", Path: "/nothing/here"}, "ServerlessHttpApi  $default", false},
		{"type unknown, two APIs fit", model.Observation{Method: "GET", Path: "/items/{id}", PathIsTemplate: true, Sources: []string{"a.log"}}, "log GET /items/{id}", true},
		{"log group names the API", model.Observation{LogGroup: "api-access", Method: "GET", Path: "/items/{id}", PathIsTemplate: true}, "Api GET /items/{id}", false},
		{"other API ID", model.Observation{APIID: "zzz", APIType: model.HTTP, Method: "GET", Path: "/items/{id}", PathIsTemplate: true}, "ServerlessHttpApi GET /items/{id}", false},
		{"no template route", model.Observation{APIType: model.REST, Method: "GET", Path: "/orders", PathIsTemplate: true, Sources: []string{"a.log"}}, "log GET /orders", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := load(t, twoAPIs)
			o := tt.obs
			o.Requests = 3
			m.Observations = []*model.Observation{&o}
			Logs(m)
			var got []string
			for _, api := range m.APIs {
				for _, e := range api.Endpoints {
					if e.Observed != nil {
						n := api.Resource.Name()
						if api.FromLogs {
							n = "log"
						}
						got = append(got, n+" "+e.Method+" "+e.Path)
						if e.Observed.Requests != 3 {
							t.Errorf("requests %d, want 3", e.Observed.Requests)
						}
					}
				}
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Fatalf("joined to %q, want %q", got, tt.want)
			}
			if amb := len(m.Notes) > 0; amb != tt.ambiguous {
				t.Errorf("ambiguity note %v, want %v (%v)", amb, tt.ambiguous, m.Notes)
			}
		})
	}
}

func TestMergeAndDoubtful(t *testing.T) {
	m := load(t, twoAPIs)
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	at := func(line int) loc.Range { return loc.Range{File: "a.log", Start: loc.Pos{Line: line}} }
	a := &model.Observation{APIType: model.REST, Method: "GET", Path: "/prod/items/1", Requests: 10, Timeouts: 1,
		FirstTimeout: t0.Add(time.Minute), LastTimeout: t0.Add(time.Minute), FirstTimeoutAt: at(5), Sources: []string{"a.log"},
		TimeoutStatus: map[int]int64{504: 1}, TimeoutsByMinute: map[int64]int64{t0.Add(time.Minute).Unix() / 60: 1},
		Doubtful: map[int64]*model.Doubt{
			// Items has Timeout 10 but the integration waits 29 s: a 504
			// after 2 s is not the integration timing out.
			2000:  {Count: 4, First: t0, Last: t0, At: at(2)},
			29010: {Count: 2, First: t0.Add(2 * time.Minute), Last: t0.Add(3 * time.Minute), At: at(9)},
		}}
	b := &model.Observation{APIType: model.REST, Method: "GET", Path: "/prod/items/2", Requests: 5, Timeouts: 2,
		FirstTimeout: t0.Add(-time.Minute), LastTimeout: t0.Add(5 * time.Minute), FirstTimeoutAt: at(1), Sources: []string{"b.log"}}
	a.Latency.Add(100)
	b.Latency.Add(28000)
	m.Observations = []*model.Observation{a, b}
	Logs(m)
	var o *model.Observation
	for _, e := range m.APIs[0].Endpoints {
		if e.Path == "/items/{id}" {
			o = e.Observed
		}
	}
	if o == nil {
		t.Fatal("not joined")
	}
	if o.Requests != 15 || o.Timeouts != 5 || o.Other5xx != 4 {
		t.Errorf("requests/timeouts/other = %d/%d/%d, want 15/5/4", o.Requests, o.Timeouts, o.Other5xx)
	}
	if !o.FirstTimeout.Equal(t0.Add(-time.Minute)) || !o.LastTimeout.Equal(t0.Add(5*time.Minute)) || o.FirstTimeoutAt != at(1) {
		t.Errorf("range %v–%v at %v", o.FirstTimeout, o.LastTimeout, o.FirstTimeoutAt)
	}
	if o.Latency.Count() != 2 || o.Latency.Max() != 28000 || len(o.Sources) != 2 || o.Doubtful != nil {
		t.Errorf("latency %d max %d sources %v doubtful %v", o.Latency.Count(), o.Latency.Max(), o.Sources, o.Doubtful)
	}
}

// TestDoubtfulTimeoutsAreDeterministic: timeouts known only by a 504 with
// no integration latency, logged in the same second with different
// responseLatency values, point at the first of them read, every run, and
// the timeline counts each in its own minute.
func TestDoubtfulTimeoutsAreDeterministic(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	at := func(line int) loc.Range {
		return loc.Range{File: "a.log", Start: loc.Pos{Line: line, Offset: line * 100}}
	}
	for range 20 {
		m := load(t, twoAPIs)
		o := &model.Observation{APIType: model.REST, Method: "GET", Path: "/prod/items/1", Requests: 6, Sources: []string{"a.log"},
			Doubtful: map[int64]*model.Doubt{}}
		for i := range 6 {
			when := t0
			if i == 5 {
				when = t0.Add(7 * time.Hour)
			}
			o.Doubtful[int64(29000+i)] = &model.Doubt{Count: 1, First: when, Last: when, At: at(6 - i),
				ByMinute: map[int64]int64{when.Unix() / 60: 1}}
		}
		m.Observations = []*model.Observation{o}
		Logs(m)
		var got *model.Observation
		for _, e := range m.APIs[0].Endpoints {
			if e.Observed != nil {
				got = e.Observed
			}
		}
		if got == nil || got.Timeouts != 6 || got.FirstTimeoutAt != at(2) {
			t.Fatalf("timeouts %d, first at %v; want 6 at line 2 (the earliest read of those in the first second)", got.Timeouts, got.FirstTimeoutAt)
		}
		if got.TimeoutsByMinute[t0.Unix()/60] != 5 || got.TimeoutsByMinute[t0.Add(7*time.Hour).Unix()/60] != 1 {
			t.Fatalf("timeline %v", got.TimeoutsByMinute)
		}
	}
}
