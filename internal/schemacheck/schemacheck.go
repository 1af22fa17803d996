// Package schemacheck finds the material in ../shared that tests validate
// against (the SARIF schema, the corpus) and skips a test, saying why,
// where it is absent: a user's checkout builds and tests without it.
package schemacheck

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Shared returns the path of ../shared beside the module root, or skips t.
func Shared(t testing.TB, sub ...string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	p := filepath.Join(append([]string{dir, "..", "shared"}, sub...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not present: skipped (CI has ../shared beside the checkout)", filepath.Join(append([]string{"../shared"}, sub...)...))
	}
	return p
}

// SARIF compiles the official SARIF 2.1.0 schema, or skips t.
func SARIF(t testing.TB) *jsonschema.Schema {
	t.Helper()
	p := Shared(t, "schemas", "sarif-schema-2.1.0.json")
	sch, err := jsonschema.NewCompiler().Compile(p)
	if err != nil {
		t.Fatalf("compile %s: %v", p, err)
	}
	return sch
}

// Validate checks a JSON document against sch and fails t with the
// validator's explanation.
func Validate(t testing.TB, sch *jsonschema.Schema, doc []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if err := sch.Validate(v); err != nil {
		t.Fatalf("output does not validate against the schema:\n%v", err)
	}
}
