package correlate

import (
	"testing"

	"github.com/gatelint/gatelint/internal/model"
)

func TestDeployedFunction(t *testing.T) {
	fn := func(id, name string) *model.Function {
		f := &model.Function{Resource: &model.Resource{Address: id, LogicalID: id}, Name: name}
		if name == "" {
			f.NameHint = "-" + id + "-"
		}
		return f
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
			if got := deployedFunction(tc.fns, tc.deployed); got != tc.want {
				t.Errorf("deployedFunction(%q) = %v, want %v", tc.deployed, got, tc.want)
			}
		})
	}
}
