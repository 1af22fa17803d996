package fix_test

import (
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/fix"
	"github.com/gatelint/gatelint/internal/schemacheck"
	"github.com/gatelint/gatelint/rules"
)

// TestCorpusFix fixes a copy of the real templates in ../shared/corpus,
// once with the safe fixes (--fix) and once with the unsafe ones too
// (--fix --unsafe-fixes): every fixed file must still parse, differ from
// the original only inside the edited ranges and re-check without the
// fixed findings, and a second run must change nothing. The safe run
// must keep every GL003: lowering a Timeout the work may need is unsafe.
func TestCorpusFix(t *testing.T) {
	for _, unsafe := range []bool{false, true} {
		name := "safe"
		if unsafe {
			name = "unsafe"
		}
		t.Run(name, func(t *testing.T) { corpusFix(t, unsafe) })
	}
}

func corpusFix(t *testing.T, unsafe bool) {
	src := schemacheck.Shared(t, "corpus")
	dir := filepath.Join(t.TempDir(), "corpus")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	opts := fix.Options{Unsafe: unsafe}
	cfg := driver.Config{Paths: []string{dir}, Rules: rules.DefaultConfig(), KeepSources: true}
	res := driver.Run(cfg)
	opts.Reparse = res.Reparse
	errsBefore := map[string]int{}
	for _, e := range res.Errors {
		errsBefore[e.File]++
	}
	fixed := map[string]bool{}
	async := map[string]bool{}
	for _, f := range res.Findings {
		if fx, ok := firstEdit(f); ok && (unsafe || fx.Safety == finding.Safe) {
			fixed[key(f)] = true
		}
		if f.RuleID == "GL003" {
			async[key(f)] = true
		}
	}

	plan := fix.Prepare(res.Findings, res.Sources, opts)
	for _, err := range plan.Refused {
		t.Errorf("refused: %v", err)
	}
	written, errs := fix.Write(plan.Changes, cfg.Paths)
	for _, err := range errs {
		t.Errorf("not written: %v", err)
	}
	perRule := map[string]int{}
	for _, f := range res.Findings {
		if fixed[key(f)] {
			perRule[f.RuleID]++
		}
	}
	for _, c := range written {
		onDisk, err := os.ReadFile(c.Path)
		if err != nil {
			t.Fatal(err)
		}
		onlyInsideEdits(t, fix.Change{Path: c.Path, Before: c.Before, After: onDisk, Edits: c.Edits})
	}

	again := driver.Run(cfg)
	errsAfter := map[string]int{}
	for _, e := range again.Errors {
		errsAfter[e.File]++
	}
	for _, c := range written {
		if errsAfter[c.Path] > errsBefore[c.Path] {
			t.Errorf("%s: does not parse after the fix", c.Path)
		}
	}
	asyncAfter := 0
	for _, f := range again.Findings {
		if fixed[key(f)] {
			t.Errorf("still reported after the fix: %s: %s", key(f), f.Message)
		}
		if f.RuleID == "GL003" && async[key(f)] {
			asyncAfter++
		}
	}
	if !unsafe && asyncAfter != len(async) {
		t.Errorf("--fix removed %d of %d GL003 findings", len(async)-asyncAfter, len(async))
	}
	second := fix.Prepare(again.Findings, again.Sources, fix.Options{Unsafe: unsafe, Reparse: again.Reparse})
	if len(second.Changes) > 0 || len(second.Refused) > 0 {
		t.Errorf("a second --fix is not a no-op: %d files, refused %v\n%.2000s", len(second.Changes), second.Refused, fix.DiffString(second.Changes))
	}

	var ids []string
	for id := range perRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	t.Logf("corpus --fix (unsafe fixes %v): %d templates read, %d fixed; %d findings fixed (%d edits), %d unsafe fixes not applied; GL003 %d before, %d after",
		unsafe, res.Stats.Templates, len(written), plan.Fixes(), edits(written), plan.Hidden, len(async), asyncAfter)
	for _, id := range ids {
		t.Logf("  %s: %d findings fixed", id, perRule[id])
	}
	if len(written) == 0 {
		t.Error("nothing fixed: the corpus test tests nothing")
	}
}

// firstEdit is the fix --fix would take for f.
func firstEdit(f finding.Finding) (finding.Fix, bool) {
	for _, fx := range f.Fixes {
		if len(fx.Edits) > 0 {
			return fx, true
		}
	}
	return finding.Fix{}, false
}

func edits(cs []fix.Change) int {
	n := 0
	for _, c := range cs {
		n += len(c.Edits)
	}
	return n
}

// BenchmarkCorpusPlanAndDiff plans every fix in ../shared/corpus and
// renders the diff, which is what `gatelint check --diff` adds to a check.
func BenchmarkCorpusPlanAndDiff(b *testing.B) {
	dir := schemacheck.Shared(b, "corpus")
	res := driver.Run(driver.Config{Paths: []string{dir}, Rules: rules.DefaultConfig(), KeepSources: true})
	size := 0
	for _, c := range fix.Prepare(res.Findings, res.Sources, fix.Options{Reparse: res.Reparse}).Changes {
		size += len(c.Before)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		plan := fix.Prepare(res.Findings, res.Sources, fix.Options{Reparse: res.Reparse})
		if err := fix.Diff(io.Discard, plan.Changes); err != nil {
			b.Fatal(err)
		}
	}
}
