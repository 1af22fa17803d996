package driver

import (
	"path/filepath"

	"github.com/gatelint/gatelint/internal/source"
)

// nestedFiles maps each file some other file read as a nested stack to
// that file (the first, in input order). A file both walked and reached
// through its parent is judged once, through the parent.
func nestedFiles(files []source.Input, out []loaded) map[string]string {
	byPath := map[string]string{}
	for _, in := range files {
		byPath[key(in.Path)] = in.Path
	}
	m := map[string]string{}
	for i, l := range out {
		if _, skipped := m[files[i].Path]; skipped {
			// A file skipped for its parent nests nothing of its own: two
			// templates that nest each other are still judged once.
			continue
		}
		for _, n := range l.nested {
			if p, ok := byPath[key(n)]; ok && key(n) != key(files[i].Path) {
				if _, seen := m[p]; !seen {
					m[p] = files[i].Path
				}
			}
		}
	}
	return m
}

func key(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}
