package accesslog

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/gatelint/gatelint/internal/source/logs"
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

// Row reads one Insights row: its cells by the columns' fields, and a
// whole record in @message, whose fields win over the row's.
func (t *tally) Row(names []string, cells [][]byte, at logs.At) bool {
	if !slices.Equal(names, t.colsFor) {
		// A new table header, or a get-query-results row, which names its
		// own fields.
		t.cols = t.cols[:0]
		for _, n := range names {
			t.cols = append(t.cols, insightsColumn(n))
		}
		t.colsFor = slices.Clone(names)
	}
	var r record
	var message []byte
	ok := true
	for i, c := range cells {
		switch t.cols[i] {
		case fMessage:
			message = c
		default:
			r.put(t.cols[i], bytes.TrimSpace(c))
		}
	}
	if message != nil {
		j := jsonReader{names: t.names}
		if _, err := j.object(message, skipSpace(message, 0), &r); err != nil {
			ok = false
		}
	}
	return ok && t.row(&r, at.Line, at.Offset)
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
