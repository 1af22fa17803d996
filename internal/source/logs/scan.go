package logs

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/parallel"
)

// Options control a scan.
type Options struct {
	// Kinds are the kinds of record an input may hold, in the order they
	// are asked.
	Kinds []Kind
	// Stdin is read for the input "-".
	Stdin io.Reader
	// Progress receives a progress bar when it is a terminal and the
	// input is large; nil for none. Status, when set, adds what the kinds
	// found so far (", 12 timeouts so far").
	Progress io.Writer
	Status   func() string
	// OnSkip, when set, is told of each file found in a directory that is
	// not a log (and so is skipped, not an error).
	OnSkip func(path, why string)
	// ChunkSize is how much of a large plain file one worker reads at a
	// time; 0 is 32 MB (tests split small files).
	ChunkSize int64
}

// Result is what the scan could not read; what it read went to the
// kinds' Done.
type Result struct {
	Errors []finding.InputError
}

// headSize is how much of an input detection looks at.
const headSize = 64 << 10

// input is one file (or standard input) to read.
type input struct {
	path  string
	stdin bool
	// walked inputs were found in a directory, not named: one that is not
	// a log is skipped, not an error.
	walked bool
}

// job is a piece of work: a whole input, or a chunk of a plain file.
type job struct {
	in         int    // index in inputs
	start, end int64  // chunk bounds; end < 0: the whole input as a stream
	head       []byte // the file's start, for chunks: what detection saw
}

type jobResult struct {
	start int64
	p     *piece
	shape string
	gzip  bool
	err   *finding.InputError
}

// Scan reads every input. Bad input costs at most its own file: errors
// name it and the scan goes on.
func Scan(ctx context.Context, inputs []string, opt Options) Result {
	var res Result
	if opt.ChunkSize <= 0 {
		opt.ChunkSize = 32 << 20
	}
	ins, errs := expand(inputs)
	res.Errors = append(res.Errors, errs...)

	prog := newProgress(opt.Progress, ins, opt.Status)
	defer prog.stop()

	// Plan: plain files big enough are split at newlines into chunks that
	// workers read in parallel; everything else is one job.
	var jobs []job
	results := make([][]jobResult, len(ins))
	for i, in := range ins {
		js, err := plan(i, in, opt)
		if err != nil {
			results[i] = []jobResult{{err: err}}
			continue
		}
		jobs = append(jobs, js...)
	}
	// The pieces of an input are folded into its first as soon as those
	// before them are: workers take jobs in order, so a few pieces are
	// held at once however many a large file has, and memory stays flat
	// in its size.
	folds := make([]*folder, len(ins))
	for i := range ins {
		folds[i] = &folder{}
	}
	for k, j := range jobs {
		folds[j.in].jobs = append(folds[j.in].jobs, k)
	}
	parallel.Each(len(jobs), func(k int) { folds[jobs[k].in].add(k, run(ctx, jobs[k], ins[jobs[k].in], opt, prog)) })
	for i, f := range folds {
		if len(f.jobs) > 0 {
			results[i] = f.result()
		}
	}

	for i, in := range ins {
		read, kind, errs := assemble(in.path, results[i], opt.Kinds)
		if in.walked && read == nil && notALog(errs, opt.Kinds) {
			if opt.OnSkip != nil {
				why := "not " + article(kindNames(opt.Kinds))
				if m := errs[0].Message; strings.Contains(m, notAPIGateway) {
					why = m[:strings.Index(m, notAPIGateway)]
				}
				opt.OnSkip(in.path, "skipped: "+why)
			}
			continue
		}
		res.Errors = append(res.Errors, errs...)
		if read != nil {
			kind.Done(read)
		}
	}
	return res
}

// noRecord starts the error of an input of which no line read as a
// record.
func noRecord(kinds []Kind) string {
	return "no line reads as " + article(kindNames(kinds)) + " record"
}

// notALog reports whether an input's only error says it is not a log at
// all (no known shape, or not one record read), rather than that it could
// not be read.
func notALog(errs []finding.InputError, kinds []Kind) bool {
	return len(errs) == 1 && (errs[0].Message == errNotLog(kinds).Error() || strings.HasPrefix(errs[0].Message, noRecord(kinds)) ||
		strings.Contains(errs[0].Message, notAPIGateway))
}

// folder folds the pieces of one input, in input order, as they finish.
type folder struct {
	mu   sync.Mutex
	jobs []int             // the input's jobs, in order
	done map[int]jobResult // finished, waiting for those before
	next int               // index in jobs of the next piece to fold
	acc  jobResult         // the pieces folded so far
	errs []*finding.InputError
	// lines is how many lines the pieces folded so far held.
	lines int
}

// add takes job k's result and folds every piece now in order.
func (f *folder) add(k int, r jobResult) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done == nil {
		f.done = map[int]jobResult{}
	}
	f.done[k] = r
	for f.next < len(f.jobs) {
		r, ok := f.done[f.jobs[f.next]]
		if !ok {
			return
		}
		delete(f.done, f.jobs[f.next])
		f.fold(r)
		f.next++
	}
}

// fold adds one piece, the next in order.
func (f *folder) fold(r jobResult) {
	if r.err != nil {
		f.errs = append(f.errs, r.err)
	}
	if r.p == nil {
		return
	}
	if f.acc.p == nil {
		f.acc = jobResult{start: r.start, p: r.p, shape: r.shape, gzip: r.gzip}
	} else {
		r.p.shift(f.lines, int(r.start))
		f.acc.p.merge(r.p)
	}
	f.lines += r.p.lines
}

// result is what assemble reads: the folded piece, then each error.
func (f *folder) result() []jobResult {
	var rs []jobResult
	if f.acc.p != nil {
		rs = append(rs, f.acc)
	}
	for _, e := range f.errs {
		rs = append(rs, jobResult{err: e})
	}
	return rs
}

// assemble merges an input's pieces, in order, into what was read of it.
func assemble(path string, rs []jobResult, kinds []Kind) (*Input, Kind, []finding.InputError) {
	var errs []finding.InputError
	var p *piece
	var in *Input
	lines, offset := 0, 0
	for k, r := range rs {
		if r.err != nil {
			errs = append(errs, *r.err)
		}
		if r.p == nil {
			continue
		}
		if p == nil {
			p = r.p
			in = &Input{File: path, Shape: r.shape, Gzip: r.gzip}
		} else {
			r.p.shift(lines, offset)
			p.merge(r.p)
		}
		lines += r.p.lines
		if k+1 < len(rs) {
			offset = int(rs[k+1].start)
		}
	}
	if p == nil {
		return nil, nil, errs
	}
	if p.rec == nil || p.rec.Count() == 0 {
		if p.bad == 0 && p.rec != nil {
			// An empty input: read, with nothing in it.
			return p.input(in), p.kind, errs
		}
		// Nothing read as a record: this is not a log in a shape gatelint
		// knows (a saved HTTP response, say), and saying "no findings"
		// would hide that.
		e := finding.InputError{File: path, Message: fmt.Sprintf(
			noRecord(kinds)+" (%d malformed, read as %s): lines cut short, or a format gatelint cannot tell; %s", p.bad, in.Shape, hint(kinds))}
		if len(p.badLines) > 0 {
			e.Line = p.badLines[0]
		}
		return nil, nil, append(errs, e)
	}
	if (p.ran || p.rec.RanTogether()) && in.Shape == JSONLines {
		in.Shape = ShapeFirehoseDirect
	}
	in.Query = in.Shape == ShapeInsightsCSV || in.Shape == ShapeInsightsTable || in.Shape == ShapeQueryResults
	return p.input(in), p.kind, errs
}

// expand turns the inputs into files: "-" is standard input, directories
// are walked (hidden entries skipped), globs expanded, in a stable order.
func expand(inputs []string) ([]input, []finding.InputError) {
	var ins []input
	var errs []finding.InputError
	seen := map[string]bool{}
	add := func(p string, walked bool) {
		if !seen[p] {
			seen[p] = true
			ins = append(ins, input{path: p, walked: walked})
		}
	}
	for _, p := range inputs {
		if p == "-" {
			if !seen[p] {
				seen[p] = true
				ins = append(ins, input{path: p, stdin: true})
			}
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			if strings.ContainsAny(p, "*?[") {
				matches, gerr := filepath.Glob(p)
				if gerr == nil && len(matches) > 0 {
					for _, m := range matches {
						if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() {
							add(m, false)
						}
					}
					continue
				}
				errs = append(errs, finding.InputError{File: p, Message: "no file matches this pattern"})
				continue
			}
			errs = append(errs, finding.InputError{File: p, Message: finding.PathMessage(err)})
			continue
		}
		if !info.IsDir() {
			add(p, false)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, finding.InputError{File: path, Message: finding.PathMessage(err)})
				return nil
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				add(path, path != p)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, finding.InputError{File: p, Message: finding.PathMessage(err)})
		}
	}
	return ins, errs
}

// plan sniffs a file and splits it into jobs.
func plan(i int, in input, opt Options) ([]job, *finding.InputError) {
	if in.stdin {
		return []job{{in: i, end: -1}}, nil
	}
	f, err := os.Open(in.path)
	if err != nil {
		return nil, &finding.InputError{File: in.path, Message: finding.PathMessage(err)}
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, &finding.InputError{File: in.path, Message: finding.PathMessage(err)}
	}
	head := make([]byte, headSize)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return nil, &finding.InputError{File: in.path, Message: finding.PathMessage(err)}
	}
	head = head[:n]
	size, chunk := info.Size(), opt.ChunkSize
	if isGzip(head) || size <= 2*chunk {
		return []job{{in: i, end: -1}}, nil
	}
	det, derr := detect(head, opt.Kinds)
	if derr != nil || det.kind != kindLines || det.pretty || det.runTogether {
		return []job{{in: i, end: -1}}, nil
	}
	var jobs []job
	start := int64(0)
	buf := make([]byte, 64<<10)
	for start < size {
		end := start + chunk
		if end >= size-chunk/2 {
			end = size
		} else {
			// Move the cut to just past the next newline.
			for {
				m, err := f.ReadAt(buf, end)
				if k := bytes.IndexByte(buf[:m], '\n'); k >= 0 {
					end += int64(k) + 1
					break
				}
				end += int64(m)
				if err != nil || end >= size {
					end = size
					break
				}
			}
		}
		jobs = append(jobs, job{in: i, start: start, end: end, head: head})
		start = end
	}
	return jobs, nil
}

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// run reads one job. A panic (a bug of ours) costs the input, not the run.
func run(ctx context.Context, j job, in input, opt Options, prog *progress) (res jobResult) {
	res.start = j.start
	res.p = newPiece(in.path)
	defer func() {
		if p := recover(); p != nil {
			res = jobResult{err: &finding.InputError{File: in.path,
				Message: fmt.Sprintf("internal error while reading this log (please report it): %v", p)}}
		}
	}()
	var src io.Reader
	if in.stdin {
		stdin := opt.Stdin
		if stdin == nil {
			stdin = os.Stdin
		}
		src = stdin
	} else {
		f, err := os.Open(in.path)
		if err != nil {
			return jobResult{err: &finding.InputError{File: in.path, Message: finding.PathMessage(err)}}
		}
		defer f.Close()
		if j.end >= 0 {
			src = io.NewSectionReader(f, j.start, j.end-j.start)
		} else {
			src = f
		}
	}
	counted := &countingReader{r: src, n: &prog.done}
	if j.end >= 0 {
		// A chunk of a plain file already sniffed.
		det, _ := detect(j.head, opt.Kinds)
		res.err = read(ctx, counted, det, opt.Kinds, res.p, in.path)
		res.shape = det.name(res.p)
		res.p.bytes = counted.total
		return res
	}
	var ierr *finding.InputError
	res.shape, res.gzip, ierr = readStream(ctx, counted, opt.Kinds, res.p, in.path)
	if ierr != nil && res.shape == "" {
		res.p = nil // not read at all
	}
	res.err = ierr
	if res.p != nil {
		res.p.bytes = counted.total
	}
	return res
}

// readStream detects the shape of a whole input (decompressing it when
// it is gzip) and reads it into p. shape is empty when it could not be
// read at all.
func readStream(ctx context.Context, src io.Reader, kinds []Kind, p *piece, path string) (shape string, gz bool, _ *finding.InputError) {
	br := bufio.NewReaderSize(src, headSize)
	head, _ := br.Peek(headSize)
	var r io.Reader = br
	if isGzip(head) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return "", false, &finding.InputError{File: path, Message: "gzip: " + err.Error()}
		}
		ra := newReadAhead(zr)
		defer ra.close()
		gbr := bufio.NewReaderSize(ra, headSize)
		head, _ = gbr.Peek(headSize)
		r = gbr
		gz = true
	}
	det, err := detect(head, kinds)
	if err != nil {
		return "", gz, &finding.InputError{File: path, Message: err.Error()}
	}
	ierr := read(ctx, r, det, kinds, p, path)
	shape = det.name(p)
	if ierr != nil && gz && strings.HasSuffix(ierr.Message, io.ErrUnexpectedEOF.Error()) {
		ierr.Message = "the gzip data ends early (a truncated file?); the records before the cut were read"
	}
	return shape, gz, ierr
}

// read reads a stream of the detected shape into p.
func read(ctx context.Context, r io.Reader, d detected, kinds []Kind, p *piece, path string) *finding.InputError {
	var err error
	switch d.kind {
	case kindEnvelope:
		p.kinds = kinds
		err = readEnvelopes(r, p)
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("the JSON ends early (a truncated file?): %w", err)
		}
	case kindQueryResults:
		p.kinds = kinds
		err = readQueryResults(r, p)
	case kindInsights:
		p.kinds = kinds
		lr := newLineReader(ctx, r)
		readInsights(lr, d.table, p)
		err = lr.failure()
	default:
		p.open(d.opener, d.first)
		lr := newLineReader(ctx, r)
		readLines(lr, d, p)
		err = lr.failure()
	}
	if err == nil {
		return nil
	}
	ie := &finding.InputError{File: path, Message: err.Error()}
	if le, ok := errors.AsType[*lineError](err); ok {
		ie.Line, ie.Message = le.line, le.err.Error()
	}
	return ie
}

// readLines reads line shapes: one record per line, several when they run
// together, one over several lines when the file is pretty-printed.
func readLines(lr *lineReader, d detected, p *piece) {
	lr.records = d.runTogether
	for lr.scan() {
		if lr.long {
			p.malformed(lr.lineNo)
			continue
		}
		b := lr.span()
		if lr.offset() == 0 {
			b = bytes.TrimPrefix(b, bom)
		}
		if len(b) == 0 || (isSpace(b[0]) && len(bytes.TrimSpace(b)) == 0) {
			continue
		}
		if d.pretty && bytes.Equal(bytes.TrimSpace(b), []byte("{")) {
			// A pretty-printed record closes with a "}" at the start of
			// a line.
			for {
				mark := len(lr.span())
				if !lr.extend() {
					break
				}
				if last := lr.span()[mark:]; len(bytes.TrimSpace(last)) > 0 && bytes.TrimSpace(last)[0] == '}' && !isSpace(bytes.TrimLeft(last, "\r\n")[0]) {
					break
				}
			}
			b = lr.span()
		}
		at := At{Line: lr.lineNo, Offset: int(lr.offset())}
		if d.export {
			var ok bool
			var msg []byte
			if msg, at, ok = exportLine(b, at); !ok {
				if c, isC := p.rec.(Continued); !isC || !c.Continuation(b, at) {
					p.malformed(lr.lineNo)
				}
				continue
			}
			b = msg
		}
		if !p.rec.Message(b, at) {
			p.malformed(lr.lineNo)
		}
	}
	p.ran = p.ran || lr.ran
	p.lines = lr.lineNo - 1
}

// lineError is an error at a line of the input.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

// countingReader counts bytes read from the file, for LogSource.Bytes
// and the progress bar.
type countingReader struct {
	r     io.Reader
	n     *atomic.Int64
	total int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.total += int64(n)
	c.n.Add(int64(n))
	return n, err
}

// readAhead decompresses in its own goroutine, so a gzip input uses one
// core to inflate and the other to scan. Inflating is the bottleneck of a
// .gz log, so klauspost/compress's gzip (about a quarter faster than the
// standard library's, multi-member like it) does it.
type readAhead struct {
	full, free chan []byte
	done       chan struct{}
	whole, cur []byte
	err        error
}

func newReadAhead(r io.Reader) *readAhead {
	const n, size = 4, 256 << 10
	ra := &readAhead{full: make(chan []byte, n), free: make(chan []byte, n), done: make(chan struct{})}
	for range n {
		ra.free <- make([]byte, size)
	}
	go func() {
		defer close(ra.full)
		for {
			var buf []byte
			select {
			case buf = <-ra.free:
			case <-ra.done:
				return
			}
			m := 0
			var err error
			for m < len(buf) && err == nil {
				var k int
				k, err = r.Read(buf[m:])
				m += k
			}
			if m > 0 {
				select {
				case ra.full <- buf[:m]:
				case <-ra.done:
					return
				}
			}
			if err != nil {
				ra.err = err // read by Read after full is closed
				return
			}
		}
	}()
	return ra
}

func (ra *readAhead) Read(p []byte) (int, error) {
	if len(ra.cur) == 0 {
		if ra.whole != nil {
			ra.free <- ra.whole
			ra.whole = nil
		}
		buf, ok := <-ra.full
		if !ok {
			return 0, ra.err
		}
		ra.whole, ra.cur = buf[:cap(buf)], buf
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

func (ra *readAhead) close() { close(ra.done) }
