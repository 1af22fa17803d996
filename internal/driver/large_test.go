package driver

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/rules"
)

// TestLargeWalkedFiles: a walked file above source.LargeFile is judged
// by its first bytes: a data set is skipped, saying what it is and how
// big; a large template is still read; a named data file is still an
// error.
func TestLargeWalkedFiles(t *testing.T) {
	dir := t.TempDir()
	pad := func(head, item, tail string) []byte {
		var b bytes.Buffer
		b.WriteString(head)
		for i := 0; b.Len() < source.LargeFile+1<<20; i++ {
			if i > 0 && !strings.HasSuffix(item, "\n") {
				b.WriteString(",")
			}
			b.WriteString(item)
		}
		b.WriteString(tail)
		return b.Bytes()
	}
	files := map[string][]byte{
		"data/features.json": pad(`{"type": "FeatureCollection", "features": [`, `{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.5, 2.5]}}`, "]}"),
		"data/list.json":     pad("[", `{"a": 1}`, "]"),
		"data/fixture.yaml":  pad("cases:\n", "  - {a: 1}\n", ""),
		// A template whose size is in its Resources: read whole.
		"big.template.json": pad(`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 60}}, "Pad": {"Type": "AWS::S3::Bucket", "Metadata": {"x": [`, `"padding"`, "]}}}}"),
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outcome := map[string]string{}
	res := Run(Config{Paths: []string{dir}, Rules: rules.DefaultConfig(),
		OnFile: func(p, what string) { rel, _ := filepath.Rel(dir, p); outcome[filepath.ToSlash(rel)] = what }})
	for name, want := range map[string]string{
		"data/features.json": "skipped: not a template (a JSON document whose top-level keys include type, features); 9 MB, decided from its first 64 KB",
		"data/list.json":     "skipped: not a template (a JSON array); 9 MB, decided from its first 64 KB",
		"data/fixture.yaml":  "skipped: not a template (a YAML document whose top-level keys include cases); 9 MB, decided from its first 64 KB",
		"big.template.json":  "template",
	} {
		if outcome[name] != want {
			t.Errorf("%s: %q, want %q", name, outcome[name], want)
		}
	}
	if len(res.Errors) != 0 || res.Stats.Functions != 1 {
		t.Errorf("errors %v, %d functions", res.Errors, res.Stats.Functions)
	}
	// Named, the data file is read and said not to be a template.
	res = Run(Config{Paths: []string{filepath.Join(dir, "data", "features.json")}, Rules: rules.DefaultConfig()})
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "not a CloudFormation template") {
		t.Errorf("named: %v", res.Errors)
	}
}
