package report

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gatelint/gatelint/internal/finding"
)

// A fix is byte edits; people review it as a diff. This is the smallest
// unified diff that says what the edits do: the edited lines before and
// after, no context lines, hunks numbered as GNU diff -U0 numbers them.
// It renders edits, it does not compute differences between texts.

// diffLine is one line of a rendered diff; Kind is "file", "hunk", "del"
// or "ins".
type diffLine struct {
	Kind string
	Text string
}

// longLine is the length beyond which a changed line (a minified JSON
// template is one line) is shown as a window around each edit instead.
const (
	longLine     = 240
	windowAround = 60
)

// editDiff renders the edits of one fix, grouped by file in order of first
// appearance, against the files' contents as read by src. It fails when a
// file cannot be read or the edits do not fit it; the caller then shows
// the edits without their lines.
func editDiff(edits []finding.TextEdit, src func(string) ([]byte, error)) ([]diffLine, error) {
	var files []string
	byFile := map[string][]finding.TextEdit{}
	for _, e := range edits {
		if _, ok := byFile[e.File]; !ok {
			files = append(files, e.File)
		}
		byFile[e.File] = append(byFile[e.File], e)
	}
	var out []diffLine
	for _, file := range files {
		if src == nil {
			return nil, fmt.Errorf("no diff: %s was not read", file)
		}
		data, err := src(file)
		if err != nil {
			return nil, fmt.Errorf("no diff: %w", err)
		}
		lines, err := fileDiff(file, data, byFile[file])
		if err != nil {
			return nil, err
		}
		out = append(out, lines...)
	}
	return out, nil
}

// hunk is a run of whole lines [start, end) of the old file touched by one
// or more edits.
type hunk struct {
	start, end int
	edits      []finding.TextEdit
}

func fileDiff(file string, data []byte, edits []finding.TextEdit) ([]diffLine, error) {
	edits = slices.Clone(edits)
	slices.SortStableFunc(edits, func(a, b finding.TextEdit) int { return a.Start - b.Start })
	var hunks []hunk
	for i, e := range edits {
		if e.Start < 0 || e.End < e.Start || e.End > len(data) {
			return nil, fmt.Errorf("%s: edit of bytes %d–%d is outside the file (%d bytes): the file changed since it was checked", file, e.Start, e.End, len(data))
		}
		if i > 0 && e.Start < edits[i-1].End {
			return nil, fmt.Errorf("%s: edits at bytes %d and %d overlap", file, edits[i-1].Start, e.Start)
		}
		last := e.Start
		if e.End > e.Start {
			last = e.End - 1
		}
		start, end := lineStart(data, e.Start), lineEnd(data, last)
		if e.Start == e.End && start == e.Start && strings.HasSuffix(e.NewText, "\n") {
			// Whole new lines inserted: nothing old is touched.
			end = start
		}
		if n := len(hunks); n > 0 && start <= hunks[n-1].end {
			hunks[n-1].end = max(hunks[n-1].end, end)
			hunks[n-1].edits = append(hunks[n-1].edits, e)
			continue
		}
		hunks = append(hunks, hunk{start: start, end: end, edits: []finding.TextEdit{e}})
	}

	out := []diffLine{{"file", "--- " + file}, {"file", "+++ " + file}}
	shift := 0 // new-file lines minus old-file lines so far
	for _, h := range hunks {
		old := string(data[h.start:h.end])
		var b strings.Builder
		at := h.start
		for _, e := range h.edits {
			b.Write(data[at:e.Start])
			b.WriteString(e.NewText)
			at = e.End
		}
		b.Write(data[at:h.end])
		oldLines, newLines := splitLines(old), splitLines(b.String())
		first := strings.Count(string(data[:h.start]), "\n") + 1
		// An edit that inserts a line mid-line (after the indentation)
		// leaves whole lines unchanged at either end; they are not news.
		for len(oldLines) > 0 && len(newLines) > 0 && oldLines[0] == newLines[0] {
			oldLines, newLines = oldLines[1:], newLines[1:]
			first++
		}
		for len(oldLines) > 0 && len(newLines) > 0 && oldLines[len(oldLines)-1] == newLines[len(newLines)-1] {
			oldLines, newLines = oldLines[:len(oldLines)-1], newLines[:len(newLines)-1]
		}
		if len(oldLines) == 0 && len(newLines) == 0 {
			continue // the edits change nothing
		}
		out = append(out, diffLine{"hunk", fmt.Sprintf("@@ -%s +%s @@", span(first, len(oldLines)), span(first+shift, len(newLines)))})
		shift += len(newLines) - len(oldLines)
		if slices.ContainsFunc(oldLines, func(s string) bool { return len(s) > longLine }) {
			out = append(out, windows(data, h)...)
			continue
		}
		for _, l := range oldLines {
			out = append(out, diffLine{"del", "-" + l})
		}
		for _, l := range newLines {
			out = append(out, diffLine{"ins", "+" + l})
		}
	}
	return out, nil
}

// windows shows each edit of a hunk with long lines as a little of the
// text either side, before and after.
func windows(data []byte, h hunk) []diffLine {
	var out []diffLine
	for _, e := range h.edits {
		from := runeStart(data, max(e.Start-windowAround, lineStart(data, e.Start)))
		to := runeStart(data, min(e.End+windowAround, lineEnd(data, max(e.End-1, e.Start))))
		before, after := string(data[from:e.Start]), strings.TrimRight(string(data[e.End:to]), "\r\n")
		pre, post := "…", "…"
		if from == lineStart(data, e.Start) {
			pre = ""
		}
		out = append(out,
			diffLine{"del", "-" + pre + before + string(data[e.Start:e.End]) + after + post},
			diffLine{"ins", "+" + pre + before + e.NewText + after + post})
	}
	return out
}

// span is a hunk range as diff -U0 writes it: "7" for one line, "7,3" for
// three, "6,0" for none (after line 6).
func span(first, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", first-1)
	case 1:
		return fmt.Sprint(first)
	}
	return fmt.Sprintf("%d,%d", first, n)
}

// splitLines splits after each "\n", dropping line ends; a final line
// without one is kept.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r\n")
	}
	return lines
}

func lineStart(data []byte, off int) int {
	for off > 0 && data[off-1] != '\n' {
		off--
	}
	return off
}

// lineEnd is the offset just past the line end of the line holding off.
func lineEnd(data []byte, off int) int {
	for off < len(data) {
		if data[off] == '\n' {
			return off + 1
		}
		off++
	}
	return len(data)
}

// runeStart moves off back to the first byte of the character it is in,
// so a window never splits a UTF-8 sequence.
func runeStart(data []byte, off int) int {
	for off > 0 && off < len(data) && !utf8.RuneStart(data[off]) {
		off--
	}
	return off
}
