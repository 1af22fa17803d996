package cfn

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// A large JSON template (a CDK app's, hundreds of resources) is read
// with the Properties of the resources no part of the reader looks at
// (IAM, S3, Lambda permissions, custom resources, CDK's metadata) checked
// but not built: nodes cost a hundred bytes and more each, and those
// resources are most
// of such a template. The reader reads the properties of these types
// only: API Gateway's, SAM's, nested stacks, and of Lambda and SQS those
// in kinds (values.go).
var readPrefixes = []string{"AWS::Serverless::", "AWS::ApiGateway::", "AWS::ApiGatewayV2::", "AWS::CloudFormation::"}

func readsType(typ string) bool {
	if _, ok := kinds[typ]; ok {
		return true
	}
	for _, p := range readPrefixes {
		if strings.HasPrefix(typ, p) {
			return true
		}
	}
	return false
}

// unread are bulky properties of the types read that no part of the
// reader reads (a function's role and layers; a method's responses). A
// function's Code and Environment are read: they locate its handler code
// and the variables its timeouts may be read from (code.go).
var unread = map[string]bool{
	"Policies": true, "Layers": true,
	"VpcConfig": true, "Tags": true, "Role": true, "MethodResponses": true, "RequestModels": true,
}

// parseTemplate parses a template, pruning a large one.
func parseTemplate(path string, data []byte) (*yamlpos.File, error) {
	if len(data) <= source.LargeFile {
		return yamlpos.Parse(path, data)
	}
	if !looksJSONText(data) {
		if pruned, ok := pruneYAML(data); ok {
			if f, err := yamlpos.Parse(path, pruned); err == nil {
				return f, nil
			}
		}
		return yamlpos.Parse(path, data) // the error, as every template gets it
	}
	// First the resources' types alone (everything else skipped), then
	// the template without the properties of the types not read.
	skim, err := yamlpos.ParseWith(path, data, yamlpos.Options{Skip: func(p []string) bool {
		return len(p) == 1 && p[0] != "Resources" || len(p) == 3 && p[2] != "Type"
	}})
	if err != nil {
		return yamlpos.Parse(path, data) // the error, as every template gets it
	}
	if get(skim.Root, "Resources") == nil {
		// Not a template (a data set named on the command line): what
		// the skim kept is all the reader needs to say so.
		return skim, nil
	}
	types := map[string]string{}
	pairs(get(skim.Root, "Resources"), func(k, v *yaml.Node) { types[k.Value] = scalar(get(v, "Type")) })
	skim = nil
	return yamlpos.ParseWith(path, data, yamlpos.Options{Skip: func(p []string) bool {
		return p[0] == "Resources" && (len(p) == 3 && p[2] == "Properties" && !readsType(types[p[1]]) ||
			len(p) == 4 && p[2] == "Properties" && unread[p[3]])
	}})
}

// anchorDef finds a YAML anchor's definition: a pruned block could hold
// one an alias elsewhere reads.
var anchorDef = regexp.MustCompile(`(?m)(^|[\s\[{,:-])&[^\s\[\]{},]`)

// pruneYAML is a large block-style YAML template with the Properties of
// the resources of types no part of the reader looks at blanked out:
// every byte but the newlines becomes a space, so what is left parses to
// the same nodes at the same lines, columns and offsets, without the
// nodes of the rest (yaml.v3 builds the whole tree, hundreds of bytes a
// node). It gives up (false) on anything but the plain layout
// `Resources:` / `  Name:` / `    Type: X` / `    Properties:` and on a
// file with anchors.
func pruneYAML(data []byte) ([]byte, bool) {
	if anchorDef.Match(data) {
		return nil, false
	}
	type line struct {
		start, end, indent int  // end excludes the newline (and a \r before it)
		content            bool // not blank, not a comment
	}
	var lines []line
	for i := 0; i < len(data); {
		end := bytes.IndexByte(data[i:], '\n')
		next := i + end + 1
		if end < 0 {
			end, next = len(data)-i, len(data)
		}
		l := line{start: i, end: i + end}
		if l.end > l.start && data[l.end-1] == '\r' {
			l.end--
		}
		for l.start+l.indent < l.end && data[l.start+l.indent] == ' ' {
			l.indent++
		}
		rest := data[l.start+l.indent : l.end]
		l.content = len(bytes.TrimSpace(rest)) > 0 && rest[0] != '#'
		if bytes.IndexByte(data[l.start:l.end], '\t') >= 0 {
			return nil, false
		}
		lines = append(lines, l)
		i = next
	}
	text := func(l line) string { return string(data[l.start+l.indent : l.end]) }
	// key is "Name" for a line "Name:" with nothing after the colon but a
	// comment.
	key := func(l line) (string, bool) {
		t := text(l)
		k, rest, ok := strings.Cut(t, ":")
		rest = strings.TrimSpace(rest)
		if !ok || k == "" || strings.ContainsAny(k, " '\"{[&*!|>") || rest != "" && rest[0] != '#' {
			return "", false
		}
		return k, true
	}
	r := -1
	for i, l := range lines {
		if l.content && l.indent == 0 {
			if k, ok := key(l); ok && k == "Resources" {
				r = i
				break
			}
		}
	}
	if r < 0 {
		return nil, false
	}
	out := slices.Clone(data)
	blanked := false
	n := -1 // the resources' indent
	for i := r + 1; i < len(lines); {
		l := lines[i]
		if !l.content {
			i++
			continue
		}
		if n < 0 {
			n = l.indent
		}
		if l.indent < n || l.indent == 0 {
			break // the end of Resources
		}
		if l.indent != n {
			return nil, false
		}
		if _, ok := key(l); !ok {
			return nil, false
		}
		// The resource's body: the lines indented past its key.
		end := i + 1
		for end < len(lines) && (!lines[end].content || lines[end].indent > n) {
			end++
		}
		typ, props, m := "", -1, -1
		for j := i + 1; j < end; j++ {
			b := lines[j]
			if !b.content {
				continue
			}
			if m < 0 {
				m = b.indent
			}
			if b.indent != m {
				continue
			}
			t := text(b)
			if v, ok := strings.CutPrefix(t, "Type:"); ok {
				v, _, _ = strings.Cut(v, " #")
				typ = strings.Trim(strings.TrimSpace(v), `'"`)
			}
			if k, ok := key(b); ok && k == "Properties" {
				props = j
			}
		}
		if typ != "" && props >= 0 && !readsType(typ) {
			last := -1
			for j := props + 1; j < end && (!lines[j].content || lines[j].indent > m); j++ {
				if lines[j].content {
					last = j
				}
			}
			if last > props {
				for o := lines[props+1].start; o < lines[last].end; o++ {
					if out[o] != '\n' {
						out[o] = ' '
					}
				}
				blanked = true
			}
		}
		i = end
	}
	return out, blanked
}
