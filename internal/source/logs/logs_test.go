package logs

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tick is a kind of record made up for these tests — "TICK n" lines —
// so the container is shown to know nothing of access logs.
type tick struct{ done []*Input }

type ticks struct {
	n     int64
	sum   int64
	lines []int // line of each record, for checking chunk shifts
	group []string
}

func (*tick) Name() string { return "tick log" }
func (*tick) Hint() string { return "write TICK lines" }
func (*tick) Open(_ string, first []byte) Records {
	if !bytes.HasPrefix(bytes.TrimSpace(first), []byte("TICK ")) {
		return nil
	}
	return &ticks{}
}
func (*tick) Column(name string) bool { return name == "tick" }
func (*tick) OpenTable(_ string, columns []string) Records {
	if columns != nil && !slices.Contains(columns, "tick") {
		return nil
	}
	return &ticks{}
}
func (k *tick) Done(in *Input) { k.done = append(k.done, in) }

func (t *ticks) Format() string { return "TICK lines" }
func (t *ticks) Message(b []byte, at At) bool {
	var n int64
	if _, err := fmt.Sscanf(string(b), "TICK %d", &n); err != nil {
		return false
	}
	t.n++
	t.sum += n
	t.lines = append(t.lines, at.Line)
	return true
}
func (t *ticks) Row(names []string, cells [][]byte, at At) bool {
	for i, n := range names {
		if n == "tick" {
			return t.Message([]byte("TICK "+string(cells[i])), at)
		}
	}
	return false
}
func (t *ticks) Group(name string) {
	if name != "" {
		t.group = append(t.group, name)
	}
}
func (t *ticks) Count() int64      { return t.n }
func (t *ticks) RanTogether() bool { return false }
func (t *ticks) Shift(lines, _ int) {
	for i := range t.lines {
		t.lines[i] += lines
	}
}
func (t *ticks) Merge(later Records) {
	o := later.(*ticks)
	t.n += o.n
	t.sum += o.sum
	t.lines = append(t.lines, o.lines...)
	t.group = append(t.group, o.group...)
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

// TestContainers reads one kind of record in every container the layer
// knows, to the same records.
func TestContainers(t *testing.T) {
	lines := "TICK 1\nTICK 2\nnot a tick\nTICK 3\n"
	tests := []struct {
		name, content, shape string
		groups               []string
	}{
		{"plain", lines, "TICK lines", nil},
		{"gzip", gz(lines), "TICK lines", nil},
		{"export", "2026-11-20T10:00:00.000Z TICK 1\n1763632800000 TICK 2\n2026-11-20T10:00:02Z not a tick\n2026-11-20T10:00:03Z TICK 3\n", ShapeCWExport + " of TICK lines", nil},
		{"events", `{"events":[{"timestamp":1,"message":"TICK 1"},{"timestamp":2,"message":"TICK 2\n"},{"message":"nope"},{"message":"TICK 3"}],"nextToken":"x"}`, ShapeEvents, nil},
		{"subscription", `{"messageType":"CONTROL_MESSAGE","logEvents":[{"message":"TICK 100"}]}{"messageType":"DATA_MESSAGE","logGroup":"/aws/lambda/fn","logEvents":[{"message":"TICK 1"},{"message":"TICK 2"},{"message":"x"},{"message":"TICK 3"}]}`, ShapeSubscription, []string{"/aws/lambda/fn"}},
		{"insights csv", "@timestamp,tick\n2026-01-01 00:00:00.000,1\n2026-01-01 00:00:01.000,2\n2026-01-01 00:00:02.000,x\n2026-01-01 00:00:03.000,3\n", ShapeInsightsCSV, nil},
		{"query results", `{"results":[[{"field":"tick","value":"1"}],[{"field":"tick","value":"2"}],[{"field":"tick","value":"x"}],[{"field":"tick","value":"3"}]],"status":"Complete"}`, ShapeQueryResults, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(t, t.TempDir(), "log", tt.content)
			k := &tick{}
			res := Scan(context.Background(), []string{p}, Options{Kinds: []Kind{k}})
			if len(res.Errors) != 0 || len(k.done) != 1 {
				t.Fatalf("errors %v, inputs %d", res.Errors, len(k.done))
			}
			in := k.done[0]
			r := in.Records.(*ticks)
			if in.Shape != tt.shape || r.n != 3 || r.sum != 6 || in.Malformed != 1 || !slices.Equal(in.Groups, tt.groups) {
				t.Errorf("shape %q, %d records summing %d, %d malformed, groups %v", in.Shape, r.n, r.sum, in.Malformed, in.Groups)
			}
			if len(tt.groups) > 0 && !slices.Equal(r.group, tt.groups) {
				t.Errorf("records were told groups %v", r.group)
			}
		})
	}
}

// TestChunksShift: a large plain file read in chunks gives the records
// and line numbers one pass gives.
func TestChunksShift(t *testing.T) {
	var b strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&b, "TICK %d\n", i)
	}
	p := write(t, t.TempDir(), "big", b.String())
	whole, split := &tick{}, &tick{}
	Scan(context.Background(), []string{p}, Options{Kinds: []Kind{whole}})
	Scan(context.Background(), []string{p}, Options{Kinds: []Kind{split}, ChunkSize: 4 << 10})
	a, c := whole.done[0].Records.(*ticks), split.done[0].Records.(*ticks)
	if a.n != 5000 || a.sum != c.sum || !slices.Equal(a.lines, c.lines) || whole.done[0].Bytes != split.done[0].Bytes {
		t.Errorf("one pass %d/%d bytes %d, chunks %d/%d bytes %d", a.n, a.sum, whole.done[0].Bytes, c.n, c.sum, split.done[0].Bytes)
	}
}

// TestNotALog: a named file no kind reads is an error that says how to
// make it readable; one found by walking is skipped.
func TestNotALog(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "README", "# notes\n")
	k := &tick{}
	res := Scan(context.Background(), []string{p}, Options{Kinds: []Kind{k}})
	if len(res.Errors) != 1 || res.Errors[0].Message != "not a tick log in a format gatelint knows: write TICK lines" {
		t.Errorf("errors %v", res.Errors)
	}
	var skipped []string
	res = Scan(context.Background(), []string{dir}, Options{Kinds: []Kind{k}, OnSkip: func(p, why string) { skipped = append(skipped, why) }})
	if len(res.Errors) != 0 || !slices.Equal(skipped, []string{"skipped: not a tick log"}) {
		t.Errorf("errors %v, skipped %v", res.Errors, skipped)
	}
}

// TestRunTogetherInBlockMemory: objects back to back with no newline,
// far longer than a block, are read without holding the line whole.
func TestRunTogetherInBlockMemory(t *testing.T) {
	obj := `{"a":"}{ in a string","b":[1,{"c":2}]}`
	data := bytes.Repeat([]byte(obj), 8*blockSize/len(obj))
	lr := newLineReader(context.Background(), bytes.NewReader(data))
	lr.records = true
	n := 0
	for lr.scan() {
		if !bytes.Equal(lr.span(), []byte(obj)) {
			t.Fatalf("span %d is %.60q", n, lr.span())
		}
		n++
	}
	if n != len(data)/len(obj) || len(lr.buf) > blockSize {
		t.Errorf("%d records, buffer %d bytes", n, len(lr.buf))
	}
	if !runTogether(data[:headSize]) {
		t.Error("runTogether did not see the second object")
	}
}

func TestProgress(t *testing.T) {
	// Not a terminal: never drawn, whatever the size.
	var buf bytes.Buffer
	p := newProgress(&buf, []input{{path: "-", stdin: true}}, nil)
	p.done.Add(5 << 20)
	p.stop()
	if p.w != nil || buf.Len() != 0 {
		t.Errorf("a bar was drawn on a non-terminal: %q", buf.String())
	}
	// What a terminal would show.
	p = &progress{total: 300 << 20, w: &buf, status: func() string { return ", 1234 timeouts so far" }}
	p.done.Add(150 << 20)
	p.draw()
	if want := "reading logs: 150 / 300 MB (50%), 1234 timeouts so far"; !strings.Contains(buf.String(), want) {
		t.Errorf("bar %q lacks %q", buf.String(), want)
	}
}

// FuzzContainers feeds any bytes, gzip or not, through detection and
// every container: no panic, counts that add up.
func FuzzContainers(f *testing.F) {
	f.Add([]byte("TICK 1\nTICK 2\n"))
	f.Add([]byte(gz("TICK 1\n")))
	f.Add([]byte(`{"events":[{"message":"TICK 1"}]}{"events":[`))
	f.Add([]byte(`{"messageType":"DATA_MESSAGE","logGroup":"g","logEvents":[{"message":"TICK 3"}]}{"a":`))
	f.Add([]byte("@timestamp,tick\n1,2\n"))
	f.Add([]byte("| tick |\n| --- |\n| 4 |\n"))
	f.Add([]byte(`{"results":[[{"field":"tick","value":"5"}]]}`))
	f.Add([]byte("2026-11-20T10:00:00Z TICK 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		k := &tick{}
		Scan(context.Background(), []string{"-"}, Options{Kinds: []Kind{k}, Stdin: bytes.NewReader(data)})
		for _, in := range k.done {
			if in.Malformed < 0 || int64(len(in.MalformedLines)) > in.Malformed || len(in.MalformedLines) > maxMalformedLines {
				t.Fatalf("malformed %d, lines %v", in.Malformed, in.MalformedLines)
			}
			if r, ok := in.Records.(*ticks); ok && int64(len(r.lines)) != r.n {
				t.Fatalf("%d records, %d lines", r.n, len(r.lines))
			}
		}
	})
}
