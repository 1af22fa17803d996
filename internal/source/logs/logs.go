// Package logs is the container layer every log source reads through:
// whatever way a log reaches a user (plain lines, a CloudWatch Logs
// export to S3, filter-log-events or get-log-events output, a Firehose
// object of subscription-filter records, a Logs Insights export or
// get-query-results output), gzip-compressed or not, one file or a
// directory of them. It finds the inputs, decompresses them, splits large
// plain files into chunks read in parallel, detects the container by
// content, and hands each message (or Insights row) to the kind of log
// record that claims the input's first one. What a record means is the
// kind's business: access logs (package accesslog) and function logs
// (package functionlog) each implement Kind.
//
// Memory stays bounded whatever the size of an input: lines are read in
// blocks (one line at most is held whole, up to a limit), envelopes and
// query results one JSON value at a time.
package logs

import (
	"time"

	"github.com/gatelint/gatelint/internal/loc"
)

// Kind is one kind of log record. A Kind is given to Scan for the run;
// it may keep what it read of every input (Done).
type Kind interface {
	// Name is the kind as messages say it: "access log".
	Name() string
	// Hint says how to make an unreadable input readable: "give the
	// stage's format with --log-format".
	Hint() string
	// Open returns the reader of an input (or of one chunk of a large
	// one) whose first message is first, or nil when first is not a record
	// of this kind. It is called once for each input and chunk.
	Open(file string, first []byte) Records
	// Column reports whether a Logs Insights column of this name is one of
	// the kind's fields.
	Column(name string) bool
	// OpenTable returns the reader of Logs Insights rows with these
	// columns (for get-query-results, whose rows name their own, the
	// first row's), or nil when they are not this kind's.
	OpenTable(file string, columns []string) Records
	// Done is told of each input once it has been read, in input order.
	Done(in *Input)
}

// GroupOpener is a Kind that claims the messages of an envelope by the
// log group it names, whatever the first message (a Lambda function's
// log may open with any application output).
type GroupOpener interface {
	// GroupOpen returns the reader of an input whose envelope names this
	// log group, or nil when the group is not the kind's.
	GroupOpen(file, group string) Records
}

// Continued is Records whose messages may span lines: in a CloudWatch
// Logs export, a line without the timestamp prefix continues the message
// before it rather than being malformed.
type Continued interface {
	// Continuation reads such a line; false when it is malformed after all.
	Continuation(b []byte, at At) bool
}

// Records reads the records of one input, or of one chunk of it.
type Records interface {
	// Format names the records' format, as --verbose says it ("JSON
	// lines", "CLF lines").
	Format() string
	// Message reads one line, or one message of an envelope; false when it
	// holds no record.
	Message(b []byte, at At) bool
	// Row reads one Logs Insights row: cells[i] is the value of column
	// names[i]. False when it holds no record.
	Row(names []string, cells [][]byte, at At) bool
	// Group sets the log group the messages that follow were written to
	// ("" when not known).
	Group(name string)
	// Count is how many records were read.
	Count() int64
	// RanTogether reports whether records followed each other on a line.
	RanTogether() bool
	// Shift moves the chunk's line numbers and offsets by the lines and
	// bytes that precede it in its input.
	Shift(lines, offset int)
	// Merge adds a later chunk of the same input, already shifted.
	Merge(later Records)
}

// At is where a message stands in its input (lines 1-based, offsets in
// the decompressed stream), with the time the container gave it (an
// export's prefix, an event's timestamp), zero when none.
type At struct {
	Line, Offset int
	When         time.Time
}

// Range is a one-point range at a in file, where findings about a record
// point.
func (a At) Range(file string) loc.Range {
	p := loc.Pos{Line: a.Line, Column: 1, Offset: a.Offset}
	return loc.Range{File: file, Start: p, End: p}
}

// Input is what was read of one input.
type Input struct {
	File string
	// Shape is the container with the records' format: "JSON lines",
	// "CloudWatch Logs export of CLF lines", "filter-log-events output".
	Shape string
	Gzip  bool
	// Query is true for the results of a Logs Insights query: what they
	// show is decided by the query's grouping.
	Query bool
	// Bytes is the size read (compressed, for gzip).
	Bytes int64
	// Malformed counts messages that held no record; MalformedLines are
	// the first few line numbers.
	Malformed      int64
	MalformedLines []int
	// Groups are the log groups envelopes named.
	Groups []string
	// Records are the kind's records of the whole input.
	Records Records
}
