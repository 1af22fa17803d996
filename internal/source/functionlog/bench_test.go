package functionlog_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatelint/gatelint/fixtures/fnloggen/gen"
	"github.com/gatelint/gatelint/internal/source/accesslog"
	"github.com/gatelint/gatelint/internal/source/functionlog"
	"github.com/gatelint/gatelint/internal/source/logs"
)

// BenchmarkScan reads a generated 64 MB function log through the
// container with both kinds, as the driver does (FNLOG=path reads that
// file instead). make bench-fnlogs compares the whole binary with grep
// and zcat on 1 GB.
func BenchmarkScan(b *testing.B) {
	p := os.Getenv("FNLOG")
	if p == "" {
		var buf bytes.Buffer
		if _, err := gen.Write(&buf, gen.Options{Size: 64 << 20}); err != nil {
			b.Fatal(err)
		}
		p = filepath.Join(b.TempDir(), "fn.log")
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	st, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	for b.Loop() {
		ak, _ := accesslog.NewKind("", nil)
		fk := functionlog.NewKind(functionlog.Options{Thresholds: []time.Duration{29 * time.Second}, Named: []functionlog.Named{{Name: "fn", Path: p}}})
		res := logs.Scan(context.Background(), []string{p}, logs.Options{Kinds: []logs.Kind{fk, ak}})
		if fls, _, _ := fk.Result(); len(res.Errors) > 0 || len(fls) != 1 {
			b.Fatalf("%v, %d logs", res.Errors, len(fls))
		}
	}
}
