package terraform

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/terraform/hclconfig"
)

// code locates an aws_lambda_function's handler code (model.Code) and
// reads its environment: filename from an archive_file data source is
// its source_dir (or source_file); a literal filename is the directory of
// the same name beside the zip, when there is one; code in S3 or an image
// is nobody's to read.
func (bd *build) code(ri *hclconfig.ResourceInstance, fn *model.Function) {
	handler, _ := str(ri.Attr("handler"))
	runtime, _ := str(ri.Attr("runtime"))
	c := &model.Code{Handler: handler, Runtime: runtime}
	if av := ri.Attr("filename"); av != nil {
		c.Loc, c.Setting = bd.p.rng(av.Expr.Range()), "filename"
		for _, o := range av.Origins {
			if o.Kind == hclconfig.OriginData && strings.Contains(o.Addr, "archive_file.") {
				bd.archive(bd.res[o.Addr], c)
			}
		}
		if c.Dir == "" {
			if zip, ok := str(av); ok {
				dir := strings.TrimSuffix(bd.abs(zip), filepath.Ext(zip))
				if info, err := os.Stat(dir); err == nil && info.IsDir() {
					c.Dir = bd.p.display(dir)
				}
			}
		}
	}
	if c.Dir != "" {
		fn.Code = c
	}
	if envs := ri.Body.BlocksOfType("environment"); len(envs) > 0 {
		fn.Env = bd.envVars(envs[0].Attrs["variables"])
	}
}

// moduleCode is the same for the lambda module: source_path (a directory
// or a file, or the first of a list), handler, runtime and
// environment_variables.
func (bd *build) moduleCode(mi *hclconfig.ModuleInstance, fn *model.Function) {
	handler, _ := str(mi.Inputs["handler"])
	runtime, _ := str(mi.Inputs["runtime"])
	c := &model.Code{Handler: handler, Runtime: runtime, Setting: "source_path"}
	if av := mi.Inputs["source_path"]; av != nil {
		c.Loc = bd.p.rng(av.Expr.Range())
		p, ok := str(av)
		if !ok && av.Known() && (av.Val.Type().IsTupleType() || av.Val.Type().IsListType()) && av.Val.LengthInt() > 0 {
			first := av.Val.Index(cty.NumberIntVal(0))
			if first.Type() == cty.String && first.IsKnown() {
				p, ok = first.AsString(), true
			} else if first.Type().IsObjectType() && first.Type().HasAttribute("path") {
				if pv := first.GetAttr("path"); pv.Type() == cty.String && pv.IsKnown() {
					p, ok = pv.AsString(), true
				}
			}
		}
		if ok {
			abs := bd.abs(p)
			if info, err := os.Stat(abs); err == nil && !info.IsDir() {
				c.Dir, c.Files = bd.p.display(filepath.Dir(abs)), []string{bd.p.display(abs)}
			} else {
				c.Dir = bd.p.display(abs)
			}
			fn.Code = c
		}
	}
	fn.Env = bd.envVars(mi.Inputs["environment_variables"])
}

// archive reads an archive_file data source into c.
func (bd *build) archive(ri *hclconfig.ResourceInstance, c *model.Code) {
	if ri == nil {
		return
	}
	if d, ok := str(ri.Attr("source_dir")); ok {
		c.Dir, c.Setting = bd.p.display(bd.abs(d)), "source_dir"
		if av := ri.Attr("source_dir"); av != nil {
			c.Loc = bd.p.rng(av.Expr.Range())
		}
		return
	}
	if f, ok := str(ri.Attr("source_file")); ok {
		abs := bd.abs(f)
		c.Dir, c.Files, c.Setting = bd.p.display(filepath.Dir(abs)), []string{bd.p.display(abs)}, "source_file"
		if av := ri.Attr("source_file"); av != nil {
			c.Loc = bd.p.rng(av.Expr.Range())
		}
	}
}

// abs is a path of the configuration as Terraform resolves it: relative
// to the root module's directory.
func (bd *build) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	root := "."
	if bd.cfg.Root != nil && bd.cfg.Root.Module != nil {
		root = bd.cfg.Root.Module.Dir
	}
	return filepath.Join(root, filepath.FromSlash(p))
}

// envVars reads a map of environment variables: each known string value,
// located at its item, with the edit that rewrites a literal.
func (bd *build) envVars(av *hclconfig.AttrValue) map[string]model.EnvVar {
	if av == nil || av.Val == cty.NilVal || !av.Val.IsKnown() || av.Val.IsNull() || !av.Val.CanIterateElements() {
		return nil
	}
	out := map[string]model.EnvVar{}
	for it := av.Val.ElementIterator(); it.Next(); {
		k, v := it.Element()
		if k.Type() != cty.String {
			continue
		}
		name := k.AsString()
		ev := model.EnvVar{}
		if e := av.Item(av.Expr, name); e != nil {
			ev.Loc = bd.p.rng(e.Range())
			if lit, ok := unwrap(e).(*hclsyntax.TemplateExpr); ok && lit.IsStringLiteral() {
				ev.Edit = bd.replaceString(e.Range())
			} else if _, ok := unwrap(e).(*hclsyntax.LiteralValueExpr); ok {
				ev.Edit = bd.replaceString(e.Range())
			}
		}
		if v.IsKnown() && !v.IsNull() {
			if sv, err := convertString(v); err == nil {
				ev.Value, ev.Known = sv, true
			}
		}
		if !ev.Known {
			ev.Unknown = "known only at apply"
		}
		out[name] = ev
	}
	return out
}

func convertString(v cty.Value) (string, error) {
	switch v.Type() {
	case cty.String:
		return v.AsString(), nil
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), nil
	case cty.Bool:
		if v.True() {
			return "true", nil
		}
		return "false", nil
	}
	return "", os.ErrInvalid
}

// replaceString is the edit that writes a string over the bytes of r.
func (bd *build) replaceString(r hcl.Range) func(string) []finding.TextEdit {
	src := bd.p.bytes[r.Filename]
	if src == nil || !bd.editable(r.Filename) || r.End.Byte > len(src) || r.End.Byte <= r.Start.Byte {
		return nil
	}
	return func(s string) []finding.TextEdit {
		return []finding.TextEdit{bd.p.edit(r.Filename, r.Start.Byte, r.End.Byte, `"`+s+`"`)}
	}
}
