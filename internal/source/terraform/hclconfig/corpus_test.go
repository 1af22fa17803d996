package hclconfig

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
)

const corpusDir = "/work/shared/corpus-tf"

// corpusDirs lists the Terraform directories of the shared corpus.
func corpusDirs(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "INDEX.tsv"))
	if err != nil {
		tb.Skipf("corpus not available (%v): the shared corpus lives in %s", err, corpusDir)
	}
	defer f.Close()
	var dirs []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		path, _, _ := strings.Cut(sc.Text(), "\t")
		if path != "" {
			dirs = append(dirs, path)
		}
	}
	return dirs
}

func loadCorpusDir(rel string) (*Config, hcl.Diagnostics) {
	top, _, _ := strings.Cut(rel, "/")
	return Load(filepath.Join(corpusDir, rel), Options{ProjectRoot: filepath.Join(corpusDir, top)})
}

// TestCorpus loads every corpus directory: no panic, no hang, and a
// per-directory outcome summary.
func TestCorpus(t *testing.T) {
	dirs := corpusDirs(t)
	outcomes := map[string]int{}
	errorKinds := map[string][]string{}
	var resources, modules, notLoaded, unknownAttrs, attrs int
	start := time.Now()
	for _, d := range dirs {
		cfg, diags := loadCorpusDir(d)
		if cfg == nil {
			outcomes["failed"]++
			errorKinds[diags.Error()] = append(errorKinds[diags.Error()], d)
			continue
		}
		if cfg.Root.Module == nil || len(cfg.Root.Module.Files) == 0 {
			outcomes["no files"]++
			continue
		}
		resources += len(cfg.Resources)
		for _, m := range cfg.Modules {
			modules++
			if m.NotLoaded != "" {
				notLoaded++
			}
		}
		for _, r := range cfg.Resources {
			for _, a := range r.Body.Attrs {
				attrs++
				if !a.Known() {
					unknownAttrs++
				}
			}
		}
		if diags.HasErrors() {
			outcomes["loaded with errors"]++
			seen := map[string]bool{}
			for _, e := range diags.Errs() {
				k := e.(*hcl.Diagnostic).Summary
				if dd := e.(*hcl.Diagnostic).Detail; strings.Contains(k, "function call") {
					k += ": " + firstWords(dd, 6)
				}
				if !seen[k] {
					seen[k] = true
					errorKinds[k] = append(errorKinds[k], d)
				}
			}
		} else {
			outcomes["loaded cleanly"]++
		}
	}
	t.Logf("corpus: %d directories in %s", len(dirs), time.Since(start).Round(time.Millisecond))
	for _, k := range sortedKeys(outcomes) {
		t.Logf("  %-20s %d", k, outcomes[k])
	}
	t.Logf("  module instances %d (not loaded %d), resource instances %d, attributes %d (unknown %d)", modules, notLoaded, resources, attrs, unknownAttrs)
	kinds := sortedKeys(errorKinds)
	sort.SliceStable(kinds, func(i, j int) bool { return len(errorKinds[kinds[i]]) > len(errorKinds[kinds[j]]) })
	for _, k := range kinds {
		ex := errorKinds[k]
		t.Logf("  error %q in %d dirs, e.g. %s", k, len(ex), ex[0])
	}
	if outcomes["failed"] > 0 {
		t.Errorf("%d corpus directories failed to load", outcomes["failed"])
	}
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

// BenchmarkCorpus loads the whole corpus once per iteration.
func BenchmarkCorpus(b *testing.B) {
	dirs := corpusDirs(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range dirs {
			if cfg, diags := loadCorpusDir(d); cfg == nil {
				b.Fatalf("%s: %s", d, diags.Error())
			}
		}
	}
	b.ReportMetric(float64(len(dirs)), "dirs/op")
}

func init() { _ = fmt.Sprint }
