package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/finding"
)

func TestParse(t *testing.T) {
	off, on := false, true
	warn, errSev := finding.Warning, finding.Error
	tests := []struct {
		name, src string
		// check inspects a successful parse; err is a substring of the
		// error when parsing must fail.
		check func(t *testing.T, f *File)
		err   string
	}{
		{name: "empty", src: "", check: func(t *testing.T, f *File) {
			if f.Margin != nil || f.RestMaxTimeout != nil || len(f.Rules) != 0 {
				t.Errorf("empty config set something: %+v", f)
			}
		}},
		{name: "every key", src: `rules:
  GL001: off
  GL002: on
  GL003: error
  integration-timeout-above-limit: {severity: warning}
  GL008: {enabled: false}
margin: 3000
rest-max-timeout: 60000
near-timeout-percent: 90
async-threshold: 2
call-margin: 8000
fail-on: error
exclude: [legacy/**, "*.json"]
`, check: func(t *testing.T, f *File) {
			want := map[string]RuleSetting{
				"GL001": {Enabled: &off}, "GL002": {Enabled: &on}, "GL003": {Severity: &errSev},
				"integration-timeout-above-limit": {Severity: &warn}, "GL008": {Enabled: &off},
			}
			for k, w := range want {
				g := f.Rules[k]
				if (g.Enabled == nil) != (w.Enabled == nil) || (g.Enabled != nil && *g.Enabled != *w.Enabled) ||
					(g.Severity == nil) != (w.Severity == nil) || (g.Severity != nil && *g.Severity != *w.Severity) {
					t.Errorf("rules[%s] = %+v, want %+v", k, g, w)
				}
			}
			if *f.Margin != 3000 || *f.RestMaxTimeout != 60000 || *f.NearTimeoutPercent != 90 || *f.AsyncThreshold != 2 || f.CallMargin == nil || *f.CallMargin != 8000 || f.FailOn != "error" || strings.Join(f.Exclude, ",") != "legacy/**,*.json" {
				t.Errorf("got %+v", f)
			}
		}},
		{name: "typo in a key", src: "margin: 1\nrest-max-timout: 60000\n", err: "c.yaml:2: field rest-max-timout not found"},
		{name: "unknown rule", src: "rules:\n  GL001: off\n  GL077: off\n", err: `c.yaml:3: unknown rule "GL077"`},
		{name: "bad severity", src: "rules:\n  GL001: loud\n", err: `c.yaml:2: "loud" is not off, on or a severity`},
		{name: "not a number", src: "margin: two seconds\n", err: "c.yaml:1: cannot unmarshal"},
		{name: "percent out of range", src: "margin: 1\nnear-timeout-percent: 180\n", err: "c.yaml:2: near-timeout-percent must be between 1 and 100, not 180"},
		{name: "async threshold below 1", src: "async-threshold: 0.5\n", err: "c.yaml:1: async-threshold must be at least 1"},
		{name: "call margin below 1", src: "margin: 2000\ncall-margin: 0\n", err: "c.yaml:2: call-margin must be at least 1"},
		{name: "broken YAML", src: "rules: [\n", err: "c.yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("c.yaml", []byte(tt.src))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, f)
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	if f, err := Load(filepath.Join(dir, DefaultName), false); err != nil || f == nil {
		t.Errorf("a missing default config: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "named.yaml"), true); err == nil {
		t.Error("a missing named config is not an error")
	}
	p := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(p, []byte("margin: 2500\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if f, err := Load(p, true); err != nil || *f.Margin != 2500 {
		t.Errorf("Load: %+v, %v", f, err)
	}
}

// FuzzParse: no config file, however broken, may panic the reader.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "rules: {GL001: off}\n", "margin: 1\n", "rules:\n  GL002: {severity: error}\n", "- a\n", "rules: [\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Parse("c.yaml", data)
	})
}
