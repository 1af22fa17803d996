package logs

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"testing"
)

// FuzzSplitCSV: splitCSV reads a row as encoding/csv with LazyQuotes
// does, wherever that reads the row as one record.
func FuzzSplitCSV(f *testing.F) {
	for _, s := range []string{`a,b,c`, `"a,b",c`, `"a ""q"" b",c`, `a,"b`, `a"b,c`, `"",`, `,`, `"x"y,z`, `"a""",b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if bytes.ContainsAny([]byte(s), "\r\n") || s == "" {
			return
		}
		cr := csv.NewReader(bytes.NewReader([]byte(s)))
		cr.LazyQuotes = true
		cr.FieldsPerRecord = -1
		want, err := cr.Read()
		if err != nil && !errors.Is(err, io.EOF) {
			return
		}
		if _, err := cr.Read(); !errors.Is(err, io.EOF) {
			return // read as more than one record
		}
		got := splitCSV([]byte(s), nil)
		var gs []string
		for _, c := range got {
			gs = append(gs, string(c))
		}
		if !slices.Equal(gs, want) {
			t.Errorf("splitCSV(%q) = %q, encoding/csv %q", s, gs, want)
		}
	})
}
