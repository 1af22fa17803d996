package logs

import (
	"bytes"
	"context"
	"errors"
	"io"
)

const (
	blockSize = 1 << 20
	// maxLine bounds one line (or one pretty-printed record) in memory;
	// longer lines are counted malformed and skipped.
	maxLine = 256 << 20
)

var errLineTooLong = errors.New("line longer than 256 MB")

// lineReader hands out lines of a stream without copying them: a line is
// valid until the next call. Memory is one block plus the longest line.
type lineReader struct {
	ctx  context.Context
	r    io.Reader
	buf  []byte
	n    int   // valid bytes in buf
	s, e int   // current span buf[s:e], without its newline
	next int   // where the line after the span starts
	base int64 // stream offset of buf[0]
	err  error
	// lineNo is the 1-based number of the span's first line; spanLines how
	// many lines it covers.
	lineNo, spanLines int
	// nl is set when the span ended at a newline (so it may be extended).
	nl bool
	// long is set when a line was too long and skipped (its number is
	// lineNo).
	long bool
	// records splits JSON records that run together on one line (API
	// Gateway → Firehose writes no newline unless the format ends in one),
	// so a whole Firehose object is never one line in memory. ran is set
	// once a span ended at a closing brace rather than a newline.
	records, ran bool
	started      bool
}

func newLineReader(ctx context.Context, r io.Reader) *lineReader {
	return &lineReader{ctx: ctx, r: r, buf: make([]byte, blockSize)}
}

// span is the current line or lines.
func (l *lineReader) span() []byte { return l.buf[l.s:l.e] }

// offset is the stream offset of the span.
func (l *lineReader) offset() int64 { return l.base + int64(l.s) }

// fill reads more data, keeping buf[keep:n]; false when nothing more can
// be read.
func (l *lineReader) fill(keep int) bool {
	if l.err != nil {
		return false
	}
	if err := l.ctx.Err(); err != nil {
		l.err = err
		return false
	}
	if keep > 0 {
		copy(l.buf, l.buf[keep:l.n])
		l.n -= keep
		l.s -= keep
		l.e -= keep
		l.next -= keep
		l.base += int64(keep)
	}
	if l.n == len(l.buf) {
		if len(l.buf) >= maxLine {
			l.err = errLineTooLong
			return false
		}
		grown := make([]byte, 2*len(l.buf))
		copy(grown, l.buf[:l.n])
		l.buf = grown
	}
	m, err := l.r.Read(l.buf[l.n:])
	l.n += m
	if err != nil {
		l.err = err
	}
	return m > 0 || err == nil
}

// lineEnd finds the newline at or after from, reading more as needed and
// keeping everything from l.s. It returns -1 when the data ended first
// (the span then runs to the end of the data).
func (l *lineReader) lineEnd(from int) int {
	for {
		if i := bytes.IndexByte(l.buf[from:l.n], '\n'); i >= 0 {
			return from + i
		}
		done := from - l.s
		if !l.fill(l.s) {
			return -1
		}
		from = l.s + done
	}
}

// scan moves to the next line; false at the end of the stream.
func (l *lineReader) scan() bool {
	if !l.started {
		l.lineNo, l.started = 1, true
	} else {
		l.lineNo += l.spanLines
	}
	l.s = l.next
	l.long = false
	if l.s >= l.n && !l.fill(l.s) && l.s >= l.n {
		return false
	}
	if l.records {
		return l.scanRecord()
	}
	end := l.lineEnd(l.s)
	if errors.Is(l.err, errLineTooLong) {
		return l.skipLong()
	}
	l.spanLines = 1
	l.nl = end >= 0
	if end < 0 {
		l.e, l.next = l.n, l.n
		return l.e > l.s
	}
	l.e, l.next = end, end+1
	if l.e > l.s && l.buf[l.e-1] == '\r' {
		l.e--
	}
	return true
}

// scanRecord ends the span at a newline outside any object, or just past
// the brace that closes a top-level object.
func (l *lineReader) scanRecord() bool {
	depth, inString, escape, inner := 0, false, false, 0
	i := l.s
	for {
		for ; i < l.n; i++ {
			c := l.buf[i]
			switch {
			case escape:
				escape = false
			case inString:
				switch c {
				case '\\':
					escape = true
				case '"':
					inString = false
				case '\n':
					inner++
				}
			case c == '"':
				inString = true
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
				if depth <= 0 && c == '}' {
					l.e, l.next, l.nl = i+1, i+1, false
					l.spanLines = inner
					l.ran = true
					return true
				}
			case c == '\n':
				if depth <= 0 {
					l.e, l.next, l.nl = i, i+1, true
					if l.e > l.s && l.buf[l.e-1] == '\r' {
						l.e--
					}
					l.spanLines = inner + 1
					return true
				}
				inner++
			}
		}
		done := i - l.s
		if !l.fill(l.s) {
			if errors.Is(l.err, errLineTooLong) {
				return l.skipLong()
			}
			l.e, l.next, l.nl = l.n, l.n, false
			l.spanLines = inner
			return l.e > l.s
		}
		i = l.s + done
	}
}

// skipLong discards the rest of a too-long line and reports it as an
// empty span with long set.
func (l *lineReader) skipLong() bool {
	l.err = nil
	l.buf = make([]byte, blockSize)
	l.base += int64(l.n)
	l.n, l.s, l.e, l.next = 0, 0, 0, 0
	for {
		if !l.fill(0) {
			break
		}
		if i := bytes.IndexByte(l.buf[:l.n], '\n'); i >= 0 {
			l.next = i + 1
			break
		}
		l.base += int64(l.n)
		l.n = 0
	}
	l.spanLines = 1
	l.nl = false
	l.long = true
	return true
}

// extend adds the next line to the span; false at the end of the stream.
func (l *lineReader) extend() bool {
	if !l.nl || l.long {
		return false
	}
	if l.next >= l.n && !l.fill(l.s) && l.next >= l.n {
		return false
	}
	end := l.lineEnd(l.next)
	if errors.Is(l.err, errLineTooLong) {
		return false
	}
	l.spanLines++
	l.nl = end >= 0
	if end < 0 {
		l.e, l.next = l.n, l.n
		return true
	}
	l.e, l.next = end, end+1
	return true
}

// failure is the read error that ended the stream, nil at a clean end.
func (l *lineReader) failure() error {
	if l.err == nil || l.err == io.EOF {
		return nil
	}
	return l.err
}
