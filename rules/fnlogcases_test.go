package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/correlate"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/rules"
)

// inv is one invocation of a hand-made function log.
type inv struct {
	dur, init time.Duration
	status    string // success, timeout, error
}

func repeatInv(v inv, n int) []inv {
	out := make([]inv, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// functionLog builds what a function log source would say of invs, as
// the function-log kind does: counts, histograms, the runs longer than
// the shortest wait, and exact counts over any wait.
func functionLog(name string, start time.Time, shortest time.Duration, invs ...inv) *model.FunctionLog {
	l := &model.FunctionLog{Name: name, LogGroup: "/aws/lambda/" + name, Sources: []string{"fn.log"}, First: start}
	at := func(i int) loc.Range {
		p := loc.Pos{Line: i + 1, Column: 1, Offset: i * 100}
		return loc.Range{File: "fn.log", Start: p, End: p}
	}
	l.FirstAt = at(0)
	for i, v := range invs {
		l.Invocations++
		l.Reported++
		wait := v.dur + v.init
		l.Durations.Add(v.dur.Milliseconds())
		l.Waits.Add(wait.Milliseconds())
		switch v.status {
		case "success":
			l.Succeeded++
			l.SucceededWaits.Add(wait.Milliseconds())
		case "timeout":
			l.TimedOut++
		default:
			l.Failed++
		}
		if v.init > 0 {
			l.ColdStarts++
		}
		s := start.Add(time.Duration(i) * time.Minute)
		l.Last = s.Add(wait)
		if wait > shortest {
			l.Runs = append(l.Runs, model.Run{RequestID: "req-" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Start: s.Add(v.init), Wait: wait, Duration: v.dur,
				Succeeded: v.status == "success", TimedOut: v.status == "timeout", Cold: v.init > 0, At: at(i)})
		}
	}
	l.Over = func(w time.Duration) model.Overrun {
		o := model.Overrun{Wait: w}
		for i, v := range invs {
			if v.dur+v.init <= w {
				continue
			}
			o.Over++
			switch v.status {
			case "success":
				o.Succeeded++
			case "timeout":
				o.TimedOut++
			default:
				o.Failed++
			}
			if v.init > 0 {
				o.Cold++
				if v.dur <= w {
					o.ByInit++
				}
			}
			if o.FirstAt.File == "" {
				o.FirstAt, o.FirstTime = at(i), start.Add(time.Duration(i)*time.Minute)
			}
		}
		return o
	}
	return l
}

var fnStart = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// phantomLog is 100 invocations of a function behind a 10 s wait: 88
// short, 9 that ran on after the 504 and succeeded (one pushed over by a
// cold start's init), 2 that ran into the 60 s Timeout, 1 short error.
func phantomLog() *model.FunctionLog {
	invs := repeatInv(inv{dur: 2 * time.Second, status: "success"}, 88)
	invs = append(invs, repeatInv(inv{dur: 15 * time.Second, status: "success"}, 8)...)
	invs = append(invs, inv{dur: 9500 * time.Millisecond, init: time.Second, status: "success"})
	invs = append(invs, repeatInv(inv{dur: 60 * time.Second, status: "timeout"}, 2)...)
	invs = append(invs, inv{dur: time.Second, status: "error"})
	return functionLog("report", fnStart, 10*time.Second, invs...)
}

func lint(t *testing.T, m *model.Model) map[string][]finding.Finding {
	t.Helper()
	correlate.Logs(m)
	correlate.Functions(m)
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	cfg := rules.DefaultConfig()
	got := map[string][]finding.Finding{}
	for _, r := range rules.All() {
		for _, f := range r.Check(m, &cfg) {
			got[f.RuleID] = append(got[f.RuleID], f)
		}
	}
	return got
}

func TestGL010(t *testing.T) {
	var edited []string
	m := terraformModel(&edited)
	m.FunctionLogs = append(m.FunctionLogs, phantomLog())
	got := lint(t, m)
	if len(got["GL010"]) != 1 {
		t.Fatalf("GL010: %v", got["GL010"])
	}
	f := got["GL010"][0]
	for _, part := range []string{
		"function aws_lambda_function.report's own logs show 11 of its 100 invocations running longer than POST /reports waits (10 s)",
	} {
		if !strings.Contains(f.Message, part) {
			t.Errorf("message lacks %q:\n%s", part, f.Message)
		}
	}
	for _, part := range []string{"the backend went on processing after API Gateway had already returned a 504",
		"9 completed successfully, but the client never knew", "2 ran into the function's own Timeout (60 s)",
		"1 was a cold start, pushed over by its init alone",
		"Raise timeout_milliseconds to 29000 (GL001) and set timeout to 26 s (GL002)"} {
		if !strings.Contains(f.Message, part) {
			t.Errorf("message lacks %q:\n%s", part, f.Message)
		}
	}
	if f.Location != at(3) || f.Endpoint == nil || f.Endpoint.Path != "/reports" || f.Severity != finding.Error {
		t.Errorf("location %v, endpoint %v, severity %v", f.Location, f.Endpoint, f.Severity)
	}
	if len(f.Related) != 2 || f.Related[0].Location != at(24) || f.Related[1].Location.File != "fn.log" || f.Related[1].Location.Start.Line != 89 {
		t.Errorf("related %v", f.Related)
	}
	e := f.Executions
	if e == nil || e.PhantomExecutions != 11 || e.CompletedAfterTimeout != 9 || e.FunctionTimedOut != 2 || e.ColdStarts != 1 || e.Invocations != 100 ||
		e.MaxDurationMs == nil || *e.MaxDurationMs < 59000 || e.P99DurationMs == nil || e.FirstSeen == nil || e.LastSeen == nil {
		t.Errorf("evidence %+v", e)
	}
	if f.Evidence != nil {
		t.Errorf("access-log evidence on a function-log finding")
	}
	// GL002 and GL003 cite GL010's counts; GL002 suggests no Timeout
	// below what the successful invocations need (15 s > 7 s).
	cite := "The function's own logs show 11 invocations running past the 10 s wait, 9 of them completing after the client's 504 (GL010)."
	for _, id := range []string{"GL002", "GL003"} {
		if len(got[id]) != 1 || !strings.Contains(got[id][0].Message, cite) {
			t.Errorf("%s does not cite GL010: %v", id, got[id])
		}
	}
	g2 := got["GL002"][0]
	if !strings.Contains(g2.Message, "the function's own logs show successful invocations taking up to") {
		t.Errorf("GL002: %s", g2.Message)
	}
	for _, fx := range g2.Fixes {
		if strings.Contains(fx.Description, "to 7") {
			t.Errorf("GL002 suggests a Timeout below the p99 of successful invocations: %s", fx.Description)
		}
	}
}

// TestGL010Quiet: no invocation ran longer than the integration waits, or
// nothing synchronous invokes the function: no finding.
func TestGL010Quiet(t *testing.T) {
	var edited []string
	m := terraformModel(&edited)
	m.FunctionLogs = append(m.FunctionLogs, functionLog("report", fnStart, 10*time.Second, repeatInv(inv{dur: 3 * time.Second, status: "success"}, 50)...))
	if got := lint(t, m); len(got["GL010"]) != 0 {
		t.Errorf("GL010 fired: %v", got["GL010"])
	}
	m = terraformModel(&edited)
	m.APIs[0].Endpoints[0].Integration.Kind = model.LambdaEvent
	m.FunctionLogs = append(m.FunctionLogs, phantomLog())
	if got := lint(t, m); len(got["GL010"]) != 0 {
		t.Errorf("GL010 fired behind an asynchronous integration: %v", got["GL010"])
	}
}

// TestProvenPhantoms: the endpoint's timed-out requests joined to the
// invocations they started, by integration request ID or by time.
func TestProvenPhantoms(t *testing.T) {
	var edited []string
	m := terraformModel(&edited)
	l := phantomLog()
	m.FunctionLogs = append(m.FunctionLogs, l)
	// 11 invocations ran over, at minutes 88..98. The access log lists 12
	// timed-out requests: one by ID, nine by time (one logged to the
	// second, one 0.8 s before its cold start's START), one too far from
	// any START, one whose START another request took.
	var reqs []model.TimedOutRequest
	runs := l.Runs
	reqs = append(reqs, model.TimedOutRequest{IntegrationRequestID: runs[0].RequestID})
	for i := 1; i < 10; i++ {
		began := runs[i].Start.Add(-(runs[i].Wait - runs[i].Duration))
		reqs = append(reqs, model.TimedOutRequest{When: began.Add(-300 * time.Millisecond)})
	}
	reqs = append(reqs, model.TimedOutRequest{When: runs[10].Start.Add(-5 * time.Second)})
	reqs = append(reqs, model.TimedOutRequest{When: runs[1].Start.Add(-200 * time.Millisecond)})
	o := &model.Observation{Method: "POST", Path: "/reports", PathIsTemplate: true, Requests: 100, Timeouts: 12, TimedOut: reqs, Sources: []string{"access.log"}}
	m.Observations = append(m.Observations, o)
	got := lint(t, m)
	e := m.APIs[0].Endpoints[0]
	ph := e.Phantoms
	// Runs 1..9 by time: run 8 is the cold one (its caller began waiting a
	// second before START), run 9 timed out; run 10's request is too far.
	if ph == nil || ph.Timeouts != 12 || ph.ByID != 1 || ph.Matched != 10 || ph.Completed != 9 {
		t.Fatalf("phantoms %+v", ph)
	}
	if f := got["GL010"]; len(f) != 1 || !strings.Contains(f[0].Message, "9 of the 12 timed-out requests to POST /reports ran to completion after the 504") {
		t.Errorf("GL010: %v", f)
	}
}

// TestGL006FromFunctionLog: no access log, but the function's own log
// shows its p99 wait close to the integration timeout.
func TestGL006FromFunctionLog(t *testing.T) {
	var edited []string
	m := terraformModel(&edited)
	invs := repeatInv(inv{dur: 3 * time.Second, status: "success"}, 90)
	invs = append(invs, repeatInv(inv{dur: 8500 * time.Millisecond, status: "success"}, 10)...)
	m.FunctionLogs = append(m.FunctionLogs, functionLog("report", fnStart, 10*time.Second, invs...))
	got := lint(t, m)
	if len(got["GL006"]) != 1 {
		t.Fatalf("GL006: %v", got["GL006"])
	}
	f := got["GL006"][0]
	if !strings.Contains(f.Message, "p99 duration of function aws_lambda_function.report, which serves POST /reports, is 8.4") || !strings.Contains(f.Message, "of the 10 s integration timeout") ||
		f.Location != at(24) || f.Executions == nil {
		t.Errorf("GL006: %s at %v", f.Message, f.Location)
	}
}

// TestGL003FromFunctionLog: a Timeout of 40 s against a 29 s REST API is
// no redesign from configuration alone (below 1.5 × 29 s), but the
// function's own log shows its successful invocations needing 27 s.
func TestGL003FromFunctionLog(t *testing.T) {
	var edited []string
	m := terraformModel(&edited)
	fn := m.Functions[0]
	fn.Timeout = model.Values{tfValue(40, model.InSeconds, "timeout", 3, &edited)}
	in := m.APIs[0].Endpoints[0].Integration
	in.Timeout = model.Values{tfValue(29000, model.InMillis, "timeout_milliseconds", 24, &edited)}
	without := lint(t, terraformModelWith(fn.Timeout, in.Timeout))
	if len(without["GL003"]) != 0 {
		t.Fatalf("GL003 from configuration alone: %v", without["GL003"])
	}
	invs := repeatInv(inv{dur: 5 * time.Second, status: "success"}, 90)
	invs = append(invs, repeatInv(inv{dur: 27 * time.Second, status: "success"}, 10)...)
	m.FunctionLogs = append(m.FunctionLogs, functionLog("report", fnStart, 29*time.Second, invs...))
	got := lint(t, m)
	if len(got["GL003"]) != 1 || !strings.Contains(got["GL003"][0].Message, "the function's own logs show its successful invocations taking 26.9 s (p99), close to the 29 s") {
		t.Errorf("GL003: %v", got["GL003"])
	}
}

// terraformModelWith is terraformModel with other timeouts.
func terraformModelWith(fnTimeout, integrationTimeout model.Values) *model.Model {
	var edited []string
	m := terraformModel(&edited)
	m.Functions[0].Timeout = fnTimeout
	m.APIs[0].Endpoints[0].Integration.Timeout = integrationTimeout
	return m
}
