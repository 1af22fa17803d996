package logs

import (
	"bytes"
	"slices"
)

// piece is what one piece of one input (a whole stream, or a chunk of a
// large file) holds. Line numbers in it are relative to the piece until
// shift moves them; pieces merge in input order, so the result does not
// depend on which worker read what.
type piece struct {
	file string
	// kinds are asked in turn, for shapes whose first message decides
	// (envelopes, tables); kind and rec are the one that answered.
	kinds    []Kind
	kind     Kind
	rec      Records
	lines    int
	bad      int64
	badLines []int
	groups   []string
	group    string // the current envelope's log group
	ran      bool   // a span ended at a closing brace, not a newline
	bytes    int64
}

const maxMalformedLines = 5

func newPiece(file string) *piece { return &piece{file: file} }

// open makes k read the piece's records, as first says they are.
func (p *piece) open(k Kind, first []byte) {
	p.kind, p.rec = k, k.Open(p.file, first)
}

// message hands one message to the kind the first message chose.
func (p *piece) message(b []byte, at At) {
	if p.rec == nil {
		if len(bytes.TrimSpace(b)) == 0 {
			// Nothing to tell a kind by; an empty input is opened by
			// detection, not here.
			p.malformed(at.Line)
			return
		}
		for _, k := range p.kinds {
			if r := k.Open(p.file, b); r != nil {
				p.kind, p.rec = k, r
				r.Group(p.group)
				break
			}
		}
		if p.rec == nil {
			p.malformed(at.Line)
			return
		}
	}
	if !p.rec.Message(b, at) {
		p.malformed(at.Line)
	}
}

// row hands one Insights row to the kind its columns chose: of the kinds
// that would read them, the one that knows most of the columns
// (get-query-results rows name their own).
func (p *piece) row(names []string, cells [][]byte, at At, columns []string) {
	if p.rec == nil {
		cols := columns
		if cols == nil {
			cols = names
		}
		// A whole record in @message: only the kinds that read it.
		kinds := p.kinds
		if i := slices.Index(names, "@message"); i >= 0 && len(bytes.TrimSpace(cells[i])) > 0 {
			kinds = slices.DeleteFunc(slices.Clone(p.kinds), func(k Kind) bool { return k.Open(p.file, cells[i]) == nil })
			if len(kinds) == 0 {
				kinds = p.kinds
			}
		}
		best := -1
		for _, k := range kinds {
			known := 0
			for _, c := range cols {
				if k.Column(c) {
					known++
				}
			}
			if known <= best {
				continue
			}
			if r := k.OpenTable(p.file, cols); r != nil {
				p.kind, p.rec, best = k, r, known
			}
		}
		if p.rec == nil {
			p.malformed(at.Line)
			return
		}
	}
	if !p.rec.Row(names, cells, at) {
		p.malformed(at.Line)
	}
}

func (p *piece) malformed(line int) {
	p.bad++
	if len(p.badLines) < maxMalformedLines {
		p.badLines = append(p.badLines, line)
	}
}

// setGroup sets the log group of the envelope being read ("" after it).
func (p *piece) setGroup(g string) {
	p.group = g
	if p.rec == nil && g != "" {
		for _, k := range p.kinds {
			if o, ok := k.(GroupOpener); ok {
				if r := o.GroupOpen(p.file, g); r != nil {
					p.kind, p.rec = k, r
					break
				}
			}
		}
	}
	if p.rec != nil {
		p.rec.Group(g)
	}
	if g != "" && !slices.Contains(p.groups, g) {
		p.groups = append(p.groups, g)
	}
}

// shift moves the piece's line numbers and offsets by the lines and bytes
// that precede it in its input.
func (p *piece) shift(lines, offset int) {
	if lines == 0 && offset == 0 {
		return
	}
	for i := range p.badLines {
		p.badLines[i] += lines
	}
	if p.rec != nil {
		p.rec.Shift(lines, offset)
	}
}

// merge adds o (a later piece of the same input, already shifted) to p.
func (p *piece) merge(o *piece) {
	p.bytes += o.bytes
	p.lines += o.lines
	p.bad += o.bad
	p.ran = p.ran || o.ran
	for _, l := range o.badLines {
		if len(p.badLines) < maxMalformedLines {
			p.badLines = append(p.badLines, l)
		}
	}
	for _, g := range o.groups {
		if !slices.Contains(p.groups, g) {
			p.groups = append(p.groups, g)
		}
	}
	switch {
	case p.rec == nil:
		p.kind, p.rec = o.kind, o.rec
	case o.rec != nil:
		p.rec.Merge(o.rec)
	}
}

// input completes in with what the piece counted.
func (p *piece) input(in *Input) *Input {
	in.Bytes = p.bytes
	in.Malformed = p.bad
	in.MalformedLines = p.badLines
	in.Groups = p.groups
	in.Records = p.rec
	return in
}
