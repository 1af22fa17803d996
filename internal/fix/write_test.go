package fix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/source/cfn"
)

// TestWriteStaysInsideThePathsGiven: a file outside every path named (a
// template's DefinitionUri pointing elsewhere) and a read-only file are
// left alone, with a reason; a file beside a named template is written.
func TestWriteStaysInsideThePathsGiven(t *testing.T) {
	root, elsewhere := t.TempDir(), t.TempDir()
	write := func(p, s string, mode os.FileMode) Change {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), mode); err != nil {
			t.Fatal(err)
		}
		return Change{Path: p, Before: []byte(s), After: []byte(s + "# fixed\n")}
	}
	tmpl := filepath.Join(root, "template.yaml")
	beside := write(filepath.Join(root, "api.yaml"), "openapi: 3.0.1\n", 0o644)
	outside := write(filepath.Join(elsewhere, "api.yaml"), "openapi: 3.0.1\n", 0o644)
	readOnly := write(filepath.Join(root, "ro.yaml"), "openapi: 3.0.1\n", 0o444)
	write(tmpl, "Resources: {}\n", 0o644)

	written, errs := Write([]Change{beside, outside, readOnly}, []string{tmpl})
	if len(written) != 1 || written[0].Path != beside.Path {
		t.Errorf("written %v, want only the file beside the named template", written)
	}
	var msgs []string
	for _, err := range errs {
		msgs = append(msgs, err.Error())
	}
	joined := strings.Join(msgs, "\n")
	if len(errs) != 2 || !strings.Contains(joined, "outside the paths given") || !strings.Contains(joined, "read-only") {
		t.Errorf("errors:\n%s", joined)
	}
	for _, c := range []Change{outside, readOnly} {
		if got, _ := os.ReadFile(c.Path); string(got) != string(c.Before) {
			t.Errorf("%s was changed", c.Path)
		}
	}
}

// TestOverlapRefusesOneFixNotTheFile: two findings asking one value for
// different numbers (one parameter behind two functions) cannot both be
// applied; the second is left out with a reason, the rest of the file is
// fixed.
func TestOverlapRefusesOneFixNotTheFile(t *testing.T) {
	src := []byte("Parameters:\n  T: {Type: Number, Default: 40}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 30\n")
	edit := func(old, text string) finding.TextEdit {
		i := strings.Index(string(src), old)
		return finding.TextEdit{File: "t.yaml", Start: i, End: i + len(old), NewText: text}
	}
	fix := func(e finding.TextEdit) finding.Finding {
		return finding.Finding{Fixes: []finding.Fix{{Description: "d", Edits: []finding.TextEdit{e}}}}
	}
	p := Prepare([]finding.Finding{fix(edit("40", "27")), fix(edit("40", "7")), fix(edit("30", "720"))},
		map[string][]byte{"t.yaml": src}, Options{Reparse: cfn.Reader{}.Reparse})
	if len(p.Refused) != 1 || !strings.Contains(p.Refused[0].Error(), "two fixes overlap") || len(p.Changes) != 1 || p.Changes[0].Fixes != 2 {
		t.Fatalf("refused %v, changes %d", p.Refused, len(p.Changes))
	}
	if got := string(p.Changes[0].After); !strings.Contains(got, "Default: 27}") || !strings.Contains(got, "VisibilityTimeout: 720") {
		t.Errorf("after:\n%s", got)
	}
}
