package accesslog

import (
	"bytes"
	"encoding/json"
	"errors"
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

// readEnvelopes reads concatenated JSON documents, each a page of
// filter-log-events output or a subscription filter's record, and hands
// each DATA_MESSAGE's events to the line shape the first message needs.
func readEnvelopes(r io.Reader, fs *formats, t *tally) error {
	lc := &lineCounter{r: r}
	dec := json.NewDecoder(lc)
	var shape lineShape
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return envelopeError(lc, dec, err)
		}
		if d, ok := tok.(json.Delim); !ok || d != '{' {
			return &lineError{lc.lineAt(dec.InputOffset()), errors.New("expected a JSON object")}
		}
		var group, msgType string
		var events []logEvent
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return envelopeError(lc, dec, err)
			}
			key, _ := tok.(string)
			switch key {
			case "logGroup", "logGroupName":
				err = dec.Decode(&group)
			case "messageType":
				err = dec.Decode(&msgType)
			case "events", "logEvents":
				events, err = readEvents(dec, lc, events[:0])
			default:
				var skip json.RawMessage
				err = dec.Decode(&skip)
			}
			if err != nil {
				return envelopeError(lc, dec, err)
			}
		}
		if _, err := dec.Token(); err != nil {
			return envelopeError(lc, dec, err)
		}
		if msgType == "CONTROL_MESSAGE" {
			continue
		}
		if group != "" {
			t.setGroup(group)
		}
		for _, ev := range events {
			msg := []byte(ev.Message)
			if shape == nil {
				if shape = fs.lineShapeFor(msg); shape == nil {
					t.malformed(ev.line)
					continue
				}
			}
			var when time.Time
			if ev.Timestamp > 0 {
				when = time.UnixMilli(ev.Timestamp).UTC()
			}
			// A message may end with the format's newline.
			if !shape.line(t, bytes.TrimRight(msg, "\r\n"), ev.line, int(ev.off), when) {
				t.malformed(ev.line)
			}
		}
		t.group = ""
	}
}

func readEvents(dec *json.Decoder, lc *lineCounter, events []logEvent) ([]logEvent, error) {
	tok, err := dec.Token()
	if err != nil {
		return events, err
	}
	if tok == nil {
		return events, nil // "events": null
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return events, errors.New("events is not a list")
	}
	for dec.More() {
		var ev logEvent
		// The decoder stands before the separator and spaces that precede
		// the event: skip them in what it has buffered.
		ev.off = dec.InputOffset() + leadingSeparators(dec.Buffered())
		if err := dec.Decode(&ev); err != nil {
			return events, err
		}
		ev.line = lc.lineAt(ev.off)
		events = append(events, ev)
	}
	_, err = dec.Token()
	return events, err
}

func envelopeError(lc *lineCounter, dec *json.Decoder, err error) error {
	return &lineError{lc.lineAt(dec.InputOffset()), err}
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
