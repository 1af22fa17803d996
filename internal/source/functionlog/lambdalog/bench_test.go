package lambdalog

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/gatelint/gatelint/fixtures/fnloggen/gen"
)

var benchLogs sync.Map // gen.Options → []byte

// benchLog is a generated 64 MB log, made once per run.
func benchLog(b *testing.B, o gen.Options) []byte {
	b.Helper()
	o.Size = 64 << 20
	if v, ok := benchLogs.Load(o); ok {
		return v.([]byte)
	}
	var buf bytes.Buffer
	if _, err := gen.Write(&buf, o); err != nil {
		b.Fatal(err)
	}
	benchLogs.Store(o, buf.Bytes())
	return buf.Bytes()
}

var benchShapes = []struct {
	name string
	o    gen.Options
}{
	{"text-node", gen.Options{}},
	{"text-python", gen.Options{Runtime: "python"}},
	{"json", gen.Options{JSON: true}},
}

// BenchmarkStitch is the whole per-message path over an in-memory log:
// split at newlines, Parse, stitch, aggregate. MB/s is of the log.
func BenchmarkStitch(b *testing.B) {
	for _, sh := range benchShapes {
		b.Run(sh.name, func(b *testing.B) {
			log := benchLog(b, sh.o)
			b.SetBytes(int64(len(log)))
			b.ReportAllocs()
			for b.Loop() {
				a := NewAggregator(AggOptions{Thresholds: []time.Duration{29 * time.Second}})
				s := NewStitcher(Options{OnInvocation: a.Add})
				line := 1
				for off := 0; off < len(log); line++ {
					end := bytes.IndexByte(log[off:], '\n')
					if end < 0 {
						end = len(log) - off
					}
					s.Message(log[off:off+end], At{Line: line, Offset: int64(off)})
					off += end + 1
				}
				s.Flush()
				if a.Functions()[0].Invocations == 0 {
					b.Fatal("no invocations")
				}
			}
		})
	}
}

// BenchmarkParse is Parse alone on every line (the lines already split).
func BenchmarkParse(b *testing.B) {
	for _, sh := range benchShapes {
		b.Run(sh.name, func(b *testing.B) {
			log := benchLog(b, sh.o)
			lines := bytes.Split(log, []byte("\n"))
			b.SetBytes(int64(len(log)))
			b.ReportAllocs()
			var r Record
			for b.Loop() {
				n := 0
				for _, l := range lines {
					if Parse(l, &r) {
						n++
					}
				}
				if n == 0 {
					b.Fatal("no records")
				}
			}
		})
	}
}

// BenchmarkFloor is what no line reader can beat: finding the newlines
// (bytes.IndexByte), and grep's way, finding "REPORT" (bytes.Index).
func BenchmarkFloor(b *testing.B) {
	log := benchLog(b, gen.Options{})
	b.Run("newlines", func(b *testing.B) {
		b.SetBytes(int64(len(log)))
		for b.Loop() {
			n := 0
			for off := 0; off < len(log); n++ {
				end := bytes.IndexByte(log[off:], '\n')
				if end < 0 {
					break
				}
				off += end + 1
			}
		}
	})
	b.Run("index-REPORT", func(b *testing.B) {
		b.SetBytes(int64(len(log)))
		for b.Loop() {
			if bytes.Count(log, []byte("REPORT")) == 0 {
				b.Fatal("none")
			}
		}
	})
}
