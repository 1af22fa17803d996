package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/terraform/hclconfig"
)

// LooksLikePlan reports whether data is the JSON of `terraform show -json`
// for a plan: an object that starts with format_version and has planned
// values or resource changes.
func LooksLikePlan(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	if len(t) == 0 || t[0] != '{' {
		return false
	}
	head := t[:min(len(t), 2048)]
	return bytes.Contains(head, []byte(`"format_version"`)) &&
		(bytes.Contains(t, []byte(`"planned_values"`)) || bytes.Contains(t, []byte(`"resource_changes"`)))
}

// planBeside returns a plan walked in the configuration's directory: the
// configuration is read with its variables, as the plan was made, and
// what the configuration cannot know offline (a data source's value) is
// read from its planned values.
func (br *batch) planBeside(dir string) (string, *hclconfig.Plan) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", nil
	}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(strings.ToLower(e.Name()), ".json") || isConfig(strings.ToLower(e.Name())) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if !br.walked(path) {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil || !LooksLikePlan(data) {
			continue
		}
		plan, err := hclconfig.ParsePlan(data)
		if err != nil {
			continue
		}
		return path, plan
	}
	return "", nil
}

// planned is the value the plan beside the configuration gives the
// top-level attribute av of a resource instance, where the
// configuration cannot know it offline.
func (bd *build) planned(av *hclconfig.AttrValue) (int64, bool) {
	ri := av.Instance()
	if bd.plan == nil || ri == nil || ri.Attr(av.Name) != av {
		return 0, false
	}
	pr := bd.plan.Resource(ri.Addr)
	if pr == nil {
		return 0, false
	}
	if u, _ := pr.Unknown[av.Name].(bool); u {
		return 0, false
	}
	switch n := pr.Values[av.Name].(type) {
	case float64:
		if n == float64(int64(n)) {
			return int64(n), true
		}
	case string:
		if i, err := strconv.ParseInt(n, 10, 64); err == nil {
			return i, true
		}
	}
	return 0, false
}

// walked reports whether the run walked a file (every file, for a reader
// used without a batch).
func (br *batch) walked(abs string) bool {
	if br.files == nil {
		return true
	}
	return br.files[abs]
}

// planVarText writes a plan's variable value as -var would give it.
func planVarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// readPlan reads a plan JSON file. Beside its configuration it is read
// with it (see planBeside); alone, its planned values are the model,
// located at each resource's address in the plan file.
func (br *batch) readPlan(f *source.File, b *model.Builder) source.Outcome {
	dir := absDir(f.Path)
	if ins := br.dirs[dir]; len(ins) > 0 {
		return source.Outcome{Claimed: true, Label: "Terraform plan, read with its configuration (" + ins[0].Path + ")"}
	}
	plan, err := hclconfig.ParsePlan(f.Data)
	if err != nil {
		return source.Outcome{Claimed: true, Label: "error", Errors: []finding.InputError{{File: f.Path, Message: err.Error()}}}
	}
	p := newPaths(f.Path)
	abs, _ := filepath.Abs(f.Path)
	p.bytes[abs] = f.Data
	cfg := planConfig(plan, abs, f.Data)
	bd := newBuild(cfg, b, p)
	bd.readonly = true
	bd.build()
	return source.Outcome{Claimed: true, Read: true, Module: true, Label: fmt.Sprintf("Terraform plan (%d resources)", len(plan.Resources))}
}

var addressKey = regexp.MustCompile(`"address"\s*:\s*"((?:[^"\\]|\\.)*)"`)

// planConfig turns a plan's resources into configuration instances with
// their planned values: known values as they will be, values known only
// after apply unknown, references from the configuration section as
// origins, every attribute located at the resource's address.
func planConfig(plan *hclconfig.Plan, file string, data []byte) *hclconfig.Config {
	at := map[string]hcl.Range{}
	for _, m := range addressKey.FindAllSubmatchIndex(data, -1) {
		addr, err := strconv.Unquote(string(data[m[2]-1 : m[3]+1]))
		if err != nil {
			continue
		}
		if _, ok := at[addr]; ok {
			continue
		}
		at[addr] = hcl.Range{Filename: file, Start: bytePos(data, m[2]), End: bytePos(data, m[3])}
	}
	root := &hclconfig.ModuleInstance{Module: &hclconfig.Module{Dir: filepath.Dir(file)}}
	cfg := &hclconfig.Config{Root: root, Modules: []*hclconfig.ModuleInstance{root}, Sources: map[string][]byte{file: data}}
	mods := map[string]*hclconfig.ModuleInstance{"": root}
	for _, pr := range plan.Resources {
		if pr.Mode != "managed" && pr.Mode != "data" || len(pr.Actions) == 1 && pr.Actions[0] == "delete" {
			continue
		}
		mi := mods[pr.ModuleAddr]
		if mi == nil {
			mi = &hclconfig.ModuleInstance{Addr: pr.ModuleAddr}
			mods[pr.ModuleAddr] = mi
		}
		r := at[pr.Addr]
		if r.Filename == "" {
			r = hcl.Range{Filename: file, Start: hcl.InitialPos, End: hcl.InitialPos}
		}
		mode := hclconfig.Managed
		if pr.Mode == "data" {
			mode = hclconfig.Data
		}
		inModule := strings.TrimPrefix(strings.TrimPrefix(pr.ConfigAddr, pr.ModuleAddr), ".")
		if pr.ModuleAddr != "" {
			inModule = strings.TrimPrefix(pr.ConfigAddr, instanceKey.ReplaceAllString(pr.ModuleAddr, "")+".")
			inModule = strings.TrimPrefix(inModule, pr.ModuleAddr+".")
		}
		blk := &hclconfig.Block{Type: "resource", Labels: []string{pr.Type, pr.Name}, Range: r, TypeRange: r, LabelRanges: []hcl.Range{r, r}, BodyRange: r}
		res := &hclconfig.Resource{Mode: mode, Type: pr.Type, Name: pr.Name, Addr: inModule, Block: blk}
		ri := &hclconfig.ResourceInstance{Resource: res, Module: mi, Addr: pr.Addr}
		ri.Body = planBody(pr, blk, r, pr.Values, pr.Unknown, "")
		cfg.Resources = append(cfg.Resources, ri)
	}
	return cfg
}

// planBody builds one (nested) body of planned values; lists of objects
// are nested blocks too (access_log_settings, endpoint_configuration).
func planBody(pr *hclconfig.PlanResource, blk *hclconfig.Block, r hcl.Range, values, unknown map[string]any, path string) *hclconfig.BodyValue {
	bv := &hclconfig.BodyValue{Block: blk, Type: blk.Type, Attrs: map[string]*hclconfig.AttrValue{}}
	names := make([]string, 0, len(values)+len(unknown))
	for k := range values {
		names = append(names, k)
	}
	for k := range unknown {
		if _, ok := values[k]; !ok {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		raw, has := values[name]
		var origins []hclconfig.Origin
		if path == "" {
			for _, ref := range pr.References(name) {
				o := refOrigin(pr.ModuleAddr, ref)
				if o.Addr != "" {
					origins = append(origins, o)
				}
			}
		}
		var val cty.Value
		if u, ok := unknown[name].(bool); ok && u {
			val = cty.DynamicVal
			origins = append(origins, hclconfig.Origin{Kind: hclconfig.OriginResource, Addr: pr.Addr, Attr: name, Reason: pr.Addr + "." + name + " is known only after apply"})
		} else if has {
			if raw == nil {
				continue
			}
			val = toCty(raw)
			if list, ok := raw.([]any); ok {
				nestedUnknown, _ := unknown[name].([]any)
				for i, it := range list {
					obj, ok := it.(map[string]any)
					if !ok {
						continue
					}
					var nu map[string]any
					if i < len(nestedUnknown) {
						nu, _ = nestedUnknown[i].(map[string]any)
					}
					nb := &hclconfig.Block{Type: name, Range: r, TypeRange: r, BodyRange: r}
					bv.Blocks = append(bv.Blocks, planBody(pr, nb, r, obj, nu, path+name+"."))
				}
			}
		} else {
			continue
		}
		attr := &hclconfig.Attribute{Name: name, Expr: hcl.StaticExpr(val, r), Range: r, NameRange: r, ValueRange: r, JSON: true}
		bv.Attrs[name] = &hclconfig.AttrValue{Attribute: attr, Value: hclconfig.Value{Val: val, Origins: origins}}
		bv.Order = append(bv.Order, name)
	}
	return bv
}

// refOrigin turns a configuration reference of a module
// ("aws_lambda_function.x.invoke_arn", "module.fn.lambda_function_arn")
// into an origin.
func refOrigin(module, ref string) hclconfig.Origin {
	prefix := ""
	if module != "" {
		prefix = module + "."
	}
	parts := strings.Split(ref, ".")
	switch {
	case parts[0] == "var" || parts[0] == "local" || parts[0] == "each" || parts[0] == "count" || parts[0] == "path":
		return hclconfig.Origin{}
	case parts[0] == "module" && len(parts) >= 3:
		return hclconfig.Origin{Kind: hclconfig.OriginModule, Addr: prefix + "module." + parts[1], Attr: parts[2]}
	case parts[0] == "data" && len(parts) >= 3:
		o := hclconfig.Origin{Kind: hclconfig.OriginData, Addr: prefix + strings.Join(parts[:3], ".")}
		if len(parts) > 3 {
			o.Attr = parts[3]
		}
		return o
	case len(parts) >= 3:
		return hclconfig.Origin{Kind: hclconfig.OriginResource, Addr: prefix + parts[0] + "." + parts[1], Attr: parts[2]}
	}
	return hclconfig.Origin{}
}

// toCty converts a decoded JSON value.
func toCty(v any) cty.Value {
	b, err := json.Marshal(v)
	if err != nil {
		return cty.DynamicVal
	}
	t, err := ctyjson.ImpliedType(b)
	if err != nil {
		return cty.DynamicVal
	}
	cv, err := ctyjson.Unmarshal(b, t)
	if err != nil {
		return cty.DynamicVal
	}
	return cv
}

// bytePos is the position of offset off in data.
func bytePos(data []byte, off int) hcl.Pos {
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return hcl.Pos{Line: line, Column: off - start + 1, Byte: off}
}

// Sniff tells from the start of a large walked file whether it may be
// Terraform's: configuration files always; a JSON file only when it starts
// as a plan does, with format_version (terraform show -json writes it
// first).
func (Reader) Sniff(head []byte, size int64) (bool, string) {
	t := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf")
	if len(t) > 0 && t[0] == '{' && bytes.Contains(t[:min(len(t), 2048)], []byte(`"format_version"`)) {
		return true, ""
	}
	if configBlock.Match(head) {
		return true, "" // a (generated) configuration file
	}
	return false, "neither Terraform configuration nor a plan (no format_version at its start)"
}

// configBlock finds a top-level block of a configuration file, native
// or JSON syntax.
var configBlock = regexp.MustCompile(`(?m)^\s*(?:(?:resource|data|module|variable|output|provider)\s+"|(?:terraform|locals)\s*\{)|"(?:resource|module|variable|terraform)"\s*:\s*\{`)
