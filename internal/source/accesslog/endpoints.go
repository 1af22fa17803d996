package accesslog

import "github.com/gatelint/gatelint/internal/model"

// endpoints indexes observations by path, then by the rest of what tells
// endpoints apart. A path has few methods, APIs and stages, so finding a
// record's observation hashes the path only and compares a few short
// fields, which costs less than building a composite key per record.
type endpoints struct {
	byPath map[string][]*model.Observation
	order  []*model.Observation // first seen first
}

func newEndpoints() endpoints {
	return endpoints{byPath: map[string][]*model.Observation{}}
}

// lookup returns the observation of a record's endpoint, adding it when
// new.
func (e *endpoints) lookup(api, stage, method, path []byte, group string, typ model.APIType, tmpl bool) *model.Observation {
	for _, o := range e.byPath[string(path)] {
		if o.PathIsTemplate == tmpl && o.APIType == typ && o.LogGroup == group &&
			o.APIID == string(api) && o.Stage == string(stage) && methodIs(o.Method, method) {
			return o
		}
	}
	o := &model.Observation{
		APIID: string(api), Stage: string(stage), LogGroup: group, APIType: typ,
		Method: upper(method), Path: string(path), PathIsTemplate: tmpl,
	}
	e.byPath[o.Path] = append(e.byPath[o.Path], o)
	e.order = append(e.order, o)
	return o
}

// merge adds src, read after everything in e, to e.
func (e *endpoints) merge(src *model.Observation) {
	for _, o := range e.byPath[src.Path] {
		if o.PathIsTemplate == src.PathIsTemplate && o.APIType == src.APIType && o.LogGroup == src.LogGroup &&
			o.APIID == src.APIID && o.Stage == src.Stage && o.Method == src.Method {
			o.Merge(src)
			return
		}
	}
	e.byPath[src.Path] = append(e.byPath[src.Path], src)
	e.order = append(e.order, src)
}

// methodIs compares an upper-case method with a logged one in any case.
func methodIs(up string, m []byte) bool {
	if len(up) != len(m) {
		return false
	}
	for i, c := range m {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != up[i] {
			return false
		}
	}
	return true
}

func upper(m []byte) string {
	b := make([]byte, len(m))
	for i, c := range m {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}
