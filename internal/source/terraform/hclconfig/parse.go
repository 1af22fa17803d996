package hclconfig

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// topSchema lists the top-level blocks of a Terraform file.
var topSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "ephemeral", LabelNames: []string{"type", "name"}},
		{Type: "module", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "output", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "terraform"},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "moved"},
		{Type: "import"},
		{Type: "removed"},
		{Type: "check", LabelNames: []string{"name"}},
		{Type: "action", LabelNames: []string{"type", "name"}},
	},
}

// jsonBlockTypes are nested block types recognised in .tf.json bodies, where
// blocks and object-valued attributes look alike. Everything else in a JSON
// body is read as an attribute.
var jsonBlockTypes = []string{
	"lifecycle", "provisioner", "connection", "content", "precondition", "postcondition",
	"validation", "required_providers", "backend", "cloud",
	"access_log_settings", "endpoint_configuration", "environment", "vpc_config",
	"scaling_config", "destination_config", "on_failure", "on_success", "filter_criteria",
	"filter", "tracing_config", "dead_letter_config", "ephemeral_storage", "image_config",
	"logging_config", "snap_start", "cors_configuration", "default_route_settings",
	"route_settings", "tls_config", "response_parameters", "method_settings", "settings",
	"canary_settings", "jwt_configuration", "mutual_tls_authentication", "redrive_policy",
	"self_managed_event_source", "amazon_managed_kafka_event_source_config", "document_db_event_source_config",
	"source_access_configuration", "metrics_config", "provisioned_poller_config",
}

func isOverrideName(name string) bool {
	var base string
	switch {
	case strings.HasSuffix(name, ".tf.json"):
		base = strings.TrimSuffix(name, ".tf.json")
	case strings.HasSuffix(name, ".tf"):
		base = strings.TrimSuffix(name, ".tf")
	default:
		return false
	}
	return base == "override" || strings.HasSuffix(base, "_override")
}

func isConfigName(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		(strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#")) {
		return false
	}
	return strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")
}

// reader reads files, preferring the overlay, with size limits.
type reader struct {
	overlay  map[string][]byte
	maxBytes int64
	// readFile, when set, reads files not in the overlay (Options.ReadFile).
	readFile func(string) ([]byte, error)
}

func (r *reader) read(path string) ([]byte, error) {
	if b, ok := r.overlay[filepath.Clean(path)]; ok {
		if int64(len(b)) > r.maxBytes {
			return nil, fmt.Errorf("%s is %d bytes, over the %d-byte limit", path, len(b), r.maxBytes)
		}
		return b, nil
	}
	if r.readFile != nil {
		st, err := os.Stat(path)
		if err == nil && st.Size() > r.maxBytes {
			return nil, fmt.Errorf("%s is %d bytes, over the %d-byte limit", path, st.Size(), r.maxBytes)
		}
		if err == nil && st.IsDir() {
			return nil, fmt.Errorf("%s is a directory", path)
		}
		b, err := r.readFile(path)
		if err == nil && int64(len(b)) > r.maxBytes {
			return nil, fmt.Errorf("%s is over the %d-byte limit", path, r.maxBytes)
		}
		return b, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	if st.Size() > r.maxBytes {
		return nil, fmt.Errorf("%s is %d bytes, over the %d-byte limit", path, st.Size(), r.maxBytes)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(io.LimitReader(f, r.maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(buf.Len()) > r.maxBytes {
		return nil, fmt.Errorf("%s is over the %d-byte limit", path, r.maxBytes)
	}
	return buf.Bytes(), nil
}

// configFiles lists a directory's configuration files in lexical order,
// primary files first, then override files.
func (r *reader) configFiles(dir string) (primary, override []string, err error) {
	names := map[string]bool{}
	ents, err := os.ReadDir(dir)
	if err != nil && len(r.overlay) == 0 {
		return nil, nil, err
	}
	for _, e := range ents {
		if !e.IsDir() && isConfigName(e.Name()) {
			names[e.Name()] = true
		}
	}
	cdir := filepath.Clean(dir)
	for p := range r.overlay {
		if filepath.Dir(p) == cdir && isConfigName(filepath.Base(p)) {
			names[filepath.Base(p)] = true
		}
	}
	if len(names) == 0 && err != nil {
		return nil, nil, err
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		if isOverrideName(n) {
			override = append(override, filepath.Join(dir, n))
		} else {
			primary = append(primary, filepath.Join(dir, n))
		}
	}
	return primary, override, nil
}

// maxNesting bounds bracket nesting so that a hostile file cannot drive the
// recursive-descent parser into a huge stack.
const maxNesting = 400

func nestingDepth(src []byte) (depth int, line int) {
	d, ln := 0, 1
	for _, c := range src {
		switch c {
		case '(', '[', '{':
			d++
			if d > depth {
				depth = d
				line = ln
			}
		case ')', ']', '}':
			if d > 0 {
				d--
			}
		case '\n':
			ln++
		}
	}
	return depth, line
}

// parseFile parses one configuration file (native syntax or JSON).
func parseFile(p *hclparse.Parser, name string, src []byte, override bool) (*File, hcl.Diagnostics) {
	f := &File{Name: name, Bytes: src, Override: override, JSON: strings.HasSuffix(name, ".json")}
	if d, line := nestingDepth(src); d > maxNesting {
		return f, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Configuration nested too deeply",
			Detail:   fmt.Sprintf("Brackets are nested %d deep (limit %d); the file is not read.", d, maxNesting),
			Subject:  &hcl.Range{Filename: name, Start: hcl.Pos{Line: line, Column: 1}, End: hcl.Pos{Line: line, Column: 1}},
		}}
	}
	var hf *hcl.File
	var diags hcl.Diagnostics
	if f.JSON {
		hf, diags = p.ParseJSON(src, name)
	} else {
		hf, diags = p.ParseHCL(src, name)
		f.annotations, f.trailing = scanAnnotations(name, src)
	}
	f.HCL = hf
	return f, diags
}

// ParseFile parses src as the configuration file filename (".tf" or
// ".tf.json") and returns its top-level blocks, for checking patched bytes
// before writing them.
func ParseFile(filename string, src []byte) (*File, []*Block, hcl.Diagnostics) {
	f, diags := parseFile(hclparse.NewParser(), filename, src, isOverrideName(filepath.Base(filename)))
	if f.HCL == nil {
		return f, nil, diags
	}
	blocks, d := decodeTop(f)
	return f, blocks, append(diags, d...)
}

// decodeTop returns the file's top-level blocks.
func decodeTop(f *File) ([]*Block, hcl.Diagnostics) {
	if f.HCL == nil || f.HCL.Body == nil {
		return nil, nil
	}
	if body, ok := f.HCL.Body.(*hclsyntax.Body); ok {
		var out []*Block
		var diags hcl.Diagnostics
		for name, a := range body.Attributes {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported argument",
				Detail:   fmt.Sprintf("An argument named %q is not expected at the top level of a configuration file.", name),
				Subject:  a.NameRange.Ptr(),
			})
		}
		for _, b := range body.Blocks {
			out = append(out, decodeNativeBlock(f, b))
		}
		sortDiags(diags)
		return out, diags
	}
	content, _, diags := f.HCL.Body.PartialContent(topSchema)
	var out []*Block
	if content == nil {
		return nil, diags
	}
	for _, b := range content.Blocks {
		out = append(out, decodeJSONBlock(f, b, b.Type == "locals"))
	}
	return out, diags
}

func sortDiags(d hcl.Diagnostics) {
	sort.SliceStable(d, func(i, j int) bool {
		a, b := d[i].Subject, d[j].Subject
		if a == nil || b == nil {
			return b != nil
		}
		return a.Start.Byte < b.Start.Byte
	})
}

func decodeNativeBlock(f *File, b *hclsyntax.Block) *Block {
	out := &Block{
		Type:        b.Type,
		Labels:      b.Labels,
		Range:       hcl.RangeBetween(b.TypeRange, b.CloseBraceRange),
		TypeRange:   b.TypeRange,
		LabelRanges: b.LabelRanges,
		BodyRange:   hcl.RangeBetween(b.OpenBraceRange, b.CloseBraceRange),
		file:        f,
	}
	out.Annotations = f.annotationsAt(b.TypeRange.Start.Line)
	for _, a := range b.Body.Attributes {
		attr := &Attribute{
			Name:       a.Name,
			Expr:       a.Expr,
			Range:      a.SrcRange,
			NameRange:  a.NameRange,
			ValueRange: a.Expr.Range(),
		}
		attr.Refs = references(a.Expr)
		attr.Annotations = f.annotationsAt(a.NameRange.Start.Line)
		out.Attrs = append(out.Attrs, attr)
	}
	sort.Slice(out.Attrs, func(i, j int) bool { return out.Attrs[i].Range.Start.Byte < out.Attrs[j].Range.Start.Byte })
	for _, nb := range b.Body.Blocks {
		out.Blocks = append(out.Blocks, decodeNativeBlock(f, nb))
	}
	return out
}

// jsonNestedSchema is the schema used for nested JSON bodies.
var jsonNestedSchema = func() *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, t := range jsonBlockTypes {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: t})
	}
	s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: "dynamic", LabelNames: []string{"type"}})
	return s
}()

func decodeJSONBlock(f *File, b *hcl.Block, justAttrs bool) *Block {
	out := &Block{
		Type:        b.Type,
		Labels:      b.Labels,
		TypeRange:   b.TypeRange,
		LabelRanges: b.LabelRanges,
		JSON:        true,
		file:        f,
	}
	out.BodyRange = jsonObjectRange(f, b.DefRange)
	head := b.TypeRange
	if n := len(b.LabelRanges); n > 0 {
		head = b.LabelRanges[n-1]
	}
	out.Range = hcl.RangeBetween(head, out.BodyRange)
	body := b.Body
	if !justAttrs {
		content, remain, _ := body.PartialContent(jsonNestedSchema)
		if content != nil {
			for _, nb := range content.Blocks {
				out.Blocks = append(out.Blocks, decodeJSONBlock(f, nb, false))
			}
		}
		body = remain
	}
	attrs, _ := body.JustAttributes()
	for _, a := range attrs {
		if a.Name == "//" { // JSON comments
			continue
		}
		out.Attrs = append(out.Attrs, &Attribute{
			Name:       a.Name,
			Expr:       a.Expr,
			Range:      a.Range,
			NameRange:  a.NameRange,
			ValueRange: a.Expr.Range(),
			JSON:       true,
			Refs:       references(a.Expr),
		})
	}
	sort.Slice(out.Attrs, func(i, j int) bool { return out.Attrs[i].Range.Start.Byte < out.Attrs[j].Range.Start.Byte })
	sort.SliceStable(out.Blocks, func(i, j int) bool { return out.Blocks[i].Range.Start.Byte < out.Blocks[j].Range.Start.Byte })
	return out
}

// jsonObjectRange finds the whole JSON object of a block body from its
// opening brace (HCL's JSON blocks expose only that as DefRange).
func jsonObjectRange(f *File, def hcl.Range) hcl.Range {
	src := f.Bytes
	start := def.Start.Byte
	if start < 0 || start > len(src) {
		return def
	}
	i := start
	for i < len(src) && src[i] != '{' && src[i] != '[' {
		if src[i] == '}' || src[i] == ']' {
			return def
		}
		i++
	}
	if i >= len(src) {
		return def
	}
	open := i
	depth, inStr := 0, false
	for ; i < len(src); i++ {
		c := src[i]
		if inStr {
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return hcl.Range{Filename: f.Name, Start: posAt(src, open), End: posAt(src, i+1)}
			}
		}
	}
	return def
}

// posAt computes the hcl.Pos of byte offset off in src.
func posAt(src []byte, off int) hcl.Pos {
	line, col := 1, 1
	for i := 0; i < off && i < len(src); i++ {
		if src[i] == '\n' {
			line++
			col = 1
		} else if src[i]&0xC0 != 0x80 {
			col++
		}
	}
	return hcl.Pos{Line: line, Column: col, Byte: off}
}
