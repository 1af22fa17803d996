package check

import (
	"testing"

	"github.com/gatelint/gatelint/internal/model"
)

func TestTemplateFunction(t *testing.T) {
	fn := func(id, name string) *model.Function {
		return &model.Function{Resource: &model.Resource{LogicalID: id}, Name: name}
	}
	named, create, worker, other := fn("Named", "orders-create"), fn("CreateOrderFunction", ""), fn("Worker", ""), fn("Fn", "")
	tests := []struct {
		name, deployed string
		fns            []*model.Function
		want           *model.Function
	}{
		{"by FunctionName", "orders-create", []*model.Function{create, named}, named},
		{"alias of a named function", "orders-create:live", []*model.Function{named}, named},
		{"generated name", "orders-stack-CreateOrderFunction-1A2B3C4D5E6F", []*model.Function{create, worker}, create},
		{"two logical IDs fit", "orders-stack-Worker-Fn-1A2B3C", []*model.Function{worker, other}, nil},
		{"nothing fits", "billing-run", []*model.Function{named, create}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := templateFunction(tc.fns, tc.deployed); got != tc.want {
				t.Errorf("templateFunction(%q) = %v, want %v", tc.deployed, got, tc.want)
			}
		})
	}
}
