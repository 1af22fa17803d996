package vars

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// DotEnv reads the .env file the framework would load for stage, from
// dir: .env.<stage> when it exists, else .env (v4 always; v3 with
// useDotenv: true). It returns the file read ("" when neither exists)
// and its variables; the caller decides that the process's own
// environment wins, as dotenv does.
func DotEnv(dir, stage string, read func(string) ([]byte, error)) (string, map[string]string, error) {
	if read == nil {
		read = os.ReadFile
	}
	for _, name := range []string{".env." + stage, ".env"} {
		if stage == "" && name == ".env." {
			continue
		}
		path := filepath.Join(dir, name)
		data, err := read(path)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return path, nil, err
		}
		vals, err := parseDotEnv(path, data)
		return path, vals, err
	}
	return "", nil, nil
}

// parseDotEnv reads KEY=VALUE lines as dotenv does: comments, "export ",
// single quotes taken as written, double quotes with \n escapes.
func parseDotEnv(path string, data []byte) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || s[0] == '#' {
			continue
		}
		s = strings.TrimPrefix(s, "export ")
		k, v, ok := strings.Cut(s, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return out, fmt.Errorf("%s:%d: not a KEY=VALUE line", path, line)
		}
		v = strings.TrimSpace(v)
		switch {
		case len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'':
			v = v[1 : len(v)-1]
		case len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"':
			v = strings.ReplaceAll(v[1:len(v)-1], `\n`, "\n")
		default:
			if i := strings.Index(v, " #"); i >= 0 {
				v = strings.TrimSpace(v[:i])
			}
		}
		out[k] = v
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}
