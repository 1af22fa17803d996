package driver

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/schemacheck"
	"github.com/gatelint/gatelint/rules"
)

// indexRows reads a corpus's INDEX.tsv, one map (column -> value) a row.
func indexRows(t testing.TB, dir string) []map[string]string {
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
	out := make([]map[string]string, 0, len(rows))
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, name := range rows[0] {
			if i < len(row) {
				m[name] = row[i]
			}
		}
		out = append(out, m)
	}
	return out
}

// corpusTally is what a corpus test counts of a part of the corpus (a
// repository): endpoints, functions and those an integration invokes,
// findings per rule.
type corpusTally struct {
	endpoints, functions, linked int
	rules                        map[string]int
}

// tallyBy counts res into the tally of of(file) for each API, function
// and finding (of returns nil for what belongs to no tally), and returns
// the findings per rule of the whole run.
func tallyBy(res *Result, of func(file string) *corpusTally) map[string]int {
	for _, api := range res.Model.APIs {
		if tl := of(api.Resource.File); tl != nil {
			tl.endpoints += len(api.Endpoints)
		}
	}
	for _, fn := range res.Model.Functions {
		if tl := of(fn.Resource.File); tl != nil {
			tl.functions++
			if len(fn.Integrations) > 0 {
				tl.linked++
			}
		}
	}
	total := map[string]int{}
	for _, fd := range res.Findings {
		total[fd.RuleID]++
		if tl := of(fd.Location.File); tl != nil {
			tl.rules[fd.RuleID]++
		}
	}
	return total
}

// writeRuleTotals writes a corpus table's line per rule.
func writeRuleTotals(b *strings.Builder, total map[string]int) {
	for _, r := range rules.All() {
		fmt.Fprintf(b, "  findings %-5s %-36s %6d\n", r.ID, r.Name, total[r.ID])
	}
}

// ruleCounts words a tally's findings: "GL002 3, GL009 1".
func ruleCounts(counts map[string]int) string {
	var fs []string
	for _, r := range rules.All() {
		if c := counts[r.ID]; c > 0 {
			fs = append(fs, fmt.Sprintf("%s %d", r.ID, c))
		}
	}
	return strings.Join(fs, ", ")
}

// The floors of TestCorpusServerless, from the run of 2 December 2026
// (251 of 254 projects read, the 3 others serverless.ts; 568 functions,
// 619 endpoints): the reader may find more, never fewer without someone
// looking.
const (
	slsFloorRead      = 251
	slsFloorFunctions = 568
	slsFloorEndpoints = 619
)

// TestCorpusServerless runs gatelint over every Serverless project of
// ../shared/corpus-sls (INDEX.tsv, kind serverless), each named as gatelint
// check names a project directory: nothing may panic; every project's
// configuration is read as a Serverless service or skipped with a reason
// (a serverless.ts is code, not run); input errors are listed; the table
// says, per repository, what was found.
func TestCorpusServerless(t *testing.T) {
	dir := schemacheck.Shared(t, "corpus-sls")
	type project struct{ path, config, repo string }
	var projects []project
	for _, row := range indexRows(t, dir) {
		if row["kind"] == "serverless" {
			projects = append(projects, project{row["path"], row["config"], row["repo"]})
		}
	}
	if len(projects) == 0 {
		t.Fatal("INDEX.tsv lists no serverless project")
	}
	paths := make([]string, len(projects))
	for i, p := range projects {
		// Named one by one, as a user runs gatelint in a project: a walk
		// from the corpus root would skip the projects in hidden
		// directories (MoonMail/.templates/...).
		paths[i] = filepath.Join(dir, p.path)
	}

	var mu sync.Mutex
	outcome := map[string]string{} // file (relative to dir) -> what became of it
	cfg := Config{Paths: paths, Rules: rules.DefaultConfig(), OnFile: func(path, what string) {
		mu.Lock()
		defer mu.Unlock()
		rel, _ := filepath.Rel(dir, path)
		outcome[filepath.ToSlash(rel)] = what
	}}
	start := time.Now()
	res := Run(cfg)
	elapsed := time.Since(start)
	if err := res.Model.Validate(); err != nil {
		t.Errorf("the corpus model is not consistent: %v", err)
	}

	type tally struct {
		projects, read, skipped int
		corpusTally
	}
	repos := map[string]*tally{}
	repoOfProject := map[string]string{} // project path -> repo
	skippedWhy := map[string]int{}
	var errored []string
	read := 0
	for _, p := range projects {
		repoOfProject[p.path] = p.repo
		if repos[p.repo] == nil {
			repos[p.repo] = &tally{corpusTally: corpusTally{rules: map[string]int{}}}
		}
		tl := repos[p.repo]
		tl.projects++
		file := p.path + "/" + p.config
		o, seen := outcome[file]
		switch {
		case !seen:
			t.Errorf("%s: in INDEX.tsv but its configuration %s was never read", p.path, p.config)
		case o == "Serverless service":
			read++
			tl.read++
		case strings.HasPrefix(o, "Serverless service (with errors)"), o == "error":
			read++
			tl.read++
			errored = append(errored, p.path)
		case strings.HasPrefix(o, "Serverless service in code"):
			// The reason is the reader's: a serverless.ts or .js is code,
			// which gatelint never runs.
			if !strings.HasSuffix(p.config, ".ts") && !strings.HasSuffix(p.config, ".js") {
				t.Errorf("%s: %s said to be code: %q", p.path, p.config, o)
			}
			tl.skipped++
			skippedWhy[o]++
		case strings.HasPrefix(o, "skipped: "):
			tl.skipped++
			skippedWhy[o]++
			t.Errorf("%s: %s is a Serverless configuration (INDEX.tsv) but was skipped: %q", p.path, p.config, o)
		default:
			t.Errorf("%s: unexpected outcome of %s: %q", p.path, p.config, o)
		}
	}
	// A panic in a reader is caught per file and becomes an input error
	// (driver.load); the corpus must have none.
	panics := 0
	for _, e := range res.Errors {
		if strings.Contains(e.Message, "internal error") {
			panics++
			t.Errorf("panic while reading %s: %s", e.File, e.Message)
		}
		if e.File == "" {
			t.Errorf("an input error names no file: %s", e.Message)
		}
	}

	// What was found, per repository: a resource or finding belongs to the
	// project whose directory is the longest prefix of its file.
	projectOf := func(file string) string {
		rel, err := filepath.Rel(dir, file)
		if err != nil {
			return ""
		}
		rel = filepath.ToSlash(rel)
		best := ""
		for _, p := range projects {
			if (rel == p.path || strings.HasPrefix(rel, p.path+"/")) && len(p.path) > len(best) {
				best = p.path
			}
		}
		return best
	}
	tallyOf := func(file string) *corpusTally {
		if p := projectOf(file); p != "" {
			return &repos[repoOfProject[p]].corpusTally
		}
		return nil
	}
	total := tallyBy(res, tallyOf)
	functions, endpoints := 0, 0
	for _, tl := range repos {
		functions += tl.functions
		endpoints += tl.endpoints
	}

	if read < slsFloorRead {
		t.Errorf("%d projects read as Serverless services, fewer than the %d of the last run read", read, slsFloorRead)
	}
	if functions < slsFloorFunctions {
		t.Errorf("%d functions, fewer than the %d of the last run read", functions, slsFloorFunctions)
	}
	if endpoints < slsFloorEndpoints {
		t.Errorf("%d endpoints, fewer than the %d of the last run read", endpoints, slsFloorEndpoints)
	}

	names := make([]string, 0, len(repos))
	for n := range repos {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "corpus-sls: %s\n", dir)
	fmt.Fprintf(&b, "  %-51s %6d\n", "projects (INDEX.tsv, kind serverless)", len(projects))
	fmt.Fprintf(&b, "  %-51s %6d\n", "read as Serverless services", read)
	fmt.Fprintf(&b, "  %-51s %6d\n", "  of which with input errors", len(errored))
	whys := make([]string, 0, len(skippedWhy))
	for w := range skippedWhy {
		whys = append(whys, w)
	}
	sort.Strings(whys)
	for _, w := range whys {
		fmt.Fprintf(&b, "  %-51s %6d\n", "skipped: "+strings.TrimPrefix(w, "skipped: "), skippedWhy[w])
	}
	fmt.Fprintf(&b, "  %-51s %6d\n", "files walked", res.Stats.FilesRead)
	fmt.Fprintf(&b, "  %-51s %6d\n", "input errors", len(res.Errors))
	fmt.Fprintf(&b, "  %-51s %6d\n", "panics", panics)
	fmt.Fprintf(&b, "  %-51s %6d\n", "functions", functions)
	fmt.Fprintf(&b, "  %-51s %6d\n", "endpoints", endpoints)
	fmt.Fprintf(&b, "  %-51s %6d\n", "functions linked to integrations", res.Stats.LinkedFunctions)
	fmt.Fprintf(&b, "  %-51s %6d\n", "notes (unknown values, parts not read)", len(res.Notes))
	writeRuleTotals(&b, total)
	fmt.Fprintf(&b, "  %-51s %6s\n", "wall time (one run)", elapsed.Round(time.Millisecond))
	fmt.Fprintf(&b, "\n  %-44s %4s %4s %4s %5s %5s %6s  %s\n", "repository", "proj", "read", "skip", "fns", "endp", "linked", "findings")
	for _, n := range names {
		tl := repos[n]
		fmt.Fprintf(&b, "  %-44s %4d %4d %4d %5d %5d %6d  %s\n", n, tl.projects, tl.read, tl.skipped, tl.functions, tl.endpoints, tl.linked, ruleCounts(tl.rules))
	}
	if len(res.Notes) > 0 {
		fmt.Fprintf(&b, "\n  notes:\n")
		for _, n := range res.Notes {
			rel, _ := filepath.Rel(dir, n.Location.File)
			fmt.Fprintf(&b, "    %s:%d: %s\n", rel, n.Location.Start.Line, n.Message)
		}
	}
	if len(res.Errors) > 0 {
		fmt.Fprintf(&b, "\n  input errors:\n")
		for _, e := range res.Errors {
			rel, _ := filepath.Rel(dir, e.File)
			fmt.Fprintf(&b, "    %s:%d: %s\n", rel, e.Line, e.Message)
		}
	}
	t.Log("\n" + b.String())
}
