package source

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gatelint/gatelint/internal/finding"
)

// Input is a file the walk found, or one named on the command line.
type Input struct {
	Path string
	// Named is true for a file named on the command line, not found by
	// walking.
	Named bool
}

// WalkOptions say what a walk skips.
type WalkOptions struct {
	// Exclude holds glob patterns of paths not to walk into.
	Exclude []string
	// Wants reports whether some source may read a walked file of this
	// name; the walk lists no other.
	Wants func(path string) bool
	// OnSkip, when set, is told of a walked file left out and why.
	OnSkip func(path, why string)
}

// Walk expands paths into files: named files as they are, directories
// walked (hidden directories and dependencies skipped), each file once
// however many times it is reached.
func Walk(paths []string, o WalkOptions) ([]Input, []finding.InputError) {
	var files []Input
	var errs []finding.InputError
	// A file reached twice (". ./t.yaml") is read once: twice, its fixes
	// would be applied twice.
	seen := map[string]bool{}
	first := func(p string) bool {
		k := filepath.Clean(p)
		if abs, err := filepath.Abs(p); err == nil {
			k = abs
		}
		if seen[k] {
			return false
		}
		seen[k] = true
		return true
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			errs = append(errs, finding.InputError{File: p, Message: finding.PathMessage(err)})
			continue
		}
		if !info.IsDir() {
			if first(p) {
				files = append(files, Input{Path: p, Named: true})
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, finding.InputError{File: path, Message: finding.PathMessage(err)})
				return nil
			}
			if excluded(path, p, o.Exclude) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				name := d.Name()
				if path != p && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor") {
					return filepath.SkipDir
				}
				return nil
			}
			if o.Wants != nil && !o.Wants(path) {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				// A linked file is still the user's; a link to a directory
				// is not followed (it may loop).
				if info, err := os.Stat(path); err != nil || !info.Mode().IsRegular() {
					if o.OnSkip != nil {
						o.OnSkip(path, "skipped: a link to something other than a file")
					}
					return nil
				}
			} else if !d.Type().IsRegular() {
				return nil
			}
			if first(path) {
				files = append(files, Input{Path: path})
			}
			return nil
		})
		if err != nil {
			errs = append(errs, finding.InputError{File: p, Message: finding.PathMessage(err)})
		}
	}
	return files, errs
}

// excluded matches a path against the exclude globs, by its path relative
// to the walked root, by any of its leading directories, or by base name.
func excluded(path, root string, patterns []string) bool {
	if len(patterns) == 0 {
		return false
	}
	rel, err := filepath.Rel(root, path)
	if err != nil {
		rel = path
	}
	rel = filepath.ToSlash(rel)
	for _, pat := range patterns {
		pat = strings.TrimSuffix(filepath.ToSlash(pat), "/**")
		if ok, _ := filepath.Match(pat, rel); ok {
			return true
		}
		if ok, _ := filepath.Match(pat, filepath.Base(path)); ok {
			return true
		}
		if ok, _ := filepath.Match(pat, filepath.ToSlash(path)); ok {
			return true
		}
	}
	return false
}
