// Package yamlpos reads YAML (and JSON) documents with exact positions:
// every node's byte range in the file as written, and edits that splice
// new text into those bytes rather than re-encoding the document, which
// yaml.v3 cannot do faithfully. The CloudFormation and Serverless
// Framework readers are built on it.
package yamlpos

import (
	"bytes"
	"errors"
	"slices"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/loc"
)

// File is one parsed document with what is needed to turn yaml.v3's
// line/column positions into byte ranges.
type File struct {
	Path string // as the user gave it (or as found by walking)
	Data []byte
	Root *yaml.Node // the document's top-level node
	// lineStart[i] is the byte offset of line i+1, lines ending at "\n"
	// as editors count them.
	lineStart []int
	// yamlLineStart is the same for lines as yaml.v3 counts them, which
	// also end at a lone "\r", NEL, LS and PS (a JSON string may hold a raw
	// U+2028): node positions are converted with it, or every node after
	// such a character would point a line off.
	yamlLineStart []int
	// ascii files convert columns to offsets by arithmetic; others through
	// checkpoints per line, built as needed (so a File is not safe for
	// concurrent use).
	ascii                              bool
	yamlCheckpoints, editorCheckpoints map[int][]int
	// AliasBomb is set when the document's aliases would expand past the
	// budget and were left as they are (aliases.go); shared holds the
	// nodes used through aliases.
	AliasBomb bool
	shared    map[*yaml.Node]bool
}

// Parse reads data as YAML (which includes JSON). A parse error is a
// *SyntaxError: JSON's name the line and column, YAML's the line where
// yaml.v3 could tell it, and a document cut short its last character.
func Parse(path string, data []byte) (*File, error) {
	return ParseWith(path, data, Options{})
}

// ParseWith is Parse with options.
func ParseWith(path string, data []byte, o Options) (*File, error) {
	f := &File{Path: path, Data: data, yamlCheckpoints: map[int][]int{}, editorCheckpoints: map[int][]int{}}
	f.lineStart = append(f.lineStart, 0)
	f.ascii = true
	for i, b := range data {
		if b == '\n' {
			f.lineStart = append(f.lineStart, i+1)
		}
		if b >= utf8.RuneSelf {
			f.ascii = false
		}
	}
	f.yamlLineStart = append(f.yamlLineStart, 0)
	for i := 0; i < len(data); i++ {
		switch {
		case data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n':
			i++
		case data[i] == '\r', data[i] == '\n':
		case data[i] == 0xc2 && i+1 < len(data) && data[i+1] == 0x85:
			i++
		case data[i] == 0xe2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9):
			i += 2
		default:
			continue
		}
		f.yamlLineStart = append(f.yamlLineStart, i+1)
	}
	// yaml.v3 skips a BOM without counting it in columns.
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		f.lineStart[0] = 3
		f.yamlLineStart[0] = 3
	}
	// yaml.v3 would decode UTF-16, but positions and fixes are UTF-8
	// byte offsets: a fix would corrupt the file.
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return f, errors.New("the file is UTF-16; save it as UTF-8")
	}
	var jsonErr error
	if looksJSON(data) {
		root, err := parseJSON(f, o)
		if err == nil {
			f.Root = root
			return f, nil
		}
		// Not strict JSON; yaml.v3 may still read it (a flow mapping
		// with YAML in it). If it cannot, the JSON error says where.
		jsonErr = err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		if jsonErr != nil {
			return f, jsonErr
		}
		return f, f.yamlError(err)
	}
	if len(doc.Content) > 0 {
		f.Root = doc.Content[0]
		f.expandAliases(f.Root)
	}
	return f, nil
}

// Offset converts yaml.v3's 1-based line and rune column to a byte offset.
func (f *File) Offset(line, col int) int {
	if line < 1 || line > len(f.yamlLineStart) {
		return len(f.Data)
	}
	off := f.yamlLineStart[line-1]
	if f.ascii {
		return min(off+col-1, len(f.Data))
	}
	cp := f.checkpoints(f.yamlLineStart, f.yamlCheckpoints, line)
	k := min((col-1)/checkpointEvery, len(cp)-1)
	off = cp[k]
	for c := k*checkpointEvery + 1; c < col && off < len(f.Data); c++ {
		_, size := utf8.DecodeRune(f.Data[off:])
		off += size
	}
	return off
}

// checkpointEvery is how many runes apart a line's checkpoints stand.
const checkpointEvery = 64

// checkpoints returns the byte offsets of every checkpointEvery-th rune of
// a line (starts gives the line starts), built on first use. With them a
// column converts in a few steps even on a minified template's one long
// line, instead of a scan from the line start for every node.
func (f *File) checkpoints(starts []int, cache map[int][]int, line int) []int {
	if cp, ok := cache[line]; ok {
		return cp
	}
	start, end := starts[line-1], len(f.Data)
	if line < len(starts) {
		end = starts[line]
	}
	cp := []int{start}
	for i, n := start, 0; i < end; {
		_, size := utf8.DecodeRune(f.Data[i:])
		i += size
		if n++; n%checkpointEvery == 0 {
			cp = append(cp, i)
		}
	}
	cache[line] = cp
	return cp
}

// Pos converts a byte offset into a position.
func (f *File) Pos(off int) loc.Pos {
	line := 1
	lo, hi := 0, len(f.lineStart)-1
	for lo <= hi {
		mid := (lo + hi) / 2
		if f.lineStart[mid] <= off {
			line, lo = mid+1, mid+1
		} else {
			hi = mid - 1
		}
	}
	start := f.lineStart[line-1]
	if start > off {
		start = off
	}
	if f.ascii {
		return loc.Pos{Line: line, Column: off - start + 1, Offset: off}
	}
	cp := f.checkpoints(f.lineStart, f.editorCheckpoints, line)
	k, _ := slices.BinarySearch(cp, off+1) // the last checkpoint at or before off
	k = max(k-1, 0)
	from := max(cp[k], start)
	return loc.Pos{Line: line, Column: k*checkpointEvery + utf8.RuneCount(f.Data[from:off]) + 1, Offset: off}
}

// LineStart is the byte offset where the line holding off begins.
func (f *File) LineStart(off int) int { return f.lineStart[f.Pos(off).Line-1] }

// Range is where n stands in the file, from its first byte (the tag, for
// `!Ref X`) to just past its last.
func (f *File) Range(n *yaml.Node) loc.Range {
	if n == nil {
		return loc.Range{File: f.Path}
	}
	start := f.Offset(n.Line, n.Column)
	end := f.End(n, start)
	return loc.Range{File: f.Path, Start: f.Pos(start), End: f.Pos(end)}
}

// ValueStart skips a node's tag and anchor, if written (in either order),
// to where its value begins. No value starts with '!' or '&', and the
// node's style does not always tell a tag is there: the non-specific tag
// in `! '0'` leaves just SingleQuotedStyle.
func (f *File) ValueStart(start int) int {
	d := f.Data
	for i := 0; i < 2 && start < len(d); i++ {
		if d[start] != '!' && d[start] != '&' {
			break
		}
		for start < len(d) && !isSpace(d[start]) {
			start++
		}
		for start < len(d) && (d[start] == ' ' || d[start] == '\t') {
			start++
		}
	}
	return start
}

// End finds the byte just past n. yaml.v3 records no end positions, so
// scalars are scanned and collections end with their last child (or their
// closing bracket in flow style).
func (f *File) End(n *yaml.Node, start int) int {
	d := f.Data
	switch n.Kind {
	case yaml.ScalarNode:
		s := f.ValueStart(start)
		switch {
		case n.Style&yaml.DoubleQuotedStyle != 0 && s < len(d) && d[s] == '"':
			for i := s + 1; i < len(d); i++ {
				if d[i] == '\\' {
					i++
				} else if d[i] == '"' {
					return i + 1
				}
			}
		case n.Style&yaml.SingleQuotedStyle != 0 && s < len(d) && d[s] == '\'':
			for i := s + 1; i < len(d); i++ {
				if d[i] == '\'' {
					if i+1 < len(d) && d[i+1] == '\'' {
						i++
						continue
					}
					return i + 1
				}
			}
		case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
			return f.LineEnd(s)
		default:
			if bytes.HasPrefix(d[s:], []byte(n.Value)) {
				return s + len(n.Value)
			}
			// A plain scalar folded over lines, or an empty value after a tag.
			return f.LineEnd(s)
		}
		return len(d)
	case yaml.MappingNode, yaml.SequenceNode:
		e := f.ValueStart(start)
		if len(n.Content) > 0 {
			last := n.Content[len(n.Content)-1]
			e = f.End(last, f.Offset(last.Line, last.Column))
		}
		if n.Style&yaml.FlowStyle != 0 || (e < len(d) && (d[e] == '{' || d[e] == '[') && len(n.Content) == 0) {
			closer := byte('}')
			if n.Kind == yaml.SequenceNode {
				closer = ']'
			}
			for i := e; i < len(d); i++ {
				if d[i] == closer {
					return i + 1
				}
				if d[i] == '#' {
					i = f.LineEnd(i)
				}
			}
		}
		return e
	case yaml.AliasNode:
		return f.LineEnd(start)
	}
	return start
}

// LineEnd is the end of the line holding off, before any "\r\n" and before
// a trailing comment.
func (f *File) LineEnd(off int) int {
	d := f.Data
	i := off
	for i < len(d) && d[i] != '\n' {
		if d[i] == '#' && i > off && isSpace(d[i-1]) {
			break
		}
		i++
	}
	for i > off && isSpace(d[i-1]) {
		i--
	}
	return i
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }
