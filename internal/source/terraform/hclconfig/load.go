package hclconfig

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// VarArg is one --params-file (File) or --param (Name=Value) argument, given
// in command-line order: later ones win, as with Terraform's -var-file and -var.
type VarArg struct {
	File  string
	Name  string
	Value string
	// Plan names the plan file a Name=Value was read from (a plan's
	// variables, given back to read its configuration as it was planned).
	Plan string
}

// Options tune Load. The zero value is usable.
type Options struct {
	// ProjectRoot bounds file(), templatefile() and local module sources:
	// nothing outside it is read. Default: the nearest ancestor of the root
	// module directory that holds .git, else the root module directory.
	ProjectRoot string
	// Vars are the explicit var files and -var values, in order.
	Vars []VarArg
	// Env is the environment searched for TF_VAR_name (os.Environ() form);
	// nil means none.
	Env []string
	// Workspace is terraform.workspace; default "default".
	Workspace string
	// Overlay replaces (or adds) files by path: for re-loading patched bytes.
	Overlay map[string][]byte
	// ReadFile, when set, reads every file not in the overlay (absolute
	// paths), so a caller can keep the bytes it reports and edits.
	ReadFile func(path string) ([]byte, error)
	// MaxFileBytes bounds each file read (default 4 MiB).
	MaxFileBytes int64
	// MaxModuleDepth bounds module nesting (default 12).
	MaxModuleDepth int
	// MaxInstances bounds the instances of one resource or module call
	// (default 1000); MaxTotalInstances bounds the whole load (default 50000).
	MaxInstances      int
	MaxTotalInstances int
	// Timeout bounds the whole load (default 2 minutes).
	Timeout time.Duration
}

// Config is a loaded configuration.
type Config struct {
	Root *ModuleInstance
	// Modules lists every module instance, depth first, root first.
	Modules []*ModuleInstance
	// Resources lists every resource instance of every loaded module.
	Resources []*ResourceInstance
	// Sources holds every file read, by name, for diagnostics and edits.
	Sources map[string][]byte
	// Diags holds parse and evaluation diagnostics (file:line:col subjects).
	Diags hcl.Diagnostics
	// ProjectRoot is the effective project root.
	ProjectRoot string
}

// Resource returns the resource instance with full address addr, or nil.
func (c *Config) Resource(addr string) *ResourceInstance {
	for _, r := range c.Resources {
		if r.Addr == addr {
			return r
		}
	}
	return nil
}

// Module returns the module instance with address addr ("" for the root).
func (c *Config) Module(addr string) *ModuleInstance {
	for _, m := range c.Modules {
		if m.Addr == addr {
			return m
		}
	}
	return nil
}

type loader struct {
	opts        Options
	r           *reader
	rootDir     string // absolute root module directory (= path.cwd)
	projectReal string
	modules     map[string]*Module
	modulesJSON map[string]string // module key ("a.b") -> directory
	total       int32
	moduleCount int
	cancelled   atomic.Bool
	depth       int
	diags       hcl.Diagnostics
	diagSeen    map[string]bool
	fnCache     map[string]map[string]function.Function
	rootVars    map[string]*VarValue
	cfg         *Config
}

// Load loads the root module in dir with everything it calls and evaluates it.
func Load(dir string, opts Options) (*Config, hcl.Diagnostics) {
	if opts.MaxFileBytes <= 0 {
		opts.MaxFileBytes = 4 << 20
	}
	if opts.MaxModuleDepth <= 0 {
		opts.MaxModuleDepth = 12
	}
	if opts.MaxInstances <= 0 {
		opts.MaxInstances = 1000
	}
	if opts.MaxTotalInstances <= 0 {
		opts.MaxTotalInstances = 50000
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 2 * time.Minute
	}
	if opts.Workspace == "" {
		opts.Workspace = "default"
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid directory", Detail: err.Error()}}
	}
	overlay := map[string][]byte{}
	for p, b := range opts.Overlay {
		ap, err := filepath.Abs(p)
		if err == nil {
			overlay[filepath.Clean(ap)] = b
		}
	}
	l := &loader{
		opts:     opts,
		r:        &reader{overlay: overlay, maxBytes: opts.MaxFileBytes, readFile: opts.ReadFile},
		rootDir:  abs,
		modules:  map[string]*Module{},
		diagSeen: map[string]bool{},
		fnCache:  map[string]map[string]function.Function{},
	}
	root := opts.ProjectRoot
	if root == "" {
		root = findProjectRoot(abs)
	}
	if ar, err := filepath.Abs(root); err == nil {
		root = ar
	}
	l.projectReal = realPath(root)

	type result struct {
		cfg   *Config
		diags hcl.Diagnostics
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{nil, hcl.Diagnostics{{
					Severity: hcl.DiagError,
					Summary:  "Internal error while loading the configuration",
					Detail:   fmt.Sprintf("%v\n%s", p, debug.Stack()),
				}}}
			}
		}()
		cfg := l.run()
		done <- result{cfg, cfg.Diags}
	}()
	timer := time.NewTimer(opts.Timeout)
	defer timer.Stop()
	select {
	case res := <-done:
		return res.cfg, res.diags
	case <-timer.C:
		l.cancelled.Store(true)
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Configuration too expensive to evaluate",
			Detail:   fmt.Sprintf("Loading %s did not finish within %s.", dir, opts.Timeout),
		}}
	}
}

func findProjectRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

func realPath(p string) string {
	if rp, err := filepath.EvalSymlinks(p); err == nil {
		return rp
	}
	return filepath.Clean(p)
}

// within reports whether path lies inside the project root (after
// resolving symlinks of the part that exists).
func (l *loader) within(path string) bool {
	rp := realPath(path)
	if rp == l.projectReal {
		return true
	}
	rel, err := filepath.Rel(l.projectReal, rp)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func (l *loader) addDiag(d *hcl.Diagnostic) {
	key := d.Summary + "\x00" + d.Detail
	if d.Subject != nil {
		key += "\x00" + d.Subject.String()
	}
	if l.diagSeen[key] {
		return
	}
	l.diagSeen[key] = true
	l.diags = append(l.diags, d)
}

func (l *loader) addDiags(ds hcl.Diagnostics) {
	for _, d := range ds {
		l.addDiag(d)
	}
}

func (l *loader) module(dir string) *Module {
	key := filepath.Clean(dir)
	if m, ok := l.modules[key]; ok {
		return m
	}
	m := parseModule(l.r, key)
	l.modules[key] = m
	l.addDiags(m.Diags)
	return m
}

func (l *loader) run() *Config {
	cfg := &Config{Sources: map[string][]byte{}, ProjectRoot: l.projectReal}
	l.cfg = cfg
	l.readModulesJSON()
	rootMod := l.module(l.rootDir)
	root := newInstance(l, rootMod, nil, nil, "", cty.NilVal)
	root.Source = "."
	cfg.Root = root
	l.resolveRootVars(root)
	l.finalize(root)
	for _, m := range l.modules {
		for _, f := range m.Files {
			cfg.Sources[f.Name] = f.Bytes
		}
	}
	sortDiags(l.diags)
	cfg.Diags = l.diags
	return cfg
}

// finalize forces the evaluation of everything in mi and its children.
func (l *loader) finalize(mi *ModuleInstance) {
	l.cfg.Modules = append(l.cfg.Modules, mi)
	mi.callInputs()
	if mi.Module == nil {
		return
	}
	for _, name := range mi.Module.varOrder {
		mi.Vars[name] = mi.variable(name)
	}
	for _, name := range mi.Module.localOrder {
		mi.Locals[name] = mi.publicLocal(name)
	}
	for _, name := range mi.Module.outOrder {
		mi.Outputs[name] = mi.publicOutput(name)
	}
	for _, r := range mi.Module.Resources {
		insts := mi.instancesOf(r)
		for _, ri := range insts.list {
			ri.finalize()
			mi.Resources = append(mi.Resources, ri)
			l.cfg.Resources = append(l.cfg.Resources, ri)
		}
		if len(insts.list) == 0 {
			mi.Disabled = append(mi.Disabled, r)
		}
	}
	for _, c := range mi.Module.Calls {
		for _, child := range mi.children(c) {
			mi.Children = append(mi.Children, child)
			l.finalize(child)
		}
	}
}

// modulesJSON is .terraform/modules/modules.json.
type modulesManifest struct {
	Modules []struct {
		Key     string `json:"Key"`
		Source  string `json:"Source"`
		Version string `json:"Version"`
		Dir     string `json:"Dir"`
	} `json:"Modules"`
}

func (l *loader) readModulesJSON() {
	path := filepath.Join(l.rootDir, ".terraform", "modules", "modules.json")
	b, err := l.r.read(path)
	if err != nil {
		return
	}
	var man modulesManifest
	if err := json.Unmarshal(b, &man); err != nil {
		l.addDiag(&hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Cannot read the installed-modules manifest", Detail: fmt.Sprintf("%s: %v", path, err)})
		return
	}
	l.modulesJSON = map[string]string{}
	for _, m := range man.Modules {
		if m.Key == "" {
			continue
		}
		d := m.Dir
		if !filepath.IsAbs(d) {
			d = filepath.Join(l.rootDir, d)
		}
		l.modulesJSON[m.Key] = d
	}
}

// isLocalSource reports whether a module source is a local path.
func isLocalSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || s == "." || s == ".." ||
		strings.HasPrefix(s, ".\\") || strings.HasPrefix(s, "..\\")
}

// resolveCall finds the directory of a module call, or says why not.
func (l *loader) resolveCall(parent *ModuleInstance, c *ModuleCall) (dir string, notLoaded string, diag *hcl.Diagnostic) {
	subj := c.Block.TypeRange.Ptr()
	if c.SourceAttr != nil {
		subj = c.SourceAttr.ValueRange.Ptr()
	}
	if c.Source == "" {
		return "", "the module source is not a literal string", nil
	}
	if isLocalSource(c.Source) {
		dir = filepath.Join(parent.Module.Dir, filepath.FromSlash(c.Source))
		if parent.remote != "" {
			// A local source inside an installed module stays in it.
			if k := l.modulesJSON[parent.key(c.Name)]; k != "" {
				dir = k
			}
		}
		if !l.within(dir) && parent.remote == "" {
			return "", fmt.Sprintf("module source %q is outside the project root %s", c.Source, l.projectReal), &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Module source outside the project root",
				Detail:   fmt.Sprintf("The module source %q resolves to %s, outside the project root %s; it is not loaded.", c.Source, dir, l.projectReal),
				Subject:  subj,
			}
		}
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			if _, ok := l.r.overlayDir(dir); !ok {
				return "", fmt.Sprintf("module source %q: directory %s does not exist", c.Source, dir), &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Module directory not found",
					Detail:   fmt.Sprintf("The module source %q resolves to %s, which is not a directory.", c.Source, dir),
					Subject:  subj,
				}
			}
		}
		return dir, "", nil
	}
	if d, ok := l.modulesJSON[parent.key(c.Name)]; ok {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d, "", nil
		}
	}
	return "", fmt.Sprintf("module source %q is not installed (no .terraform/modules entry)", c.Source), nil
}

func (r *reader) overlayDir(dir string) (string, bool) {
	cdir := filepath.Clean(dir)
	for p := range r.overlay {
		if filepath.Dir(p) == cdir {
			return cdir, true
		}
	}
	return "", false
}

// instantiate creates the child instance for one key of a module call.
func (l *loader) instantiate(parent *ModuleInstance, c *ModuleCall, key cty.Value, keyStr string, each cty.Value, keyUnknown bool) *ModuleInstance {
	addr := "module." + c.Name + keyStr
	if parent.Addr != "" {
		addr = parent.Addr + "." + addr
	}
	child := newInstance(l, nil, parent, c, addr, key)
	child.Source = c.Source
	child.Version = c.Version
	child.KeyUnknown = keyUnknown
	child.callEach = each
	dir, reason, d := l.resolveCall(parent, c)
	if d != nil {
		l.addDiag(d)
	}
	if reason == "" {
		// Guard against a module that (indirectly) calls itself.
		rd := realPath(dir)
		for a := parent; a != nil; a = a.Parent {
			if a.Module != nil && realPath(a.Module.Dir) == rd {
				var chain []string
				for b := parent; b != nil; b = b.Parent {
					name := b.Addr
					if name == "" {
						name = "root"
					}
					chain = append([]string{name}, chain...)
					if b == a {
						break
					}
				}
				reason = fmt.Sprintf("module cycle: %s calls %s again (%s → %s)", addr, dir, strings.Join(chain, " → "), addr)
				l.addDiag(&hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Module calls itself",
					Detail:   fmt.Sprintf("The module call %s loads %s, which is already being loaded by %s; the cycle is not followed.", addr, dir, strings.Join(chain, " → ")),
					Subject:  c.Block.TypeRange.Ptr(),
				})
				break
			}
		}
	}
	if reason == "" && parent.Depth+1 > l.opts.MaxModuleDepth {
		reason = fmt.Sprintf("module nesting deeper than %d", l.opts.MaxModuleDepth)
		l.addDiag(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Modules nested too deeply",
			Detail:   fmt.Sprintf("%s is nested more than %d modules deep; it is not loaded.", addr, l.opts.MaxModuleDepth),
			Subject:  c.Block.TypeRange.Ptr(),
		})
	}
	if reason == "" && l.moduleCount >= 2000 {
		reason = "too many module instances (limit 2000)"
		l.addDiag(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Too many module instances", Detail: "More than 2000 module instances; the rest are not loaded.", Subject: c.Block.TypeRange.Ptr()})
	}
	if reason != "" {
		child.NotLoaded = reason
		return child
	}
	l.moduleCount++
	child.Module = l.module(dir)
	child.Depth = parent.Depth + 1
	if !isLocalSource(c.Source) || parent.remote != "" {
		child.remote = c.Source
		if parent.remote != "" {
			child.remote = parent.remote
		}
	}
	return child
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
