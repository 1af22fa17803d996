package fix

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// noNewline is what diff and git write after a last line without one.
const noNewline = "\n\\ No newline at end of file\n"

// Diff writes the changes as one unified diff with a/ and b/ prefixes, for
// `git apply` and `patch -p1`. Lines keep their own endings, so a CRLF
// file's patch carries CRLF lines.
func Diff(w io.Writer, changes []Change) error {
	for _, c := range changes {
		name := diffPath(c.Path)
		d := difflib.UnifiedDiff{
			A:        lines(c.Before),
			B:        lines(c.After),
			FromFile: "a/" + name,
			ToFile:   "b/" + name,
			Context:  3,
		}
		if _, err := fmt.Fprintf(w, "diff --git a/%s b/%s\n", name, name); err != nil {
			return err
		}
		if err := difflib.WriteUnifiedDiff(w, d); err != nil {
			return fmt.Errorf("diff of %s: %w", c.Path, err)
		}
	}
	return nil
}

// DiffString is Diff into a string, for reports that embed a fix.
func DiffString(changes []Change) string {
	var b strings.Builder
	Diff(&b, changes) // a strings.Builder does not fail
	return b.String()
}

// lines splits data after each "\n"; a last line without one gets the
// marker diff uses, so that line compares and prints as diff prints it.
func lines(data []byte) []string {
	if len(data) == 0 {
		return nil
	}
	out := strings.SplitAfter(string(data), "\n")
	if out[len(out)-1] == "" {
		return out[:len(out)-1]
	}
	out[len(out)-1] += noNewline
	return out
}

// diffPath is the path as a patch names it: slash-separated, relative to
// the working directory when it can be, since `git apply` and `patch -p1`
// are run from there.
func diffPath(p string) string {
	if filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
				p = rel
			}
		}
	}
	p = filepath.ToSlash(filepath.Clean(p))
	return strings.TrimPrefix(p, "/")
}
