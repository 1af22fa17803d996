package accesslog

import (
	"bytes"
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/gatelint/gatelint/fixtures/loggen/gen"
)

var benchFiles struct {
	sync.Mutex
	paths map[bool]string
}

// benchLog generates the 1M-line log (and its gzip) once per run.
func benchLog(b *testing.B, gzip bool) (string, int64) {
	b.Helper()
	benchFiles.Lock()
	defer benchFiles.Unlock()
	if benchFiles.paths == nil {
		benchFiles.paths = map[bool]string{}
	}
	p, ok := benchFiles.paths[gzip]
	if !ok {
		f, err := os.CreateTemp("", "gatelint-bench-*.log")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := gen.Write(f, gen.Options{Gzip: gzip}); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		p = f.Name()
		benchFiles.paths[gzip] = p
		b.Cleanup(func() {
			benchFiles.Lock()
			delete(benchFiles.paths, gzip)
			benchFiles.Unlock()
			os.Remove(p)
		})
	}
	info, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	return p, info.Size()
}

// BenchmarkScan reads the generated 1,000,000-line JSON log (about
// 300 MB), as gatelint check --logs does. MB/s is of the file on disk.
func BenchmarkScan(b *testing.B) {
	for _, gz := range []bool{false, true} {
		name := "plain"
		if gz {
			name = "gzip"
		}
		b.Run(name, func(b *testing.B) {
			p, size := benchLog(b, gz)
			b.SetBytes(size)
			b.ResetTimer()
			for b.Loop() {
				res := Scan(context.Background(), []string{p}, Options{})
				if len(res.Errors) > 0 || len(res.Observations) != len(gen.Endpoints) {
					b.Fatalf("errors %v, %d observations", res.Errors, len(res.Observations))
				}
			}
		})
	}
}

// BenchmarkJSONLine is the per-record cost of the key scanner and the
// tally, on one generated line, without I/O.
func BenchmarkJSONLine(b *testing.B) {
	var buf bytes.Buffer
	if _, err := gen.Write(&buf, gen.Options{N: 64}); err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	s := &jsonShape{}
	t := newTally("bench", nil, nil)
	b.SetBytes(int64(buf.Len() / len(lines)))
	i := 0
	for b.Loop() {
		if !s.line(t, lines[i%len(lines)], 1, 0, time.Time{}) {
			b.Fatal("line not read")
		}
		i++
	}
}
