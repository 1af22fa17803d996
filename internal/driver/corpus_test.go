package driver

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/schemacheck"
	"github.com/gatelint/gatelint/rules"
)

// corpusIndex reads INDEX.tsv: path → parse_ok (True, False, jinja).
func corpusIndex(t testing.TB, dir string) map[string]string {
	f, err := os.Open(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	out := map[string]string{}
	for _, row := range rows[1:] {
		out[row[col["path"]]] = row[col["parse_ok"]]
	}
	return out
}

// TestCorpus runs gatelint over the 1,526 real templates in ../shared:
// nothing may panic, no file may vanish unaccounted, and every file the
// index says parses must be read without error.
func TestCorpus(t *testing.T) {
	dir := schemacheck.Shared(t, "corpus")
	index := corpusIndex(t, dir)

	var mu sync.Mutex
	outcome := map[string]string{}
	cfg := Config{Paths: []string{dir}, Rules: rules.DefaultConfig(), OnFile: func(path, what string) {
		mu.Lock()
		defer mu.Unlock()
		rel, _ := filepath.Rel(dir, path)
		outcome[filepath.ToSlash(rel)] = what
	}}
	missing := 0
	start := time.Now()
	res := Run(cfg)
	elapsed := time.Since(start)
	if err := res.Model.Validate(); err != nil {
		t.Errorf("the corpus model is not consistent: %v", err)
	}

	errored := map[string][]string{}
	for _, e := range res.Errors {
		if strings.Contains(e.Message, " is not there: the deploy would fail") {
			// The corpus keeps templates, not the nested templates and
			// OpenAPI files beside them in their repositories.
			missing++
			continue
		}
		rel, _ := filepath.Rel(dir, e.File)
		errored[filepath.ToSlash(rel)] = append(errored[filepath.ToSlash(rel)], e.Error())
	}
	for path, parseOK := range index {
		what, seen := outcome[path]
		if !seen {
			t.Errorf("%s: in INDEX.tsv but never read", path)
			continue
		}
		if parseOK == "True" && len(errored[path]) > 0 {
			t.Errorf("%s parses (INDEX.tsv) but gatelint reported: %s", path, strings.Join(errored[path], "; "))
		}
		if what == "error" && len(errored[path]) == 0 {
			t.Errorf("%s: outcome error without an error message", path)
		}
	}
	if res.Stats.FilesRead != len(index) {
		t.Errorf("read %d files, INDEX.tsv lists %d", res.Stats.FilesRead, len(index))
	}

	counts := map[string]int{}
	for _, f := range res.Findings {
		counts[f.RuleID]++
	}
	skipped := 0
	for _, what := range outcome {
		if strings.HasPrefix(what, "skipped") {
			skipped++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "corpus: %s\n", dir)
	fmt.Fprintf(&b, "  %-51s %6d\n", "files read", res.Stats.FilesRead)
	fmt.Fprintf(&b, "  %-51s %6d\n", "templates recognised", res.Stats.Templates)
	fmt.Fprintf(&b, "  %-51s %6d\n", "skipped (not templates)", skipped)
	fmt.Fprintf(&b, "  %-51s %6d\n", "input errors", len(res.Errors))
	fmt.Fprintf(&b, "  %-51s %6d\n", "  of which files a template refers to, not in corpus", missing)
	fmt.Fprintf(&b, "  %-51s %6d\n", "endpoints found", res.Stats.Endpoints)
	fmt.Fprintf(&b, "  %-51s %6d\n", "functions", res.Stats.Functions)
	fmt.Fprintf(&b, "  %-51s %6d\n", "functions linked to integrations", res.Stats.LinkedFunctions)
	fmt.Fprintf(&b, "  %-51s %6d\n", "notes (unresolved values, missing files, duplicate keys)", len(res.Notes))
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "  findings %-5s %-36s %6d\n", r.ID, r.Name, counts[r.ID])
	}
	fmt.Fprintf(&b, "  %-51s %6s\n", "wall time (one run)", elapsed.Round(time.Millisecond))
	t.Log("\n" + b.String())
}

// BenchmarkCorpus lints the whole corpus: walk, parse, model, rules.
func BenchmarkCorpus(b *testing.B) {
	dir := schemacheck.Shared(b, "corpus")
	cfg := Config{Paths: []string{dir}, Rules: rules.DefaultConfig()}
	var size int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			size += info.Size()
		}
		return nil
	})
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		Run(cfg)
	}
}
