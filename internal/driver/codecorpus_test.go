package driver

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/schemacheck"
	"github.com/gatelint/gatelint/internal/source/code"
	"github.com/gatelint/gatelint/rules"
)

// TestCorpusCode runs gatelint over ../shared/corpus-code (handler code
// beside the templates of the corpus's serverless-patterns): nothing may
// panic, every call found is located in a file that exists, and the
// table says how much code was read, how many calls were found and what
// GL011 made of them. GATELINT_CODE_FINDINGS=FILE writes every GL011
// finding, one a line, for reading by hand (docs/handler-code.md).
func TestCorpusCode(t *testing.T) {
	dir := schemacheck.Shared(t, "corpus-code")
	start := time.Now()
	res := Run(Config{Paths: []string{filepath.Join(dir, "serverless-patterns")}, Rules: rules.DefaultConfig()})
	elapsed := time.Since(start)
	if err := res.Model.Validate(); err != nil {
		t.Errorf("the model is not consistent: %v", err)
	}
	for _, e := range res.Errors {
		if strings.Contains(e.Message, "internal error") {
			t.Errorf("%s: %s", e.File, e.Message)
		}
	}
	m := res.Model
	var waited, withCode, read int
	calls := map[string]int{}
	for _, fn := range m.Functions {
		if len(fn.Integrations) == 0 {
			continue
		}
		waited++
		if fn.Code != nil {
			withCode++
		}
		if fn.CodeRead {
			read++
		}
		for _, c := range fn.Calls {
			calls[c.Lang]++
			if _, err := os.Stat(c.Loc.File); err != nil {
				t.Errorf("a call of %s is located in %s, which does not exist", fn.Resource.Name(), c.Loc.File)
			}
		}
	}
	// Every function with code, waited on or not: what the scanner reads.
	for _, fn := range m.Functions {
		fn.Calls, fn.CodeRead = nil, false
	}
	scanStart := time.Now()
	all := code.Scan(m, code.Options{All: true})
	scanTime := time.Since(scanStart)
	allCalls := map[string]int{}
	var bytes int
	for _, d := range all.Sources {
		bytes += len(d)
	}
	for _, fn := range m.Functions {
		for _, c := range fn.Calls {
			allCalls[c.Lang]++
		}
	}
	var gl011 []string
	for _, f := range res.Findings {
		if f.RuleID == "GL011" {
			rel, _ := filepath.Rel(dir, f.Location.File)
			gl011 = append(gl011, fmt.Sprintf("%s:%d\t%s\t%s", rel, f.Location.Start.Line, f.Resource.Address, f.Message))
		}
	}
	sort.Strings(gl011)
	var b strings.Builder
	fmt.Fprintf(&b, "corpus-code: %d functions behind an integration, %d with code located, %d read; %d functions with code read in all (%.1f MB in %v)\n",
		waited, withCode, read, all.Functions, float64(bytes)/1e6, scanTime.Round(time.Millisecond))
	langs := []string{code.Python, code.JavaScript, code.TypeScript, code.Go, code.Java}
	fmt.Fprintf(&b, "%-11s %6s %16s %18s\n", "language", "files", "calls (waited)", "calls (all fns)")
	for _, l := range langs {
		fmt.Fprintf(&b, "%-11s %6d %16d %18d\n", l, all.Files[l], calls[l], allCalls[l])
	}
	fmt.Fprintf(&b, "GL011 findings: %d; wall time %v\n", len(gl011), elapsed.Round(time.Millisecond))
	// For reading by hand beyond the few functions the corpus puts behind
	// an API: every other function with code, as if a REST API waited 29 s
	// for it.
	var assumed []string
	for _, fn := range m.Functions {
		// A template read under several scenarios holds a copy of the
		// function in each: one is judged, as the run reports one.
		if fn.Code == nil || len(fn.Integrations) > 0 || len(fn.Calls) == 0 || !fn.Resource.Scenario.Primary() {
			continue
		}
		api := &model.API{Resource: &model.Resource{Address: "AssumedApi"}, Type: model.REST}
		in := &model.Integration{Resource: api.Resource, Kind: model.LambdaProxy, Function: fn,
			Timeout: model.Values{{Known: true, D: 29 * time.Second, Unit: model.InMillis, Origin: model.Default, Setting: "TimeoutInMillis"}}}
		e := &model.Endpoint{API: api, Method: "POST", Path: "/assumed", Resource: api.Resource, Integration: in}
		api.Endpoints, in.Endpoints, fn.Integrations = []*model.Endpoint{e}, []*model.Endpoint{e}, []*model.Integration{in}
		cfg := rules.DefaultConfig()
		for _, f := range rules.GL011.Check(&model.Model{APIs: []*model.API{api}, Functions: []*model.Function{fn}}, &cfg) {
			rel, _ := filepath.Rel(dir, f.Location.File)
			assumed = append(assumed, fmt.Sprintf("%s:%d\t%s\t%s", rel, f.Location.Start.Line, fn.Resource.Address, f.Message))
		}
	}
	sort.Strings(assumed)
	fmt.Fprintf(&b, "GL011 findings were every other function with code behind a 29 s REST API: %d\n", len(assumed))
	t.Log("\n" + b.String())
	if out := os.Getenv("GATELINT_CODE_FINDINGS"); out != "" {
		if err := os.WriteFile(out+".assumed", []byte(strings.Join(assumed, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out := os.Getenv("GATELINT_CODE_FINDINGS"); out != "" {
		if err := os.WriteFile(out, []byte(strings.Join(gl011, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
