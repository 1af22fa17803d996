package logs

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/source/functionlog/lambdalog"
)

// Shape names, as --verbose shows them.
const (
	ShapeEmpty = "empty"
	// JSONLines is the format name of JSON records, one per line.
	JSONLines           = "JSON lines"
	ShapeFirehoseDirect = "API Gateway → Firehose (records run together)"
	ShapeCWExport       = "CloudWatch Logs export"
	ShapeEvents         = "filter-log-events output"
	ShapeSubscription   = "Firehose (subscription filter)"
	ShapeInsightsCSV    = "Logs Insights export (CSV)"
	ShapeInsightsTable  = "Logs Insights export (Markdown table)"
	ShapeQueryResults   = "Logs Insights get-query-results output"
)

// shapeKind is how a whole input is read.
type shapeKind int

const (
	kindUnknown      shapeKind = iota
	kindLines                  // one record per line (or more, run together)
	kindEnvelope               // filter-log-events or subscription-filter JSON
	kindInsights               // a Logs Insights table
	kindQueryResults           // Logs Insights GetQueryResults JSON
)

// detected is what sniffing the start of an input decided.
type detected struct {
	kind  shapeKind
	shape string
	// opener is the kind whose records the lines are, first the first
	// line's message (its export prefix removed), for kindLines.
	opener Kind
	first  []byte
	// export: each line is a CloudWatch Logs export's timestamp and
	// message.
	export bool
	// table is ',' for CSV, '|' for Markdown (Insights).
	table byte
	// pretty is set when JSON records span lines (a pretty-printed file);
	// runTogether when records follow each other on a line.
	pretty, runTogether bool
}

// name is the shape as --verbose says it, once p has been read: lines
// are named by their records' format, an export also by its messages'.
func (d detected) name(p *piece) string {
	if d.kind != kindLines || d.shape == ShapeEmpty || d.shape == ShapeFirehoseDirect || p == nil || p.rec == nil {
		return d.shape
	}
	if d.export {
		return ShapeCWExport + " of " + p.rec.Format()
	}
	return p.rec.Format()
}

// bom is the UTF-8 byte-order mark some Windows tools write first.
var bom = []byte("\xef\xbb\xbf")

// detect decides an input's shape from its first bytes (decompressed).
func detect(head []byte, kinds []Kind) (detected, error) {
	head = bytes.TrimPrefix(head, bom)
	var first []byte
	rest := head
	for len(rest) > 0 && len(bytes.TrimSpace(first)) == 0 {
		first, rest, _ = bytes.Cut(rest, []byte("\n"))
	}
	first = bytes.TrimSpace(first)
	if len(first) == 0 {
		if len(kinds) == 0 {
			return detected{}, errNotLog(kinds)
		}
		return detected{kind: kindLines, shape: ShapeEmpty, opener: kinds[0]}, nil
	}
	switch first[0] {
	case '{', '[':
		switch firstKey(head) {
		case "events", "nextToken", "searchedLogStreams", "NextToken":
			return detected{kind: kindEnvelope, shape: ShapeEvents}, nil
		case "messageType", "owner", "logGroup", "logStream", "subscriptionFilters", "logEvents":
			return detected{kind: kindEnvelope, shape: ShapeSubscription}, nil
		case "results", "statistics":
			return detected{kind: kindQueryResults, shape: ShapeQueryResults}, nil
		}
		if first[0] == '[' {
			return detected{}, fmt.Errorf("a JSON array, not %s records", strings.ReplaceAll(kindNames(kinds), " ", "-"))
		}
		k := opener(kinds, first)
		if k == nil {
			return detected{}, errNotLog(kinds)
		}
		d := detected{kind: kindLines, shape: JSONLines, opener: k, first: first}
		d.pretty = bytes.Equal(first, []byte("{"))
		if d.runTogether = runTogether(head); d.runTogether {
			d.shape = ShapeFirehoseDirect
		}
		return d, nil
	case '|':
		return detected{kind: kindInsights, shape: ShapeInsightsTable, table: '|'}, nil
	}
	if m := exportPrefix.Find(first); m != nil {
		msg := first[len(m):]
		k := opener(kinds, msg)
		if k == nil {
			if name := Foreign(msg); name != "" {
				return detected{}, errForeign("a CloudWatch Logs export of "+name, kinds)
			}
			return detected{}, fmt.Errorf("a CloudWatch Logs export whose messages are in no format known: %s", hint(kinds))
		}
		return detected{kind: kindLines, shape: ShapeCWExport, opener: k, first: msg, export: true}, nil
	}
	if insightsHeader(first, kinds) {
		return detected{kind: kindInsights, shape: ShapeInsightsCSV, table: ','}, nil
	}
	if k := opener(kinds, first); k != nil {
		return detected{kind: kindLines, opener: k, first: first}, nil
	}
	if name := Foreign(first); name != "" {
		return detected{}, errForeign(name, kinds)
	}
	return detected{}, errNotLog(kinds)
}

// notAPIGateway ends the error of a log in a format Foreign names.
const notAPIGateway = ", not a log API Gateway writes"

// errForeign is what detect says of a log in a well-known format of
// another system: named, with how to read it anyway.
func errForeign(name string, kinds []Kind) error {
	return fmt.Errorf("%s%s: if your stage's format makes lines like these, %s", name, notAPIGateway, hint(kinds))
}

// opener is the first kind that reads msg as one of its records.
func opener(kinds []Kind, msg []byte) Kind {
	for _, k := range kinds {
		if k.Open("", msg) != nil {
			return k
		}
	}
	return nil
}

// errNotLog is what detect says of content in no shape it knows. In a
// directory walked for logs such a file (a README, say) is skipped; named
// on the command line it is an error.
func errNotLog(kinds []Kind) error {
	return fmt.Errorf("not %s in a format gatelint knows: %s", article(kindNames(kinds)), hint(kinds))
}

// kindNames names the kinds for messages: "access log", "access log or
// function log".
func kindNames(kinds []Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name()
	}
	if len(names) == 0 {
		return "log"
	}
	return strings.Join(names, " or ")
}

// hint says how to make an input readable, as the kinds advise.
func hint(kinds []Kind) string {
	var hs []string
	for _, k := range kinds {
		if h := k.Hint(); h != "" {
			hs = append(hs, h)
		}
	}
	return strings.Join(hs, "; ")
}

// article prefixes "a" or "an".
func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

var exportPrefix = regexp.MustCompile(`^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?|\d{13}) `)

// exportLine splits a CloudWatch Logs S3 export's line — a timestamp
// (ISO-8601, or epoch milliseconds in some tools' output), a space and
// the message — into the message and its time.
func exportLine(b []byte, at At) ([]byte, At, bool) {
	sp := bytes.IndexByte(b, ' ')
	if sp < 0 {
		return nil, at, false
	}
	if ts := b[:sp]; len(ts) == 13 && ts[0] != '-' {
		var n int64
		for _, c := range ts {
			if c < '0' || c > '9' {
				return nil, at, false
			}
			n = n*10 + int64(c-'0')
		}
		at.When = time.UnixMilli(n).UTC()
	} else {
		// lambdalog.ParseTime does not allocate, as time.Parse does; it
		// also reads times without a zone, a space for the T and a
		// lower-case z, which exports never write and are not read here.
		t, ok := lambdalog.ParseTime(ts)
		if !ok || ts[10] != 'T' || !(ts[len(ts)-1] == 'Z' || len(ts) >= 25 && (ts[len(ts)-6] == '+' || ts[len(ts)-6] == '-')) {
			return nil, at, false
		}
		at.When = t
	}
	at.Offset += sp + 1
	return b[sp+1:], at, true
}

// runTogether reports whether the first JSON record of b is followed by
// another on the same line.
func runTogether(b []byte) bool {
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		b = b[:nl]
	}
	end := objectEnd(b, skipSpace(b, 0))
	if end < 0 {
		return false
	}
	end = skipSpace(b, end)
	return end < len(b) && b[end] == '{'
}

// objectEnd is just past the JSON object (or array) that starts at b[i],
// -1 when it does not close within b. Strings are skipped whole, so
// braces inside them do not count.
func objectEnd(b []byte, i int) int {
	if i >= len(b) || (b[i] != '{' && b[i] != '[') {
		return -1
	}
	depth, inString, escape := 0, false, false
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case escape:
			escape = false
		case inString:
			if c == '\\' {
				escape = true
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// firstKey returns the first key of the first JSON object in b.
func firstKey(b []byte) string {
	i := bytes.IndexByte(b, '{')
	if i < 0 {
		return ""
	}
	i = skipSpace(b, i+1)
	if i >= len(b) || b[i] != '"' {
		return ""
	}
	e := bytes.IndexByte(b[i+1:], '"')
	if e < 0 {
		return ""
	}
	return string(b[i+1 : i+1+e])
}

var headerCell = regexp.MustCompile(`^"?[@A-Za-z_][\w.@() *,-]*"?$`)

// insightsHeader reports whether line is the header row of an Insights
// CSV export: names only, one of them an Insights field (@timestamp,
// @message), an aggregation, or a field of one of the kinds.
func insightsHeader(line []byte, kinds []Kind) bool {
	cells := splitCSVHeader(string(line))
	if len(cells) < 2 {
		return false
	}
	known := false
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if !headerCell.MatchString(c) {
			return false
		}
		c = strings.Trim(c, `"`)
		if strings.HasPrefix(c, "@") || strings.Contains(c, "(") {
			known = true
		}
		for _, k := range kinds {
			known = known || k.Column(c)
		}
	}
	return known
}

// splitCSVHeader splits a header row on commas outside quotes and
// parentheses (pct(latency, 99) is one column).
func splitCSVHeader(s string) []string {
	var cells []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if !quoted && depth <= 0 {
				cells = append(cells, s[start:i])
				start = i + 1
			}
		}
	}
	return append(cells, s[start:])
}
