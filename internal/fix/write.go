package fix

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Write applies the changes in place. roots are the paths the check was
// given: a file is written only when it lies, links resolved, inside one
// of them or beside a file named (an OpenAPI file the named template
// includes), so neither a link in a walked directory nor a template's
// DefinitionUri can make gatelint write elsewhere. Each file is written
// to a temporary file beside it and renamed over it, keeping its mode; a
// file that changed since it was read, or that is read-only, is left
// alone. It returns the changes written and an error for each file
// refused.
func Write(changes []Change, roots []string) (written []Change, errs []error) {
	realRoots := make([]string, 0, len(roots))
	for _, r := range roots {
		rr, err := filepath.EvalSymlinks(r)
		if err != nil {
			continue
		}
		abs, err := filepath.Abs(rr)
		if err != nil {
			continue
		}
		if info, err := os.Stat(abs); err == nil && !info.IsDir() {
			abs = filepath.Dir(abs)
		}
		realRoots = append(realRoots, abs)
	}
	for _, c := range changes {
		if err := writeOne(c, realRoots); err != nil {
			errs = append(errs, err)
			continue
		}
		written = append(written, c)
	}
	return written, errs
}

func writeOne(c Change, roots []string) error {
	target, err := filepath.EvalSymlinks(c.Path)
	if err != nil {
		return fmt.Errorf("%s: not fixed: %w", c.Path, err)
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		return fmt.Errorf("%s: not fixed: %w", c.Path, err)
	}
	if !inside(abs, roots) {
		if direct, err := filepath.Abs(c.Path); err == nil && direct != abs {
			return fmt.Errorf("%s: not fixed: it links to %s, outside the paths given", c.Path, target)
		}
		return fmt.Errorf("%s: not fixed: it lies outside the paths given (name it, or its directory, to have it fixed)", c.Path)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return fmt.Errorf("%s: not fixed: %w", c.Path, err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s: not fixed: not a regular file", c.Path)
	}
	if info.Mode().Perm()&0o200 == 0 {
		// The rename would replace it whatever its mode says.
		return fmt.Errorf("%s: not fixed: the file is read-only", c.Path)
	}
	now, err := os.ReadFile(abs)
	if err != nil {
		return fmt.Errorf("%s: not fixed: %w", c.Path, err)
	}
	if !bytes.Equal(now, c.Before) {
		return fmt.Errorf("%s: not fixed: the file changed since it was checked; run gatelint again", c.Path)
	}
	dir := filepath.Dir(abs)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(abs)+".gatelint-*")
	if err != nil {
		return fmt.Errorf("%s: not fixed: %w", c.Path, err)
	}
	done := false
	defer func() {
		if !done {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(c.After); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: not fixed: writing %s: %w", c.Path, tmp.Name(), err)
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: not fixed: %w", c.Path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: not fixed: %w", c.Path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: not fixed: %w", c.Path, err)
	}
	// The last look before the rename narrows the window in which an
	// editor's save would be lost.
	if now, err := os.ReadFile(abs); err != nil || !bytes.Equal(now, c.Before) {
		return errors.Join(fmt.Errorf("%s: not fixed: the file changed while it was being fixed", c.Path), err)
	}
	if err := os.Rename(tmp.Name(), abs); err != nil {
		return fmt.Errorf("%s: not fixed: %w", c.Path, err)
	}
	done = true
	return nil
}

// inside reports whether path is one of roots or lies under one.
func inside(path string, roots []string) bool {
	for _, r := range roots {
		if path == r {
			return true
		}
		rel, err := filepath.Rel(r, path)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
			return true
		}
	}
	return false
}
