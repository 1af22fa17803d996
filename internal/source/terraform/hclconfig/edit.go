package hclconfig

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Edit replaces Length bytes at Offset of Filename with Text (an insertion
// when Length is 0). Edits never reformat anything else.
type Edit struct {
	Filename string
	Offset   int
	Length   int
	Text     string
}

// ReplaceValue returns the edit that replaces the attribute's value
// expression with text (HCL source, e.g. "30" or "\"x\"").
func (a *Attribute) ReplaceValue(text string) Edit {
	r := a.ValueRange
	return Edit{Filename: r.Filename, Offset: r.Start.Byte, Length: r.End.Byte - r.Start.Byte, Text: text}
}

// InsertAttribute returns the edit that adds "name = value" to the block:
// on a new line after its last attribute (or first in the body), with the
// block's indentation, and with "=" aligned when the neighbouring
// attributes align theirs. value is HCL source (JSON for .tf.json files).
func (b *Block) InsertAttribute(name, value string) (Edit, error) {
	if b.file == nil {
		return Edit{}, errors.New("the block has no source file")
	}
	if b.Attr(name) != nil {
		return Edit{}, fmt.Errorf("the block already sets %s", name)
	}
	for _, m := range b.meta {
		if m.Name == name {
			return Edit{}, fmt.Errorf("the block already sets %s", name)
		}
	}
	if b.JSON {
		return b.insertJSON(name, value)
	}
	src := b.file.Bytes
	open, closeB := b.BodyRange.Start.Byte, b.BodyRange.End.Byte-1
	if open < 0 || closeB >= len(src) || src[open] != '{' || src[closeB] != '}' {
		return Edit{}, errors.New("cannot locate the block's braces")
	}
	nl := "\n"
	if bytes.Contains(src, []byte("\r\n")) {
		nl = "\r\n"
	}
	blockIndent := indentOf(src, b.Range.Start.Byte)
	if b.BodyRange.Start.Line == b.BodyRange.End.Line {
		if strings.TrimSpace(string(src[open+1:closeB])) != "" {
			return Edit{}, errors.New("the block is written on one line; add the attribute by hand")
		}
		inner := blockIndent + guessUnit(src)
		return Edit{Filename: b.file.Name, Offset: open + 1, Length: closeB - open - 1,
			Text: nl + inner + name + " = " + value + nl + blockIndent}, nil
	}
	// Only attributes written in this block's own file count: those merged
	// from an override file live elsewhere.
	var own []*Attribute
	for _, a := range append(append([]*Attribute(nil), b.Attrs...), b.meta...) {
		if a.Range.Filename == b.file.Name && a.Range.Start.Byte > open && a.Range.End.Byte <= closeB {
			own = append(own, a)
		}
	}
	sort.Slice(own, func(i, j int) bool { return own[i].Range.Start.Byte < own[j].Range.Start.Byte })
	var offset int
	var indent string
	pad := " "
	if len(own) == 0 {
		offset = lineEnd(src, open)
		indent = blockIndent + guessUnit(src)
		if first := firstContentLine(src, offset, closeB); first >= 0 {
			indent = indentOf(src, first)
		}
	} else {
		last := own[len(own)-1]
		offset = lineEnd(src, last.Range.End.Byte-1)
		indent = indentOf(src, last.Range.Start.Byte)
		if last.Range.Start.Line == last.Range.End.Line {
			// The run of single-line attributes on consecutive lines that
			// ends with the last one: hclwrite aligns their "=".
			group := []*Attribute{last}
			for i := len(own) - 2; i >= 0; i-- {
				a := own[i]
				if a.Range.Start.Line != a.Range.End.Line || a.Range.End.Line != group[0].Range.Start.Line-1 {
					break
				}
				group = append([]*Attribute{a}, group...)
			}
			col := -1
			for _, a := range group {
				eq := equalsColumn(src, a)
				if eq < 0 || (col >= 0 && eq != col) {
					col = -2
					break
				}
				col = eq
			}
			// Pad to the group's column when the group is aligned (or is a
			// lone attribute) and the new name fits before it.
			if col >= 0 && len(indent)+len(name) < col {
				pad = strings.Repeat(" ", col-len(indent)-len(name))
			}
		}
	}
	if offset > closeB {
		offset = closeB
	}
	text := indent + name + pad + "= " + value + nl
	if offset > 0 && src[offset-1] != '\n' {
		text = nl + text
	}
	return Edit{Filename: b.file.Name, Offset: offset, Text: text}, nil
}

// equalsColumn is the 0-based column (in bytes from the line start) of the
// attribute's "=", or -1.
func equalsColumn(src []byte, a *Attribute) int {
	start := lineStart(src, a.NameRange.Start.Byte)
	i := a.NameRange.End.Byte
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i >= len(src) || src[i] != '=' {
		return -1
	}
	return i - start
}

func lineStart(src []byte, off int) int {
	for off > 0 && src[off-1] != '\n' {
		off--
	}
	return off
}

// lineEnd is the offset just after the newline that ends off's line.
func lineEnd(src []byte, off int) int {
	for off < len(src) && src[off] != '\n' {
		off++
	}
	if off < len(src) {
		off++
	}
	return off
}

func indentOf(src []byte, off int) string {
	s := lineStart(src, off)
	e := s
	for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
		e++
	}
	return string(src[s:e])
}

func firstContentLine(src []byte, from, to int) int {
	for off := from; off < to; off = lineEnd(src, off) {
		line := strings.TrimSpace(string(src[off:min(lineEnd(src, off), to)]))
		if line != "" {
			return off
		}
	}
	return -1
}

// guessUnit guesses the file's indentation unit.
func guessUnit(src []byte) string {
	for _, line := range bytes.Split(src, []byte("\n")) {
		if len(line) > 0 && line[0] == '\t' {
			return "\t"
		}
		n := 0
		for n < len(line) && line[n] == ' ' {
			n++
		}
		if n > 0 && n < len(line) {
			return strings.Repeat(" ", n)
		}
	}
	return "  "
}

func (b *Block) insertJSON(name, value string) (Edit, error) {
	src := b.file.Bytes
	open := b.BodyRange.Start.Byte
	if open < 0 || open >= len(src) || src[open] != '{' {
		return Edit{}, errors.New("cannot locate the block's JSON object")
	}
	closeB := b.BodyRange.End.Byte - 1
	key := fmt.Sprintf("%q: %s", name, value)
	empty := strings.TrimSpace(string(src[open+1:closeB])) == ""
	indent := "  "
	if first := firstContentLine(src, lineEnd(src, open), closeB); first >= 0 {
		indent = indentOf(src, first)
	} else {
		indent = indentOf(src, open) + "  "
	}
	if empty {
		return Edit{Filename: b.file.Name, Offset: open + 1, Length: closeB - open - 1, Text: key}, nil
	}
	if b.BodyRange.Start.Line == b.BodyRange.End.Line {
		return Edit{Filename: b.file.Name, Offset: open + 1, Text: key + ", "}, nil
	}
	return Edit{Filename: b.file.Name, Offset: open + 1, Text: "\n" + indent + key + ","}, nil
}

// ApplyEdits applies edits to src (all for the same file); they must not
// overlap.
func ApplyEdits(src []byte, edits []Edit) ([]byte, error) {
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Offset > es[j].Offset })
	out := append([]byte(nil), src...)
	prev := len(src) + 1
	for _, e := range es {
		if e.Offset < 0 || e.Length < 0 || e.Offset+e.Length > len(src) {
			return nil, fmt.Errorf("edit at %d+%d is outside the file (%d bytes)", e.Offset, e.Length, len(src))
		}
		if e.Offset+e.Length > prev {
			return nil, fmt.Errorf("edits overlap at byte %d", e.Offset)
		}
		prev = e.Offset
		out = append(out[:e.Offset], append([]byte(e.Text), out[e.Offset+e.Length:]...)...)
	}
	return out, nil
}

// InsertIntoObject returns the edit that adds "name = value" to an object
// constructor written in src (a module argument such as routes["GET /"]
// .integration = { ... }): on a new line after its last item, indented
// like it, "=" aligned when the items align theirs. A one-line object
// gets the item before its closing brace.
func InsertIntoObject(src []byte, obj hcl.Expression, name, value string) (Edit, error) {
	oc, ok := unwrapParens(obj).(*hclsyntax.ObjectConsExpr)
	if !ok {
		return Edit{}, errors.New("the value is not an object written out")
	}
	r := oc.SrcRange
	open, closeB := r.Start.Byte, r.End.Byte-1
	if open < 0 || closeB >= len(src) || closeB < open || src[open] != '{' || src[closeB] != '}' {
		return Edit{}, errors.New("cannot locate the object's braces")
	}
	for _, it := range oc.Items {
		if hcl.ExprAsKeyword(it.KeyExpr) == name {
			return Edit{}, fmt.Errorf("the object already sets %s", name)
		}
	}
	nl := "\n"
	if bytes.Contains(src, []byte("\r\n")) {
		nl = "\r\n"
	}
	if len(oc.Items) == 0 || r.Start.Line == r.End.Line {
		inner := strings.TrimSpace(string(src[open+1 : closeB]))
		if inner == "" {
			return Edit{Filename: r.Filename, Offset: open + 1, Length: closeB - open - 1, Text: " " + name + " = " + value + " "}, nil
		}
		if r.Start.Line == r.End.Line {
			sep := ", "
			if strings.HasSuffix(inner, ",") {
				sep = " "
			}
			end := closeB
			for end > open && (src[end-1] == ' ' || src[end-1] == '\t') {
				end--
			}
			return Edit{Filename: r.Filename, Offset: end, Text: sep + name + " = " + value + " "}, nil
		}
	}
	last := oc.Items[len(oc.Items)-1]
	lastStart, lastEnd := last.KeyExpr.Range().Start, last.ValueExpr.Range().End
	offset := lineEnd(src, lastEnd.Byte-1)
	if offset > closeB {
		// The closing brace follows the last item on its line.
		return Edit{}, errors.New("the object's closing brace is on its last item's line; add the item by hand")
	}
	indent := indentOf(src, lastStart.Byte)
	pad := " "
	if lastStart.Line == lastEnd.Line {
		col := -1
		prevLine := lastStart.Line
		for i := len(oc.Items) - 1; i >= 0; i-- {
			it := oc.Items[i]
			ks, ve := it.KeyExpr.Range(), it.ValueExpr.Range()
			if ks.Start.Line != ve.End.Line || (i < len(oc.Items)-1 && ve.End.Line != prevLine-1) {
				break
			}
			prevLine = ks.Start.Line
			j := ks.End.Byte
			for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
				j++
			}
			if j >= len(src) || (src[j] != '=' && src[j] != ':') {
				col = -2
				break
			}
			eq := j - lineStart(src, ks.Start.Byte)
			if col >= 0 && eq != col {
				col = -2
				break
			}
			col = eq
		}
		if col >= 0 && len(indent)+len(name) < col {
			pad = strings.Repeat(" ", col-len(indent)-len(name))
		}
	}
	text := indent + name + pad + "= " + value + nl
	return Edit{Filename: r.Filename, Offset: offset, Text: text}, nil
}
