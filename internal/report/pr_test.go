package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/golden"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/schemacheck"
)

// prSample is sampleResult with log evidence on the GL003 finding and an
// unsafe fix, the parts only pull-request formats show.
func prSample() *Result {
	r := sampleResult()
	p99 := int64(28950)
	first := time.Date(2026, 11, 2, 9, 14, 0, 0, time.UTC)
	last := time.Date(2026, 11, 20, 17, 3, 0, 0, time.UTC)
	r.Findings[1].Evidence = &finding.Evidence{Timeouts: 37, Requests: 1204, P99IntegrationLatencyMs: &p99,
		FirstSeen: &first, LastSeen: &last, Sources: []string{"logs/api-access.log.gz"}}
	r.Findings[1].Fixes = []finding.Fix{{Description: "add an asynchronous path (queue, worker, status route)", Safety: finding.Unsafe,
		Edits: []finding.TextEdit{{File: r.Findings[1].Location.File, Start: 1180, End: 1180, NewText: "...",
			StartPos: r.Findings[1].Location.Start, EndPos: r.Findings[1].Location.Start}}}}
	return r
}

// fakeDiff stands in for fix.DiffString, which the report package cannot
// import: it shows that each edit fix gets its block.
func fakeDiff(f finding.Fix) string {
	e := f.Edits[0]
	return "--- a/" + e.File + "\n+++ b/" + e.File + "\n@@ -1 +1 @@\n-old\n+" + e.NewText + "\n"
}

func TestPullRequestGolden(t *testing.T) {
	opts := Options{Rules: testRules(), Version: "0.1.0-test", Diff: fakeDiff}
	for _, format := range []string{"rdjson", "rdjsonl", "github", "markdown"} {
		for name, r := range map[string]*Result{"": prSample(), "_empty": {}} {
			t.Run(format+name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := Write(&buf, format, r, opts); err != nil {
					t.Fatal(err)
				}
				golden.Check(t, filepath.Join("testdata", format+name+".golden"), buf.Bytes())
			})
		}
	}
}

func rdSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	p := schemacheck.Shared(t, "schemas", "rdjson", name)
	sch, err := jsonschema.NewCompiler().Compile(p)
	if err != nil {
		t.Fatalf("compile %s: %v", p, err)
	}
	return sch
}

func TestRDJSONValidatesAgainstSchema(t *testing.T) {
	result, diag := rdSchema(t, "DiagnosticResult.json"), rdSchema(t, "Diagnostic.json")
	for name, r := range map[string]*Result{"sample": prSample(), "empty": {}, "bytes": byteColumnSample()} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := RDJSON(&buf, r, Options{}); err != nil {
				t.Fatal(err)
			}
			schemacheck.Validate(t, result, buf.Bytes())
			buf.Reset()
			if err := RDJSONL(&buf, r, Options{}); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
			if len(r.Findings) == 0 {
				lines = nil
			}
			if len(lines) != len(r.Findings) {
				t.Fatalf("%d lines for %d findings", len(lines), len(r.Findings))
			}
			for _, l := range lines {
				schemacheck.Validate(t, diag, []byte(l))
			}
		})
	}
}

// The schema must reject what reviewdog rejects, or the test above
// proves nothing.
func TestRDJSONSchemaRejects(t *testing.T) {
	var buf bytes.Buffer
	if err := RDJSON(&buf, prSample(), Options{}); err != nil {
		t.Fatal(err)
	}
	schemaRejects(t, rdSchema(t, "DiagnosticResult.json"), buf.String(), `"severity": "WARNING"`, `"severity": "SEVERE"`)
}

// byteColumnSample is a finding on a line with multi-byte text before the
// value, and the file's bytes, as check.Run keeps them.
func byteColumnSample() *Result {
	const file = "t.yaml"
	src := "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: \"Größe ☕\", VisibilityTimeout: 60}\n"
	off := strings.Index(src, "60")
	// Line 4; code points before "60": the line up to it, in runes.
	lineStart := strings.LastIndex(src[:off], "\n") + 1
	cp := len([]rune(src[lineStart:off])) + 1
	start := loc.Pos{Line: 4, Column: cp, Offset: off}
	end := loc.Pos{Line: 4, Column: cp + 2, Offset: off + 2}
	return &Result{
		Findings: []finding.Finding{{
			RuleID: "GL008", RuleName: "async-worker-visibility-timeout", Severity: finding.Warning,
			Message: "queue Q ...", Location: loc.Range{File: file, Start: start, End: end},
			Resource: finding.Resource{Address: "Q", LogicalID: "Q"},
			Fixes: []finding.Fix{{Description: "set VisibilityTimeout of Q to 120", Edits: []finding.TextEdit{{
				File: file, Start: off, End: off + 2, NewText: "120", StartPos: start, EndPos: end}}}},
		}},
		Sources: map[string][]byte{file: []byte(src)},
	}
}

func TestRDJSONColumnsAreBytes(t *testing.T) {
	r := byteColumnSample()
	var buf bytes.Buffer
	if err := RDJSONL(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	var d rdDiagnostic
	if err := json.Unmarshal(buf.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	src := r.Sources["t.yaml"]
	line := strings.Split(string(src), "\n")[3]
	want := strings.Index(line, "60") + 1 // bytes, 1-based
	if want == r.Findings[0].Location.Start.Column {
		t.Fatal("bytes and code points agree on this line: the case tests nothing")
	}
	got := d.Location.Range
	if got.Start.Column != want || got.End.Column != want+2 || got.Start.Line != 4 {
		t.Errorf("range %+v %+v, want line 4 columns %d..%d", got.Start, *got.End, want, want+2)
	}
	s := d.Suggestions[0]
	if s.Range.Start.Column != want || s.Range.End.Column != want+2 || s.Text != "120" {
		t.Errorf("suggestion %+v, want columns %d..%d text 120", s, want, want+2)
	}
	// Applying the suggestion by bytes, as reviewdog does, gives the fix.
	if patched := line[:s.Range.Start.Column-1] + s.Text + line[s.Range.End.Column-1:]; !strings.Contains(patched, "VisibilityTimeout: 120}") {
		t.Errorf("suggestion applied by bytes gives %q", patched)
	}
}

func TestGitHubEscaping(t *testing.T) {
	r := &Result{Findings: []finding.Finding{{
		RuleID: "GL002", RuleName: "lambda-timeout-exceeds-integration", Severity: finding.Warning,
		Message:  "100% of calls: a\r\nb",
		Location: loc.Range{File: "st:acks,x/t.yaml", Start: loc.Pos{Line: 3, Column: 5}, End: loc.Pos{Line: 3, Column: 7}},
	}}}
	var buf bytes.Buffer
	if err := GitHub(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	want := "::warning file=st%3Aacks%2Cx/t.yaml,line=3,col=5,endLine=3,endColumn=7,title=GL002 lambda-timeout-exceeds-integration::100%25 of calls: a%0D%0Ab\n"
	if got := strings.SplitAfter(buf.String(), "\n")[0]; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestMarkdownFences(t *testing.T) {
	tests := []struct{ in, fence string }{
		{"plain\n", "```"},
		{"a ``` b\n", "````"},
		{"````\n", "`````"},
	}
	for _, tt := range tests {
		got := fenced("diff", tt.in)
		if !strings.HasPrefix(got, "\n"+tt.fence+"diff\n") || !strings.HasSuffix(got, "\n"+tt.fence+"\n") {
			t.Errorf("fenced(%q) = %q, want fence %s", tt.in, got, tt.fence)
		}
	}
}

// An unsafe fix says so in text and JSON; safe ones carry no mark.
func TestUnsafeFixMarked(t *testing.T) {
	for _, tt := range []struct{ format, unsafe, safe string }{
		{"text", "    fix (unsafe): add an asynchronous path", "    fix: raise TimeoutInMillis to 29000"},
		{"json", `"unsafe": true`, `"description": "raise TimeoutInMillis to 29000",`},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, tt.format, prSample(), Options{}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.Count(out, tt.unsafe) != 1 || !strings.Contains(out, tt.safe) {
			t.Errorf("%s: want one %q and a plain %q:\n%s", tt.format, tt.unsafe, tt.safe, out)
		}
	}
}
