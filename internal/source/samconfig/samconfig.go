// Package samconfig reads SAM CLI configuration files (samconfig.toml,
// samconfig.yaml, samconfig.yml) the way `sam deploy --config-env` does:
// each top-level table is an environment, and its deploy (over global)
// parameters give the template's parameter values (parameter_overrides)
// and the template it deploys (template_file). Every value keeps the
// bytes it was read from, so a finding can point at the environment's
// line and a fix can edit it there.
package samconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
)

// Names are the files SAM CLI looks for beside the template, in order.
var Names = []string{"samconfig.toml", "samconfig.yaml", "samconfig.yml"}

// Kind is how messages name an environment of this file.
const Kind = "samconfig environment"

// File is a parsed samconfig file.
type File struct {
	Path string
	// Envs are the environments, in file order.
	Envs []*Env
}

// Env is one environment: `[prod.deploy.parameters]` and
// `[prod.global.parameters]`.
type Env struct {
	Name string
	// TemplateFile is template_file, relative to the file; empty when not
	// set.
	TemplateFile string
	// Params are the parameter_overrides, deploy's over global's.
	Params []Param
	// Loc is where the environment's first table starts.
	Loc loc.Range
}

// Param is one Key=Value of parameter_overrides.
type Param struct {
	Key, Value string
	// Loc is the value's bytes (the Key=Value token's value part).
	Loc loc.Range
	// Edit returns the edit that makes the value s, or nil when the value
	// is not written plainly enough to edit in place (quoted, escaped).
	Edit func(s string) []finding.TextEdit
}

// Find returns the samconfig file SAM CLI would read in dir, or "".
func Find(dir string, exists func(string) bool) string {
	for _, n := range Names {
		if p := filepath.Join(dir, n); exists(p) {
			return p
		}
	}
	return ""
}

// IsName reports whether path is named as a samconfig file.
func IsName(path string) bool {
	base := filepath.Base(path)
	for _, n := range Names {
		if base == n {
			return true
		}
	}
	return false
}

// Exists reports whether a regular file is at path.
func Exists(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular()
}

// Parse reads a samconfig file, TOML or YAML by its name (TOML unless it
// ends in .yaml or .yml).
func Parse(path string, data []byte) (*File, error) {
	var tables []table
	var err error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		tables, err = parseYAML(path, data)
	default:
		tables, err = parseTOML(path, data)
	}
	if err != nil {
		return nil, err
	}
	return build(path, data, tables), nil
}

// value is a string, or a list of strings, read from the file, each
// with where it stands there.
type value struct {
	strs []str
}

type str struct {
	s string
	// raw[i] is the file offset of decoded byte i, raw[len(s)] the
	// offset just past the last; nil when not known.
	raw []int
	at  int // where the string (its quote) starts, for locations
	end int // just past it
}

// table is one `[env.command.parameters]` table's keys the reader uses.
type table struct {
	env, command string
	line         int
	start        int
	keys         map[string]value
}

func build(path string, data []byte, tables []table) *File {
	pos := newPositions(data)
	f := &File{Path: path}
	byName := map[string]*Env{}
	type layered struct {
		global, deploy map[string]value
	}
	layers := map[string]*layered{}
	for _, t := range tables {
		if t.env == "version" {
			continue
		}
		switch t.command {
		case "global", "deploy":
		default:
			continue
		}
		e := byName[t.env]
		if e == nil {
			e = &Env{Name: t.env, Loc: pos.rng(path, t.start, t.start)}
			byName[t.env] = e
			layers[t.env] = &layered{}
			f.Envs = append(f.Envs, e)
		}
		l := layers[t.env]
		if t.command == "global" {
			l.global = t.keys
		} else {
			l.deploy = t.keys
		}
	}
	for _, e := range f.Envs {
		l := layers[e.Name]
		get := func(k string) (value, bool) {
			if v, ok := l.deploy[k]; ok {
				return v, true
			}
			v, ok := l.global[k]
			return v, ok
		}
		if v, ok := get("template_file"); ok && len(v.strs) > 0 {
			e.TemplateFile = v.strs[0].s
		}
		if v, ok := get("parameter_overrides"); ok {
			for _, s := range v.strs {
				e.Params = append(e.Params, overrides(path, data, pos, s)...)
			}
		}
	}
	return f
}

// override matches one Key=Value of parameter_overrides: the AWS CLI's
// ParameterKey=K,ParameterValue=V or K=V, values bare, "double-quoted" or
// 'single-quoted' (SAM CLI's own pattern, samcli/cli/types.py).
var override = regexp.MustCompile(`(?:ParameterKey=([A-Za-z0-9"]+),ParameterValue=|"?([A-Za-z0-9]+)"?=)("(?:\\.|[^"\\])*"|'[^']*'|[^ \t\r\n]+)`)

// overrides splits one parameter_overrides string into its values.
func overrides(path string, data []byte, pos *positions, s str) []Param {
	var out []Param
	for _, m := range override.FindAllStringSubmatchIndex(s.s, -1) {
		var key string
		if m[2] >= 0 {
			key = s.s[m[2]:m[3]]
		} else {
			key = s.s[m[4]:m[5]]
		}
		key = strings.Trim(key, `"`)
		vs, ve := m[6], m[7]
		raw := s.s[vs:ve]
		val := raw
		if len(raw) >= 2 && (raw[0] == '"' && raw[len(raw)-1] == '"' || raw[0] == '\'' && raw[len(raw)-1] == '\'') {
			val = raw[1 : len(raw)-1]
			if raw[0] == '"' {
				val = strings.ReplaceAll(strings.ReplaceAll(val, `\"`, `"`), `\\`, `\`)
			}
			vs, ve = vs+1, ve-1
		}
		p := Param{Key: key, Value: val, Loc: pos.rng(path, s.at, s.end)}
		if s.raw != nil {
			start, end := s.raw[vs], s.raw[ve]
			if ve > vs {
				end = s.raw[ve-1] + 1
			}
			p.Loc = pos.rng(path, start, end)
			// Only a value written as it reads (no escapes) is edited.
			if string(data[start:end]) == val {
				p.Edit = func(nv string) []finding.TextEdit {
					if nv == "" || strings.ContainsAny(nv, " \t\r\n\"'\\") {
						return nil
					}
					return []finding.TextEdit{{File: path, Start: start, End: end, NewText: nv, StartPos: pos.at(start), EndPos: pos.at(end)}}
				}
			}
		}
		out = append(out, p)
	}
	return out
}

// Select returns the environments to judge: all of them, or the one
// named (an unknown name is an error naming those there are).
func (f *File) Select(name string) ([]*Env, error) {
	if name == "" {
		return f.Envs, nil
	}
	var names []string
	for _, e := range f.Envs {
		if e.Name == name {
			return []*Env{e}, nil
		}
		names = append(names, e.Name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("--config-env %s: %s defines no environment with deploy parameters", name, f.Path)
	}
	return nil, fmt.Errorf("--config-env %s: %s has no such environment (it has %s)", name, f.Path, strings.Join(names, ", "))
}

// positions converts byte offsets to lines and columns.
type positions struct {
	data  []byte
	lines []int
}

func newPositions(data []byte) *positions {
	p := &positions{data: data, lines: []int{0}}
	for i, b := range data {
		if b == '\n' {
			p.lines = append(p.lines, i+1)
		}
	}
	return p
}

func (p *positions) at(off int) loc.Pos {
	lo, hi := 0, len(p.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if p.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	col := 1 + len([]rune(string(p.data[p.lines[lo]:off])))
	return loc.Pos{Line: lo + 1, Column: col, Offset: off}
}

func (p *positions) rng(path string, start, end int) loc.Range {
	return loc.Range{File: path, Start: p.at(start), End: p.at(end)}
}
