package code

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/schemacheck"
)

// TestSpeedCorpus times the scanner over every source file of
// ../shared/corpus-code, one process, one goroutine: what ruff and bandit
// are timed against (tools/codebench/compare.sh). GATELINT_CODE_SPEED=FILE
// runs it and writes the Python files' paths to FILE, one a line, for
// the other tools.
func TestSpeedCorpus(t *testing.T) {
	out := os.Getenv("GATELINT_CODE_SPEED")
	if out == "" {
		t.Skip("set GATELINT_CODE_SPEED=FILE to time the scanner over corpus-code")
	}
	dir := schemacheck.Shared(t, "corpus-code")
	type file struct {
		path, lang string
		data       []byte
	}
	var files []file
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if l := langOf(p); l != "" {
			data, err := os.ReadFile(p)
			if err == nil {
				files = append(files, file{p, l, data})
			}
		}
		return nil
	})
	var py []string
	for _, lang := range []string{Python, ""} {
		n, bytes, calls := 0, 0, 0
		start := time.Now()
		for _, f := range files {
			if lang != "" && f.lang != lang {
				continue
			}
			fs := scanFile(f.path, f.data, f.lang, nil)
			n++
			bytes += len(f.data)
			calls += len(fs.calls)
			if f.lang == Python && lang == Python {
				py = append(py, f.path)
			}
		}
		el := time.Since(start)
		what := lang
		if what == "" {
			what = "all languages"
		}
		t.Logf("%s: %d files, %.2f MB, %d client calls, %.3f s, %.1f MB/s", what, n, float64(bytes)/1e6, calls, el.Seconds(), float64(bytes)/1e6/el.Seconds())
	}
	if err := os.WriteFile(out, []byte(strings.Join(py, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
