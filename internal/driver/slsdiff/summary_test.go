package slsdiff_test

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gatelint/gatelint/internal/model"
)

// A summary is what the differential test compares of a model: one line
// per fact a rule judges, keyed so that a fact both sides have but word
// differently shows as a pair. It is written from model fields only, never
// from findings, so that a difference names the part of the model that
// differs rather than a rule's opinion of it.
type summary map[string]string // key -> attributes

// fact is one line of a summary.
func (s summary) fact(key string, attrs ...string) {
	v := strings.Join(attrs, " ")
	if old, dup := s[key]; dup {
		// Two facts under one key (two stages of one name): keep both,
		// in a stable order, so neither hides the other.
		parts := append(strings.Split(old, " | "), v)
		sort.Strings(parts)
		v = strings.Join(parts, " | ")
	}
	s[key] = v
}

// summarize writes the summary of m as read for stage: where a file was
// read under several scenarios (a Serverless reader's stages), only the
// resources of the scenario named stage count, or the first when none is.
func summarize(m *model.Model, stage string) summary {
	in := scenarioFilter(m, stage)
	s := summary{}
	for _, api := range m.APIs {
		if !in(api.Resource) {
			continue
		}
		a := api.Resource.Address
		s.fact("api "+a, "type="+string(api.Type), "name="+orDash(api.Name), "endpointType="+orDash(string(api.EndpointType)))
		for _, e := range api.Endpoints {
			attrs := []string{"resource=" + address(e.Resource), "waits=" + waiting(e.Waiting)}
			if in := e.Integration; in != nil {
				attrs = append(attrs,
					"integration="+address(in.Resource),
					"kind="+strings.ReplaceAll(in.Kind.String(), " ", "-"),
					"function="+functionAddress(in.Function),
					"timeout="+values(in.Timeout, true))
				if in.Qualifier != "" {
					attrs = append(attrs, "qualifier="+in.Qualifier)
				}
				if in.Streaming {
					attrs = append(attrs, "streaming")
				}
			} else {
				attrs = append(attrs, "integration=-")
			}
			s.fact(fmt.Sprintf("endpoint %s %s %s %s", api.Type, a, orDash(e.Method), e.Path), attrs...)
		}
		for _, st := range api.Stages {
			s.fact(fmt.Sprintf("stage %s %s", a, st.Name), "accessLog="+accessLog(st.AccessLog))
		}
	}
	for _, fn := range m.Functions {
		if !in(fn.Resource) {
			continue
		}
		// A function's timeout is compared by value only: the compiled
		// template always writes Timeout (the framework writes
		// `timeout || provider.timeout || 6`,
		// lib/plugins/aws/package/compile/functions.js), so it cannot tell
		// a default or inherited value from one the function sets.
		s.fact("function "+fn.Resource.Address, "name="+orDash(fn.Name), "timeout="+values(fn.Timeout, false))
	}
	for _, q := range m.Queues {
		if !in(q.Resource) {
			continue
		}
		s.fact("queue "+q.Resource.Address, "visibility="+values(q.VisibilityTimeout, true))
	}
	for _, es := range m.EventSources {
		if es.Function == nil || !in(es.Function.Resource) {
			continue
		}
		q := "-"
		if es.Queue != nil {
			q = es.Queue.Resource.Address
		}
		s.fact("eventSource "+address(es.Resource), "queue="+q, "function="+functionAddress(es.Function))
	}
	return s
}

// scenarioFilter says which resources stand for the stage packaged.
func scenarioFilter(m *model.Model, stage string) func(*model.Resource) bool {
	named := false
	for _, fn := range m.Functions {
		if sc := fn.Resource.Scenario; sc != nil && sc.Env == stage {
			named = true
		}
	}
	for _, api := range m.APIs {
		if sc := api.Resource.Scenario; sc != nil && sc.Env == stage {
			named = true
		}
	}
	return func(r *model.Resource) bool {
		if r == nil || r.Scenario == nil {
			return true
		}
		if named {
			return r.Scenario.Env == stage
		}
		return r.Scenario.Primary()
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func address(r *model.Resource) string {
	if r == nil {
		return "-"
	}
	return r.Address
}

func functionAddress(fn *model.Function) string {
	if fn == nil {
		return "-"
	}
	return fn.Resource.Address
}

func waiting(w model.Waiting) string {
	switch w {
	case model.ClientWaits:
		return "client"
	case model.ConnectionWaits:
		return "connection"
	case model.NobodyWaits:
		return "nobody"
	}
	return fmt.Sprintf("waiting(%d)", int(w))
}

// values writes a setting's values: "29000ms(default)", "30s", each
// known one in its own unit, an unknown one as "unknown" (the reasons are
// each source's own words). withOrigin adds whether the user chose it.
func values(vs model.Values, withOrigin bool) string {
	if len(vs) == 0 {
		return "none"
	}
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		var w string
		if v.Known {
			w = fmt.Sprintf("%d%s", v.N(), v.Unit.Symbol())
		} else {
			w = "unknown"
		}
		if withOrigin {
			if v.Explicit() {
				w += "(set)"
			} else {
				w += "(default)"
			}
		}
		if len(v.When) > 0 {
			w += "[when " + model.CondText(v.When) + "]"
		}
		out = append(out, w)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func accessLog(al *model.AccessLog) string {
	if al == nil {
		return "none"
	}
	if !al.FormatKnown {
		return "unknown-format"
	}
	return fmt.Sprintf("%q", al.Format)
}

// diff words what differs between the summary of serverless.yml (a) and
// of the compiled template (b), one fact a line, and how many facts
// differ; "" and 0 when they are equal.
func diff(a, b summary) (string, int) {
	return diffExcept(a, b, nil)
}

// differing lists the keys of the facts a and b do not agree on.
func differing(a, b summary) []string {
	var out []string
	for k, av := range a {
		if bv, ok := b[k]; !ok || av != bv {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// diffExcept is diff without the facts skip holds.
func diffExcept(a, b summary, skip map[string]bool) (string, int) {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var w strings.Builder
	n := 0
	for _, k := range sorted {
		av, inA := a[k]
		bv, inB := b[k]
		if inA && inB && av == bv || skip[k] {
			continue
		}
		n++
		switch {
		case inA && inB:
			fmt.Fprintf(&w, "  %s\n    serverless.yml: %s\n    compiled:       %s\n", k, av, bv)
		case inA:
			fmt.Fprintf(&w, "  only in serverless.yml: %s  %s\n", k, av)
		default:
			fmt.Fprintf(&w, "  only in compiled:       %s  %s\n", k, bv)
		}
	}
	return w.String(), n
}

// String lists the summary, for a log of what was compared.
func (s summary) String() string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var w strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&w, "  %s  %s\n", k, s[k])
	}
	return w.String()
}
