package cfn

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// paramFileKind is what messages call a --params-file's values.
const paramFileKind = "parameter file"

// LocateParams reads a --params-file in CloudFormation's formats with
// where each value is written (["K=V"], [{ParameterKey,
// ParameterValue}], {"Parameters": {...}}, a Git sync deployment file's
// parameters, Key=Value lines) and the edit that changes a number there:
// a value from it is located at its line, and --fix-parameters edits
// that line, as a samconfig environment's is (never the template's
// Default silently). A value written so that no edit is sure (escaped,
// not a number) is located with no edit.
func LocateParams(path string, data []byte) map[string]EnvParam {
	out := map[string]EnvParam{}
	env := filepath.Base(path)
	add := func(k, v string, at loc.Range, edit func(string) []finding.TextEdit) {
		out[k] = EnvParam{Env: env, Kind: paramFileKind, Value: v, Loc: at, Edit: edit}
	}
	trimmed := bytes.TrimSpace(data)
	f, err := yamlpos.Parse(path, data)
	isDoc := err == nil && f.Root != nil && (len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{') ||
		f.Root.Kind == yaml.MappingNode && (get(f.Root, "parameters") != nil || get(f.Root, "template-file-path") != nil))
	if !isDoc {
		keyValueLines(data, path, add)
		return out
	}
	number := func(n *yaml.Node) func(string) []finding.TextEdit {
		if _, ok := parseNum(n.Value); !ok || n.Kind != yaml.ScalarNode {
			return nil
		}
		replace := yamlpos.ReplaceNumber(f, n)
		if replace == nil {
			return nil
		}
		return func(s string) []finding.TextEdit {
			x, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil
			}
			return replace(x)
		}
	}
	switch r := f.Root; r.Kind {
	case yaml.SequenceNode:
		for _, it := range r.Content {
			switch it.Kind {
			case yaml.ScalarNode:
				k, v, ok := strings.Cut(it.Value, "=")
				if !ok {
					continue
				}
				start := f.ValueStart(f.Offset(it.Line, it.Column))
				at, edit := f.Range(it), (func(string) []finding.TextEdit)(nil)
				// "K=V" written without escapes: the value's bytes are
				// the string's after "K=".
				if end := start + 1 + len(it.Value); it.Style == yaml.DoubleQuotedStyle && end < len(data) && string(data[start+1:end]) == it.Value {
					vs := start + 1 + len(k) + 1
					at = loc.Range{File: path, Start: f.Pos(vs), End: f.Pos(end)}
					if _, isNum := parseNum(v); isNum {
						edit = func(s string) []finding.TextEdit { return []finding.TextEdit{f.Edit(vs, end, s)} }
					}
				}
				add(strings.TrimSpace(k), v, at, edit)
			case yaml.MappingNode:
				k, v := get(it, "ParameterKey"), get(it, "ParameterValue")
				if k != nil && v != nil && v.Kind == yaml.ScalarNode {
					add(k.Value, v.Value, f.Range(v), number(v))
				}
			}
		}
	case yaml.MappingNode:
		ps := get(r, "Parameters")
		if ps == nil {
			ps = get(r, "parameters")
		}
		pairs(ps, func(k, v *yaml.Node) {
			if v.Kind == yaml.ScalarNode {
				add(k.Value, v.Value, f.Range(v), number(v))
			}
		})
	}
	return out
}

// keyValueLines locates Key=Value lines; an unquoted number is edited in
// place.
func keyValueLines(data []byte, path string, add func(k, v string, at loc.Range, edit func(string) []finding.TextEdit)) {
	for off, n := 0, 1; off < len(data); n++ {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data) - off
		}
		line := data[off : off+end]
		// pos is a position on this line.
		pos := func(o int) loc.Pos { return loc.Pos{Line: n, Column: utf8.RuneCount(data[off:o]) + 1, Offset: o} }
		k, v, ok := bytes.Cut(line, []byte("="))
		s := strings.TrimSpace(string(line))
		if ok && s != "" && !strings.HasPrefix(s, "#") && len(bytes.TrimSpace(k)) > 0 {
			vt := bytes.TrimSpace(v)
			vs := off + len(k) + 1
			if len(vt) > 0 {
				vs += bytes.Index(v, vt)
			}
			ve := vs + len(vt)
			var edit func(string) []finding.TextEdit
			if _, isNum := parseNum(string(vt)); isNum {
				at, to := pos(vs), pos(ve)
				edit = func(s string) []finding.TextEdit {
					return []finding.TextEdit{{File: path, Start: vs, End: ve, StartPos: at, EndPos: to, NewText: s}}
				}
			}
			add(strings.TrimSpace(string(k)), strings.Trim(string(vt), `"'`), loc.Range{File: path, Start: pos(vs), End: pos(ve)}, edit)
		}
		off += end + 1
	}
}
