package driver

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gatelint/gatelint/internal/schemacheck"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/cfn"
	"github.com/gatelint/gatelint/rules"
)

// TestCorpusCDKAsBefore: the corpus's CDK templates lie in no cloud
// assembly (no manifest.json beside them), so the CDK reader declines
// them and they read exactly as the CloudFormation reader alone reads
// them: the same outcomes, findings and notes.
func TestCorpusCDKAsBefore(t *testing.T) {
	dir := filepath.Join(schemacheck.Shared(t, "corpus"), "cdk")
	run := func(readers []source.Reader) (string, map[string]string) {
		saved := Readers
		Readers = readers
		defer func() { Readers = saved }()
		outcomes := map[string]string{}
		res := Run(Config{Paths: []string{dir}, Rules: rules.DefaultConfig(), OnFile: func(p, o string) { outcomes[p] = o }})
		out, err := json.Marshal(struct{ F, N, E any }{res.Findings, res.Notes, res.Errors})
		if err != nil {
			t.Fatal(err)
		}
		return string(out), outcomes
	}
	with, withOutcomes := run(Readers)
	without, withoutOutcomes := run([]source.Reader{cfn.Reader{}})
	if with != without {
		t.Errorf("the corpus's CDK templates read differently with the CDK reader:\n%s\nwithout it:\n%s", with, without)
	}
	var files []string
	for p, o := range withOutcomes {
		files = append(files, p)
		if withoutOutcomes[p] != o {
			t.Errorf("%s: %q, without the CDK reader %q", p, o, withoutOutcomes[p])
		}
	}
	slices.Sort(files)
	if len(files) < 3 {
		t.Errorf("read %v", files)
	}
}
