package accesslog

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/source/logs"
)

// ShapeXML names XML-rendered lines.
const ShapeXML = "XML lines"

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

func (s *jsonShape) name() string { return logs.JSONLines }

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

// lineShapeFor picks how to read lines like first (a line or a message);
// nil when first is not an access-log record gatelint can read.
func (fs *formats) lineShapeFor(first []byte) lineShape {
	first = bytes.TrimSpace(first)
	switch {
	case len(first) > 0 && first[0] == '{':
		return &jsonShape{j: jsonReader{names: fs.userNames}}
	case len(first) > 0 && first[0] == '<':
		return &xmlShape{names: fs.userNames}
	case fs.user != nil:
		return &textShape{f: fs.user}
	case logs.Foreign(first) != "":
		// A web server's or load balancer's log: its 504s are not API
		// Gateway's, whatever example format the line happens to fit.
		return nil
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
