package logs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"
)

// lineCounter counts newlines as a decoder reads, so a value's offset
// can be turned into its line. It keeps only the newlines not yet asked
// about.
type lineCounter struct {
	r    io.Reader
	off  int64
	nl   []int64
	past int // newlines before nl[0]
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	b := p[:n]
	for at := 0; ; {
		i := bytes.IndexByte(b[at:], '\n')
		if i < 0 {
			break
		}
		c.nl = append(c.nl, c.off+int64(at+i))
		at += i + 1
	}
	c.off += int64(n)
	return n, err
}

// lineAt returns the 1-based line of offset off; offsets must not go
// backwards between calls.
func (c *lineCounter) lineAt(off int64) int {
	k := sort.Search(len(c.nl), func(i int) bool { return c.nl[i] >= off })
	c.past += k
	c.nl = c.nl[k:]
	return c.past + 1
}

// logEvent is one event of filter-log-events output or of a subscription
// filter's record.
type logEvent struct {
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message"`
	line      int
	off       int64
}

// jsonDocuments walks concatenated JSON objects (pages of CLI output,
// subscription-filter records) one value at a time, so memory holds one
// page, with the line of each value for findings to point at.
type jsonDocuments struct {
	lc  *lineCounter
	dec *json.Decoder
}

func newJSONDocuments(r io.Reader) *jsonDocuments {
	lc := &lineCounter{r: r}
	return &jsonDocuments{lc: lc, dec: json.NewDecoder(lc)}
}

// each calls member with every key of every top-level object (member
// reads the value), and end after each object.
func (d *jsonDocuments) each(member func(key string) error, end func()) error {
	for {
		tok, err := d.dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return d.fail(err)
		}
		if delim, ok := tok.(json.Delim); !ok || delim != '{' {
			return d.fail(errors.New("expected a JSON object"))
		}
		for d.dec.More() {
			tok, err := d.dec.Token()
			if err != nil {
				return d.fail(err)
			}
			key, _ := tok.(string)
			if err := member(key); err != nil {
				return d.fail(err)
			}
		}
		if _, err := d.dec.Token(); err != nil {
			return d.fail(err)
		}
		end()
	}
}

// skip reads a value nobody needs.
func (d *jsonDocuments) skip() error {
	var raw json.RawMessage
	return d.dec.Decode(&raw)
}

// list calls item for each element of the list that comes next (null is
// an empty list), with the element's offset and line; item decodes it.
func (d *jsonDocuments) list(name string, item func(off int64, line int) error) error {
	tok, err := d.dec.Token()
	if err != nil || tok == nil {
		return err
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '[' {
		return fmt.Errorf("%s is not a list", name)
	}
	for d.dec.More() {
		// The decoder stands before the separator and spaces that precede
		// the element: skip them in what it has buffered.
		off := d.dec.InputOffset() + leadingSeparators(d.dec.Buffered())
		if err := item(off, d.lc.lineAt(off)); err != nil {
			return err
		}
	}
	_, err = d.dec.Token()
	return err
}

func (d *jsonDocuments) fail(err error) error {
	if _, ok := err.(*lineError); ok {
		return err
	}
	return &lineError{d.lc.lineAt(d.dec.InputOffset()), err}
}

// readEnvelopes reads filter-log-events pages or subscription-filter
// records and hands each DATA_MESSAGE's events to the kind the first
// message chose.
func readEnvelopes(r io.Reader, p *piece) error {
	docs := newJSONDocuments(r)
	var group, msgType string
	var events []logEvent
	member := func(key string) error {
		switch key {
		case "logGroup", "logGroupName":
			return docs.dec.Decode(&group)
		case "messageType":
			return docs.dec.Decode(&msgType)
		case "events", "logEvents":
			return docs.list(key, func(off int64, line int) error {
				ev := logEvent{off: off, line: line}
				err := docs.dec.Decode(&ev)
				events = append(events, ev)
				return err
			})
		}
		return docs.skip()
	}
	end := func() {
		defer func() { group, msgType, events = "", "", events[:0]; p.setGroup("") }()
		if msgType == "CONTROL_MESSAGE" {
			return
		}
		if group != "" {
			p.setGroup(group)
		}
		for _, ev := range events {
			var when time.Time
			if ev.Timestamp > 0 {
				when = time.UnixMilli(ev.Timestamp).UTC()
			}
			// A message may end with the format's newline.
			p.message(bytes.TrimRight([]byte(ev.Message), "\r\n"), At{Line: ev.line, Offset: int(ev.off), When: when})
		}
	}
	return docs.each(member, end)
}

// leadingSeparators counts the commas and spaces at the start of r.
func leadingSeparators(r io.Reader) int64 {
	var n int64
	var b [1]byte
	for {
		if _, err := r.Read(b[:]); err != nil || (b[0] != ',' && !isSpace(b[0])) {
			return n
		}
		n++
	}
}
