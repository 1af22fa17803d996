package correlate

import (
	"fmt"
	"testing"

	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
)

// BenchmarkConcretePaths joins logs that name only the concrete path
// (/items/123...): one observation per distinct path, each matched
// against every path template.
func BenchmarkConcretePaths(b *testing.B) {
	const endpoints, paths = 200, 20000
	for b.Loop() {
		b.StopTimer()
		api := &model.API{Resource: &model.Resource{LogicalID: "Api"}, Type: model.REST}
		for i := range endpoints {
			e := &model.Endpoint{API: api, Method: "GET", Path: fmt.Sprintf("/r%d/{id}/parts/{part}", i), Loc: loc.Range{File: "t.yaml"}}
			api.Endpoints = append(api.Endpoints, e)
		}
		m := &model.Model{APIs: []*model.API{api}}
		for i := range paths {
			m.Observations = append(m.Observations, &model.Observation{APIType: model.REST, Method: "GET",
				Path: fmt.Sprintf("/prod/r%d/%d/parts/%d", i%endpoints, i, i%7), Requests: 1, Sources: []string{"a.log"}})
		}
		b.StartTimer()
		Logs(m)
	}
}
