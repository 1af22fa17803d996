package yamlpos_test

import (
	"testing"

	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
	"github.com/gatelint/gatelint/internal/source/yamlpos/yamlpostest"
)

const path = "t.yaml"

// p is a position: line, column (code points), byte offset.
func p(line, col, off int) loc.Pos { return loc.Pos{Line: line, Column: col, Offset: off} }

func TestRange(t *testing.T) {
	tests := []struct {
		name       string
		src        string
		keys       []string
		start, end loc.Pos
	}{
		{"plain", "A:\n  T: 30 # c\n", []string{"A", "T"}, p(2, 6, 8), p(2, 8, 10)},
		{"plain at end of file without newline", "T: 30", []string{"T"}, p(1, 4, 3), p(1, 6, 5)},
		{"single-quoted with an escaped quote", "T: 'it''s' # c\n", []string{"T"}, p(1, 4, 3), p(1, 11, 10)},
		{"double-quoted with an escaped quote", "T: \"a\\\"b\" # c\n", []string{"T"}, p(1, 4, 3), p(1, 10, 9)},
		{"tagged scalar starts at the tag", "T: !Ref X\n", []string{"T"}, p(1, 4, 3), p(1, 10, 9)},
		{"tagged scalar with spaces and a comment", "T: !Ref   X  # c\n", []string{"T"}, p(1, 4, 3), p(1, 12, 11)},
		{"anchored scalar", "T: &a 30 # c\nU: *a\n", []string{"T"}, p(1, 4, 3), p(1, 9, 8)},
		{"anchored and tagged scalar", "T: &a !!int 30\n", []string{"T"}, p(1, 4, 3), p(1, 15, 14)},
		{"tagged and anchored scalar", "T: !!int &a 30\n", []string{"T"}, p(1, 4, 3), p(1, 15, 14)},
		{"non-specific tag", "T: {a: ! 'x'}\n", []string{"T", "a"}, p(1, 8, 7), p(1, 13, 12)},
		{"tagged quoted scalar", "T: !Sub 'a}b'\n", []string{"T"}, p(1, 4, 3), p(1, 14, 13)},
		{"JSON intrinsic mapping", `{"T": {"Ref": "X"}}`, []string{"T"}, p(1, 7, 6), p(1, 19, 18)},
		{"JSON scalar", `{"T": {"Ref": "X"}}`, []string{"T", "Ref"}, p(1, 15, 14), p(1, 18, 17)},
		{"flow sequence", "T: [a, [b, c]] # x\n", []string{"T"}, p(1, 4, 3), p(1, 15, 14)},
		{"flow mapping", "T: {a: 1, b: {c: 2}}\n", []string{"T"}, p(1, 4, 3), p(1, 21, 20)},
		{"flow mapping over lines", "T: {a: 1,\n  b: 2\n  }\nU: 1\n", []string{"T"}, p(1, 4, 3), p(3, 4, 20)},
		{"empty flow sequence", "T: []\n", []string{"T"}, p(1, 4, 3), p(1, 6, 5)},
		{"empty flow mapping", "T: { }\n", []string{"T"}, p(1, 4, 3), p(1, 7, 6)},
		{"tagged flow sequence", "T: !If [C, 1, 2]\n", []string{"T"}, p(1, 4, 3), p(1, 17, 16)},
		{"tagged block sequence", "T: !If\n  - C\n  - 1\n  - 2\nU: 1\n", []string{"T"}, p(1, 4, 3), p(4, 6, 24)},
		{"block mapping", "A:\n  x: 1\n  y: [1, 2]\nB: 2\n", []string{"A"}, p(2, 3, 5), p(3, 12, 21)},
		{"block sequence item", "A:\n  - x\n  - 'y'\n", []string{"A", "1"}, p(3, 5, 13), p(3, 8, 16)},
		{"CRLF", "A:\r\n  T: 30\r\n  U: x\r\n", []string{"A", "T"}, p(2, 6, 9), p(2, 8, 11)},
		{"CRLF block mapping ends before the CR", "A:\r\n  T: 30\r\n  U: x\r\n", []string{"A"}, p(2, 3, 6), p(3, 7, 19)},
		{"CRLF plain scalar after a comment", "A: # c\r\n  x\r\n", []string{"A"}, p(2, 3, 10), p(2, 4, 11)},
		{"BOM is not a column", "\ufeffT: 30\n", []string{"T"}, p(1, 4, 6), p(1, 6, 8)},
		{"BOM, second line", "\ufeffA: 1\nT: 30\n", []string{"T"}, p(2, 4, 11), p(2, 6, 13)},
		{"non-ASCII before the value", `{D: "héllo wörld", T: 30}`, []string{"T"}, p(1, 23, 24), p(1, 25, 26)},
		{"non-ASCII key", "ü: 30\n", []string{"ü"}, p(1, 4, 4), p(1, 6, 6)},
		{"non-ASCII value", "T: 'héllo'\n", []string{"T"}, p(1, 4, 3), p(1, 11, 11)},
		{"emoji before the value", "{D: \"\U0001F680\", T: 30}", []string{"T"}, p(1, 13, 15), p(1, 15, 17)},
		{"tab after the colon", "T:\t30\n", []string{"T"}, p(1, 4, 3), p(1, 6, 5)},
		{"JSON indented with tabs", "{\n\t\"T\": 30\n}", []string{"T"}, p(2, 7, 8), p(2, 9, 10)},
		// yaml.v3 counts these as line breaks, editors (and loc.Pos) do not.
		{"line separator in a JSON string", "{\"D\": \"a\u2028b\", \"T\": 30}", []string{"T"}, p(1, 19, 20), p(1, 21, 22)},
		{"next line in a quoted scalar", "D: 'a\u0085b'\nT: 30\n", []string{"T"}, p(2, 4, 13), p(2, 6, 15)},
		{"lone CR", "# c\rT: 30\n", []string{"T"}, p(1, 8, 7), p(1, 10, 9)},
		{"CR CR LF", "A: 1\r\r\nT: 30\n", []string{"T"}, p(2, 4, 10), p(2, 6, 12)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := yamlpos.Parse(path, []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			got := f.Range(yamlpostest.Node(t, f.Root, tt.keys...))
			want := loc.Range{File: path, Start: tt.start, End: tt.end}
			if got != want {
				t.Errorf("Range = %+v (%q)\nwant    %+v (%q)", got, yamlpostest.Slice(tt.src, got), want, yamlpostest.Slice(tt.src, want))
			}
			// The expectations are hand-counted; make sure they agree with
			// an editor's count too.
			if want.Start != yamlpostest.PosAt(tt.src, want.Start.Offset) || want.End != yamlpostest.PosAt(tt.src, want.End.Offset) {
				t.Errorf("test table disagrees with posAt: %+v..%+v", yamlpostest.PosAt(tt.src, want.Start.Offset), yamlpostest.PosAt(tt.src, want.End.Offset))
			}
		})
	}
}

func TestRangeNil(t *testing.T) {
	f, err := yamlpos.Parse(path, []byte("A: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Range(nil); got != (loc.Range{File: path}) {
		t.Errorf("Range(nil) = %+v", got)
	}
}

func TestParseError(t *testing.T) {
	_, err := yamlpos.Parse(path, []byte("A: 1\nB: [\n"))
	if err == nil {
		t.Fatal("Parse accepted an unclosed flow sequence")
	}
	e := yamlpos.ParseError(path, err)
	if e.File != path || e.Line == 0 || e.Message == "" {
		t.Errorf("ParseError = %+v, want the file, a line and a message", e)
	}
}
