package terraform

import (
	"path/filepath"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
)

// paths turns the absolute paths hclconfig reads into the paths reports
// name (relative to the walked file as the user gave it) and HCL ranges
// into gatelint's, with columns in code points.
type paths struct {
	dispDir string // the walked file's directory as given
	absDir  string // the same, absolute
	bytes   map[string][]byte
}

func newPaths(walked string) *paths {
	d := filepath.Dir(walked)
	abs, err := filepath.Abs(d)
	if err != nil {
		abs = d
	}
	return &paths{dispDir: d, absDir: abs, bytes: map[string][]byte{}}
}

// display is how reports name the file at abs.
func (p *paths) display(abs string) string {
	if abs == "" || !filepath.IsAbs(abs) {
		return abs
	}
	rel, err := filepath.Rel(p.absDir, abs)
	if err != nil {
		return abs
	}
	return filepath.Join(p.dispDir, rel)
}

// pos converts an HCL position in file abs.
func (p *paths) pos(abs string, hp hcl.Pos) loc.Pos {
	src := p.bytes[abs]
	off := hp.Byte
	if src == nil || off < 0 || off > len(src) {
		return loc.Pos{Line: hp.Line, Column: hp.Column, Offset: hp.Byte}
	}
	start := off
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	return loc.Pos{Line: hp.Line, Column: utf8.RuneCount(src[start:off]) + 1, Offset: off}
}

// rng converts an HCL range.
func (p *paths) rng(r hcl.Range) loc.Range {
	if r.Filename == "" {
		return loc.Range{}
	}
	return loc.Range{File: p.display(r.Filename), Start: p.pos(r.Filename, r.Start), End: p.pos(r.Filename, r.End)}
}

// edit converts a byte edit of file abs.
func (p *paths) edit(abs string, start, end int, text string) finding.TextEdit {
	return finding.TextEdit{File: p.display(abs), Start: start, End: end, NewText: text}
}
