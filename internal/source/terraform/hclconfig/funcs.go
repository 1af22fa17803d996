package hclconfig

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

const (
	maxRange      = 10000
	maxProduct    = 10000
	maxFormatPad  = 1000
	maxYAMLNodes  = 200000
	maxTemplateIn = 4 << 20
)

// functions returns Terraform's built-in functions for a module instance.
func (l *loader) functions(mi *ModuleInstance) map[string]function.Function {
	dir := l.rootDir
	if mi.Module != nil {
		dir = mi.Module.Dir
	}
	if fs, ok := l.fnCache[dir]; ok {
		return fs
	}
	fs := baseFunctions()
	fr := &fileResolver{l: l, moduleDir: dir}
	fs["file"] = fr.readFunc(false)
	fs["filebase64"] = fr.readFunc(true)
	fs["fileexists"] = fr.existsFunc()
	for name, h := range map[string]func() hash.Hash{"md5": md5.New, "sha1": sha1.New, "sha256": sha256.New, "sha512": sha512.New} {
		fs["file"+name] = fr.hashFunc(h, false)
		if name == "sha256" || name == "sha512" {
			fs["filebase64"+name] = fr.hashFunc(h, true)
		}
	}
	fs["abspath"] = strFunc(func(s string) (string, error) {
		if !filepath.IsAbs(s) {
			s = filepath.Join(l.rootDir, s)
		}
		return filepath.ToSlash(filepath.Clean(s)), nil
	})
	fs["templatefile"] = fr.templateFileFunc(fs)
	fs["templatestring"] = templateStringFunc(fs)
	l.fnCache[dir] = fs
	return fs
}

func baseFunctions() map[string]function.Function {
	fs := map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "chomp": stdlib.ChompFunc,
		"coalesce": stdlib.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
		"concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc, "csvdecode": stdlib.CSVDecodeFunc,
		"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc, "chunklist": stdlib.ChunklistFunc,
		"flatten": stdlib.FlattenFunc, "floor": stdlib.FloorFunc, "format": capFormat(stdlib.FormatFunc),
		"formatdate": stdlib.FormatDateFunc, "formatlist": capFormat(stdlib.FormatListFunc), "indent": stdlib.IndentFunc,
		"index": stdlib.IndexFunc, "join": stdlib.JoinFunc, "jsondecode": stdlib.JSONDecodeFunc,
		"jsonencode": stdlib.JSONEncodeFunc, "keys": stdlib.KeysFunc, "length": lengthFunc,
		"log": stdlib.LogFunc, "lookup": lookupFunc, "lower": stdlib.LowerFunc, "max": stdlib.MaxFunc,
		"merge": stdlib.MergeFunc, "min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc,
		"range": capRange(), "regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc,
		"replace": replaceFunc, "reverse": stdlib.ReverseListFunc, "setintersection": stdlib.SetIntersectionFunc,
		"setproduct": capSetProduct(), "setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
		"signum": stdlib.SignumFunc, "slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "split": stdlib.SplitFunc,
		"strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc, "timeadd": stdlib.TimeAddFunc,
		"title": stdlib.TitleFunc, "trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc,
		"trimspace": stdlib.TrimSpaceFunc, "trimsuffix": stdlib.TrimSuffixFunc, "upper": stdlib.UpperFunc,
		"values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
		"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tobool": stdlib.MakeToFunc(cty.Bool), "toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
		"one": oneFunc, "sum": sumFunc, "alltrue": boolsFunc(true), "anytrue": boolsFunc(false),
		"startswith": strPredFunc(strings.HasPrefix), "endswith": strPredFunc(strings.HasSuffix),
		"strcontains":  strPredFunc(strings.Contains),
		"base64encode": strFunc(func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil }),
		"base64decode": strFunc(func(s string) (string, error) {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return "", fmt.Errorf("failed to decode base64 data: %w", err)
			}
			if !utf8.Valid(b) {
				return "", errors.New("the decoded bytes are not valid UTF-8")
			}
			return string(b), nil
		}),
		"base64gzip": strFunc(func(s string) (string, error) {
			var buf bytes.Buffer
			w := gzip.NewWriter(&buf)
			_, _ = w.Write([]byte(s))
			_ = w.Close()
			return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
		}),
		"urlencode":  strFunc(func(s string) (string, error) { return url.QueryEscape(s), nil }),
		"basename":   strFunc(func(s string) (string, error) { return filepath.Base(s), nil }),
		"dirname":    strFunc(func(s string) (string, error) { return filepath.Dir(s), nil }),
		"yamldecode": yamlDecodeFunc,
		"sensitive":  identityFunc, "nonsensitive": identityFunc, "ephemeralasnull": identityFunc,
		"issensitive": function.New(&function.Spec{Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true}}, Type: function.StaticReturnType(cty.Bool), Impl: func([]cty.Value, cty.Type) (cty.Value, error) { return cty.False, nil }}),
		"convert":     identityFunc,
	}
	for name, h := range map[string]func() hash.Hash{"md5": md5.New, "sha1": sha1.New, "sha256": sha256.New, "sha512": sha512.New} {
		h := h
		fs[name] = strFunc(func(s string) (string, error) {
			x := h()
			x.Write([]byte(s))
			return hex.EncodeToString(x.Sum(nil)), nil
		})
		if name == "sha256" || name == "sha512" {
			fs["base64"+name] = strFunc(func(s string) (string, error) {
				x := h()
				x.Write([]byte(s))
				return base64.StdEncoding.EncodeToString(x.Sum(nil)), nil
			})
		}
	}
	for _, name := range []string{"timestamp", "plantimestamp", "uuid", "uuidv5", "bcrypt", "rsadecrypt",
		"cidrhost", "cidrnetmask", "cidrsubnet", "cidrsubnets", "fileset", "yamlencode", "transpose",
		"matchkeys", "timecmp", "textencodebase64", "textdecodebase64", "pathexpand", "list", "map"} {
		fs[name] = offlineUnknownFunc(name)
	}
	return fs
}

var identityFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true}},
	VarParam: &function.Parameter{Name: "rest", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true},
	Type:     func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl:     func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})

// offlineUnknownFunc stands for a function whose result gatelint does not
// compute (time, randomness, networks): it returns an unknown value.
func offlineUnknownFunc(name string) function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
		Type:     function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return unknownWith(OriginUnknown, "", name+"()", name+"() is not evaluated offline"), nil
		},
	})
}

func strFunc(f func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params:       []function.Parameter{{Name: "str", Type: cty.String}},
		Type:         function.StaticReturnType(cty.String),
		RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := f(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return cty.StringVal(s), nil
		},
	})
}

func strPredFunc(f func(s, sub string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "sub", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(f(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			et := ty.TupleElementTypes()
			if len(et) == 0 {
				return cty.DynamicPseudoType, nil
			}
			if len(et) == 1 {
				return et[0], nil
			}
			return cty.NilType, errors.New("must be a list, set, or tuple value with either zero or one elements")
		}
		return cty.NilType, errors.New("must be a list, set, or tuple value with either zero or one elements")
	},
	Impl: func(args []cty.Value, rt cty.Type) (cty.Value, error) {
		v := args[0]
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(rt), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		}
		return cty.NilVal, errors.New("must be a list, set, or tuple value with either zero or one elements")
	},
})

var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.CanIterateElements() || v.LengthInt() == 0 {
			return cty.NilVal, errors.New("cannot sum an empty list or a non-collection")
		}
		total := cty.Zero
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			n, err := convert.Convert(e, cty.Number)
			if err != nil || n.IsNull() {
				return cty.NilVal, errors.New("sum() needs a list of numbers")
			}
			total = total.Add(n)
		}
		return total, nil
	},
})

func boolsFunc(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			for it := args[0].ElementIterator(); it.Next(); {
				_, e := it.Element()
				if !e.IsKnown() {
					return cty.UnknownVal(cty.Bool), nil
				}
				t := !e.IsNull() && e.True()
				if all && !t {
					return cty.False, nil
				}
				if !all && t {
					return cty.True, nil
				}
			}
			return cty.BoolVal(all), nil
		},
	})
}

// replaceFunc is Terraform's replace: a /regex/ substring means a regex.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "substr", Type: cty.String}, {Name: "replace", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, sub, rep := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			re, err := regexp.Compile(sub[1 : len(sub)-1])
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return cty.StringVal(re.ReplaceAllString(str, rep)), nil
		}
		return cty.StringVal(strings.ReplaceAll(str, sub, rep)), nil
	},
})

func capRange() function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "params", Type: cty.Number},
		Type:     function.StaticReturnType(cty.List(cty.Number)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			var start, end, step float64 = 0, 0, 1
			get := func(v cty.Value) float64 { f, _ := v.AsBigFloat().Float64(); return f }
			switch len(args) {
			case 1:
				end = get(args[0])
			case 2:
				start, end = get(args[0]), get(args[1])
			case 3:
				start, end, step = get(args[0]), get(args[1]), get(args[2])
			}
			if step != 0 {
				if n := (end - start) / step; n > maxRange {
					return cty.NilVal, fmt.Errorf("range() would produce %.0f elements; gatelint evaluates at most %d", n, maxRange)
				}
			}
			return stdlib.RangeFunc.Call(args)
		},
	})
}

func capSetProduct() function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "sets", Type: cty.DynamicPseudoType},
		Type: func(args []cty.Value) (cty.Type, error) {
			return stdlib.SetProductFunc.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			n := 1
			for _, a := range args {
				if a.IsKnown() && !a.IsNull() && a.CanIterateElements() {
					n *= a.LengthInt()
					if n > maxProduct {
						return cty.NilVal, fmt.Errorf("setproduct() would produce more than %d elements", maxProduct)
					}
				}
			}
			return stdlib.SetProductFunc.Call(args)
		},
	})
}

var padRe = regexp.MustCompile(`%[-+# 0]*([0-9]+)?(?:\.([0-9]+))?`)

func capFormat(f function.Function) function.Function {
	return function.New(&function.Spec{
		Params:   f.Params(),
		VarParam: f.VarParam(),
		Type:     func(args []cty.Value) (cty.Type, error) { return f.ReturnTypeForValues(args) },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if args[0].IsKnown() && !args[0].IsNull() && args[0].Type() == cty.String {
				for _, m := range padRe.FindAllStringSubmatch(args[0].AsString(), -1) {
					for _, g := range m[1:] {
						if len(g) > 4 || (g != "" && atoi(g) > maxFormatPad) {
							return cty.NilVal, fmt.Errorf("format width or precision %s is over gatelint's limit of %d", g, maxFormatPad)
						}
					}
				}
			}
			return f.Call(args)
		},
	})
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// fileResolver implements the file functions for one module.
type fileResolver struct {
	l         *loader
	moduleDir string
}

// resolve finds a file the way Terraform does (relative to the working
// directory, the root module), falling back to the module directory, and
// refuses paths outside the project root.
func (fr *fileResolver) resolve(p string) (string, error) {
	if strings.HasPrefix(p, "~") {
		return "", fmt.Errorf("%q: home-directory paths are not read", p)
	}
	cand := p
	if !filepath.IsAbs(p) {
		cand = filepath.Join(fr.l.rootDir, p)
		if _, err := os.Stat(cand); err != nil && fr.moduleDir != fr.l.rootDir {
			if _, ok := fr.l.r.overlay[filepath.Clean(cand)]; !ok {
				alt := filepath.Join(fr.moduleDir, p)
				if _, err := os.Stat(alt); err == nil {
					cand = alt
				}
			}
		}
	}
	cand = filepath.Clean(cand)
	if !fr.l.within(cand) {
		return "", fmt.Errorf("%q is outside the project root %s; gatelint does not read it", p, fr.l.projectReal)
	}
	return cand, nil
}

func (fr *fileResolver) read(p string) ([]byte, error) {
	path, err := fr.resolve(p)
	if err != nil {
		return nil, err
	}
	b, err := fr.l.r.read(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("no file exists at %q", p)
		}
		return nil, err
	}
	return b, nil
}

func (fr *fileResolver) readFunc(b64 bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := fr.read(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			if b64 {
				return cty.StringVal(base64.StdEncoding.EncodeToString(b)), nil
			}
			if !utf8.Valid(b) {
				return cty.UnknownVal(cty.String), fmt.Errorf("contents of %q are not valid UTF-8; use filebase64", args[0].AsString())
			}
			return cty.StringVal(string(b)), nil
		},
	})
}

func (fr *fileResolver) existsFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			path, err := fr.resolve(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.Bool), err
			}
			if _, ok := fr.l.r.overlay[path]; ok {
				return cty.True, nil
			}
			st, err := os.Stat(path)
			return cty.BoolVal(err == nil && !st.IsDir()), nil
		},
	})
}

func (fr *fileResolver) hashFunc(h func() hash.Hash, b64 bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := fr.read(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			x := h()
			x.Write(b)
			if b64 {
				return cty.StringVal(base64.StdEncoding.EncodeToString(x.Sum(nil))), nil
			}
			return cty.StringVal(hex.EncodeToString(x.Sum(nil))), nil
		},
	})
}

// templateFuncs are the functions a template may call: all but the
// template functions themselves (no recursion).
func templateFuncs(fs map[string]function.Function) map[string]function.Function {
	out := make(map[string]function.Function, len(fs))
	for k, v := range fs {
		if k != "templatefile" && k != "templatestring" {
			out[k] = v
		}
	}
	stop := function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
		Type:     function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.NilVal, errors.New("cannot recursively call templatefile or templatestring from inside a template")
		},
	})
	out["templatefile"], out["templatestring"] = stop, stop
	return out
}

func renderTemplate(src []byte, name string, vars cty.Value, fs map[string]function.Function) (cty.Value, error) {
	if len(src) > maxTemplateIn {
		return cty.NilVal, fmt.Errorf("template %s is over %d bytes", name, maxTemplateIn)
	}
	if d, _ := nestingDepth(src); d > maxNesting {
		return cty.NilVal, fmt.Errorf("template %s is nested too deeply", name)
	}
	expr, diags := hclsyntax.ParseTemplate(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	if !vars.IsKnown() {
		return cty.UnknownVal(cty.String), nil
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}, Functions: templateFuncs(fs)}
	if !vars.IsNull() {
		ty := vars.Type()
		if !ty.IsObjectType() && !ty.IsMapType() {
			return cty.NilVal, errors.New("the template variables must be a map or object")
		}
		for it := vars.ElementIterator(); it.Next(); {
			k, v := it.Element()
			if !k.IsKnown() {
				return cty.UnknownVal(cty.String), nil
			}
			ctx.Variables[k.AsString()] = v
		}
	}
	for _, t := range expr.Variables() {
		if _, ok := ctx.Variables[t.RootName()]; !ok {
			return cty.NilVal, fmt.Errorf("%s: vars map does not contain key %q", t.SourceRange(), t.RootName())
		}
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	if !v.IsKnown() {
		return cty.UnknownVal(cty.String), nil
	}
	v, err := convert.Convert(v, cty.String)
	if err != nil {
		return cty.NilVal, fmt.Errorf("the template result is not a string: %w", err)
	}
	return v, nil
}

func (fr *fileResolver) templateFileFunc(fs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := fr.read(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return renderTemplate(b, args[0].AsString(), args[1], fs)
		},
	})
}

func templateStringFunc(fs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "template", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return renderTemplate([]byte(args[0].AsString()), "<templatestring>", args[1], fs)
		},
	})
}

// lengthFunc is Terraform's length: strings, collections and objects.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		if ty == cty.String || ty == cty.DynamicPseudoType || ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType() {
			return cty.Number, nil
		}
		return cty.NilType, errors.New("argument must be a string, a collection type, or a structural type")
	},
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		ty := v.Type()
		switch {
		case ty == cty.DynamicPseudoType:
			return cty.UnknownVal(cty.Number), nil
		case ty.IsTupleType():
			return cty.NumberIntVal(int64(len(ty.TupleElementTypes()))), nil
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))), nil
		case ty == cty.String:
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			return stdlib.Strlen(v)
		}
		if !v.IsKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		return v.Length(), nil
	},
})

// lookupFunc is Terraform's lookup, whose default may be null.
var lookupFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType, AllowUnknown: true},
		{Name: "key", Type: cty.String, AllowUnknown: true},
	},
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) > 3 {
			return cty.NilType, errors.New("lookup() takes no more than three arguments")
		}
		ty := args[0].Type()
		switch {
		case ty.IsMapType():
			if len(args) == 3 && !args[2].Type().Equals(ty.ElementType()) && args[2].Type() != cty.DynamicPseudoType {
				if _, err := convert.Convert(args[2], ty.ElementType()); err != nil {
					return cty.DynamicPseudoType, nil
				}
			}
			return ty.ElementType(), nil
		case ty.IsObjectType():
			if args[1].IsKnown() && ty.HasAttribute(args[1].AsString()) {
				return ty.AttributeType(args[1].AsString()), nil
			}
			if len(args) == 3 {
				return args[2].Type(), nil
			}
			return cty.DynamicPseudoType, nil
		case ty == cty.DynamicPseudoType:
			return cty.DynamicPseudoType, nil
		}
		return cty.NilType, errors.New("the first argument must be a map or object")
	},
	Impl: func(args []cty.Value, rt cty.Type) (cty.Value, error) {
		m, key := args[0], args[1]
		if !m.IsKnown() || !key.IsKnown() {
			return cty.UnknownVal(rt), nil
		}
		if m.IsNull() {
			return cty.NilVal, errors.New("the map is null")
		}
		k := key.AsString()
		ty := m.Type()
		if ty.IsObjectType() && ty.HasAttribute(k) {
			return m.GetAttr(k), nil
		}
		if ty.IsMapType() {
			if mk := m.Index(key); m.HasIndex(key).True() {
				return convert.Convert(mk, rt)
			}
		}
		if len(args) == 3 {
			if rt == cty.DynamicPseudoType {
				return args[2], nil
			}
			return convert.Convert(args[2], rt)
		}
		return cty.NilVal, fmt.Errorf("lookup failed to find key %q", k)
	},
})
