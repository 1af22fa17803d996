package report

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/finding"
)

func diffText(lines []diffLine) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

func TestEditDiff(t *testing.T) {
	const yaml = "a: 1\nb: 2\nc: 3\nd: 4\n"
	edit := func(start, end int, text string) finding.TextEdit {
		return finding.TextEdit{File: "t.yaml", Start: start, End: end, NewText: text}
	}
	long := `{"Resources":{"Fn":{"Properties":{"Timeout":60,"Handler":"` + strings.Repeat("x", 300) + `"}}}}`
	at := strings.Index(long, "60")
	tests := []struct {
		name  string
		src   string
		edits []finding.TextEdit
		want  string
	}{
		{"one value", yaml, []finding.TextEdit{edit(8, 9, "20")},
			"--- t.yaml\n+++ t.yaml\n@@ -2 +2 @@\n-b: 2\n+b: 20\n"},
		{"two lines apart, later hunk numbered after the first", yaml, []finding.TextEdit{edit(13, 14, "30"), edit(0, 4, "a: 1\na2: 1")},
			"--- t.yaml\n+++ t.yaml\n@@ -1,0 +2 @@\n+a2: 1\n@@ -3 +4 @@\n-c: 3\n+c: 30\n"},
		{"adjacent lines make one hunk", yaml, []finding.TextEdit{edit(3, 4, "9"), edit(8, 9, "8")},
			"--- t.yaml\n+++ t.yaml\n@@ -1,2 +1,2 @@\n-a: 1\n-b: 2\n+a: 9\n+b: 8\n"},
		{"two edits on one line", yaml, []finding.TextEdit{edit(0, 1, "x"), edit(3, 4, "y")},
			"--- t.yaml\n+++ t.yaml\n@@ -1 +1 @@\n-a: 1\n+x: y\n"},
		{"whole line inserted", yaml, []finding.TextEdit{edit(10, 10, "  b2: 5\n")},
			"--- t.yaml\n+++ t.yaml\n@@ -2,0 +3 @@\n+  b2: 5\n"},
		{"line inserted after the indentation", "a:\n  b: 2\n", []finding.TextEdit{edit(5, 5, "c: 3\n  ")},
			"--- t.yaml\n+++ t.yaml\n@@ -1,0 +2 @@\n+  c: 3\n"},
		{"an edit that changes nothing", yaml, []finding.TextEdit{edit(0, 1, "a")},
			"--- t.yaml\n+++ t.yaml\n"},
		{"insertion inside a line", yaml, []finding.TextEdit{edit(4, 4, " # why")},
			"--- t.yaml\n+++ t.yaml\n@@ -1 +1 @@\n-a: 1\n+a: 1 # why\n"},
		{"line deleted", yaml, []finding.TextEdit{edit(5, 10, "")},
			"--- t.yaml\n+++ t.yaml\n@@ -2 +1,0 @@\n-b: 2\n"},
		{"last line without a newline, CRLF kept out", "a: 1\r\nb: 2", []finding.TextEdit{edit(9, 10, "3")},
			"--- t.yaml\n+++ t.yaml\n@@ -2 +2 @@\n-b: 2\n+b: 3\n"},
		{"minified line shown as a window", long, []finding.TextEdit{edit(at, at+2, "27")},
			"--- t.yaml\n+++ t.yaml\n@@ -1 +1 @@\n" +
				"-" + long[:at+2+windowAround] + "…\n" +
				"+" + long[:at] + "27" + long[at+2:at+2+windowAround] + "…\n"},
		{"window keeps characters whole", strings.Repeat("é", 200) + "a60" + strings.Repeat("é", 200), []finding.TextEdit{edit(401, 403, "7")},
			"--- t.yaml\n+++ t.yaml\n@@ -1 +1 @@\n" +
				"-…" + strings.Repeat("é", 30) + "a60" + strings.Repeat("é", 30) + "…\n" +
				"+…" + strings.Repeat("é", 30) + "a7" + strings.Repeat("é", 30) + "…\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := editDiff(tt.edits, func(string) ([]byte, error) { return []byte(tt.src), nil })
			if err != nil {
				t.Fatal(err)
			}
			if diffText(got) != tt.want {
				t.Errorf("diff:\n%s\nwant:\n%s", diffText(got), tt.want)
			}
		})
	}
}

func TestEditDiffErrors(t *testing.T) {
	src := func(string) ([]byte, error) { return []byte("a: 1\n"), nil }
	missing := func(f string) ([]byte, error) { return nil, &os.PathError{Op: "open", Path: f, Err: os.ErrNotExist} }
	tests := []struct {
		name  string
		src   func(string) ([]byte, error)
		edits []finding.TextEdit
		want  string
	}{
		{"no reader", nil, []finding.TextEdit{{File: "t.yaml"}}, "t.yaml was not read"},
		{"unreadable", missing, []finding.TextEdit{{File: "t.yaml"}}, "open t.yaml: file does not exist"},
		{"past the end", src, []finding.TextEdit{{File: "t.yaml", Start: 3, End: 9}}, "t.yaml: edit of bytes 3–9 is outside the file (5 bytes)"},
		{"backwards", src, []finding.TextEdit{{File: "t.yaml", Start: 3, End: 2}}, "outside the file"},
		{"overlapping", src, []finding.TextEdit{{File: "t.yaml", Start: 0, End: 3}, {File: "t.yaml", Start: 2, End: 4}}, "t.yaml: edits at bytes 0 and 2 overlap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := editDiff(tt.edits, tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one saying %q", err, tt.want)
			}
		})
	}
	if _, err := editDiff([]finding.TextEdit{{File: "t.yaml"}}, missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v does not wrap its cause", err)
	}
}

// FuzzEditDiff: any edit of any file either is refused or yields a diff
// whose removed lines are the file's and whose added lines are the edited
// file's, in order.
func FuzzEditDiff(f *testing.F) {
	f.Add([]byte("a: 1\nb: 2\n"), 3, 4, "20")
	f.Add([]byte("a: 1\r\nb: 2"), 0, 0, "x: 0\n")
	f.Add([]byte(strings.Repeat("é", 300)), 301, 301, "y")
	f.Fuzz(func(t *testing.T, data []byte, start, end int, text string) {
		e := finding.TextEdit{File: "f", Start: start, End: end, NewText: text}
		lines, err := editDiff([]finding.TextEdit{e}, func(string) ([]byte, error) { return data, nil })
		if err != nil {
			return
		}
		edited := append(append(bytes.Clone(data[:start]), text...), data[end:]...)
		for _, l := range lines {
			body := strings.Trim(l.Text[1:], "…")
			var whole []byte
			switch l.Kind {
			case "del":
				whole = data
			case "ins":
				whole = edited
			default:
				continue
			}
			if !bytes.Contains(whole, []byte(body)) {
				t.Fatalf("%s line %q is not in the %s text", l.Kind, l.Text, l.Kind)
			}
		}
	})
}
