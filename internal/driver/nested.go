package driver

import (
	"path/filepath"

	"github.com/gatelint/gatelint/internal/source"
)

// readBy is the file another was read through: as a nested stack, or
// as a part it includes.
type readBy struct {
	path   string
	nested bool
}

func (b readBy) outcome() string {
	if b.nested {
		return "template (read as a nested stack of " + b.path + ")"
	}
	return "read as part of " + b.path
}

// nestedFiles maps each file some other file read as a nested stack, or
// included as its part, to that file (the first, in input order). A file
// both walked and reached through its parent is judged once, through the
// parent.
func nestedFiles(files []source.Input, out []loaded) map[string]readBy {
	byPath, index := map[string]string{}, map[string]int{}
	for i, in := range files {
		byPath[key(in.Path)] = in.Path
		index[in.Path] = i
	}
	m := map[string]readBy{}
	for i, l := range out {
		if _, skipped := m[files[i].Path]; skipped {
			// A file skipped for its parent nests nothing of its own: two
			// templates that nest each other are still judged once.
			continue
		}
		add := func(paths []string, nested bool) {
			for _, n := range paths {
				if p, ok := byPath[key(n)]; ok && key(n) != key(files[i].Path) {
					if o := out[index[p]]; !nested && o.reader != nil && l.reader != nil && o.reader.Name() == l.reader.Name() {
						// A service that reads a setting from another
						// (${file(../api/serverless.yml):provider.stage})
						// does not make that one its part.
						continue
					}
					if _, seen := m[p]; !seen {
						m[p] = readBy{files[i].Path, nested}
					}
				}
			}
		}
		add(l.nested, true)
		add(l.includes, false)
	}
	return m
}

func key(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}
