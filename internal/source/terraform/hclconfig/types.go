package hclconfig

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"
)

// File is one parsed configuration file.
type File struct {
	Name     string // path as opened (joined from the module directory)
	Bytes    []byte
	Override bool // override.tf, *_override.tf and their .tf.json forms
	JSON     bool
	HCL      *hcl.File // nil when the file could not be parsed at all

	annotations map[int][]Annotation // by the line the comment starts on
	trailing    map[int][]Annotation // comments that follow code on their line
}

// Annotation is a "# gatelint:ignore GL002 reason" (or "//") comment found on
// the line(s) just above a block or attribute, or at the end of its first line.
type Annotation struct {
	Rules  []string // rule ids, e.g. ["GL002"]; "all" matches every rule
	Reason string
	Range  hcl.Range
}

// Attribute is one "name = expression" argument as written.
type Attribute struct {
	Name       string
	Expr       hcl.Expression
	Range      hcl.Range // the whole "name = value"
	NameRange  hcl.Range
	ValueRange hcl.Range // the value expression: replace these bytes to change the value
	JSON       bool
	// Refs are the references in the expression, e.g. aws_lambda_function.x.arn.
	Refs        []Reference
	Annotations []Annotation
}

// Block is a block as written, after override files were merged into it.
// Attributes from an override file keep that file's ranges.
type Block struct {
	Type        string
	Labels      []string
	Range       hcl.Range // from the type keyword to the closing brace
	TypeRange   hcl.Range // the block type keyword (e.g. "resource")
	LabelRanges []hcl.Range
	BodyRange   hcl.Range // from the opening brace to the closing brace
	Attrs       []*Attribute
	Blocks      []*Block
	Annotations []Annotation
	JSON        bool
	// Overrides lists the override-file blocks merged into this one.
	Overrides []*Block

	file *File
	meta []*Attribute // meta-arguments taken out of Attrs (count, for_each, ...)
}

// Attr returns the attribute named name, or nil.
func (b *Block) Attr(name string) *Attribute {
	if b == nil {
		return nil
	}
	for _, a := range b.Attrs {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// BlocksOfType returns the nested blocks of type typ (not dynamic ones).
func (b *Block) BlocksOfType(typ string) []*Block {
	var out []*Block
	for _, nb := range b.Blocks {
		if nb.Type == typ {
			out = append(out, nb)
		}
	}
	return out
}

// Filename is the file the block was written in.
func (b *Block) Filename() string { return b.Range.Filename }

// RefKind says what a reference points at.
type RefKind string

const (
	RefVar       RefKind = "var"
	RefLocal     RefKind = "local"
	RefModule    RefKind = "module"   // module.<call>.<output>
	RefResource  RefKind = "resource" // <type>.<name>...
	RefData      RefKind = "data"     // data.<type>.<name>...
	RefCount     RefKind = "count"
	RefEach      RefKind = "each"
	RefPath      RefKind = "path"
	RefTerraform RefKind = "terraform"
	RefSelf      RefKind = "self"
	RefIterator  RefKind = "iterator" // a dynamic block's iterator or other local symbol
)

// Reference is one traversal found in an expression.
type Reference struct {
	Kind RefKind
	// Subject is the referenced object: "var.timeout", "local.x",
	// "module.fn", "aws_lambda_function.x", "data.aws_ssm_parameter.p".
	Subject string
	// Attr is the first attribute after the subject (and after an index, for
	// resources and modules): "invoke_arn", the module output name, ...
	Attr string
	// Key is the instance key given in the traversal (aws_x.y[0] → 0), if any.
	Key       cty.Value
	Traversal hcl.Traversal
	Range     hcl.Range
}

// Variable is a variable block.
type Variable struct {
	Name      string
	Block     *Block
	Default   *Attribute // nil when there is none
	Type      cty.Type   // cty.DynamicPseudoType when no type is given
	defaults  *typeexpr.Defaults
	literal   bool // -var and TF_VAR_ values are taken as literal strings
	Nullable  bool
	Sensitive bool
}

// Local is one entry of a locals block.
type Local struct {
	Name string
	Attr *Attribute
}

// Output is an output block.
type Output struct {
	Name  string
	Block *Block
	Value *Attribute
}

// Mode is managed (resource) or data.
type Mode string

const (
	Managed Mode = "managed"
	Data    Mode = "data"
)

// Resource is a resource or data block as written.
type Resource struct {
	Mode Mode
	Type string
	Name string
	// Addr is the address inside its module: aws_lambda_function.x or
	// data.aws_iam_policy_document.p.
	Addr string
	// Block is the merged block; meta-arguments (count, for_each, provider,
	// depends_on) are not in Block.Attrs, they are below.
	Block     *Block
	Count     *Attribute
	ForEach   *Attribute
	Provider  *Attribute
	DependsOn *Attribute
}

// ModuleCall is a module block as written.
type ModuleCall struct {
	Name       string
	Block      *Block
	Source     string // "" when not a literal string
	SourceAttr *Attribute
	Version    string
	Count      *Attribute
	ForEach    *Attribute
	// Inputs are the arguments that are not meta-arguments: each sets the
	// child's variable of the same name.
	Inputs []*Attribute
}

// Input returns the module call's argument for variable name, or nil.
func (c *ModuleCall) Input(name string) *Attribute {
	for _, a := range c.Inputs {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Module is a module directory as written: the same directory called twice
// is one Module and two ModuleInstances.
type Module struct {
	Dir       string
	Files     []*File
	Variables map[string]*Variable
	Locals    map[string]*Local
	Outputs   map[string]*Output
	Resources []*Resource
	Calls     []*ModuleCall
	// RequiredProviders maps local names to source addresses when given.
	RequiredProviders map[string]string
	Diags             hcl.Diagnostics

	varOrder   []string
	localOrder []string
	outOrder   []string
	resByAddr  map[string]*Resource
	callByName map[string]*ModuleCall
}

// Resource returns the resource with the in-module address addr, or nil.
func (m *Module) Resource(addr string) *Resource { return m.resByAddr[addr] }

// Call returns the module call named name, or nil.
func (m *Module) Call(name string) *ModuleCall { return m.callByName[name] }

// VarSource says where a variable's value was set.
type VarSource string

const (
	FromDefault  VarSource = "default"
	FromEnv      VarSource = "env"          // TF_VAR_name
	FromTFVars   VarSource = "tfvars"       // terraform.tfvars(.json)
	FromAutoVars VarSource = "auto.tfvars"  // *.auto.tfvars(.json)
	FromVarFile  VarSource = "var-file"     // an explicit --params-file
	FromCLI      VarSource = "cli"          // an explicit --param name=value
	FromCaller   VarSource = "module-input" // the calling module's argument
	FromPlan     VarSource = "plan"         // the variables of a plan JSON file
	Unset        VarSource = "unset"
)

// VarValue is the value a module instance's variable takes and where it was set.
type VarValue struct {
	Name   string
	Value  Value
	Source VarSource
	// File and Range locate the setting: the tfvars line ("name = value"),
	// the default attribute, or the caller's argument. Empty for env / cli.
	File       string
	Range      hcl.Range
	ValueRange hcl.Range
	// Attr is the default or caller argument attribute, when there is one.
	Attr *Attribute
	// EnvName or CLIArg is set for FromEnv and FromCLI.
	EnvName string
	CLIArg  string
}

// Value is an evaluated expression.
type Value struct {
	// Val is the value without marks; it may be unknown or partly unknown.
	Val cty.Value
	// Origins are the resource attributes, data sources, module outputs and
	// unset variables that flowed into the value; those with a Reason are why
	// (part of) the value is unknown.
	Origins []Origin
	Diags   hcl.Diagnostics
}

// Known reports whether the value is wholly known.
func (v Value) Known() bool { return v.Val != cty.NilVal && v.Val.IsWhollyKnown() }

// Reasons returns the reasons why the value is (partly) unknown.
func (v Value) Reasons() []string {
	if v.Known() {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, o := range v.Origins {
		if o.Reason != "" && !seen[o.Reason] {
			seen[o.Reason] = true
			out = append(out, o.Reason)
		}
	}
	if len(out) == 0 {
		out = append(out, "the value is not known offline")
	}
	return out
}

// OriginKind classifies an Origin.
type OriginKind string

const (
	OriginResource  OriginKind = "resource"      // a resource attribute
	OriginData      OriginKind = "data"          // a data source attribute
	OriginModule    OriginKind = "module-output" // an output of a module that is not loaded
	OriginVariable  OriginKind = "variable"      // a variable without a value
	OriginExpansion OriginKind = "expansion"     // count.index / each.* of an unknown expansion
	OriginError     OriginKind = "error"         // evaluation failed
	OriginUnknown   OriginKind = "unsupported"   // a function or construct evaluated as unknown
)

// Origin is a cty mark carried by values: what they refer to and, for
// unknown values, why they are unknown.
type Origin struct {
	Kind OriginKind
	// Addr is the full address of the referenced object, including the
	// module path: "module.fn.aws_lambda_function.this[0]", "data.x.y",
	// "var.timeout", "module.lambda".
	Addr string
	// Attr is the attribute or output name ("invoke_arn").
	Attr string
	// Reason is empty for a known value that came from a resource's
	// configuration, else why the value is unknown.
	Reason string
}
