package hclconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// resolveRootVars reads every source of root variable values, so that
// their diagnostics are reported even for variables nothing refers to.
func (l *loader) resolveRootVars(root *ModuleInstance) {
	l.rootVars = l.readRootVars(root.Module)
}

func (l *loader) rootVarSettings() map[string]*VarValue { return l.rootVars }

// readRootVars applies Terraform's precedence, lowest first: TF_VAR_
// environment, terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json)
// in lexical order, then var files and -var arguments in command-line order.
func (l *loader) readRootVars(m *Module) map[string]*VarValue {
	out := map[string]*VarValue{}
	declared := func(name string) (*Variable, bool) {
		v, ok := m.Variables[name]
		return v, ok
	}
	for _, kv := range l.opts.Env {
		k, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, "TF_VAR_") {
			continue
		}
		name := strings.TrimPrefix(k, "TF_VAR_")
		v, ok := declared(name)
		if !ok {
			continue
		}
		pv, diags := parseRawVar(v, name, val, k)
		out[name] = &VarValue{Name: name, Source: FromEnv, EnvName: k, Value: Value{Val: pv, Diags: diags}}
		l.addDiags(diags)
	}
	p := hclparse.NewParser()
	readFile := func(path string, src VarSource, mustExist bool) {
		b, err := l.r.read(path)
		if err != nil {
			if mustExist || !os.IsNotExist(err) {
				l.addDiag(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read variables file", Detail: err.Error()})
			}
			return
		}
		l.cfg.Sources[path] = b
		f, diags := parseVars(p, path, b)
		l.addDiags(diags)
		if f == nil || f.Body == nil {
			return
		}
		attrs, diags := f.Body.JustAttributes()
		l.addDiags(diags)
		names := make([]string, 0, len(attrs))
		for n := range attrs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			a := attrs[n]
			if _, ok := declared(n); !ok {
				l.addDiag(&hcl.Diagnostic{
					Severity: hcl.DiagWarning,
					Summary:  "Value for undeclared variable",
					Detail:   fmt.Sprintf("The root module does not declare a variable named %q; the value is ignored.", n),
					Subject:  a.NameRange.Ptr(),
				})
				continue
			}
			val, d := a.Expr.Value(nil)
			l.addDiags(d)
			if d.HasErrors() {
				val = cty.DynamicVal.WithMarks(originMark(OriginError, "var."+n, "", "invalid value in "+path))
			}
			out[n] = &VarValue{Name: n, Source: src, File: path, Range: a.Range, ValueRange: a.Expr.Range(), Value: Value{Val: val, Diags: d}}
		}
	}
	dir := m.Dir
	readFile(filepath.Join(dir, "terraform.tfvars"), FromTFVars, false)
	readFile(filepath.Join(dir, "terraform.tfvars.json"), FromTFVars, false)
	var autos []string
	if ents, err := os.ReadDir(dir); err == nil {
		for _, e := range ents {
			n := e.Name()
			if !e.IsDir() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
				autos = append(autos, n)
			}
		}
	}
	for p := range l.r.overlay {
		if filepath.Dir(p) == filepath.Clean(dir) {
			n := filepath.Base(p)
			if strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json") {
				autos = append(autos, n)
			}
		}
	}
	sort.Strings(autos)
	for i, n := range autos {
		if i > 0 && autos[i-1] == n {
			continue
		}
		readFile(filepath.Join(dir, n), FromAutoVars, true)
	}
	for _, a := range l.opts.Vars {
		if a.File != "" {
			path := a.File
			if !filepath.IsAbs(path) {
				if ap, err := filepath.Abs(path); err == nil {
					path = ap
				}
			}
			readFile(path, FromVarFile, true)
			continue
		}
		v, ok := declared(a.Name)
		if !ok {
			l.addDiag(&hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Value for undeclared variable",
				Detail: fmt.Sprintf("A value was given for %q, which the root module does not declare.", a.Name)})
			continue
		}
		pv, diags := parseRawVar(v, a.Name, a.Value, "-var "+a.Name)
		l.addDiags(diags)
		vv := &VarValue{Name: a.Name, Source: FromCLI, CLIArg: a.Name + "=" + a.Value, Value: Value{Val: pv, Diags: diags}}
		if a.Plan != "" {
			vv.Source, vv.File = FromPlan, a.Plan
		}
		out[a.Name] = vv
	}
	return out
}

// parseRawVar reads a -var or TF_VAR_ string the way Terraform does: as a
// literal string for primitive (or untyped) variables, as an HCL expression
// for the others.
func parseRawVar(v *Variable, name, raw, what string) (cty.Value, hcl.Diagnostics) {
	if v.literal {
		return cty.StringVal(raw), nil
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), fmt.Sprintf("<value for var.%s>", name), hcl.InitialPos)
	if diags.HasErrors() {
		return cty.DynamicVal.WithMarks(originMark(OriginError, "var."+name, "", "invalid value in "+what)), diags
	}
	val, d := expr.Value(nil)
	diags = append(diags, d...)
	if d.HasErrors() {
		val = cty.DynamicVal.WithMarks(originMark(OriginError, "var."+name, "", "invalid value in "+what))
	}
	return val, diags
}

// ParseVarsFile parses a variables file (.tfvars or .tfvars.json) and
// returns its syntax problems, for checking a patched file.
func ParseVarsFile(path string, src []byte) hcl.Diagnostics {
	f, diags := parseVars(hclparse.NewParser(), path, src)
	if f == nil || f.Body == nil {
		return diags
	}
	_, d := f.Body.JustAttributes()
	return append(diags, d...)
}

// parseVars parses a variables file, native syntax or JSON by its name,
// refusing brackets nested deeper than maxNesting.
func parseVars(p *hclparse.Parser, path string, src []byte) (*hcl.File, hcl.Diagnostics) {
	if strings.HasSuffix(path, ".json") {
		return p.ParseJSON(src, path)
	}
	if d, line := nestingDepth(src); d > maxNesting {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Variables file nested too deeply", Detail: fmt.Sprintf("Brackets are nested %d deep (limit %d).", d, maxNesting),
			Subject: &hcl.Range{Filename: path, Start: hcl.Pos{Line: line, Column: 1}, End: hcl.Pos{Line: line, Column: 1}}}}
	}
	return p.ParseHCL(src, path)
}
