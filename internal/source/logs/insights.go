package logs

import (
	"bytes"
	"io"
)

// An Insights export is a table whose header names the query's fields;
// each row goes to the kind its columns chose, cell by column name.

// readInsights reads an Insights table: CSV (sep ',') or Markdown ('|').
func readInsights(lr *lineReader, sep byte, p *piece) {
	var cols []string
	var buf [][]byte
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
		cells, ok := splitRow(line, sep, buf)
		buf = cells
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

// splitRow splits a table row into cells, into buf's storage. The cells
// are valid until the next call with the same buf (a quoted CSV cell with
// doubled quotes is unescaped into memory of its own).
func splitRow(line []byte, sep byte, buf [][]byte) ([][]byte, bool) {
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
	return splitCSV(line, buf[:0]), true
}

// splitCSV splits one CSV row as encoding/csv does with LazyQuotes,
// without its per-reader buffer (a csv.Reader per row allocated 4 KB for
// every row of an export): a field that starts with a quote runs to the
// quote before a comma or the end of the line, "" standing for a quote; a
// quote anywhere else is kept as it is.
func splitCSV(line []byte, cells [][]byte) [][]byte {
	for i := 0; ; {
		if i < len(line) && line[i] == '"' {
			var unescaped []byte // set once a "" is seen
			start, j := i+1, i+1
			for ; j < len(line); j++ {
				if line[j] != '"' {
					continue
				}
				if j+1 < len(line) && line[j+1] == '"' {
					unescaped = append(unescaped, line[start:j+1]...)
					j++
					start = j + 1
					continue
				}
				if j+1 == len(line) || line[j+1] == ',' {
					break
				}
			}
			end := min(j, len(line))
			if unescaped == nil {
				cells = append(cells, line[start:end])
			} else {
				cells = append(cells, append(unescaped, line[start:end]...))
			}
			if j+1 >= len(line) {
				return cells
			}
			i = j + 2
			continue
		}
		k := bytes.IndexByte(line[i:], ',')
		if k < 0 {
			return append(cells, line[i:])
		}
		cells = append(cells, line[i:i+k])
		i += k + 1
	}
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
	cells, _ := splitRow(line, sep, nil)
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = string(c)
	}
	return out
}
