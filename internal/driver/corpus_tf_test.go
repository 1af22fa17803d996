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

// TestCorpusTerraform runs gatelint over the 342 Terraform directories of
// ../shared/corpus-tf (real root modules and the local modules they call):
// nothing may panic; every directory INDEX.tsv lists is read as a root
// module or, when another directory calls it, read through its caller —
// each with its reason; the table says, per repository, what was found.
func TestCorpusTerraform(t *testing.T) {
	dir := schemacheck.Shared(t, "corpus-tf")
	rows, col := readIndex(t, dir)
	role := map[string]string{}
	for _, row := range rows[1:] {
		role[row[col["path"]]] = row[col["role"]]
	}

	var mu sync.Mutex
	outcomes := map[string][]string{} // directory -> outcomes of its .tf files
	cfg := Config{Paths: []string{dir}, Rules: rules.DefaultConfig(), OnFile: func(path, what string) {
		if !strings.HasSuffix(path, ".tf") && !strings.HasSuffix(path, ".tf.json") {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		rel, _ := filepath.Rel(dir, filepath.Dir(path))
		outcomes[filepath.ToSlash(rel)] = append(outcomes[filepath.ToSlash(rel)], what)
	}}
	start := time.Now()
	res := Run(cfg)
	elapsed := time.Since(start)
	if err := res.Model.Validate(); err != nil {
		t.Errorf("the corpus model is not consistent: %v", err)
	}

	read, through := 0, 0
	for path, rl := range role {
		outs := outcomes[path]
		if len(outs) == 0 {
			t.Errorf("%s (%s): in INDEX.tsv but never read", path, rl)
			continue
		}
		root, called := false, false
		for _, o := range outs {
			switch {
			case strings.HasPrefix(o, "Terraform module ("):
				root = true
			case strings.Contains(o, "read through its caller"):
				called = true
			case strings.Contains(o, "read with its module"), strings.HasPrefix(o, "error"):
			default:
				t.Errorf("%s: unexpected outcome %q", path, o)
			}
		}
		switch {
		case root:
			read++
		case called:
			through++
		default:
			t.Errorf("%s: neither read nor read through a caller: %v", path, outs)
		}
		if rl == "root" && !root {
			t.Errorf("%s is a root module (INDEX.tsv) but was not read as one: %v", path, outs)
		}
	}

	// Per repository: directories, endpoints, functions and those linked,
	// findings per rule.
	table := newRepoTable(dir)
	for path := range role {
		table.of(filepath.Join(dir, path)).units++
	}
	total := table.count(res)
	var b strings.Builder
	fmt.Fprintf(&b, "corpus-tf: %s\n", dir)
	fmt.Fprintf(&b, "  %-51s %6d\n", "directories (INDEX.tsv)", len(role))
	fmt.Fprintf(&b, "  %-51s %6d\n", "read as root modules", read)
	fmt.Fprintf(&b, "  %-51s %6d\n", "read through their callers (local modules)", through)
	fmt.Fprintf(&b, "  %-51s %6d\n", "files walked", res.Stats.FilesRead)
	fmt.Fprintf(&b, "  %-51s %6d\n", "input errors", len(res.Errors))
	fmt.Fprintf(&b, "  %-51s %6d\n", "endpoints found", res.Stats.Endpoints)
	fmt.Fprintf(&b, "  %-51s %6d\n", "functions", res.Stats.Functions)
	fmt.Fprintf(&b, "  %-51s %6d\n", "functions linked to integrations", res.Stats.LinkedFunctions)
	fmt.Fprintf(&b, "  %-51s %6d\n", "notes (unknown values, modules not read)", len(res.Notes))
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "  findings %-5s %-36s %6d\n", r.ID, r.Name, total[r.ID])
	}
	fmt.Fprintf(&b, "  %-51s %6s\n", "wall time (one run)", elapsed.Round(time.Millisecond))
	table.write(&b, "dirs")
	t.Log("\n" + b.String())
}
