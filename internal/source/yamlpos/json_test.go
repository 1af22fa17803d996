package yamlpos

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/schemacheck"
)

// sameTree reports the first difference between yaml.v3's tree and ours.
func sameTree(a, b *yaml.Node, where string) error {
	if a.Kind != b.Kind || a.Style != b.Style || a.Value != b.Value || a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		return fmt.Errorf("%s: yaml.v3 %v/%v %q at %d:%d with %d children, ours %v/%v %q at %d:%d with %d children",
			where, a.Kind, a.Style, a.Value, a.Line, a.Column, len(a.Content), b.Kind, b.Style, b.Value, b.Line, b.Column, len(b.Content))
	}
	if a.Kind == yaml.ScalarNode && a.Tag != b.Tag {
		return fmt.Errorf("%s: tag %s, ours %s", where, a.Tag, b.Tag)
	}
	for i := range a.Content {
		if err := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", where, i)); err != nil {
			return err
		}
	}
	return nil
}

func compareWithYAML(t *testing.T, name string, data []byte) {
	t.Helper()
	var doc yaml.Node
	yerr := yaml.Unmarshal(data, &doc)
	f, err := Parse(name, data)
	if yerr != nil {
		if err == nil {
			t.Errorf("%s: yaml.v3 fails (%v), ours reads it", name, yerr)
		}
		return
	}
	if err != nil {
		t.Errorf("%s: yaml.v3 reads it, ours fails: %v", name, err)
		return
	}
	if err := sameTree(doc.Content[0], f.Root, name); err != nil {
		t.Error(err)
	}
}

// TestJSONLikeYAML: the JSON parser builds the nodes yaml.v3 builds, in
// every position, for cases chosen for their positions and every JSON
// template of the corpus.
func TestJSONLikeYAML(t *testing.T) {
	for name, src := range map[string]string{
		"nested":        `{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 30, "X": [1, 2.5, -3e2, true, false, null, "s"]}}}}`,
		"pretty":        "{\n  \"a\": {\n    \"b\": [\n      1,\n      {}\n    ],\n    \"c\": []\n  }\n}\n",
		"escapes":       `{"a\"b": "x\\yz\n\t\u00e9", "k": "\u2028"}`,
		"unicode":       `{"é": "ü", "x": "日本語", "y": 1}`,
		"raw separator": "{\"a\": \"x\u2028y\", \"b\": 2}",
		"bom":           "\xef\xbb\xbf{\"a\": 1}",
		"crlf":          "{\r\n  \"a\": 1,\r\n  \"b\": \"c\"\r\n}\r\n",
		"array root":    `[1, {"a": "b"}]`,
		"duplicate":     `{"a": 1, "a": 2}`,
		"empty string":  `{"": ""}`,
	} {
		compareWithYAML(t, name, []byte(src))
	}
	// yaml.v3 cannot read \/ or surrogate pairs, which JSON allows.
	if f, err := Parse("t.json", []byte(`{"a": "x\/y\ud83d\ude00"}`)); err != nil || f.Root.Content[1].Value != "x/y\U0001F600" {
		t.Errorf("escapes: %v", err)
	}
	// The corpus's JSON templates, and each YAML one written as JSON,
	// indented and minified.
	dir := schemacheck.Shared(t, "corpus")
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		if looksJSON(data) {
			n++
			compareWithYAML(t, p, data)
			return nil
		}
		var v any
		if yaml.Unmarshal(data, &v) != nil {
			return nil
		}
		for _, indent := range []string{"", "  "} {
			js, err := json.MarshalIndent(v, "", indent)
			if err != nil {
				return nil
			}
			n++
			compareWithYAML(t, p+" as JSON", js)
		}
		return nil
	})
	t.Logf("%d JSON documents from the corpus compared", n)
}

// TestJSONErrors: a JSON syntax error names its line and column; a
// document cut short names its last character, never a line past it.
func TestJSONErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"double comma", "{\n  \"Resources\": {\n    \"Fn\": {\"Type\": \"AWS::Lambda::Function\",, \"Properties\": {}}\n  }\n}\n", 3, 44, "unexpected ','"},
		{"double comma in a list", `{"a": [1,,2]}`, 1, 10, "unexpected ',' where a value should be"},
		{"missing colon", `{"a" 1}`, 1, 6, "expected ':'"},
		{"truncated", "{\n  \"Resources\": {\n    \"Fn\": {\n      \"Type\": \"x\"\n    }\n  }\n", 6, 4, "unexpected end of file at 6:4"},
		{"truncated in a string", "{\"a\": \"abc", 1, 11, "unexpected end of file at 1:11: inside a string that starts at 1:7"},
		{"missing comma", "{\"a\": 1\n \"b\": 2}", 2, 2, "expected ',' or '}'"},
	}
	for _, tt := range tests {
		_, err := Parse("t.json", []byte(tt.src))
		se, ok := err.(*SyntaxError)
		if !ok || se.Line != tt.line || se.Column != tt.col || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("%s: %v, want %d:%d %q", tt.name, err, tt.line, tt.col, tt.msg)
		}
		if err == nil {
			continue
		}
		e := ParseError("t.json", err)
		if e.Line != tt.line || e.Column != tt.col {
			t.Errorf("%s: input error at %d:%d", tt.name, e.Line, e.Column)
		}
	}
	// YAML cut short: the end of the file, not a line past it.
	_, err := Parse("t.yaml", []byte("Resources:\n  Fn:\n    Properties:\n      Timeout: \"3\n"))
	if se, ok := err.(*SyntaxError); !ok || se.Line != 4 || !strings.HasPrefix(se.Msg, "unexpected end of file at 4:18") {
		t.Errorf("truncated YAML: %v", err)
	}
}

// FuzzJSON: any bytes that look like JSON parse without panicking; when
// both parsers read them as strict JSON that yaml.v3 also reads, the trees
// agree.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2.5, "x"]}`, "{\n \"a\": {\"b\": null}\n}", `[true, false, {}]`, `{"a": "\u00e9"}`, `{"a":,}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !looksJSON(data) {
			return
		}
		g, err := Parse("t.json", data)
		if err != nil {
			return
		}
		strict, jerr := parseJSON(g, Options{})
		var doc yaml.Node
		if jerr != nil || yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
			return
		}
		if err := sameTree(doc.Content[0], strict, "root"); err != nil && !strings.Contains(string(data), `\`) {
			t.Error(err)
		}
	})
}
