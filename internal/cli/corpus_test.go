package cli

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gatelint/gatelint/internal/schemacheck"
)

// TestCorpusOutputsValidate: every finding gatelint reports over the real
// templates in ../shared/corpus (GL009 on most of them, fixes of every
// kind) renders as SARIF and rdjson that the official schemas accept.
func TestCorpusOutputsValidate(t *testing.T) {
	corpus := schemacheck.Shared(t, "corpus")
	sarif := schemacheck.SARIF(t)
	compile := func(name string) *jsonschema.Schema {
		p := schemacheck.Shared(t, "schemas", "rdjson", name)
		sch, err := jsonschema.NewCompiler().Compile(p)
		if err != nil {
			t.Fatalf("compile %s: %v", p, err)
		}
		return sch
	}
	for format, check := range map[string]func(out []byte){
		"sarif":  func(out []byte) { schemacheck.Validate(t, sarif, out) },
		"rdjson": func(out []byte) { schemacheck.Validate(t, compile("DiagnosticResult.json"), out) },
		"rdjsonl": func(out []byte) {
			diag := compile("Diagnostic.json")
			sc := bufio.NewScanner(bytes.NewReader(out))
			sc.Buffer(nil, 1<<24)
			for sc.Scan() {
				schemacheck.Validate(t, diag, sc.Bytes())
			}
		},
	} {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := run(t, "check", corpus, "--format", format, "--fail-on", "never")
			// The corpus holds files that do not parse: exit 2, and every
			// finding still reported.
			if code != 2 || stderr != "" || len(out) < 100000 {
				t.Fatalf("exit %d, %d bytes, stderr %q", code, len(out), stderr)
			}
			check([]byte(out))
		})
	}
}
