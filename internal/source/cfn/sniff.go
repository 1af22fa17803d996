package cfn

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// sections are the top-level keys a template may have: CloudFormation
// rejects any other ("Invalid template property"), SAM adds Globals.
var sections = map[string]bool{
	"AWSTemplateFormatVersion": true, "Description": true, "Metadata": true, "Parameters": true,
	"Rules": true, "Mappings": true, "Conditions": true, "Transform": true, "Resources": true,
	"Outputs": true, "Hooks": true, "Globals": true,
}

// Sniff tells from the start of a large walked file whether it may be a
// template: a streaming look at its top-level keys, stopped at the end
// of head. A key no template may have, or a document that is not a
// mapping, says it is not one; a prefix of template sections only, it
// may be.
func (Reader) Sniff(head []byte, size int64) (bool, string) {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	var keys []string
	var kind string
	if looksJSONText(head) {
		kind = "JSON"
		if t := bytes.TrimLeft(head, " \t\r\n"); t[0] == '[' {
			return false, "not a template (a JSON array)"
		}
		keys = jsonTopKeys(head)
	} else {
		kind = "YAML"
		var seq bool
		keys, seq = yamlTopKeys(head)
		if seq {
			return false, "not a template (a YAML list)"
		}
	}
	for _, k := range keys {
		if !sections[k] {
			return false, fmt.Sprintf("not a template (a %s document whose top-level keys include %s)", kind, quoteKeys(keys))
		}
	}
	return true, ""
}

func quoteKeys(keys []string) string {
	if len(keys) > 4 {
		keys = append(slices.Clip(keys[:4]), "...")
	}
	return strings.Join(keys, ", ")
}

func looksJSONText(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// jsonTopKeys lists the keys of the top-level object that start within
// b, skipping their values without building them.
func jsonTopKeys(b []byte) []string {
	var keys []string
	depth, inString, escape := 0, false, false
	keyStart := -1
	expectKey := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case escape:
			escape = false
		case inString:
			if c == '\\' {
				escape = true
			} else if c == '"' {
				inString = false
				if keyStart >= 0 {
					keys = append(keys, string(b[keyStart:i]))
					keyStart = -1
				}
			}
		case c == '"':
			inString = true
			if depth == 1 && expectKey {
				keyStart = i + 1
				expectKey = false
			}
		case c == '{' || c == '[':
			depth++
			if depth == 1 {
				expectKey = true
			}
		case c == '}' || c == ']':
			depth--
		case c == ',' && depth == 1:
			expectKey = true
		}
		if len(keys) > 64 {
			break
		}
	}
	return keys
}

// yamlTopKeys lists the keys written at the start of a line (block
// style), and reports whether the document is a list instead.
func yamlTopKeys(b []byte) ([]string, bool) {
	var keys []string
	for len(b) > 0 && len(keys) <= 64 {
		line, rest, found := bytes.Cut(b, []byte("\n"))
		if !found && len(rest) == 0 && len(b) == len(line) {
			// The prefix's last line may be cut short: a key needs its
			// colon on the line, so a cut one is not read.
			if !bytes.Contains(line, []byte(":")) {
				break
			}
		}
		b = rest
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '%' ||
			bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("...")) {
			continue
		}
		if line[0] == '-' && (len(line) == 1 || line[1] == ' ') {
			if len(keys) == 0 {
				return nil, true
			}
			continue
		}
		k := line
		if q := k[0]; q == '"' || q == '\'' {
			if e := bytes.IndexByte(k[1:], q); e >= 0 {
				keys = append(keys, string(k[1:1+e]))
			}
			continue
		}
		if c := bytes.Index(k, []byte(":")); c > 0 {
			keys = append(keys, string(bytes.TrimSpace(k[:c])))
		}
	}
	return keys, false
}
