package hclconfig

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// parseModule reads and merges one module directory.
func parseModule(r *reader, dir string) *Module {
	m := &Module{
		Dir:               dir,
		Variables:         map[string]*Variable{},
		Locals:            map[string]*Local{},
		Outputs:           map[string]*Output{},
		RequiredProviders: map[string]string{},
		resByAddr:         map[string]*Resource{},
		callByName:        map[string]*ModuleCall{},
	}
	primary, override, err := r.configFiles(dir)
	if err != nil {
		m.Diags = append(m.Diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Cannot read module directory",
			Detail:   err.Error(),
		})
		return m
	}
	if len(primary)+len(override) == 0 {
		m.Diags = append(m.Diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No Terraform configuration files",
			Detail:   fmt.Sprintf("The directory %s contains no .tf or .tf.json files.", dir),
		})
		return m
	}
	p := hclparse.NewParser()
	var prim, over []*Block
	load := func(path string, isOverride bool) []*Block {
		src, err := r.read(path)
		if err != nil {
			m.Diags = append(m.Diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cannot read configuration file",
				Detail:   err.Error(),
				Subject:  &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos},
			})
			return nil
		}
		f, diags := parseFile(p, path, src, isOverride)
		m.Diags = append(m.Diags, diags...)
		m.Files = append(m.Files, f)
		blocks, diags := decodeTop(f)
		m.Diags = append(m.Diags, diags...)
		return blocks
	}
	for _, path := range primary {
		prim = append(prim, load(path, false)...)
	}
	for _, path := range override {
		over = append(over, load(path, true)...)
	}
	m.build(prim, over)
	return m
}

func blockKey(b *Block) string {
	switch b.Type {
	case "resource", "data", "ephemeral":
		if len(b.Labels) == 2 {
			return b.Type + "." + b.Labels[0] + "." + b.Labels[1]
		}
	case "module", "variable", "output":
		if len(b.Labels) == 1 {
			return b.Type + "." + b.Labels[0]
		}
	case "provider":
		alias := ""
		if a := b.Attr("alias"); a != nil {
			if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				alias = v.AsString()
			}
		}
		if len(b.Labels) == 1 {
			return "provider." + b.Labels[0] + "." + alias
		}
	}
	return ""
}

// build merges override blocks into the primary blocks the way Terraform
// does and decodes the result.
func (m *Module) build(prim, over []*Block) {
	byKey := map[string]*Block{}
	var order []*Block
	locals := map[string]*Attribute{}
	var localOrder []string
	var terraformBlocks []*Block
	for _, b := range prim {
		switch b.Type {
		case "locals":
			for _, a := range b.Attrs {
				if prev, dup := locals[a.Name]; dup {
					m.Diags = append(m.Diags, dupDiag("local value", a.Name, prev.Range, a.NameRange))
					continue
				}
				locals[a.Name] = a
				localOrder = append(localOrder, a.Name)
			}
			continue
		case "terraform":
			terraformBlocks = append(terraformBlocks, b)
			continue
		}
		k := blockKey(b)
		if k == "" {
			continue
		}
		if prev, dup := byKey[k]; dup {
			if b.Type != "provider" {
				m.Diags = append(m.Diags, dupDiag(b.Type, k, prev.Range, b.TypeRange))
			}
			continue
		}
		byKey[k] = b
		order = append(order, b)
	}
	for _, ob := range over {
		switch ob.Type {
		case "locals":
			for _, a := range ob.Attrs {
				if _, ok := locals[a.Name]; !ok {
					m.Diags = append(m.Diags, &hcl.Diagnostic{
						Severity: hcl.DiagError,
						Summary:  "Missing base local value definition to override",
						Detail:   fmt.Sprintf("There is no local value named %q. An override file can only override a local value that was already defined in a primary configuration file.", a.Name),
						Subject:  a.NameRange.Ptr(),
					})
					continue
				}
				locals[a.Name] = a
			}
			continue
		case "terraform":
			terraformBlocks = append(terraformBlocks, ob)
			continue
		case "moved", "import", "removed":
			m.Diags = append(m.Diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  fmt.Sprintf("Cannot override '%s' blocks", ob.Type),
				Detail:   "These blocks can appear only in normal files, not in override files.",
				Subject:  ob.TypeRange.Ptr(),
			})
			continue
		}
		k := blockKey(ob)
		if k == "" {
			continue
		}
		base, ok := byKey[k]
		if !ok {
			if ob.Type == "provider" {
				byKey[k] = ob
				order = append(order, ob)
				continue
			}
			m.Diags = append(m.Diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Missing base block for override",
				Detail:   fmt.Sprintf("There is no %s in a primary configuration file for this override block to override.", k),
				Subject:  ob.TypeRange.Ptr(),
			})
			continue
		}
		if ob.Type != "provider" && ob.Type != "variable" && ob.Attr("depends_on") != nil {
			m.Diags = append(m.Diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported override",
				Detail:   "The depends_on argument may not be overridden.",
				Subject:  ob.Attr("depends_on").NameRange.Ptr(),
			})
		}
		mergeBlock(base, ob)
	}

	for _, name := range localOrder {
		m.Locals[name] = &Local{Name: name, Attr: locals[name]}
		m.localOrder = append(m.localOrder, name)
	}
	for _, tb := range terraformBlocks {
		for _, rp := range tb.BlocksOfType("required_providers") {
			for _, a := range rp.Attrs {
				v, d := a.Expr.Value(nil)
				if d.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
					continue
				}
				switch {
				case v.Type() == cty.String:
					m.RequiredProviders[a.Name] = v.AsString()
				case v.Type().IsObjectType() && v.Type().HasAttribute("source"):
					if s := v.GetAttr("source"); s.Type() == cty.String && !s.IsNull() {
						m.RequiredProviders[a.Name] = s.AsString()
					}
				}
			}
		}
	}
	for _, b := range order {
		switch b.Type {
		case "variable":
			m.addVariable(b)
		case "output":
			o := &Output{Name: b.Labels[0], Block: b, Value: b.Attr("value")}
			m.Outputs[o.Name] = o
			m.outOrder = append(m.outOrder, o.Name)
		case "resource", "data":
			m.addResource(b)
		case "module":
			m.addCall(b)
		}
	}
}

func dupDiag(what, name string, prev hcl.Range, subj hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Duplicate " + what,
		Detail:   fmt.Sprintf("%s was already declared at %s; this declaration is ignored.", name, prev),
		Subject:  subj.Ptr(),
	}
}

// mergeBlock merges an override block into base: each attribute of the
// override replaces the same-named one; nested blocks of a type that the
// override has (also as dynamic blocks) replace all of base's blocks of that
// type, except lifecycle, which is merged argument by argument.
func mergeBlock(base, over *Block) {
	for _, oa := range over.Attrs {
		replaced := false
		for i, a := range base.Attrs {
			if a.Name == oa.Name {
				base.Attrs[i] = oa
				replaced = true
				break
			}
		}
		if !replaced {
			base.Attrs = append(base.Attrs, oa)
		}
	}
	overridden := map[string]bool{}
	for _, nb := range over.Blocks {
		t := nb.Type
		if t == "dynamic" && len(nb.Labels) == 1 {
			t = nb.Labels[0]
		}
		overridden[t] = true
	}
	if overridden["lifecycle"] && (base.Type == "resource" || base.Type == "data") {
		var baseLC *Block
		for _, nb := range base.Blocks {
			if nb.Type == "lifecycle" {
				baseLC = nb
				break
			}
		}
		if baseLC != nil {
			for _, nb := range over.Blocks {
				if nb.Type == "lifecycle" {
					mergeBlock(baseLC, nb)
				}
			}
			delete(overridden, "lifecycle")
			kept := over.Blocks[:0:0]
			for _, nb := range over.Blocks {
				if nb.Type != "lifecycle" {
					kept = append(kept, nb)
				}
			}
			over = &Block{Blocks: kept}
		}
	}
	var blocks []*Block
	for _, nb := range base.Blocks {
		t := nb.Type
		if t == "dynamic" && len(nb.Labels) == 1 {
			t = nb.Labels[0]
		}
		if !overridden[t] {
			blocks = append(blocks, nb)
		}
	}
	base.Blocks = append(blocks, over.Blocks...)
	base.Overrides = append(base.Overrides, over)
}

func takeAttr(b *Block, name string) *Attribute {
	for i, a := range b.Attrs {
		if a.Name == name {
			b.Attrs = append(b.Attrs[:i:i], b.Attrs[i+1:]...)
			b.meta = append(b.meta, a)
			return a
		}
	}
	return nil
}

func (m *Module) addResource(b *Block) {
	r := &Resource{Mode: Managed, Type: b.Labels[0], Name: b.Labels[1], Block: b}
	r.Addr = r.Type + "." + r.Name
	if b.Type == "data" {
		r.Mode = Data
		r.Addr = "data." + r.Addr
	}
	r.Count = takeAttr(b, "count")
	r.ForEach = takeAttr(b, "for_each")
	r.Provider = takeAttr(b, "provider")
	r.DependsOn = takeAttr(b, "depends_on")
	if r.Count != nil && r.ForEach != nil {
		m.Diags = append(m.Diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  `Invalid combination of "count" and "for_each"`,
			Detail:   `The "count" and "for_each" meta-arguments are mutually-exclusive, only one should be used.`,
			Subject:  r.ForEach.NameRange.Ptr(),
		})
	}
	markIterators(b, nil)
	m.Resources = append(m.Resources, r)
	m.resByAddr[r.Addr] = r
}

// markIterators reclassifies references to dynamic-block iterators.
func markIterators(b *Block, iters map[string]bool) {
	for _, a := range b.Attrs {
		for i := range a.Refs {
			if iters[a.Refs[i].Traversal.RootName()] {
				a.Refs[i].Kind = RefIterator
				a.Refs[i].Subject = a.Refs[i].Traversal.RootName()
			}
		}
	}
	for _, nb := range b.Blocks {
		inner := iters
		if nb.Type == "dynamic" && len(nb.Labels) == 1 {
			name := nb.Labels[0]
			if it := nb.Attr("iterator"); it != nil {
				if kw := hcl.ExprAsKeyword(it.Expr); kw != "" {
					name = kw
				}
			}
			inner = map[string]bool{name: true}
			for k := range iters {
				inner[k] = true
			}
			// for_each and labels see only the outer iterators.
			for _, a := range nb.Attrs {
				for i := range a.Refs {
					if iters[a.Refs[i].Traversal.RootName()] {
						a.Refs[i].Kind = RefIterator
						a.Refs[i].Subject = a.Refs[i].Traversal.RootName()
					}
				}
			}
			for _, cb := range nb.Blocks {
				markIterators(cb, inner)
			}
			continue
		}
		markIterators(nb, inner)
	}
}

func (m *Module) addCall(b *Block) {
	c := &ModuleCall{Name: b.Labels[0], Block: b}
	for _, a := range b.Attrs {
		switch a.Name {
		case "source":
			c.SourceAttr = a
			if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				c.Source = v.AsString()
			} else {
				m.Diags = append(m.Diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid module source",
					Detail:   "The module source must be a literal string.",
					Subject:  a.ValueRange.Ptr(),
				})
			}
		case "version":
			if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				c.Version = v.AsString()
			}
		case "count":
			c.Count = a
		case "for_each":
			c.ForEach = a
		case "providers", "depends_on":
		default:
			c.Inputs = append(c.Inputs, a)
		}
	}
	if c.SourceAttr == nil {
		m.Diags = append(m.Diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing required argument",
			Detail:   `The argument "source" is required, but no definition was found.`,
			Subject:  b.TypeRange.Ptr(),
		})
	}
	m.Calls = append(m.Calls, c)
	m.callByName[c.Name] = c
}

func (m *Module) addVariable(b *Block) {
	v := &Variable{Name: b.Labels[0], Block: b, Type: cty.DynamicPseudoType, literal: true, Nullable: true}
	v.Default = b.Attr("default")
	if t := b.Attr("type"); t != nil {
		ty, defs, diags := typeexpr.TypeConstraintWithDefaults(t.Expr)
		if diags.HasErrors() {
			switch hcl.ExprAsKeyword(t.Expr) {
			case "list":
				ty, diags = cty.List(cty.DynamicPseudoType), nil
			case "map":
				ty, diags = cty.Map(cty.DynamicPseudoType), nil
			default:
				// JSON and legacy quoted forms: "string", "list(string)".
				if sv, d := t.Expr.Value(nil); !d.HasErrors() && sv.Type() == cty.String && sv.IsKnown() && !sv.IsNull() {
					ty, defs, diags = parseTypeString(sv.AsString())
				}
			}
		}
		if diags.HasErrors() {
			m.Diags = append(m.Diags, diags...)
			ty = cty.DynamicPseudoType
		}
		v.Type = ty
		v.defaults = defs
		v.literal = ty.IsPrimitiveType() || ty == cty.DynamicPseudoType
	}
	if a := b.Attr("nullable"); a != nil {
		if nv, d := a.Expr.Value(nil); !d.HasErrors() && nv.Type() == cty.Bool && nv.IsKnown() && !nv.IsNull() {
			v.Nullable = nv.True()
		}
	}
	if a := b.Attr("sensitive"); a != nil {
		if nv, d := a.Expr.Value(nil); !d.HasErrors() && nv.Type() == cty.Bool && nv.IsKnown() && !nv.IsNull() {
			v.Sensitive = nv.True()
		}
	}
	m.Variables[v.Name] = v
	m.varOrder = append(m.varOrder, v.Name)
}

// convertVar converts a value to the variable's type, applying optional
// attribute defaults.
func (v *Variable) convert(val cty.Value) (cty.Value, error) {
	if v.defaults != nil {
		val = v.defaults.Apply(val)
	}
	return convert.Convert(val, v.Type)
}

// parseTypeString reads a type constraint written as a string (JSON syntax
// or the legacy quoted form).
func parseTypeString(s string) (cty.Type, *typeexpr.Defaults, hcl.Diagnostics) {
	expr, diags := hclsyntax.ParseExpression([]byte(s), "<type>", hcl.InitialPos)
	if diags.HasErrors() {
		return cty.DynamicPseudoType, nil, diags
	}
	switch hcl.ExprAsKeyword(expr) {
	case "list":
		return cty.List(cty.DynamicPseudoType), nil, nil
	case "map":
		return cty.Map(cty.DynamicPseudoType), nil, nil
	}
	return typeexpr.TypeConstraintWithDefaults(expr)
}
