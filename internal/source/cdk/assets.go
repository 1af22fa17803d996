package cdk

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gatelint/gatelint/internal/model"
)

// mapAssets points the handler code of the stack's functions (a staged
// asset in the cloud assembly, as the CloudFormation reader located it)
// back at the app's directory it was copied from, so the handler-code
// scan reads, and fixes, the app's own files: the directory under the
// app (the assembly's parent) whose files are the asset's, byte for byte.
// An asset that is no such copy (bundled by esbuild, say) is left out of
// the scan: a bundle holds its libraries' code too.
func mapAssets(m *model.Model) {
	cache := map[string]string{}
	for _, fn := range m.Functions {
		c := fn.Code
		if c == nil || c.Setting != "aws:asset:path" || c.Dir == "" {
			continue
		}
		src, ok := cache[c.Dir]
		if !ok {
			src = copiedFrom(c.Dir, filepath.Dir(filepath.Dir(c.Dir)))
			cache[c.Dir] = src
		}
		if src == "" {
			fn.Code = nil
			continue
		}
		c.Dir = src
	}
}

// copiedFrom is the directory under root whose files are dir's; "" when
// there is none, or more than one.
func copiedFrom(dir, root string) string {
	files := map[string][]byte{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || len(files) > 500 {
			return nil
		}
		if data, err := os.ReadFile(p); err == nil {
			rel, _ := filepath.Rel(dir, p)
			files[filepath.ToSlash(rel)] = data
		}
		return nil
	})
	if len(files) == 0 || len(files) > 500 {
		return ""
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	first := names[0]
	var found []string
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "cdk.out") || name == "node_modules" ||
				name == "__pycache__" || name == "venv" || strings.Contains(p[len(root):], string(filepath.Separator)+"asset.")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(filepath.ToSlash(p), "/"+first) && filepath.ToSlash(p) != first {
			return nil
		}
		cand := strings.TrimSuffix(p, filepath.FromSlash(first))
		cand = filepath.Clean(cand)
		if same(cand, files) {
			found = append(found, cand)
		}
		return nil
	})
	if len(found) != 1 {
		return ""
	}
	return found[0]
}

// same reports whether dir holds the files, byte for byte (others may be
// beside them: tests, a README the asset excluded).
func same(dir string, files map[string][]byte) bool {
	for n, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil || !bytes.Equal(got, want) {
			return false
		}
	}
	return true
}
