package accesslog

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"strings"
)

// An Insights export is a table whose header names the query's fields.
// Rows are requests (fields @timestamp, status, ...) or, after `stats`,
// groups: a count column says how many requests the row stands for, a
// timeouts column how many of them timed out, and percentile columns
// (pct(integrationLatency, 99), p99) what their latency was.

var pctColumn = regexp.MustCompile(`^(?:pct|percentile)\((.*),(\d+(?:\.\d+)?)\)$|^p(\d+)(.*)$`)

// insightsColumn maps a header cell to the field it holds.
func insightsColumn(name string) field {
	name = strings.TrimSpace(strings.Trim(strings.TrimSpace(name), "`\""))
	n := strings.ToLower(strings.Join(strings.Fields(name), ""))
	n = strings.ReplaceAll(n, "`", "")
	switch {
	case n == "count(*)" || n == "count" || n == "requests" || strings.HasPrefix(n, "count("):
		return fCount
	case n == "timeouts":
		return fTimeouts
	case n == "@message":
		return fMessage
	}
	if m := pctColumn.FindStringSubmatch(n); m != nil {
		of, p := m[1], m[2]
		if p == "" {
			of, p = m[4], m[3]
		}
		if of == "" || strings.Contains(string(normKey(nil, []byte(of))), "integrationlatency") {
			switch p {
			case "50":
				return fP50
			case "95":
				return fP95
			case "99":
				return fP99
			}
		}
		return fNone
	}
	if strings.HasPrefix(n, "max(") && strings.Contains(string(normKey(nil, []byte(n))), "integrationlatency") {
		return fMax
	}
	return lookupField([]byte(name))
}

// readInsights reads an Insights table: CSV (sep ',') or Markdown ('|').
func readInsights(lr *lineReader, sep byte, fs *formats, t *tally) {
	var cols []field
	var r record
	var msg jsonShape
	msg.j.names = fs.userNames
	for lr.scan() {
		line := lr.span()
		if lr.long {
			t.malformed(lr.lineNo)
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if cols == nil {
			line = bytes.TrimPrefix(line, bom)
			// A header cell such as pct(latency, 99) holds a comma.
			for _, c := range headerCells(line, sep) {
				cols = append(cols, insightsColumn(c))
			}
			continue
		}
		cells, ok := splitRow(line, sep)
		if !ok {
			t.malformed(lr.lineNo)
			continue
		}
		if sep == '|' && separatorRow(cells) {
			continue
		}
		r.reset()
		var message []byte
		for i, c := range cells {
			if i < len(cols) {
				if cols[i] == fMessage {
					message = c
				} else {
					r.put(cols[i], bytes.TrimSpace(c))
				}
			}
		}
		if message != nil {
			// A whole record in @message: its fields win over the row's.
			if _, err := msg.j.object(message, skipSpace(message, 0), &r); err != nil {
				t.malformed(lr.lineNo)
				continue
			}
		}
		if !t.row(&r, lr.lineNo, int(lr.offset())) {
			t.malformed(lr.lineNo)
		}
	}
	t.lines = lr.lineNo - 1
}

// row counts an Insights row: one request, or, with count and timeouts
// columns, a group of them. False when the row is no access-log record.
func (t *tally) row(r *record, line, off int) bool {
	if !r.isRecord() {
		return false
	}
	n, timeouts := int64(1), int64(0)
	if r.has(fCount) {
		var ok bool
		if n, ok = number(r.get(fCount)); !ok {
			return false
		}
	}
	// A row split into its timeouts and the rest is one record.
	before := t.records
	defer func() { t.records = min(t.records, before+1) }()
	if r.has(fTimeouts) {
		var ok bool
		if timeouts, ok = number(r.get(fTimeouts)); !ok {
			return false
		}
		if !r.has(fCount) {
			n = timeouts
		}
		timeouts = min(timeouts, n)
		t.addTimeouts(r, line, off, timeouts)
		n -= timeouts
		if n > 0 {
			// The rest of the group did not time out, whatever its
			// status column says.
			r.put(fResponseType, []byte("NONE"))
		}
		r.put(fCount, r.get(fCount)) // the rows are aggregated
	}
	t.add(r, line, off, n)
	return true
}

// readQueryResults reads GetQueryResults JSON (`aws logs
// get-query-results`): {"results": [[{"field", "value"}, ...], ...]}.
func readQueryResults(r io.Reader, fs *formats, t *tally) error {
	docs := newJSONDocuments(r)
	var rec record
	var msg jsonShape
	msg.j.names = fs.userNames
	row := func(off int64, line int) error {
		var cells []struct{ Field, Value string }
		if err := docs.dec.Decode(&cells); err != nil {
			return err
		}
		rec.reset()
		ok := true
		for _, c := range cells {
			f := insightsColumn(c.Field)
			if f == fMessage {
				m := []byte(c.Value)
				_, err := msg.j.object(m, skipSpace(m, 0), &rec)
				ok = ok && err == nil
				continue
			}
			rec.put(f, []byte(c.Value))
		}
		if !ok || !t.row(&rec, line, int(off)) {
			t.malformed(line)
		}
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
