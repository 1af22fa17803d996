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
	// dec, when set, is the decoder reading: one JSON value longer than
	// maxLine is refused, as a line that long is, rather than held.
	dec *json.Decoder
}

var errValueTooLong = errors.New("one JSON value longer than 256 MB")

func (c *lineCounter) Read(p []byte) (int, error) {
	if c.dec != nil && c.off-c.dec.InputOffset() > maxLine {
		return 0, errValueTooLong
	}
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
	lc.dec = json.NewDecoder(lc)
	return &jsonDocuments{lc: lc, dec: lc.dec}
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

// envelopeBuffer bounds the events of one subscription-filter record
// held while its messageType and logGroup are not yet known (AWS writes
// them first; a record written otherwise is read as its events come once
// this much is held).
const envelopeBuffer = 16 << 20

// readEnvelopes reads filter-log-events pages or subscription-filter
// records and hands each DATA_MESSAGE's events to the kind the first
// message chose. Events are handed on as they are decoded, so a page of
// any size is never held whole: filter-log-events pages have no group or
// type to wait for, and subscription records name theirs before their
// events.
func readEnvelopes(r io.Reader, p *piece) error {
	docs := newJSONDocuments(r)
	var group, msgType string
	var events []logEvent
	held := 0
	deliver := func(ev logEvent) {
		if msgType == "CONTROL_MESSAGE" {
			return
		}
		var when time.Time
		if ev.Timestamp > 0 {
			when = time.UnixMilli(ev.Timestamp).UTC()
		}
		// A message may end with the format's newline.
		p.message(bytes.TrimRight([]byte(ev.Message), "\r\n"), At{Line: ev.line, Offset: int(ev.off), When: when})
	}
	told := false // the records were told the group
	flush := func() {
		if group != "" && !told {
			p.setGroup(group)
			told = true
		}
		for _, ev := range events {
			deliver(ev)
		}
		events, held = events[:0], 0
	}
	member := func(key string) error {
		switch key {
		case "logGroup", "logGroupName":
			return docs.dec.Decode(&group)
		case "messageType":
			return docs.dec.Decode(&msgType)
		case "events", "logEvents":
			// filter-log-events output has neither a group nor a type;
			// a subscription record that named its type has named its
			// group too.
			now := key == "events" || msgType != ""
			if now {
				flush()
			}
			return docs.list(key, func(off int64, line int) error {
				ev := logEvent{off: off, line: line}
				if err := docs.dec.Decode(&ev); err != nil {
					return err
				}
				if now {
					deliver(ev)
					return nil
				}
				events = append(events, ev)
				if held += len(ev.Message); held > envelopeBuffer {
					flush()
				}
				return nil
			})
		}
		return docs.skip()
	}
	end := func() {
		if len(events) > 0 {
			flush()
		}
		group, msgType, told = "", "", false
		p.setGroup("")
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
