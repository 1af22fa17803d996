package scaffold_test

import (
	"os"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/fix"
	"github.com/gatelint/gatelint/internal/scaffold"
	"github.com/gatelint/gatelint/internal/source/cfn"
)

// FuzzAsync: whatever the template, scaffold answers with an error or
// with edits that keep it parseable; it never panics.
func FuzzAsync(f *testing.F) {
	for _, tc := range cases {
		data, err := os.ReadFile(tc.file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, tc.endpoint)
	}
	f.Fuzz(func(t *testing.T, data []byte, endpoint string) {
		res, err := scaffold.Async("t.yaml", data, endpoint, cfn.Options{})
		if err != nil {
			if !strings.Contains(err.Error(), "t.yaml") && !strings.Contains(err.Error(), "--endpoint") {
				t.Errorf("error names neither the file nor the flag: %v", err)
			}
			return
		}
		plan := fix.Prepare([]finding.Finding{{Fixes: []finding.Fix{res.Fix}}}, map[string][]byte{"t.yaml": data}, fix.Options{Unsafe: true, Reparse: cfn.Reader{}.Reparse})
		if len(plan.Refused) > 0 {
			t.Fatalf("the scaffold's own edits are refused: %v", plan.Refused)
		}
	})
}
