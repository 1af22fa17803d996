package accesslog

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"sync/atomic"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/logs"
)

// Options control a scan.
type Options struct {
	// Stdin is read for the input "-".
	Stdin io.Reader
	// Format is the stage's $context format string (--log-format): it maps
	// a JSON or XML format's keys to variables and fixes the field order of
	// CLF and CSV lines. Empty: keys by their names, AWS's example formats.
	Format string
	// Progress receives a progress bar when it is a terminal and the
	// input is large; nil for none.
	Progress io.Writer
	// OnSource is told about each input once it has been read.
	OnSource func(*model.LogSource)
	// OnSkip, when set, is told of each file found in a directory that is
	// not an access log (and so is skipped, not an error).
	OnSkip func(path, why string)
	// ChunkSize splits large plain files (0: the container's default).
	ChunkSize int64
}

// Result is what the logs said.
type Result struct {
	// Observations are per endpoint, merged over all inputs, sorted by
	// path, method, API, stage and log group.
	Observations []*model.Observation
	// Sources are the inputs read, in the order given.
	Sources []*model.LogSource
	Errors  []finding.InputError
}

// Scan reads every input as access logs.
func Scan(ctx context.Context, inputs []string, opt Options) Result {
	var res Result
	k, err := NewKind(opt.Format, opt.OnSource)
	if err != nil {
		res.Errors = append(res.Errors, finding.InputError{File: "--log-format", Message: err.Error()})
	}
	lr := logs.Scan(ctx, inputs, logs.Options{Kinds: []logs.Kind{k}, Stdin: opt.Stdin, Progress: opt.Progress,
		Status: k.Status, OnSkip: opt.OnSkip, ChunkSize: opt.ChunkSize})
	res.Errors = append(res.Errors, lr.Errors...)
	res.Observations, res.Sources = k.Result()
	return res
}

// Kind is the access-log kind of record, for the log container. It keeps
// what it read of every input of a scan.
type Kind struct {
	fmts     *formats
	onSource func(*model.LogSource)
	merged   endpoints
	sources  []*model.LogSource
	timeouts atomic.Int64
}

// NewKind reads access logs of the stage's format (--log-format; empty
// when not given). A format that cannot be read is an error, and the
// kind still reads logs by their keys and AWS's example formats.
func NewKind(format string, onSource func(*model.LogSource)) (*Kind, error) {
	fmts, err := newFormats(format)
	return &Kind{fmts: fmts, onSource: onSource, merged: newEndpoints()}, err
}

// Name is the kind, as messages say it.
func (k *Kind) Name() string { return "access log" }

// Hint says how to make an unreadable access log readable.
func (k *Kind) Hint() string { return "give the stage's format with --log-format" }

// Open returns the reader of records like first, or nil when first is
// not an access-log record gatelint can read. An empty input is read as
// JSON lines, of which it has none.
func (k *Kind) Open(file string, first []byte) logs.Records {
	if len(bytes.TrimSpace(first)) == 0 {
		return newTally(file, &jsonShape{j: jsonReader{names: k.fmts.userNames}}, &k.timeouts)
	}
	ls := k.fmts.lineShapeFor(first)
	if ls == nil {
		return nil
	}
	return newTally(file, ls, &k.timeouts)
}

// Column reports whether an Insights column names an access-log field.
func (k *Kind) Column(name string) bool { return lookupField([]byte(name)) != fNone }

// OpenTable returns the reader of Insights rows.
func (k *Kind) OpenTable(file string, _ []string) logs.Records {
	t := newTally(file, nil, &k.timeouts)
	t.names = k.fmts.userNames
	return t
}

// Status is what the progress bar says of the timeouts so far.
func (k *Kind) Status() string { return fmt.Sprintf(", %d timeouts so far", k.timeouts.Load()) }

// Done keeps what an input said: its source, and its observations merged
// into those of the inputs before.
func (k *Kind) Done(in *logs.Input) {
	t := in.Records.(*tally)
	src := &model.LogSource{File: in.File, Shape: in.Shape, Gzip: in.Gzip, Query: in.Query, Bytes: in.Bytes,
		Records: t.records, Malformed: in.Malformed, MalformedLines: in.MalformedLines, Fields: t.fields,
		LogGroups: in.Groups, Loc: t.first}
	k.sources = append(k.sources, src)
	if k.onSource != nil {
		k.onSource(src)
	}
	for _, o := range t.eps.order {
		o.Sources = []string{in.File}
		k.merged.merge(o)
	}
}

// Result is every observation and source read, observations sorted by
// path, method, API, stage and log group.
func (k *Kind) Result() ([]*model.Observation, []*model.LogSource) {
	obs := slices.Clone(k.merged.order)
	slices.SortStableFunc(obs, func(a, b *model.Observation) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Method, b.Method),
			cmp.Compare(a.APIID, b.APIID), cmp.Compare(a.Stage, b.Stage), cmp.Compare(a.LogGroup, b.LogGroup))
	})
	return obs, k.sources
}
