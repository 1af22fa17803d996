package accesslog

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Shape names, as LogSource.Shape and --verbose show them.
const (
	ShapeEmpty          = "empty"
	ShapeJSON           = "JSON lines"
	ShapeFirehoseDirect = "API Gateway → Firehose (records run together)"
	ShapeXML            = "XML lines"
	ShapeCWExport       = "CloudWatch Logs export"
	ShapeEvents         = "filter-log-events output"
	ShapeSubscription   = "Firehose (subscription filter)"
	ShapeInsightsCSV    = "Logs Insights export (CSV)"
	ShapeInsightsTable  = "Logs Insights export (Markdown table)"
	ShapeQueryResults   = "Logs Insights get-query-results output"
)

// lineShape reads the records of one line (a message, for envelopes).
type lineShape interface {
	// line adds the line's records to t; false when the line held none.
	line(t *tally, b []byte, lineNo, off int, when time.Time) bool
	name() string
}

// jsonShape reads JSON records, one or more per line.
type jsonShape struct {
	j jsonReader
	r record
	// lays are the layouts seen (a log may mix a few formats: REST and
	// HTTP stages into one group); learning stops when records keep
	// having new ones, as records with varying keys would.
	lays    [4]*layout
	next    int // the slot the next layout replaces
	misses  int // records read by parsing since a layout last matched
	noLearn bool
}

const maxLayoutMisses = 256

// matchLayout reads the record at b[i:] through a known layout.
func (s *jsonShape) matchLayout(b []byte, i int) (int, bool) {
	for k, l := range s.lays {
		if l == nil {
			break
		}
		if end, ok := l.match(b, i, &s.r); ok {
			if k > 0 {
				// Most recently matched first.
				s.lays[0], s.lays[k] = s.lays[k], s.lays[0]
			}
			s.misses = 0
			return end, true
		}
		when := s.r.when
		s.r.reset()
		s.r.when = when
	}
	return i, false
}

func (s *jsonShape) learn(b []byte, i, end int) {
	if s.noLearn {
		return
	}
	if s.misses++; s.misses > maxLayoutMisses {
		s.noLearn = true
		return
	}
	if l := s.j.learn(b, i, end); l != nil {
		s.lays[s.next] = l
		s.next = (s.next + 1) % len(s.lays)
	}
}

func (s *jsonShape) name() string { return ShapeJSON }

func (s *jsonShape) line(t *tally, b []byte, lineNo, off int, when time.Time) bool {
	i := skipSpace(b, 0)
	n := 0
	for i < len(b) {
		s.r.reset()
		s.r.when = when
		end, ok := s.matchLayout(b, i)
		if !ok {
			var err error
			end, err = s.j.object(b, i, &s.r)
			if err != nil || !s.r.isRecord() {
				return false
			}
			s.learn(b, i, end)
		}
		t.add(&s.r, lineNo, off+i, 1)
		n++
		if n == 2 {
			t.multi = true
		}
		i = skipSpace(b, end)
	}
	return n > 0
}

// isRecord reports whether r looks like an access-log record at all.
func (r *record) isRecord() bool {
	return r.has(fStatus) || r.has(fMethod) || r.has(fRouteKey) || r.has(fResourcePath) ||
		r.has(fPath) || r.has(fResponseType)
}

// textShape reads lines rendered from a format string (CLF, CSV, ...).
type textShape struct {
	f *lineFormat
	r record
}

func (s *textShape) name() string { return s.f.name }

func (s *textShape) line(t *tally, b []byte, lineNo, off int, when time.Time) bool {
	s.r.reset()
	s.r.when = when
	if !s.f.match(b, &s.r) {
		return false
	}
	t.add(&s.r, lineNo, off, 1)
	return true
}

// xmlShape reads XML-rendered lines.
type xmlShape struct {
	names map[string]field
	r     record
}

func (s *xmlShape) name() string { return ShapeXML }

func (s *xmlShape) line(t *tally, b []byte, lineNo, off int, when time.Time) bool {
	s.r.reset()
	s.r.when = when
	if !xmlLine(b, s.names, &s.r) || !s.r.isRecord() {
		return false
	}
	t.add(&s.r, lineNo, off, 1)
	return true
}

// exportShape reads CloudWatch Logs S3 exports: each line is a timestamp
// (ISO-8601, or epoch milliseconds in some tools' output), a space and
// the message.
type exportShape struct {
	inner lineShape
}

func (s *exportShape) name() string { return ShapeCWExport }

var exportPrefix = regexp.MustCompile(`^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?|\d{13}) `)

func (s *exportShape) line(t *tally, b []byte, lineNo, off int, _ time.Time) bool {
	sp := bytes.IndexByte(b, ' ')
	if sp < 0 {
		return false
	}
	var when time.Time
	if ts := b[:sp]; len(ts) == 13 && ts[0] != '-' {
		n, ok := number(ts)
		if !ok {
			return false
		}
		when = time.UnixMilli(n).UTC()
	} else {
		var err error
		if when, err = time.Parse(time.RFC3339Nano, string(ts)); err != nil {
			return false
		}
	}
	return s.inner.line(t, b[sp+1:], lineNo, off+sp+1, when)
}

// formats is what the user's --log-format makes of detection.
type formats struct {
	user      *lineFormat // a CLF/CSV-like format, nil otherwise
	userNames map[string]field
	userKind  byte // '{' JSON, '<' XML, 't' text, 0 none
	examples  []*lineFormat
}

func newFormats(format string) (*formats, error) {
	fs := &formats{}
	for _, ex := range exampleFormats {
		lf, err := compileFormat(ex.name, ex.format)
		if err != nil {
			panic(err) // our own constant
		}
		fs.examples = append(fs.examples, lf)
	}
	format = strings.TrimSpace(format)
	switch {
	case format == "":
		return fs, nil
	case format[0] == '{':
		fs.userKind = '{'
		fs.userNames = formatNames(format)
	case format[0] == '<':
		fs.userKind = '<'
		fs.userNames = formatNames(format)
	default:
		name := "CLF lines (--log-format)"
		if strings.Count(format, ",") > strings.Count(format, " ") {
			name = "CSV lines (--log-format)"
		}
		lf, err := compileFormat(name, format)
		if err != nil {
			return fs, fmt.Errorf("--log-format: %w", err)
		}
		fs.user, fs.userKind = lf, 't'
	}
	return fs, nil
}

// lineShapeFor picks how to read lines like first (a line or a message).
func (fs *formats) lineShapeFor(first []byte) lineShape {
	first = bytes.TrimSpace(first)
	switch {
	case len(first) > 0 && first[0] == '{':
		return &jsonShape{j: jsonReader{names: fs.userNames}}
	case len(first) > 0 && first[0] == '<':
		return &xmlShape{names: fs.userNames}
	case fs.user != nil:
		return &textShape{f: fs.user}
	}
	for _, lf := range fs.examples {
		var r record
		if lf.match(first, &r) && plausible(&r) {
			return &textShape{f: lf}
		}
	}
	return nil
}

// plausible reports whether a line read through one of AWS's example
// formats holds what that format puts there. The formats' free-text
// fields match almost anything, so a line of another layout can fit one
// with every value in the wrong place; a status that is no status, a
// method that is no method or a path that is no path gives it away, and
// the user is asked for --log-format instead of being shown nonsense.
func plausible(r *record) bool {
	if s, ok := number(r.get(fStatus)); !ok || s < 100 || s > 599 {
		return false
	}
	if m := r.get(fMethod); !absent(m) && !httpMethod(m) {
		return false
	}
	for _, f := range [...]field{fResourcePath, fPath} {
		if p := r.get(f); !absent(p) && p[0] != '/' {
			return false
		}
	}
	if rk := r.get(fRouteKey); !absent(rk) && rk[0] != '$' {
		m, p, ok := bytes.Cut(rk, []byte(" "))
		if !ok || !httpMethod(m) || len(p) == 0 || p[0] != '/' {
			return false
		}
	}
	return true
}

func httpMethod(m []byte) bool {
	switch strings.ToUpper(string(m)) {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY", "CONNECT", "TRACE":
		return true
	}
	return false
}

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
	// lines reads line shapes; nil for other kinds.
	lines lineShape
	// table is ',' for CSV, '|' for Markdown (Insights).
	table byte
	// pretty is set when JSON records span lines (a pretty-printed file);
	// runTogether when records follow each other on a line.
	pretty, runTogether bool
}

// name is the shape as --verbose says it: an export also names the shape
// of its messages.
func (d detected) name() string {
	if es, ok := d.lines.(*exportShape); ok {
		return d.shape + " of " + es.inner.name()
	}
	return d.shape
}

// detect decides an input's shape from its first bytes (decompressed).
func (fs *formats) detect(head []byte) (detected, error) {
	head = bytes.TrimPrefix(head, bom)
	var first []byte
	rest := head
	for len(rest) > 0 && len(bytes.TrimSpace(first)) == 0 {
		first, rest, _ = bytes.Cut(rest, []byte("\n"))
	}
	first = bytes.TrimSpace(first)
	if len(first) == 0 {
		return detected{kind: kindLines, shape: ShapeEmpty, lines: &jsonShape{j: jsonReader{names: fs.userNames}}}, nil
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
			return detected{}, fmt.Errorf("a JSON array, not access-log records")
		}
		d := detected{kind: kindLines, shape: ShapeJSON, lines: &jsonShape{j: jsonReader{names: fs.userNames}}}
		d.pretty = bytes.Equal(first, []byte("{"))
		if d.runTogether = runTogether(head); d.runTogether {
			d.shape = ShapeFirehoseDirect
		}
		return d, nil
	case '|':
		return detected{kind: kindInsights, shape: ShapeInsightsTable, table: '|'}, nil
	}
	if m := exportPrefix.Find(first); m != nil {
		inner := fs.lineShapeFor(first[len(m):])
		if inner == nil {
			return detected{}, fmt.Errorf("a CloudWatch Logs export whose messages are in no format known: give the stage's format with --log-format")
		}
		return detected{kind: kindLines, shape: ShapeCWExport, lines: &exportShape{inner: inner}}, nil
	}
	if insightsHeader(first) {
		return detected{kind: kindInsights, shape: ShapeInsightsCSV, table: ','}, nil
	}
	if ls := fs.lineShapeFor(first); ls != nil {
		return detected{kind: kindLines, shape: ls.name(), lines: ls}, nil
	}
	return detected{}, errNotLog
}

// errNotLog is what detect says of content in no shape it knows. In a
// directory walked for logs such a file (a README, say) is skipped; named
// on the command line it is an error.
var errNotLog = errors.New("not an access log in a format gatelint knows: give the stage's format with --log-format")

// runTogether reports whether the first JSON record of b is followed by
// another on the same line.
func runTogether(b []byte) bool {
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		b = b[:nl]
	}
	var j jsonReader
	var r record
	end, err := j.object(b, skipSpace(b, 0), &r)
	if err != nil {
		return false
	}
	end = skipSpace(b, end)
	return end < len(b) && b[end] == '{'
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
// @message), an aggregation, or an access-log variable.
func insightsHeader(line []byte) bool {
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
		if strings.HasPrefix(c, "@") || strings.Contains(c, "(") || lookupField([]byte(c)) != fNone {
			known = true
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
