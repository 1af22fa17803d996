// Package loc holds positions in source files: what a finding points at and
// what a fix edits.
package loc

import "fmt"

// Pos is a point in a file. Line and Column are 1-based; Column counts
// Unicode code points (what an editor shows), Offset counts bytes from the
// start of the file (what a fix splices).
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

// Range is a span of a file, End exclusive. File is the path as the user
// gave it, or an ARN for a resource read from a live account.
type Range struct {
	File  string
	Start Pos
	End   Pos
}

// IsZero reports whether r points nowhere.
func (r Range) IsZero() bool { return r.File == "" }

func (r Range) String() string {
	if r.Start.Line == 0 {
		return r.File
	}
	return fmt.Sprintf("%s:%d:%d", r.File, r.Start.Line, r.Start.Column)
}
