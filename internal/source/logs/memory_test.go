package logs

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// counted is a kind that keeps nothing per record, so what a scan holds is
// the container's own.
type counted struct{ n int64 }

type countedRecords struct{ n int64 }

func (*counted) Name() string { return "tick log" }
func (*counted) Hint() string { return "write TICK lines" }
func (*counted) Open(_ string, first []byte) Records {
	if len(first) < 5 || string(first[:5]) != "TICK " {
		return nil
	}
	return &countedRecords{}
}
func (*counted) Column(name string) bool                        { return name == "tick" }
func (*counted) OpenTable(_ string, _ []string) Records         { return &countedRecords{} }
func (k *counted) Done(in *Input)                               { k.n += in.Records.Count() }
func (*countedRecords) Format() string                          { return "TICK lines" }
func (r *countedRecords) Message(b []byte, _ At) bool           { r.n++; return len(b) > 0 }
func (r *countedRecords) Row(_ []string, _ [][]byte, _ At) bool { r.n++; return true }
func (*countedRecords) Group(string)                            {}
func (r *countedRecords) Count() int64                          { return r.n }
func (*countedRecords) RanTogether() bool                       { return false }
func (*countedRecords) Shift(int, int)                          {}
func (r *countedRecords) Merge(o Records)                       { r.n += o.Count() }

// peakHeap runs f and returns the most heap its objects took meanwhile,
// above what they took before.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			peak = max(peak, read())
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	peak = max(peak, read())
	if peak < base {
		return 0
	}
	return peak - base
}

// TestMemoryFlat: no shape holds a whole input. Each input here is 32 MB
// (one filter-log-events page, one subscription record, one query
// result, ... of that size); the scan may hold a few blocks of it.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("writes 32 MB inputs; measures memory, which the race detector changes")
	}
	const size = 32 << 20
	const bound = 12 << 20
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	// each writes records until size bytes are written.
	repeat := func(head, rec, sep, tail string) func(w io.Writer) {
		return func(w io.Writer) {
			io.WriteString(w, head)
			for n, i := len(head), 0; n < size; i++ {
				if i > 0 {
					io.WriteString(w, sep)
				}
				s := fmt.Sprintf(rec, i%1000)
				io.WriteString(w, s)
				n += len(s) + len(sep)
			}
			io.WriteString(w, tail)
		}
	}
	tests := []struct {
		name  string
		write func(w io.Writer)
		gzip  bool
		chunk int64
	}{
		{"lines", repeat("", "TICK %d", "\n", "\n"), false, 0},
		{"lines in chunks", repeat("", "TICK %d", "\n", "\n"), false, 4 << 20},
		{"gzip lines", repeat("", "TICK %d", "\n", "\n"), true, 0},
		{"export", repeat("", "2026-11-20T10:00:00.000Z TICK %d", "\n", "\n"), false, 0},
		{"one filter-log-events page", repeat(`{"events":[`, `{"timestamp":1763632800000,"message":"TICK %d","logStreamName":"s","eventId":"1"}`, ",", `],"searchedLogStreams":[]}`), false, 0},
		{"one subscription record", repeat(`{"messageType":"DATA_MESSAGE","owner":"1","logGroup":"/g","logStream":"s","subscriptionFilters":["f"],"logEvents":[`, `{"id":"1","timestamp":1763632800000,"message":"TICK %d"}`, ",", `]}`), true, 0},
		{"insights csv", repeat("@timestamp,tick\n", "2026-01-01 00:00:00.000,%d", "\n", "\n"), false, 0},
		{"insights markdown", repeat("| @timestamp | tick |\n|---|---|\n", "| 2026-01-01 00:00:00.000 | %d |", "\n", "\n"), false, 0},
		{"one query result", repeat(`{"results":[`, `[{"field":"tick","value":"%d"}]`, ",", `],"status":"Complete"}`), false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "log")
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			bw := bufio.NewWriterSize(f, 1<<20)
			var w io.Writer = bw
			var zw *gzip.Writer
			if tt.gzip {
				zw, _ = gzip.NewWriterLevel(bw, gzip.BestSpeed)
				w = zw
			}
			tt.write(w)
			if zw != nil {
				zw.Close()
			}
			bw.Flush()
			f.Close()
			k := &counted{}
			var res Result
			peak := peakHeap(func() {
				res = Scan(context.Background(), []string{p}, Options{Kinds: []Kind{k}, ChunkSize: tt.chunk})
			})
			if len(res.Errors) > 0 || k.n < 100000 {
				t.Fatalf("errors %v, %d records", res.Errors, k.n)
			}
			t.Logf("%d records, peak heap %.1f MB", k.n, float64(peak)/(1<<20))
			if peak > bound {
				t.Errorf("peak heap %.1f MB reading a 32 MB input: more than %d MB", float64(peak)/(1<<20), bound>>20)
			}
		})
	}
}
