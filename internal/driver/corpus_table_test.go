package driver

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/rules"
)

// readIndex reads a corpus's INDEX.tsv: its rows (the header first) and
// the column of each header name.
func readIndex(t *testing.T, dir string) ([][]string, map[string]int) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes = '\t', true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	return rows, col
}

// repoTally is what a corpus sweep found in one repository.
type repoTally struct {
	units, endpoints, functions, linked int
	rules                               map[string]int
}

// repoTable tallies a sweep's result per repository (the corpus
// directory's first path element).
type repoTable struct {
	dir   string
	repos map[string]*repoTally
}

func newRepoTable(dir string) *repoTable {
	return &repoTable{dir: dir, repos: map[string]*repoTally{}}
}

// of is the tally of the repository file is in; nil outside the corpus.
func (rt *repoTable) of(file string) *repoTally {
	rel, err := filepath.Rel(rt.dir, file)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil
	}
	name, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	if rt.repos[name] == nil {
		rt.repos[name] = &repoTally{rules: map[string]int{}}
	}
	return rt.repos[name]
}

// count adds a run's endpoints, functions and findings, and returns the
// findings per rule over the whole corpus.
func (rt *repoTable) count(res *Result) map[string]int {
	for _, api := range res.Model.APIs {
		if tl := rt.of(api.Resource.File); tl != nil {
			tl.endpoints += len(api.Endpoints)
		}
	}
	for _, fn := range res.Model.Functions {
		if tl := rt.of(fn.Resource.File); tl != nil {
			tl.functions++
			if len(fn.Integrations) > 0 {
				tl.linked++
			}
		}
	}
	total := map[string]int{}
	for _, fd := range res.Findings {
		total[fd.RuleID]++
		if tl := rt.of(fd.Location.File); tl != nil {
			tl.rules[fd.RuleID]++
		}
	}
	return total
}

// write prints the table, a row per repository; units names what the
// first column counts ("dirs", "svcs").
func (rt *repoTable) write(b *strings.Builder, units string) {
	names := make([]string, 0, len(rt.repos))
	for n := range rt.repos {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(b, "\n  %-40s %5s %5s %5s %6s  %s\n", "repository", units, "endp", "fns", "linked", "findings")
	for _, n := range names {
		tl := rt.repos[n]
		var fs []string
		for _, r := range rules.All() {
			if c := tl.rules[r.ID]; c > 0 {
				fs = append(fs, fmt.Sprintf("%s %d", r.ID, c))
			}
		}
		fmt.Fprintf(b, "  %-40s %5d %5d %5d %6d  %s\n", n, tl.units, tl.endpoints, tl.functions, tl.linked, strings.Join(fs, ", "))
	}
}
