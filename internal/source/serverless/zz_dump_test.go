package serverless

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
)

func TestZZDump(t *testing.T) {
	for _, p := range strings.Fields(os.Getenv("DUMP")) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b := model.NewBuilder()
		o := Reader{}.Read(&source.File{Path: p, Data: data, Include: os.ReadFile}, b)
		fmt.Println("==", p, o.Label, o.Errors)
		for _, e := range endpoints(b.Model()) {
			fmt.Println("  ", e)
		}
		for _, fn := range b.Model().Functions {
			v := fn.Timeout[0]
			fmt.Println("   fn", fn.Resource.Address, fn.Name, v.Known, model.Seconds(v.D), originName(v.Origin), v.Unknown)
		}
		for _, es := range b.Model().EventSources {
			fmt.Println("   es", es.Resource.Address, es.Queue.Resource.Address)
		}
		for _, api := range b.Model().APIs {
			for _, st := range api.Stages {
				fmt.Println("   stage", api.Resource.Address, api.Name, st.Name, st.AccessLog != nil)
			}
		}
		if err := b.Model().Validate(); err != nil {
			t.Error(err)
		}
	}
}
