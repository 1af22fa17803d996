// Package code is the handler-code source: for each function a
// configuration source located (model.Function.Code), it finds the
// function's own source files, reads them with a tokenizer (Python,
// JavaScript, TypeScript, Java: package srctok) or go/parser (Go), and
// records the outbound calls they make (model.Call): which client, the
// timeout of one attempt as set or the library's default, the attempts
// its retry policy allows, and the edit that bounds it. Timeouts read
// from a variable are followed through the file; those read from an
// environment variable are resolved through what the function's
// configuration sets (model.Function.Env), else unknown, and said so.
package code

import (
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/srctok"
)

// Options tune a scan.
type Options struct {
	// ReadFile reads a source file; os.ReadFile when nil.
	ReadFile func(string) ([]byte, error)
	// All scans every function with code, not only those behind a
	// synchronous integration (the corpus sweep counts them all).
	All bool
}

// Result is what a scan read.
type Result struct {
	// Sources are the bytes of every code file read, by path, for fixes.
	Sources map[string][]byte
	// Files counts the distinct files read per language.
	Files map[string]int
	// Calls counts the outbound calls found, over all functions.
	Calls int
	// Functions counts the functions whose code was found and read.
	Functions int
}

// Language names, as messages and counts say them.
const (
	Python     = "Python"
	JavaScript = "JavaScript"
	TypeScript = "TypeScript"
	Go         = "Go"
	Java       = "Java"
)

// langOf tells a source file's language from its name; "" for others.
func langOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".py":
		return Python
	case ".js", ".mjs", ".cjs", ".jsx":
		return JavaScript
	case ".ts", ".mts", ".cts", ".tsx":
		if strings.HasSuffix(path, ".d.ts") {
			return ""
		}
		return TypeScript
	case ".go":
		return Go
	case ".java":
		return Java
	}
	return ""
}

// rawCall is a call found in one file, finished per function once its
// environment is known.
type rawCall struct {
	at    loc.Range
	build func(e *fnEnv) *model.Call
}

// envFunc looks up an environment variable the function's configuration
// sets: its text and where, whether it is known, and why not.
type envFunc func(name string) (text string, at loc.Range, ok bool, why string)

// fileScan is what one file holds.
type fileScan struct {
	path    string
	lang    string
	calls   []rawCall
	imports []string // module specifiers as written
}

// scanner reads each file once however many functions share it.
type scanner struct {
	read  func(string) ([]byte, error)
	files map[string]*fileScan
	res   *Result
	m     *model.Model
}

// Scan reads the code of every function of m behind a synchronous
// integration (or every function, with o.All) and sets its Calls.
func Scan(m *model.Model, o Options) *Result {
	s := &scanner{read: o.ReadFile, files: map[string]*fileScan{}, res: &Result{Sources: map[string][]byte{}, Files: map[string]int{}}, m: m}
	if s.read == nil {
		s.read = os.ReadFile
	}
	listed := map[string][]string{}
	for _, fn := range m.Functions {
		if fn.Code == nil || !o.All && !waitedOn(fn) {
			continue
		}
		var scans []*fileScan
		if in := fn.Code.Inline; in != nil {
			if fs := s.inline(in, fn.Code.Loc); fs != nil {
				scans = append(scans, fs)
			}
		} else {
			files, ok := listed[fn.Code.Dir]
			if !ok {
				files = listFiles(fn.Code.Dir)
				listed[fn.Code.Dir] = files
			}
			for _, p := range s.reachable(fn.Code, files) {
				if fs := s.file(p); fs != nil {
					scans = append(scans, fs)
				}
			}
		}
		if len(scans) == 0 {
			continue
		}
		fn.CodeRead = true
		s.res.Functions++
		env := newEnv(fn)
		for _, fs := range scans {
			for _, rc := range fs.calls {
				if c := rc.build(env); c != nil {
					fn.Calls = append(fn.Calls, c)
				}
			}
		}
		for _, c := range fn.Calls {
			if !c.Timeout.Known && !c.Unbounded && c.Timeout.Unknown != "" {
				m.Notes = append(m.Notes, model.Note{Loc: c.Loc, Message: fmt.Sprintf("%s in the code of function %s: its timeout is unknown: %s", c.Client, fn.Resource.Name(), c.Timeout.Unknown)})
			}
		}
		s.res.Calls += len(fn.Calls)
	}
	return s.res
}

// waitedOn reports whether someone waits for fn: an integration that
// invokes it synchronously serves an endpoint with a waiting client.
func waitedOn(fn *model.Function) bool {
	for _, in := range fn.Integrations {
		if in.Kind != model.LambdaProxy && in.Kind != model.LambdaSync {
			continue
		}
		for _, e := range in.Endpoints {
			if e.Waiting != model.NobodyWaits {
				return true
			}
		}
	}
	return false
}

// envOf looks environment variables up in the function's configuration.
func envOf(fn *model.Function) envFunc {
	return func(name string) (string, loc.Range, bool, string) {
		ev, ok := fn.Env[name]
		if !ok {
			return "", loc.Range{}, false, ""
		}
		if !ev.Known {
			return "", ev.Loc, false, ev.Unknown
		}
		return ev.Value, ev.Loc, true, ""
	}
}

// envEdit is the edit of an environment variable's value in the
// function's configuration, when the source offers one.
func envEdit(fn *model.Function, name string) func(string) []finding.TextEdit {
	if ev, ok := fn.Env[name]; ok && ev.Edit != nil {
		return ev.Edit
	}
	return nil
}

// skipDirs are directories that hold no code of the function's own:
// dependencies, virtual environments, build output, tests.
var skipDirs = map[string]bool{
	"node_modules": true, "vendor": true, "venv": true, "env": true, "virtualenv": true, "site-packages": true,
	"__pycache__": true, "build": true, "dist": true, "out": true, "target": true, "bin": true, "obj": true,
	"cdk.out": true, "coverage": true, "tests": true, "test": true, "__tests__": true, "__mocks__": true,
	"testdata": true, "events": true,
}

// maxFile is the largest source file read: bigger ones are bundles or
// generated.
const maxFile = 1 << 20

// listFiles lists the source files of a code directory, without
// dependencies (node_modules, vendor, a virtual environment, packages pip
// installed beside the code), build output and tests.
func listFiles(dir string) []string {
	deps := pipTargets(dir)
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p == dir {
				return nil
			}
			if strings.HasPrefix(name, ".") || skipDirs[strings.ToLower(name)] || deps[name] ||
				strings.HasSuffix(name, ".dist-info") || strings.HasSuffix(name, ".egg-info") || isVenv(p) {
				return filepath.SkipDir
			}
			return nil
		}
		if langOf(p) == "" || isTestFile(name) || !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err != nil || info.Size() > maxFile {
			return nil
		}
		out = append(out, p)
		return nil
	})
	sort.Strings(out)
	return out
}

// isVenv reports whether a directory is a Python virtual environment.
func isVenv(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "pyvenv.cfg"))
	return err == nil
}

// pipTargets are the top-level packages `pip install -t` put beside the
// code (named by their .dist-info's top_level.txt).
func pipTargets(dir string) map[string]bool {
	out := map[string]bool{}
	infos, _ := filepath.Glob(filepath.Join(dir, "*.dist-info"))
	for _, info := range infos {
		data, err := os.ReadFile(filepath.Join(info, "top_level.txt"))
		if err != nil {
			base := strings.SplitN(filepath.Base(info), "-", 2)[0]
			out[base] = true
			continue
		}
		for _, l := range strings.Fields(string(data)) {
			out[l] = true
		}
	}
	return out
}

func isTestFile(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "test_") || strings.HasSuffix(n, "_test.py") || strings.HasSuffix(n, "_test.go") ||
		strings.Contains(n, ".test.") || strings.Contains(n, ".spec.") || n == "conftest.py" ||
		strings.HasSuffix(n, "test.java") || strings.HasSuffix(n, "tests.java")
}

// reachable lists the files of the function: its handler's file and
// the local files it imports, transitively; every file of the runtime's
// language when the handler's file is not found (or, for Go and Java,
// whose packages are directories, always).
func (s *scanner) reachable(c *model.Code, files []string) []string {
	lang := runtimeLang(c.Runtime)
	entry := entryFile(c, files)
	if entry == "" || lang == Go || lang == Java || langOf(entry) == Go || langOf(entry) == Java {
		var out []string
		for _, f := range files {
			l := langOf(f)
			if lang == "" || l == lang || lang == JavaScript && l == TypeScript {
				out = append(out, f)
			}
		}
		return out
	}
	in := map[string]bool{}
	for _, f := range files {
		in[f] = true
	}
	seen := map[string]bool{entry: true}
	queue := []string{entry}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		fs := s.file(p)
		if fs == nil {
			continue
		}
		for _, spec := range fs.imports {
			for _, q := range resolveImport(c.Dir, p, fs.lang, spec) {
				if in[q] && !seen[q] {
					seen[q] = true
					queue = append(queue, q)
				}
			}
		}
	}
	var out []string
	for _, f := range files {
		if seen[f] {
			out = append(out, f)
		}
	}
	return out
}

// runtimeLang is the language a Lambda runtime runs; "" when not told.
func runtimeLang(rt string) string {
	rt = strings.ToLower(rt)
	switch {
	case strings.HasPrefix(rt, "python"):
		return Python
	case strings.HasPrefix(rt, "nodejs"):
		return JavaScript
	case strings.HasPrefix(rt, "go"):
		return Go
	case strings.HasPrefix(rt, "java"):
		return Java
	}
	return ""
}

// entryFile is the file the handler names: "app.handler" is app.py or
// app.js (or .mjs, .cjs, .ts), "src/handlers/get.main" under src/handlers.
func entryFile(c *model.Code, files []string) string {
	h := c.Handler
	if h == "" || strings.Contains(h, "::") {
		return ""
	}
	i := strings.LastIndexByte(h, '.')
	if i <= 0 {
		return ""
	}
	mod := h[:i]
	var cands []string
	switch runtimeLang(c.Runtime) {
	case Python:
		mod = strings.ReplaceAll(mod, ".", "/")
		cands = []string{mod + ".py", mod + "/__init__.py"}
	case JavaScript, "":
		for _, ext := range []string{".js", ".mjs", ".cjs", ".ts", ".mts", ".py"} {
			cands = append(cands, mod+ext)
		}
	}
	for _, c2 := range cands {
		p := filepath.Join(c.Dir, filepath.FromSlash(c2))
		if slices.Contains(files, p) {
			return p
		}
	}
	return ""
}

// resolveImport turns a module specifier into the local files it may
// name.
func resolveImport(root, from, lang, spec string) []string {
	switch lang {
	case Python:
		dir := root
		rel := strings.TrimLeft(spec, ".")
		if dots := len(spec) - len(rel); dots > 0 {
			dir = filepath.Dir(from)
			for i := 1; i < dots; i++ {
				dir = filepath.Dir(dir)
			}
		}
		var out []string
		for _, base := range []string{dir, filepath.Dir(from)} {
			p := filepath.Join(base, filepath.FromSlash(strings.ReplaceAll(rel, ".", "/")))
			if rel == "" {
				p = base
			}
			out = append(out, p+".py", filepath.Join(p, "__init__.py"))
			// from pkg import mod: the module may be a file of the package.
			if i := strings.LastIndexByte(rel, '.'); i > 0 {
				out = append(out, filepath.Join(base, filepath.FromSlash(strings.ReplaceAll(rel[:i], ".", "/")))+".py")
			}
		}
		return out
	case JavaScript, TypeScript:
		if !strings.HasPrefix(spec, ".") {
			return nil
		}
		p := filepath.Join(filepath.Dir(from), filepath.FromSlash(spec))
		out := []string{p}
		stem := strings.TrimSuffix(p, filepath.Ext(p))
		for _, ext := range []string{".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx"} {
			out = append(out, p+ext, stem+ext, filepath.Join(p, "index"+ext))
		}
		return out
	}
	return nil
}

// file reads and scans one file, once.
func (s *scanner) file(p string) *fileScan {
	if fs, ok := s.files[p]; ok {
		return fs
	}
	s.files[p] = nil
	data, err := s.read(p)
	if err != nil || len(data) > maxFile {
		return nil
	}
	lang := langOf(p)
	fs := scanFile(p, data, lang, nil)
	s.files[p] = fs
	s.res.Sources[p] = data
	s.res.Files[lang]++
	return fs
}

// inline scans code written in a configuration file.
func (s *scanner) inline(in *model.InlineCode, at loc.Range) *fileScan {
	key := fmt.Sprintf("%s@%d", in.File, in.Offset)
	if fs, ok := s.files[key]; ok {
		return fs
	}
	s.files[key] = nil
	tmpl, err := s.read(in.File)
	if err != nil {
		return nil
	}
	lang := langOf("x" + in.Ext)
	fs := scanFile(in.File, in.Text, lang, &inlineMap{in: in, file: &srctok.File{Path: in.File, Src: tmpl}, fallback: at})
	s.files[key] = fs
	s.res.Files[lang]++
	return fs
}

// inlineMap turns offsets into inline code into the configuration
// file's.
type inlineMap struct {
	in   *model.InlineCode
	file *srctok.File // the configuration file, for positions
	// fallback is where a finding in code that cannot be mapped points:
	// the inline code's key.
	fallback loc.Range
}

// scanFile reads one file's calls. A bug of ours costs the file, never
// the run.
func scanFile(path string, data []byte, lang string, im *inlineMap) (fs *fileScan) {
	defer func() {
		if p := recover(); p != nil {
			fs = &fileScan{path: path, lang: lang}
		}
	}()
	switch lang {
	case Python:
		return scanPython(path, data, im)
	case JavaScript, TypeScript:
		return scanJS(path, data, lang, im)
	case Go:
		return scanGo(path, data)
	case Java:
		return scanJava(path, data)
	}
	return &fileScan{path: path, lang: lang}
}

// Reader checks patched code files before a fix is written (the driver
// keeps it as the reader of every file a scan read). It claims no walked
// file: code is found through the functions that run it.
type Reader struct{}

// Name is what the source reads.
func (Reader) Name() string { return "handler code" }

// Wants is false: code files are not walked for.
func (Reader) Wants(string) bool { return false }

// Read claims nothing.
func (Reader) Read(*source.File, *model.Builder) source.Outcome {
	return source.Outcome{Label: "not a configuration file"}
}

// Reparse checks a patched code file: Go must still parse; other
// languages must tokenize with no more problems (unterminated strings,
// unmatched brackets) than before.
func (Reader) Reparse(path string, before, after []byte) error {
	switch lang := langOf(path); lang {
	case Go:
		fset := token.NewFileSet()
		if _, err := parser.ParseFile(fset, path, before, parser.SkipObjectResolution); err != nil {
			return nil // it did not parse before: nothing of it was judged
		}
		if _, err := parser.ParseFile(fset, path, after, parser.SkipObjectResolution); err != nil {
			return fmt.Errorf("the patched file no longer parses: %v", err)
		}
		return nil
	case "":
		return errors.New("not a source file gatelint reads")
	default:
		py := lang == Python
		was := srctok.Parse(path, before, py).Problems
		now := srctok.Parse(path, after, py).Problems
		if now > was {
			return fmt.Errorf("the patched file would have %d unbalanced brackets or unterminated strings, %d before", now, was)
		}
		return nil
	}
}

// value turns a resolved number into the model's Value: unit is what 1
// means in the code (time.Second, time.Millisecond).
func value(n num, setting string, unit time.Duration, u model.Unit) (model.Value, bool) {
	v := model.Value{Setting: setting, Unit: u, Loc: n.at}
	switch n.k {
	case numKnown:
		v.Known, v.D = true, n.duration(unit)
		v.Origin = model.Literal
		if n.via != "" {
			v.Origin = model.Variable
			v.Via = model.Via{Name: n.via, Loc: n.viaAt}
		}
		return v, false
	case numNone:
		v.Known = true
		return v, true
	}
	v.Unknown = n.why
	if v.Unknown == "" {
		v.Unknown = "not evaluated"
	}
	return v, false
}

// dfltValue is a library's default, located at what it applies to.
func dfltValue(d time.Duration, setting string, at loc.Range, u model.Unit) model.Value {
	return model.Value{Known: true, D: d, Unit: u, Setting: setting, Origin: model.Default, Loc: at}
}
