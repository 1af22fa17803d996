package model

import (
	"errors"
	"fmt"
	"slices"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
)

// Builder is how a source fills a model: it keeps the graph's links both
// ways (an endpoint's API lists it, an integration lists its endpoints, a
// function the integrations that invoke it), so no source writes a back
// pointer by hand. The zero value is not usable; use NewBuilder.
type Builder struct {
	m *Model
}

// NewBuilder starts an empty model.
func NewBuilder() *Builder { return &Builder{m: &Model{}} }

// Model is what was built so far.
func (b *Builder) Model() *Model { return b.m }

// API adds an API.
func (b *Builder) API(api *API) *API {
	b.m.APIs = append(b.m.APIs, api)
	return api
}

// Endpoint adds e to api, and to its integration's endpoints; the
// integration's function learns of the integration on its first
// endpoint.
func (b *Builder) Endpoint(api *API, e *Endpoint) *Endpoint {
	e.API = api
	api.Endpoints = append(api.Endpoints, e)
	if in := e.Integration; in != nil {
		in.Endpoints = append(in.Endpoints, e)
		if fn := in.Function; fn != nil && !slices.Contains(fn.Integrations, in) {
			fn.Integrations = append(fn.Integrations, in)
		}
	}
	return e
}

// Integrate gives e, which has none, the integration in (an OpenAPI
// operation without one that a SAM event completes).
func (b *Builder) Integrate(e *Endpoint, in *Integration) {
	e.Integration = in
	in.Endpoints = append(in.Endpoints, e)
	if fn := in.Function; fn != nil && !slices.Contains(fn.Integrations, in) {
		fn.Integrations = append(fn.Integrations, in)
	}
}

// Invokes links in to the function it invokes, with the alias or version
// named; a function lists only integrations that serve an endpoint.
func (b *Builder) Invokes(in *Integration, fn *Function, qualifier string) {
	in.Function, in.Qualifier = fn, qualifier
	if fn != nil && len(in.Endpoints) > 0 && !slices.Contains(fn.Integrations, in) {
		fn.Integrations = append(fn.Integrations, in)
	}
}

// Stage adds a stage to api.
func (b *Builder) Stage(api *API, st *Stage) *Stage {
	st.API = api
	api.Stages = append(api.Stages, st)
	return st
}

// Function adds a function.
func (b *Builder) Function(fn *Function) *Function {
	b.m.Functions = append(b.m.Functions, fn)
	return fn
}

// Queue adds a queue.
func (b *Builder) Queue(q *Queue) *Queue {
	b.m.Queues = append(b.m.Queues, q)
	return q
}

// EventSource adds a queue feeding a function.
func (b *Builder) EventSource(es *EventSource) {
	b.m.EventSources = append(b.m.EventSources, es)
}

// Observation adds what a log says of one endpoint, joined later.
func (b *Builder) Observation(o *Observation) {
	b.m.Observations = append(b.m.Observations, o)
}

// LogSource adds a log input as it was read.
func (b *Builder) LogSource(s *LogSource) {
	b.m.LogSources = append(b.m.LogSources, s)
}

// FunctionLog adds what a function's own log says, joined later.
func (b *Builder) FunctionLog(l *FunctionLog) {
	b.m.FunctionLogs = append(b.m.FunctionLogs, l)
}

// Notef records a part of the input left unchecked, and why.
func (b *Builder) Notef(at loc.Range, format string, args ...any) {
	b.m.Notes = append(b.m.Notes, Note{Loc: at, Message: fmt.Sprintf(format, args...)})
}

// NoteOnce records a note that a run says once, however many inputs
// say it.
func (b *Builder) NoteOnce(at loc.Range, message string) {
	b.m.Notes = append(b.m.Notes, Note{Loc: at, Message: message, Once: true})
}

// Generated records that what the source located at at, for the
// resource of the address given, was read from the generated file's
// place from, which findings at at keep as related. Of two places
// recorded for one location and resource, the first stays.
func (b *Builder) Generated(at loc.Range, address string, from finding.Related) {
	if at == from.Location || at.IsZero() || from.Location.IsZero() {
		return
	}
	if b.m.Generated == nil {
		b.m.Generated = map[loc.Range][]GeneratedPlace{}
	}
	for _, p := range b.m.Generated[at] {
		if p.Address == address {
			return
		}
	}
	b.m.Generated[at] = append(b.m.Generated[at], GeneratedPlace{Address: address, Related: from})
}

// Unresolved records each value of vs that could not be resolved, as a
// note about what: "Timeout of Fn: parameter X has no default".
func (b *Builder) Unresolved(vs Values, what string) {
	for _, v := range vs {
		if !v.Known {
			b.m.Notes = append(b.m.Notes, Note{Loc: v.Loc, Message: what + ": " + v.Unknown})
		}
	}
}

// Add appends everything in o to m. The parts stay linked as they were:
// models from different sources meet only through the joins in
// correlate.
func (m *Model) Add(o *Model) {
	m.APIs = append(m.APIs, o.APIs...)
	m.Functions = append(m.Functions, o.Functions...)
	m.Queues = append(m.Queues, o.Queues...)
	m.EventSources = append(m.EventSources, o.EventSources...)
	m.Observations = append(m.Observations, o.Observations...)
	m.LogSources = append(m.LogSources, o.LogSources...)
	m.FunctionLogs = append(m.FunctionLogs, o.FunctionLogs...)
	m.Notes = append(m.Notes, o.Notes...)
	m.Exports = append(m.Exports, o.Exports...)
	m.Imports = append(m.Imports, o.Imports...)
	for at, ps := range o.Generated {
		if m.Generated == nil {
			m.Generated = map[loc.Range][]GeneratedPlace{}
		}
		m.Generated[at] = append(m.Generated[at], ps...)
	}
}

// Validate checks the graph's links: every endpoint belongs to its API
// and to its integration's endpoints; every integration that serves an
// endpoint and invokes a function is among the function's integrations,
// and every integration a function lists invokes it. Tests run it after
// every source and every join.
func (m *Model) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, api := range m.APIs {
		if api.Resource == nil {
			bad("an API has no resource")
			continue
		}
		for _, e := range api.Endpoints {
			if e.API != api {
				bad("endpoint %s is listed by API %s but points at another", e.Method+" "+e.Path, api.Resource.Name())
			}
			if e.Resource == nil {
				bad("endpoint %s of %s has no resource", e.Method+" "+e.Path, api.Resource.Name())
			}
			in := e.Integration
			if in == nil {
				continue
			}
			if !slices.Contains(in.Endpoints, e) {
				bad("endpoint %s of %s is not among its integration's endpoints", e.Method+" "+e.Path, api.Resource.Name())
			}
			if in.Function != nil && !slices.Contains(in.Function.Integrations, in) {
				bad("the integration of %s %s invokes function %s, which does not list it", api.Resource.Name(), e.Method+" "+e.Path, in.Function.Resource.Name())
			}
		}
		for _, st := range api.Stages {
			if st.API != api {
				bad("stage %s is listed by API %s but points at another", st.Name, api.Resource.Name())
			}
		}
	}
	for _, fn := range m.Functions {
		if fn.Resource == nil {
			bad("a function has no resource")
			continue
		}
		for _, in := range fn.Integrations {
			if in.Function != fn {
				bad("function %s lists an integration that invokes another", fn.Resource.Name())
			}
			if len(in.Endpoints) == 0 {
				bad("function %s lists an integration that serves no endpoint", fn.Resource.Name())
			}
			for _, e := range in.Endpoints {
				if e.Integration != in {
					bad("an integration of function %s lists endpoint %s, which points at another", fn.Resource.Name(), e.Method+" "+e.Path)
				}
			}
		}
	}
	for _, es := range m.EventSources {
		if es.Queue == nil || es.Function == nil {
			bad("an event source lacks its queue or function")
		}
	}
	return errors.Join(errs...)
}

// FirstEndpoint adds e to api, unless api already has an endpoint of the
// same method and path: the first definition stands (an event over an
// OpenAPI operation, as SAM merges them; a route written twice). It
// returns nil then.
func (b *Builder) FirstEndpoint(api *API, e *Endpoint) *Endpoint {
	for _, x := range api.Endpoints {
		if x.Method == e.Method && x.Path == e.Path {
			return nil
		}
	}
	return b.Endpoint(api, e)
}
