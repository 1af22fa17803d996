package driver

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/schemacheck"
	"github.com/gatelint/gatelint/rules"
)

// The floors of TestCorpusServerless, from the run of 2 December 2026
// (251 of 254 services read, the 3 others serverless.ts; 568 functions,
// 619 endpoints): the reader may find more, never fewer without someone
// looking.
const (
	slsFloorRead      = 251
	slsFloorFunctions = 568
	slsFloorEndpoints = 619
)

// TestCorpusServerless runs gatelint over the Serverless Framework
// services of ../shared/corpus-sls (real public projects, INDEX.tsv):
// nothing may panic; every service file INDEX.tsv lists is read (or, for
// serverless.ts, said to be code), none silently skipped; input errors
// and notes are listed; what is read does not fall below the floors;
// every function INDEX.tsv finds over 29 s behind an API, with a timeout
// written as a literal, has its GL002; the table says, per repository,
// what was found.
func TestCorpusServerless(t *testing.T) {
	dir := schemacheck.Shared(t, "corpus-sls")
	rows, col := readIndex(t, dir)

	// A walk skips hidden directories (MoonMail's .templates): the
	// services there are named, as a user would name them.
	paths := []string{dir}
	for _, row := range rows[1:] {
		if p := row[col["path"]]; strings.HasPrefix(p, ".") || strings.Contains(p, "/.") {
			paths = append(paths, filepath.Join(dir, p))
		}
	}
	var mu sync.Mutex
	outcome := map[string]string{} // service file, relative -> outcome
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

	gl002 := map[string]bool{} // "file function"
	for _, fd := range res.Findings {
		if fd.RuleID == "GL002" {
			rel, _ := filepath.Rel(dir, fd.Location.File)
			msg, _ := strings.CutPrefix(fd.Message, "function ")
			name, _, _ := strings.Cut(msg, " ")
			gl002[filepath.ToSlash(rel)+" "+name] = true
		}
	}
	read, code := 0, 0
	for _, row := range rows[1:] {
		file := row[col["path"]] + "/" + row[col["config"]]
		switch o := outcome[file]; {
		case o == "Serverless service" || o == "Serverless service (with errors)":
			read++
		case o == "Serverless service in code (not run)":
			// The reader's reason: a serverless.ts or .js is code, which
			// gatelint never runs.
			if c := row[col["config"]]; !strings.HasSuffix(c, ".ts") && !strings.HasSuffix(c, ".js") {
				t.Errorf("%s: said to be code but is %s", file, c)
			}
			code++
		case o == "":
			t.Errorf("%s: in INDEX.tsv but never read", file)
		default:
			t.Errorf("%s: unexpected outcome %q", file, o)
		}
		if row[col["uses_variables_for_timeouts"]] == "true" {
			continue // the resolver's to reach
		}
		for _, w := range strings.Split(row[col["functions_over_29s_with_api"]], ";") {
			if fn, _, ok := strings.Cut(w, "="); ok && !gl002[file+" "+fn] {
				t.Errorf("%s: function %s (%s) has no GL002", file, fn, w)
			}
		}
	}

	// A panic in a reader is caught per file and becomes an input error
	// (driver.load): the corpus must have none, and every error must name
	// its file.
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
	if read < slsFloorRead {
		t.Errorf("%d services read, fewer than the %d of the last run read", read, slsFloorRead)
	}
	if res.Stats.Functions < slsFloorFunctions {
		t.Errorf("%d functions, fewer than the %d of the last run read", res.Stats.Functions, slsFloorFunctions)
	}
	if res.Stats.Endpoints < slsFloorEndpoints {
		t.Errorf("%d endpoints, fewer than the %d of the last run read", res.Stats.Endpoints, slsFloorEndpoints)
	}

	table := newRepoTable(dir)
	for _, row := range rows[1:] {
		table.of(filepath.Join(dir, row[col["path"]])).units++
	}
	total := table.count(res)
	var b strings.Builder
	fmt.Fprintf(&b, "corpus-sls: %s\n", dir)
	fmt.Fprintf(&b, "  %-51s %6d\n", "services (INDEX.tsv)", len(rows)-1)
	fmt.Fprintf(&b, "  %-51s %6d\n", "read", read)
	fmt.Fprintf(&b, "  %-51s %6d\n", "written as code (serverless.ts: a note)", code)
	fmt.Fprintf(&b, "  %-51s %6d\n", "files walked", res.Stats.FilesRead)
	fmt.Fprintf(&b, "  %-51s %6d\n", "input errors", len(res.Errors))
	fmt.Fprintf(&b, "  %-51s %6d\n", "panics", panics)
	fmt.Fprintf(&b, "  %-51s %6d\n", "endpoints found", res.Stats.Endpoints)
	fmt.Fprintf(&b, "  %-51s %6d\n", "functions", res.Stats.Functions)
	fmt.Fprintf(&b, "  %-51s %6d\n", "functions linked to integrations", res.Stats.LinkedFunctions)
	fmt.Fprintf(&b, "  %-51s %6d\n", "notes", len(res.Notes))
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "  findings %-5s %-36s %6d\n", r.ID, r.Name, total[r.ID])
	}
	fmt.Fprintf(&b, "  %-51s %6s\n", "wall time (one run)", elapsed.Round(time.Millisecond))
	table.write(&b, "svcs")
	for _, list := range []struct {
		title string
		n     int
		at    func(i int) (file string, line int, msg string)
	}{
		{"notes", len(res.Notes), func(i int) (string, int, string) {
			n := res.Notes[i]
			return n.Location.File, n.Location.Start.Line, n.Message
		}},
		{"input errors", len(res.Errors), func(i int) (string, int, string) {
			e := res.Errors[i]
			return e.File, e.Line, e.Message
		}},
	} {
		if list.n > 0 {
			fmt.Fprintf(&b, "\n  %s:\n", list.title)
		}
		for i := range list.n {
			file, line, msg := list.at(i)
			rel, _ := filepath.Rel(dir, file)
			fmt.Fprintf(&b, "    %s:%d: %s\n", rel, line, msg)
		}
	}
	t.Log("\n" + b.String())
}
