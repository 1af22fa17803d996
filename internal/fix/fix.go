// Package fix turns the byte edits findings carry into patched files: it
// plans them per file, refuses what would be unsafe to write (overlapping
// edits, a result the source that read the file no longer reads), renders
// unified diffs and writes files in place. It never re-encodes a file:
// every byte outside an edit is the byte that was read.
package fix

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/gatelint/gatelint/internal/finding"
)

// Options choose which fixes a plan takes.
type Options struct {
	// Unsafe also takes fixes marked finding.Unsafe (--unsafe-fixes).
	Unsafe bool
	// Reparse checks a patched file through the source that read it: an
	// error refuses the file's fixes. Without it no file is fixed.
	Reparse func(path string, before, after []byte) error
}

// Change is one file's patch.
type Change struct {
	// Path is the file as the check named it.
	Path string
	// Before is the file as the check read it; After is Before with Edits
	// applied.
	Before, After []byte
	// Edits are sorted by offset and do not overlap.
	Edits []finding.TextEdit
	// Fixes counts the findings this change resolves.
	Fixes int
}

// Plan is what a set of findings' fixes would do.
type Plan struct {
	Changes []Change
	// Refused are files left alone, each with the reason.
	Refused []error
	// Hidden counts unsafe fixes not taken because Options.Unsafe is off.
	Hidden int
}

// Fixes returns the number of findings the plan resolves.
func (p *Plan) Fixes() int {
	n := 0
	for _, c := range p.Changes {
		n += c.Fixes
	}
	return n
}

// Prepare plans the first fix with edits of each finding. sources holds
// every file as the check read it; a fix whose file is missing there is
// refused, since its offsets mean nothing without those bytes.
func Prepare(fs []finding.Finding, sources map[string][]byte, o Options) *Plan {
	p := &Plan{}
	byFile := map[string][]finding.TextEdit{}
	fixes := map[string]int{}
	var order []string
	for _, f := range fs {
		fix, ok := firstEditFix(f)
		if !ok {
			continue
		}
		if fix.Safety == finding.Unsafe && !o.Unsafe {
			p.Hidden++
			continue
		}
		// A fix that overlaps one already taken is refused alone (the
		// same parameter asked for two values, say); the file's other
		// fixes still apply.
		if clash, ok := overlapping(fix.Edits, byFile); ok {
			p.Refused = append(p.Refused, clash)
			continue
		}
		// One fix may touch several files; it counts once, in its first.
		for i, e := range fix.Edits {
			if _, seen := byFile[e.File]; !seen {
				order = append(order, e.File)
			}
			byFile[e.File] = append(byFile[e.File], e)
			if i == 0 {
				fixes[e.File]++
			}
		}
	}
	for _, file := range order {
		c, err := prepareFile(file, byFile[file], sources[file], o.Reparse)
		if err != nil {
			p.Refused = append(p.Refused, err)
			continue
		}
		if c.Fixes = fixes[file]; len(c.Edits) > 0 {
			p.Changes = append(p.Changes, c)
		}
	}
	return p
}

// overlapping reports an edit of fix that overlaps, without being the very
// same edit, one already planned.
func overlapping(edits []finding.TextEdit, planned map[string][]finding.TextEdit) (error, bool) {
	for _, e := range edits {
		for _, q := range planned[e.File] {
			same := e.Start == q.Start && e.End == q.End && e.NewText == q.NewText
			touch := e.Start < q.End && q.Start < e.End || (e.Start == q.Start && (e.Start == e.End || q.Start == q.End))
			if touch && !same {
				return fmt.Errorf("%s:%d:%d: not fixed: two fixes overlap (%q and %q); this one was left out, fix the other first and run again",
					e.File, e.StartPos.Line, e.StartPos.Column, q.NewText, e.NewText), true
			}
		}
	}
	return nil, false
}

// firstEditFix is the fix --fix takes: the first one that edits a file.
// Later fixes are alternatives, never applied together.
func firstEditFix(f finding.Finding) (finding.Fix, bool) {
	for _, fix := range f.Fixes {
		if len(fix.Edits) > 0 {
			return fix, true
		}
	}
	return finding.Fix{}, false
}

func prepareFile(file string, edits []finding.TextEdit, before []byte, reparse func(path string, before, after []byte) error) (Change, error) {
	if before == nil {
		return Change{}, fmt.Errorf("%s: not fixed: the file's contents as checked are not known", file)
	}
	edits = slices.Clone(edits)
	slices.SortStableFunc(edits, func(a, b finding.TextEdit) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	// Two findings may offer the very same edit (one value judged twice);
	// it is applied once.
	edits = slices.CompactFunc(edits, func(a, b finding.TextEdit) bool {
		return a.Start == b.Start && a.End == b.End && a.NewText == b.NewText
	})
	for i, e := range edits {
		if e.Start < 0 || e.End < e.Start || e.End > len(before) {
			return Change{}, fmt.Errorf("%s:%d:%d: not fixed: an edit lies outside the file as read", file, e.StartPos.Line, e.StartPos.Column)
		}
		if i > 0 {
			prev := edits[i-1]
			// Touching ranges are fine, but two insertions at one point,
			// or an insertion inside a replaced value, have no order.
			if e.Start < prev.End || (e.Start == prev.Start && (e.Start == e.End || prev.Start == prev.End)) {
				return Change{}, fmt.Errorf("%s:%d:%d: not fixed: two fixes overlap (%q at %d:%d and %q at %d:%d); fix one, then run again",
					file, e.StartPos.Line, e.StartPos.Column, prev.NewText, prev.StartPos.Line, prev.StartPos.Column, e.NewText, e.StartPos.Line, e.StartPos.Column)
			}
		}
	}
	after := Apply(before, edits)
	if reparse == nil {
		return Change{}, fmt.Errorf("%s: not fixed: nothing can check the patched file", file)
	}
	if err := reparse(file, before, after); err != nil {
		return Change{}, fmt.Errorf("%s: not fixed: the patched file would not parse: %v", file, err)
	}
	return Change{Path: file, Before: before, After: after, Edits: edits}, nil
}

// Apply splices sorted, non-overlapping edits into data.
func Apply(data []byte, edits []finding.TextEdit) []byte {
	n := len(data)
	for _, e := range edits {
		n += len(e.NewText) - (e.End - e.Start)
	}
	out := make([]byte, 0, n)
	last := 0
	for _, e := range edits {
		out = append(append(out, data[last:e.Start]...), e.NewText...)
		last = e.End
	}
	return append(out, data[last:]...)
}
