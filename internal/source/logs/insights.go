package logs

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
)

// An Insights export is a table whose header names the query's fields;
// each row goes to the kind its columns chose, cell by column name.

// readInsights reads an Insights table: CSV (sep ',') or Markdown ('|').
func readInsights(lr *lineReader, sep byte, p *piece) {
	var cols []string
	for lr.scan() {
		line := lr.span()
		if lr.long {
			p.malformed(lr.lineNo)
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if cols == nil {
			line = bytes.TrimPrefix(line, bom)
			// A header cell such as pct(latency, 99) holds a comma.
			cols = headerCells(line, sep)
			continue
		}
		cells, ok := splitRow(line, sep)
		if !ok {
			p.malformed(lr.lineNo)
			continue
		}
		if sep == '|' && separatorRow(cells) {
			continue
		}
		if len(cells) > len(cols) {
			cells = cells[:len(cols)]
		}
		p.row(cols[:len(cells)], cells, At{Line: lr.lineNo, Offset: int(lr.offset())}, cols)
	}
	p.lines = lr.lineNo - 1
}

// readQueryResults reads GetQueryResults JSON (`aws logs
// get-query-results`): {"results": [[{"field", "value"}, ...], ...]}.
func readQueryResults(r io.Reader, p *piece) error {
	docs := newJSONDocuments(r)
	var names []string
	var cells [][]byte
	row := func(off int64, line int) error {
		var fields []struct{ Field, Value string }
		if err := docs.dec.Decode(&fields); err != nil {
			return err
		}
		names, cells = names[:0], cells[:0]
		for _, f := range fields {
			names = append(names, f.Field)
			cells = append(cells, []byte(f.Value))
		}
		p.row(names, cells, At{Line: line, Offset: int(off)}, nil)
		return nil
	}
	member := func(key string) error {
		if key != "results" {
			return docs.skip()
		}
		return docs.list(key, row)
	}
	return docs.each(member, func() {})
}

// splitRow splits a table row into cells.
func splitRow(line []byte, sep byte) ([][]byte, bool) {
	if sep == '|' {
		line = bytes.TrimSpace(line)
		if len(line) < 2 || line[0] != '|' || line[len(line)-1] != '|' {
			return nil, false
		}
		cells := bytes.Split(line[1:len(line)-1], []byte("|"))
		for i := range cells {
			cells[i] = bytes.TrimSpace(cells[i])
		}
		return cells, true
	}
	cr := csv.NewReader(bytes.NewReader(line))
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, false
	}
	cells := make([][]byte, len(rec))
	for i, c := range rec {
		cells[i] = []byte(c)
	}
	return cells, true
}

func separatorRow(cells [][]byte) bool {
	for _, c := range cells {
		if len(bytes.Trim(c, "-: ")) != 0 {
			return false
		}
	}
	return true
}

func headerCells(line []byte, sep byte) []string {
	if sep == ',' {
		return splitCSVHeader(string(line))
	}
	cells, _ := splitRow(line, sep)
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = string(c)
	}
	return out
}
