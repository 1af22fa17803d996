// Package correlate joins what logs (and live accounts) observed onto the
// endpoints templates define, so rules see one endpoint with both its
// configuration and its traffic.
package correlate

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
)

// Logs attaches every observation in m to the endpoint it describes
// (Endpoint.Observed), merging observations of one endpoint (concrete
// paths /items/1 and /items/2 both serve /items/{id}). An observation no
// endpoint claims, or several claim equally, gets an endpoint of its own
// under an API that stands for the log, so its evidence is still
// reported, at the log record. Weak-signal timeouts are then judged
// against each endpoint's known integration timeout.
func Logs(m *model.Model) {
	logAPIs := map[string]*model.API{}
	// A file read under several scenarios has an endpoint per scenario:
	// the observation is matched among the first scenario's (one per
	// file), and joined to its twins in the others (twins).
	apis := primary(m.APIs)
	ix := newIndex(apis)
	twin := twins(m.APIs)
	for _, o := range m.Observations {
		e, ambiguous := ix.match(apis, o)
		for _, t := range twin[e] {
			observe(t, o)
		}
		if e == nil {
			e = logEndpoint(m, logAPIs, o)
			if len(ambiguous) > 0 {
				m.Notes = append(m.Notes, model.Note{Loc: o.Where(),
					Message: fmt.Sprintf("access-log endpoint %s matches %s; it is reported on its own (log the apiId, or check one API's template at a time, to join it)", name(o), strings.Join(ambiguous, " and "))})
			}
		}
		observe(e, o)
	}
	for _, api := range m.APIs {
		for _, e := range api.Endpoints {
			if e.Observed != nil {
				judgeDoubtful(e)
			}
		}
	}
}

// observe merges o into what e observed.
func observe(e *model.Endpoint, o *model.Observation) {
	if e.Observed == nil {
		e.Observed = &model.Observation{APIID: o.APIID, Stage: o.Stage, LogGroup: o.LogGroup, APIType: o.APIType,
			Method: e.Method, Path: e.Path, PathIsTemplate: true}
	}
	e.Observed.Merge(o)
	if e.Method == "ANY" && o.Method != "" {
		n := o.Timeouts
		for _, d := range o.Doubtful {
			n += d.Count
		}
		if n > 0 {
			e.Observed.TimeoutMethods = model.Count(e.Observed.TimeoutMethods, strings.ToUpper(o.Method), n)
		}
	}
}

// primary lists the APIs of files read once and of the first scenario of
// files read under several.
func primary(apis []*model.API) []*model.API {
	out := apis[:0:0]
	for _, a := range apis {
		if a.Resource.Scenario.Primary() {
			out = append(out, a)
		}
	}
	return out
}

// twins maps each endpoint of a first scenario to the same endpoint (the
// same API, method and path) in its file's other scenarios.
func twins(apis []*model.API) map[*model.Endpoint][]*model.Endpoint {
	type key struct{ file, api, method, path string }
	first := map[key]*model.Endpoint{}
	for _, a := range apis {
		if a.Resource.Scenario != nil && a.Resource.Scenario.Primary() {
			for _, e := range a.Endpoints {
				first[key{a.Resource.File, a.Resource.Address, e.Method, e.Path}] = e
			}
		}
	}
	out := map[*model.Endpoint][]*model.Endpoint{}
	if len(first) == 0 {
		return out
	}
	for _, a := range apis {
		if a.Resource.Scenario.Primary() {
			continue
		}
		for _, e := range a.Endpoints {
			if p := first[key{a.Resource.File, a.Resource.Address, e.Method, e.Path}]; p != nil {
				out[p] = append(out[p], e)
			}
		}
	}
	return out
}

func name(o *model.Observation) string {
	if o.Method == "" {
		return o.Path
	}
	return o.Method + " " + o.Path
}

// match finds the endpoint o describes. When endpoints of several APIs fit
// equally well and nothing in the log tells which API it was, it returns
// nil and their names.
func (ix *index) match(apis []*model.API, o *model.Observation) (*model.Endpoint, []string) {
	candidates := apis
	if o.LogGroup != "" {
		// The stage whose access logs go to the log group is the API.
		var byGroup []*model.API
		for _, api := range apis {
			if slices.ContainsFunc(api.Stages, func(s *model.Stage) bool { return logsTo(s, o.LogGroup) }) {
				byGroup = append(byGroup, api)
			}
		}
		if len(byGroup) > 0 {
			candidates = byGroup
		}
	}
	var best *model.Endpoint
	bestScore := 0
	var tied []string
	for _, api := range candidates {
		if o.APIID != "" && api.ID != "" && api.ID != o.APIID {
			continue
		}
		if o.APIType != "" && api.Type != o.APIType {
			continue
		}
		forms := pathForms(api, o)
		for _, c := range ix.candidates(api, forms) {
			e := c.e
			s := score(c, o, forms)
			switch {
			case s == 0 || s < bestScore:
			case s > bestScore:
				best, bestScore, tied = e, s, nil
			case best != nil && e.API != best.API:
				tied = append(tied, e.API.Resource.Name()+"'s "+e.Name())
			}
		}
	}
	if len(tied) > 0 {
		return nil, append([]string{best.API.Resource.Name() + "'s " + best.Name()}, tied...)
	}
	return best, nil
}

// logsTo reports whether stage s writes its access logs to group: the
// destination is the group's ARN (with or without ":*") or its name.
func logsTo(s *model.Stage, group string) bool {
	if s.AccessLog == nil || group == "" {
		return false
	}
	d := strings.TrimSuffix(s.AccessLog.Destination, ":*")
	return d == group || strings.HasSuffix(d, ":log-group:"+group)
}

// score rates how well candidate c fits o, whose path has the given
// forms: 0 for not at all; a literal method beats ANY, and a path template
// beats a wider one, as API Gateway itself picks the most specific route.
func score(c candidate, o *model.Observation, forms [][]string) int {
	e := c.e
	method := 0
	switch {
	case o.Method == "" || strings.EqualFold(e.Method, o.Method):
		method = 2
	case e.Method == "ANY":
		method = 1
	case e.Method == "" && e.Path == "$default":
	default:
		return 0
	}
	if e.Path == "$default" && e.Method == "" {
		return 1 // HTTP API's catch-all route: anything, least specific
	}
	if o.PathIsTemplate {
		if samePath(e.Path, o.Path) {
			return 1000 + method
		}
		return 0
	}
	best := 0
	for _, ps := range forms {
		if s := segmentScore(c.segs, ps); s > 0 {
			best = max(best, s*4+method)
		}
	}
	return best
}

// candidate is an endpoint with its path template split, and its place
// in its API.
type candidate struct {
	e     *model.Endpoint
	segs  []string
	order int
}

// shape is what a path template needs of a path: its number of segments
// and its first segment, when that is literal ("" when a variable).
type shape struct {
	n     int
	first string
}

// index holds each API's endpoints by the shape of their path templates,
// built once per join: a log that names only concrete paths (/items/123)
// has an observation per path, and each is compared with the few
// templates that can match it, not with every endpoint.
type index struct {
	byShape map[*model.API]map[shape][]candidate
	// wide holds what matches paths of any length: greedy templates
	// ({proxy+}) and HTTP APIs' $default route.
	wide map[*model.API][]candidate
}

func newIndex(apis []*model.API) *index {
	ix := &index{byShape: map[*model.API]map[shape][]candidate{}, wide: map[*model.API][]candidate{}}
	for _, api := range apis {
		ix.byShape[api] = map[shape][]candidate{}
		for i, e := range api.Endpoints {
			c := candidate{e: e, segs: segments(e.Path), order: i}
			if e.Path == "$default" || (len(c.segs) > 0 && isGreedy(c.segs[len(c.segs)-1])) {
				ix.wide[api] = append(ix.wide[api], c)
				continue
			}
			k := shape{n: len(c.segs)}
			if k.n > 0 && !strings.HasPrefix(c.segs[0], "{") {
				k.first = c.segs[0]
			}
			ix.byShape[api][k] = append(ix.byShape[api][k], c)
		}
	}
	return ix
}

// candidates lists api's endpoints a path of one of the forms can match,
// in the API's order, so that of equally good endpoints of one API the
// first defined wins.
func (ix *index) candidates(api *model.API, forms [][]string) []candidate {
	var out []candidate
	for _, ps := range forms {
		k := shape{n: len(ps)}
		out = append(out, ix.byShape[api][k]...)
		if k.n > 0 {
			k.first = ps[0]
			out = append(out, ix.byShape[api][k]...)
		}
	}
	out = append(out, ix.wide[api]...)
	slices.SortFunc(out, func(a, b candidate) int { return a.order - b.order })
	return slices.CompactFunc(out, func(a, b candidate) bool { return a.e == b.e })
}

// pathForms are o's path as segments: a path template as logged, or a
// concrete path as logged and, for REST APIs (whose $context.path starts
// with /{stage} unless a custom domain serves it), without its first
// segment. A first segment naming the API's stage (or the logged one) is
// certainly the stage and is only tried stripped.
func pathForms(api *model.API, o *model.Observation) [][]string {
	ps := segments(o.Path)
	if o.PathIsTemplate || api.Type != model.REST || len(ps) == 0 {
		return [][]string{ps}
	}
	first := ps[0]
	if first == o.Stage || slices.ContainsFunc(api.Stages, func(s *model.Stage) bool { return s.Name == first }) {
		return [][]string{ps[1:]}
	}
	return [][]string{ps, ps[1:]}
}

func samePath(a, b string) bool {
	return strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/") || (a == "/" && b == "") || (a == "" && b == "/")
}

// pathScore matches a concrete path against a path template: {x} takes
// one segment, {x+} the rest (at least one). The score counts literal
// segments three times, variables twice and a greedy tail once, so
// /items/new beats /items/{id}, which beats /{proxy+}; 0 is no match.
func pathScore(template, path string) int { return segmentScore(segments(template), segments(path)) }

func segmentScore(ts, ps []string) int {
	s := 1
	for i, t := range ts {
		if isGreedy(t) {
			if i != len(ts)-1 || len(ps) <= i {
				return 0
			}
			return s + 1
		}
		if i >= len(ps) {
			return 0
		}
		switch {
		case strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}"):
			if ps[i] == "" {
				return 0
			}
			s += 2
		case t == ps[i]:
			s += 3
		default:
			return 0
		}
	}
	if len(ps) != len(ts) {
		return 0
	}
	return s
}

func isGreedy(t string) bool { return strings.HasPrefix(t, "{") && strings.HasSuffix(t, "+}") }

func segments(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// logEndpoint returns the endpoint standing for o under an API made for
// its log (one per API ID or log group), creating both as needed.
func logEndpoint(m *model.Model, apis map[string]*model.API, o *model.Observation) *model.Endpoint {
	key := o.APIID + "\x00" + o.LogGroup + "\x00" + string(o.APIType)
	api := apis[key]
	if api == nil {
		id := o.APIID
		if id == "" {
			id = o.LogGroup
		}
		file := ""
		if len(o.Sources) > 0 {
			file = o.Sources[0]
		}
		if id == "" {
			id = "access log"
		}
		res := &model.Resource{Address: id, Kind: model.KindLog, File: file, LogicalID: id, Type: "access log"}
		api = &model.API{Resource: res, Name: id, Type: o.APIType, ID: o.APIID, FromLogs: true}
		apis[key] = api
		m.APIs = append(m.APIs, api)
	}
	for _, e := range api.Endpoints {
		if e.Method == o.Method && e.Path == o.Path {
			return e
		}
	}
	e := &model.Endpoint{API: api, Method: o.Method, Path: o.Path, Resource: api.Resource, Loc: o.Where()}
	api.Endpoints = append(api.Endpoints, e)
	return e
}

// widen extends o's timeout time range, keeping the earliest record.
func widen(o *model.Observation, first, last time.Time, at loc.Range) {
	cur := o.FirstTimeoutAt
	// Of timeouts logged in the same second, the one read first.
	tie := first.Equal(o.FirstTimeout) && at.File == cur.File &&
		(at.Start.Line < cur.Start.Line || (at.Start.Line == cur.Start.Line && at.Start.Offset < cur.Start.Offset))
	if !first.IsZero() && (o.FirstTimeout.IsZero() || first.Before(o.FirstTimeout) || tie) {
		o.FirstTimeout, o.FirstTimeoutAt = first, at
	}
	if o.FirstTimeoutAt.File == "" {
		o.FirstTimeoutAt = at
	}
	if last.After(o.LastTimeout) {
		o.LastTimeout = last
	}
}

// judgeDoubtful settles the weak-signal timeouts of e (a 504, or an HTTP
// API's 503, with no integration latency and no cause logged): when e's
// integration timeout is known and the response came more than a second
// before it, the integration cannot have timed out, so it is another 5xx;
// otherwise it counts as a timeout.
func judgeDoubtful(e *model.Endpoint) {
	o := e.Observed
	limit, known := integrationTimeout(e)
	// In order of responseLatency, so the first timeout's record does not
	// depend on map order.
	for _, rl := range slices.Sorted(maps.Keys(o.Doubtful)) {
		d := o.Doubtful[rl]
		if known && awsfacts.WeakTimeoutRuledOut(rl, limit) {
			o.Other5xx += d.Count
			continue
		}
		o.Timeouts += d.Count
		o.TimeoutLatencyMinusOne += d.MinusOne
		o.TimeoutStatus = model.AddCounts(o.TimeoutStatus, d.Status)
		o.TimeoutsByMinute = model.AddCounts(o.TimeoutsByMinute, d.ByMinute)
		widen(o, d.First, d.Last, d.At)
		o.TimedOut = append(o.TimedOut, d.Requests...)
	}
	o.Doubtful = nil
}

// integrationTimeout is how long API Gateway waits for e's integration, in
// ms, when the configuration tells. Of a condition's branches the
// smallest is taken: a smaller limit judges fewer 5xx "not a timeout", the
// safe side.
func integrationTimeout(e *model.Endpoint) (int64, bool) {
	in := e.Integration
	if in == nil {
		return 0, false
	}
	v, ok := in.Timeout.Min()
	if !ok {
		return 0, false
	}
	if in.Streaming {
		return v.D.Milliseconds(), true
	}
	// Above the ceiling only a raised quota (which the model may not know)
	// lets API Gateway wait longer; the smaller limit judges fewer 5xx as
	// "not a timeout", the safe side.
	return min(v.D, awsfacts.MaxIntegrationTimeout(e.API.Type)).Milliseconds(), true
}
