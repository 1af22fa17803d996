package cdk

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/go-sourcemap/sourcemap"
)

// A TypeScript app compiled with tsc and run with node reports frames in
// the emitted .js (dist/lib/api-stack.js:50:24) unless node ran with
// --enable-source-maps; ts-node and source-map-support report .ts
// positions themselves. A .js frame whose file names a source map
// (`//# sourceMappingURL=api-stack.js.map`, or an inline data: URL) is
// followed back to the .ts line: that is the file to edit, never dist/.

// sourceMapURL returns the URL the last sourceMappingURL comment of a
// JavaScript file names, or "".
func sourceMapURL(js []byte) string {
	for _, marker := range []string{"//# sourceMappingURL=", "//@ sourceMappingURL="} {
		if i := bytes.LastIndex(js, []byte(marker)); i >= 0 {
			rest := js[i+len(marker):]
			if j := bytes.IndexAny(rest, " \t\r\n"); j >= 0 {
				rest = rest[:j]
			}
			return string(rest)
		}
	}
	return ""
}

// mapped is a position in an original source, from a source map.
type mapped struct {
	file      string // as the map names it, resolved against the map's directory
	line, col int    // 1-based; col in UTF-16 code units
}

// mapFrame follows a frame in the JavaScript file jsPath (local, as
// resolved) through its source map. ok is false when the file names no
// map; err says why a named map could not be followed.
func mapFrame(jsPath string, js []byte, line, col int, read func(string) ([]byte, error)) (m mapped, ok bool, err error) {
	u := sourceMapURL(js)
	if u == "" {
		return mapped{}, false, nil
	}
	var data []byte
	mapDir := filepath.Dir(jsPath)
	if strings.HasPrefix(u, "data:") {
		comma := strings.IndexByte(u, ',')
		if comma < 0 || !strings.Contains(u[:comma], ";base64") {
			return mapped{}, true, errors.New("its inline source map is not base64")
		}
		if data, err = base64.StdEncoding.DecodeString(u[comma+1:]); err != nil {
			return mapped{}, true, fmt.Errorf("its inline source map does not decode: %v", err)
		}
	} else {
		p, perr := url.PathUnescape(u)
		if perr != nil || strings.Contains(p, "://") || filepath.IsAbs(p) {
			return mapped{}, true, fmt.Errorf("its source map %s is not a file beside it", u)
		}
		mp := filepath.Join(mapDir, filepath.FromSlash(p))
		if data, err = read(mp); err != nil {
			return mapped{}, true, fmt.Errorf("its source map %s cannot be read", mp)
		}
		mapDir = filepath.Dir(mp)
	}
	src, l, c, err := lookup(data, line, col)
	if err != nil {
		return mapped{}, true, err
	}
	return mapped{file: filepath.Join(mapDir, filepath.FromSlash(src)), line: l, col: c}, true, nil
}

// lookup maps a generated 1-based line and column to the original source,
// line and 1-based column.
func lookup(data []byte, line, col int) (src string, l, c int, err error) {
	// The library trusts the map's indexes: a hostile map must cost a
	// note, not the run.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("its source map is malformed")
		}
	}()
	var shape struct {
		Sections []struct {
			Map json.RawMessage `json:"map"`
		} `json:"sections"`
	}
	if json.Unmarshal(data, &shape) != nil {
		return "", 0, 0, errors.New("its source map is not JSON")
	}
	for _, s := range shape.Sections {
		if len(s.Map) == 0 || string(s.Map) == "null" {
			return "", 0, 0, errors.New("its source map has a section without a map")
		}
	}
	sm, err := sourcemap.Parse("", data)
	if err != nil {
		return "", 0, 0, fmt.Errorf("its source map does not parse: %v", err)
	}
	src, _, l, c0, ok := sm.Source(line, max(col-1, 0))
	if !ok || src == "" || l <= 0 {
		return "", 0, 0, fmt.Errorf("its source map has no mapping for line %d column %d", line, col)
	}
	if strings.Contains(src, "://") {
		return "", 0, 0, fmt.Errorf("its source map names %s, not a file", src)
	}
	return src, l, c0 + 1, nil
}
