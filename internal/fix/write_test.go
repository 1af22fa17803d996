package fix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
