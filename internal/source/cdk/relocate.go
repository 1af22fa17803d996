package cdk

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
)

// relocator moves what cfn.Load built from one template to the app's
// source.
type relocator struct {
	f     *source.File
	b     *model.Builder
	st    *stack
	read  func(string) ([]byte, error)
	res   *resolver
	files map[string]*srcFile
	errs  map[string]error
	names map[*srcFile]durationNames
	// types are the template's resources by logical ID.
	types map[string]struct{ typ, path string }
	share *shareIndex
	// loops counts, per invocation (a frame and the frames around it) and
	// CloudFormation type, the resources of this template it created.
	loops  map[string]int
	placed map[*model.Resource]*placed
	noted  map[string]bool
	// deep counts resources located at an ancestor construct because their
	// own trace has no frame of the app.
	deep int
}

func newRelocator(f *source.File, b *model.Builder, st *stack, read func(string) ([]byte, error)) *relocator {
	r := &relocator{f: f, b: b, st: st, read: read, res: newResolver(f.Path),
		files: map[string]*srcFile{}, errs: map[string]error{}, names: map[*srcFile]durationNames{},
		types: templateResources(f.Data), loops: map[string]int{}, placed: map[*model.Resource]*placed{},
		noted: map[string]bool{}}
	r.share = assemblyShares(st, read)
	for _, t := range r.types {
		frs := userFrames(st.creation(t.path))
		for k := range frs {
			r.loops[invocation(frs, k)+"\x00"+t.typ]++
		}
	}
	return r
}

// site is one user frame of a trace, found in the app's source.
type site struct {
	fr     frame
	src    *srcFile
	call   *call
	shared bool
}

// placed is a resource of the template as located in the app.
type placed struct {
	res   *model.Resource
	typ   string
	path  string
	sites []site
	ok    bool
}

// relocate locates every resource and value of the template's model.
func (r *relocator) relocate() {
	m := r.b.Model()
	for _, fn := range m.Functions {
		p := r.place(fn.Resource)
		r.durations(fn.Timeout, p, fnTimeout)
	}
	for _, q := range m.Queues {
		p := r.place(q.Resource)
		r.durations(q.VisibilityTimeout, p, queueVisibility)
	}
	done := map[*model.Integration]bool{}
	for _, api := range m.APIs {
		pa := r.place(api.Resource)
		for _, e := range api.Endpoints {
			pe := r.place(e.Resource)
			e.Loc = r.move(e.Loc, pe)
			if in := e.Integration; in != nil && !done[in] {
				done[in] = true
				pi := r.place(in.Resource)
				r.integration(in, pi)
			}
		}
		for _, st := range api.Stages {
			ps := r.place(st.Resource)
			r.stage(st, ps, pa)
		}
	}
	for _, es := range m.EventSources {
		es.Loc = r.move(es.Loc, r.place(es.Resource))
	}
	if r.deep > 0 {
		r.b.Notef(loc.Range{File: r.st.manifest}, "%d resources of stack %s have no frame of the app in their creation traces (node keeps 10 frames): they are located at the construct that created them; synthesize with NODE_OPTIONS=--stack-trace-limit=50 for their own lines", r.deep, r.st.name)
	}
}

// place locates a resource at the app's construct call, once.
func (r *relocator) place(res *model.Resource) *placed {
	if res == nil {
		return &placed{}
	}
	if p := r.placed[res]; p != nil {
		return p
	}
	p := &placed{res: res}
	r.placed[res] = p
	path := res.CDKPath
	if path == "" {
		path = r.st.paths[res.LogicalID]
	}
	p.typ = r.types[res.LogicalID].typ
	if path == "" {
		return p
	}
	p.path = path
	p.sites = r.sites(res, path, p.typ)
	key := -1
	for i, s := range p.sites {
		if s.call != nil && (key < 0 || !s.shared && p.sites[key].shared) {
			key = i
		}
		if key >= 0 && !p.sites[key].shared {
			break
		}
	}
	if key < 0 {
		return p
	}
	s := p.sites[key]
	old := res.Key
	res.Key = r.span(s.src, s.call.first, s.call.head)
	r.b.Generated(res.Key, res.Address, finding.Related{Location: old, Message: res.LogicalID + " in the synthesized template"})
	p.ok = true
	return p
}

// move relocates a location that the template put at a resource (its
// key, a route key, an integration) to the resource's place in the app.
func (r *relocator) move(old loc.Range, p *placed) loc.Range {
	if !p.ok {
		return old
	}
	r.b.Generated(p.res.Key, p.res.Address, finding.Related{Location: old, Message: p.res.LogicalID + " in the synthesized template"})
	return p.res.Key
}

// sites resolves the user frames of the construct at path: its own
// creation trace, or the nearest ancestor's when its own has none.
func (r *relocator) sites(res *model.Resource, path, typ string) []site {
	frs := userFrames(r.st.creation(path))
	if len(frs) == 0 {
		for p := parentPath(path); p != ""; p = parentPath(p) {
			for _, cand := range []string{p + "/Resource", p} {
				if frs = userFrames(r.st.creation(cand)); len(frs) > 0 {
					break
				}
			}
			if len(frs) > 0 {
				r.deep++
				break
			}
		}
	}
	hint := constructID(path)
	var out []site
	for k, fr := range frs {
		s, err := r.site(fr, hint)
		if err != nil {
			r.notef(fr.String(), "%s: the app's frame %s cannot be followed (%v): what it defines stays on the synthesized template", displayPath(res, path), fr, err)
			continue
		}
		s.shared = r.share.shared(frs[k].String()) || r.loops[invocation(frs, k)+"\x00"+typ] > 1
		out = append(out, s)
	}
	return out
}

func (r *relocator) notef(key, format string, args ...any) {
	if r.noted[key] {
		return
	}
	r.noted[key] = true
	r.b.Notef(loc.Range{File: r.f.Path}, format, args...)
}

// site finds one frame in the app: the file by the longest suffix of its
// path that exists here, a .js file of a TypeScript build through its
// source map, and the call at the position.
func (r *relocator) site(fr frame, hint string) (site, error) {
	local := r.res.resolve(fr.file)
	if local == "" {
		return site{}, fmt.Errorf("no file of that path exists under %s", rel(r.res.bases[0]))
	}
	src, err := r.source(local)
	if err != nil {
		return site{}, err
	}
	line, col, colTens := fr.line, fr.col, fr.colTens
	if ext := strings.ToLower(filepath.Ext(local)); ext == ".js" || ext == ".cjs" || ext == ".mjs" {
		m, ok, err := mapFrame(local, src.Src, line, max(col, 1), r.read)
		switch {
		case err != nil:
			return site{}, fmt.Errorf("%s was compiled, but %v", rel(local), err)
		case ok:
			if src, err = r.source(m.file); err != nil {
				return site{}, fmt.Errorf("its source map names %s: %v", rel(m.file), err)
			}
			line, col = m.line, m.col
			if fr.col == 0 {
				col = 0
			}
			colTens = false
		}
	}
	s := site{fr: frame{fn: fr.fn, file: src.Path, line: line, col: col}, src: src}
	if col == 0 || colTens {
		calls := src.callsOnLine(line)
		if colTens {
			calls = slicesFilter(calls, func(c *call) bool {
				cc := src.column16(src.Toks[c.first].Start)
				return cc/10 == col
			})
		}
		s.call = pick(src, calls, hint)
		if s.call == nil {
			return site{}, fmt.Errorf("no call on line %d of %s", line, rel(src.Path))
		}
		return s, nil
	}
	off, ok := src.offsetOf(line, col)
	if !ok {
		return site{}, fmt.Errorf("%s has no line %d (is cdk.out older than the source? synthesize again)", rel(src.Path), line)
	}
	if s.call, err = src.callAt(off); err != nil {
		return site{}, fmt.Errorf("%s:%d:%d: %v (is cdk.out older than the source? synthesize again)", rel(src.Path), line, col, err)
	}
	return s, nil
}

func slicesFilter(cs []*call, keep func(*call) bool) []*call {
	var out []*call
	for _, c := range cs {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// pick chooses among the calls on a line the one whose arguments name the
// construct's id (`Function(self, "SlowFn", ...)`), else the first.
func pick(src *srcFile, calls []*call, id string) *call {
	for _, c := range calls {
		for _, a := range c.args {
			if v, ok := src.stringValue(a[0]); ok && a[0] == a[1] && v == id {
				return c
			}
		}
	}
	if len(calls) > 0 {
		return calls[0]
	}
	return nil
}

// source reads and tokenizes a file of the app, once.
func (r *relocator) source(path string) (*srcFile, error) {
	if s := r.files[path]; s != nil {
		return s, nil
	}
	if err := r.errs[path]; err != nil {
		return nil, err
	}
	data, err := r.read(path)
	if err != nil {
		err = fmt.Errorf("%s cannot be read", rel(path))
		r.errs[path] = err
		return nil, err
	}
	s := parseSource(path, data, isPython(path))
	r.files[path] = s
	return s, nil
}

// column16 is the 1-based V8 column (UTF-16 code units) of an offset.
func (s *srcFile) column16(off int) int {
	start := s.lineStarts()[s.lineOf(off)-1]
	col := 1
	for _, c := range string(s.Src[start:off]) {
		col++
		if c >= 0x10000 {
			col++
		}
	}
	return col
}

// pos is an offset as loc.Pos: the column counts code points.
func (s *srcFile) pos(off int) loc.Pos {
	line := s.lineOf(off)
	start := s.lineStarts()[line-1]
	return loc.Pos{Line: line, Column: utf8.RuneCount(s.Src[start:off]) + 1, Offset: off}
}

// span is the range from token a to token b.
func (r *relocator) span(s *srcFile, a, b int) loc.Range {
	return loc.Range{File: s.Path, Start: s.pos(s.Toks[a].Start), End: s.pos(s.Toks[b].End)}
}

func (s *srcFile) edit(start, end int, text string) finding.TextEdit {
	return finding.TextEdit{File: s.Path, Start: start, End: end, NewText: text, StartPos: s.pos(start), EndPos: s.pos(end)}
}

// parentPath is the construct path one level up, "" above the stack.
func parentPath(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return ""
	}
	return p[:i]
}

// constructID is the id the app gave the construct at path: the last
// segment of its path, not counting the L1's "Resource".
func constructID(path string) string {
	path = strings.TrimSuffix(path, "/Resource")
	return path[strings.LastIndexByte(path, '/')+1:]
}

func displayPath(res *model.Resource, path string) string {
	if res != nil && res.Display != "" {
		return res.Display
	}
	return strings.TrimSuffix(path, "/Resource")
}

// invocation identifies one execution of the code at frame k: the frame
// and every frame that called it.
func invocation(frs []frame, k int) string {
	var b strings.Builder
	for _, f := range frs[k:] {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// shareIndex says, for each traced position in the whole assembly, from
// how many different call chains it ran: code that runs for two chains (a
// helper, a construct class used twice) is shared, and a value written
// there is not one construct's to change.
type shareIndex struct {
	suffixes map[string]map[string]bool
}

// shared reports whether the code at a position ran for two call chains.
// Node keeps only the innermost frames, so a chain cut short (one a
// prefix of the other) is the same chain.
func (idx *shareIndex) shared(pos string) bool {
	var chains []string
	for c := range idx.suffixes[pos] {
		chains = append(chains, c)
	}
	for i, a := range chains {
		for _, b := range chains[i+1:] {
			if !strings.HasPrefix(a, b) && !strings.HasPrefix(b, a) {
				return true
			}
		}
	}
	return false
}

func assemblyShares(st *stack, read func(string) ([]byte, error)) *shareIndex {
	idx := &shareIndex{suffixes: map[string]map[string]bool{}}
	add := func(meta map[string][]entry) {
		for path := range meta {
			frs := userFrames((&stack{meta: meta}).creation(path))
			for k := range frs {
				key := frs[k].String()
				if idx.suffixes[key] == nil {
					idx.suffixes[key] = map[string]bool{}
				}
				idx.suffixes[key][invocation(frs, k+1)] = true
			}
		}
	}
	for _, other := range otherStacks(st, read) {
		add(other)
	}
	return idx
}

// otherStacks reads the metadata of every stack of the assembly, this one
// included.
func otherStacks(st *stack, read func(string) ([]byte, error)) []map[string][]entry {
	out := []map[string][]entry{st.meta}
	data, err := read(st.manifest)
	if err != nil {
		return out
	}
	var m manifest
	if json.Unmarshal(data, &m) != nil {
		return out
	}
	dir := filepath.Dir(st.manifest)
	for name, a := range m.Artifacts {
		if a.Type != "aws:cloudformation:stack" || name == st.name {
			continue
		}
		md := map[string][]entry{}
		for k, es := range a.Metadata {
			md[strings.TrimPrefix(k, "/")] = es
		}
		if f := a.AdditionalMetadataFile; f != "" && !strings.Contains(f, "..") {
			if side, err := read(filepath.Join(dir, filepath.FromSlash(f))); err == nil {
				var extra map[string][]entry
				if json.Unmarshal(side, &extra) == nil {
					for k, es := range extra {
						k = strings.TrimPrefix(k, "/")
						md[k] = append(md[k], es...)
					}
				}
			}
		}
		out = append(out, md)
	}
	return out
}

// setting is a duration property as the app and the template spell it.
type setting struct {
	js, py string // the props key: timeout, visibilityTimeout / visibility_timeout
	cfn    string // the CloudFormation property: Timeout, VisibilityTimeout
	// l1 is the L1 construct's property (cfn.timeout = 45), a number of
	// per.
	l1  string
	per time.Duration
	// max is the longest value the construct accepts, when it checks: an
	// edit past it would not synthesize.
	max time.Duration
}

var (
	fnTimeout       = setting{js: "timeout", py: "timeout", cfn: "Timeout", l1: "timeout", per: time.Second}
	queueVisibility = setting{js: "visibilityTimeout", py: "visibility_timeout", cfn: "VisibilityTimeout", l1: "visibilityTimeout", per: time.Second}
	integTimeout    = setting{js: "timeout", py: "timeout", cfn: "Integration", l1: "timeoutInMillis", per: time.Millisecond}
	// aws-cdk-lib's HttpIntegration and WebSocketIntegration reject a
	// timeout above 29 s ("Integration timeout must be between 50
	// milliseconds and 29 seconds", aws-apigatewayv2/lib/http/integration.js
	// in 2.276.0), though an HTTP API may wait 30 s.
	integV2Timeout = setting{js: "timeout", py: "timeout", cfn: "Integration", l1: "timeoutInMillis", per: time.Millisecond, max: 29 * time.Second}
)

func (w setting) key(py bool) string {
	if py {
		return w.py
	}
	return w.js
}

// durations locates each value of a setting of a placed resource.
func (r *relocator) durations(vs model.Values, p *placed, w setting) {
	for i := range vs {
		r.duration(&vs[i], p, w)
	}
}

// propsLanguage reports whether gatelint reads construct props in a file
// of this name: JavaScript, TypeScript and Python.
func propsLanguage(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".js", ".cjs", ".mjs", ".jsx", ".ts", ".cts", ".mts", ".tsx", ".py":
		return true
	}
	return false
}

// lookupPath finds a member by its key path in props (nested objects,
// or Python props classes).
func lookupPath(s *srcFile, ms []member, path []string) (member, bool, bool) {
	for i, key := range path {
		m, found, spread := lookupMember(ms, key)
		if !found || i == len(path)-1 {
			return m, found, spread || !found && hasSpread(ms)
		}
		nested, ok := s.objectAt(s.trimCast(m.value))
		if !ok {
			return member{}, false, false
		}
		ms = nested
	}
	return member{}, false, false
}

// search looks for the setting in the props of each site's call, from the
// construct's own call outwards, as long as the props spread in others
// (a helper's `...extra`, Python's **kwargs).
func (r *relocator) search(sites []site, paths [][]string) (k int, m member, found bool) {
	for k, s := range sites {
		if s.call == nil || s.call.assign {
			return -1, member{}, false
		}
		ms, _ := s.src.props(s.call)
		spread := false
		for _, path := range paths {
			m, found, sp := lookupPath(s.src, ms, translate(path, s.src.Py))
			if found {
				return k, m, true
			}
			spread = spread || sp
		}
		if !spread {
			return -1, member{}, false
		}
	}
	return -1, member{}, false
}

// translate spells a key path in Python's snake case when needed.
func translate(path []string, py bool) []string {
	if !py {
		return path
	}
	out := make([]string, len(path))
	for i, k := range path {
		var b strings.Builder
		for j, c := range k {
			if c >= 'A' && c <= 'Z' {
				if j > 0 {
					b.WriteByte('_')
				}
				c += 'a' - 'A'
			}
			b.WriteRune(c)
		}
		out[i] = b.String()
	}
	return out
}

// duration locates one value in the app and gives it the app's remedy.
func (r *relocator) duration(v *model.Value, p *placed, w setting) {
	r.locateDuration(v, p, p.sites, [][]string{{w.js}}, w)
}

// locateDuration does the work of duration for the sites given (an
// integration's call rather than the resource's own).
func (r *relocator) locateDuration(v *model.Value, p *placed, sites []site, paths [][]string, w setting) {
	if !p.ok || !v.Known {
		return
	}
	old, oldSetting := v.Loc, v.Setting
	py := len(sites) > 0 && sites[0].src.Py
	defer func() {
		r.b.Generated(v.Loc, p.res.Address, finding.Related{Location: old, Message: oldSetting + " in the synthesized template"})
	}()
	v.Setting = w.key(py)
	v.Remedy = model.Remedy{}
	v.Loc = p.res.Key
	if len(sites) == 0 || !propsLanguage(sites[0].src.Path) {
		// Java, C#, Go: the construct's line is known, its props are not
		// read (builders, structs): no edit, and nothing said of them.
		return
	}
	k, m, found := r.search(sites, paths)
	if found {
		s := sites[k]
		val := s.src.trimCast(m.value)
		v.Loc = r.span(s.src, val[0], val[1])
		here := s.src.pos(s.src.Toks[val[0]].Start)
		at := fmt.Sprintf("%s:%d:%d", rel(s.src.Path), here.Line, here.Column)
		lit, ok := s.src.duration(m.value, r.namesOf(s.src))
		switch {
		case !ok:
			text := strings.Join(strings.Fields(string(s.src.Src[s.src.Toks[val[0]].Start:s.src.Toks[val[1]].End])), " ")
			v.Remedy.Advice = func(d time.Duration) string {
				return fmt.Sprintf(" %s is %s at %s, not a literal: make it %s where it is computed.", v.Setting, clip(text), at, r.durationText(s.src, d, "seconds"))
			}
		case lit.d != v.D:
			v.Remedy.Advice = func(time.Duration) string {
				return fmt.Sprintf(" The app says %s at %s, the synthesized template %s: synthesize again (cdk synth) or find where it is overridden.", s.src.Text(lit.unit)+"("+s.src.Text(lit.unit+2)+")", at, v.Text())
			}
		case s.shared:
			v.Remedy.Advice = func(d time.Duration) string {
				return fmt.Sprintf(" It is set at %s, in code that makes other constructs too: set %s to %s for this one alone.", at, v.Setting, r.durationText(s.src, d, lit.unitName))
			}
		default:
			src := s.src
			// Messages and the fix's description speak the unit the app
			// writes (Duration.seconds(10): "10 s", "set timeout to 29"),
			// not the template's milliseconds.
			v.Unit = model.InSeconds
			if lit.unitName == "millis" || v.D%time.Second != 0 {
				v.Unit = model.InMillis
			}
			v.Remedy.Edit = func(d time.Duration) []finding.TextEdit {
				if d <= 0 || d%time.Millisecond != 0 || w.max > 0 && d > w.max {
					return nil
				}
				return []finding.TextEdit{src.edit(src.Toks[lit.unit].Start, src.Toks[lit.close].End, durationCall(d, lit.unitName))}
			}
			if w.max > 0 {
				v.Remedy.Advice = func(d time.Duration) string {
					if d <= w.max {
						return "" // the edit does it
					}
					return fmt.Sprintf(" aws-cdk-lib refuses a %s above %s here (\"Integration timeout must be between 50 milliseconds and 29 seconds\"), though the API may wait %s: %s is the most it takes, and more needs an escape hatch (the CfnIntegration's timeoutInMillis).",
						v.Setting, model.Seconds(w.max), model.Seconds(d), r.durationText(src, w.max, lit.unitName))
				}
			}
		}
		return
	}
	if v.Origin == model.Default {
		r.insert(v, p, sites, paths[0], w)
		return
	}
	// Written in the template but in no props on the way: assigned after
	// the construct was made.
	if r.assigned(v, p, w) {
		return
	}
	at := r.at(p.res.Key)
	v.Remedy.Advice = func(d time.Duration) string {
		return fmt.Sprintf(" It is not set in the props at %s: it is assigned after construction (synthesize with `cdk synth --debug` to trace where) and must be changed to %s there.", at, model.Seconds(d))
	}
}

func (r *relocator) at(l loc.Range) string {
	return fmt.Sprintf("%s:%d:%d", rel(l.File), l.Start.Line, l.Start.Column)
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

func (r *relocator) namesOf(s *srcFile) durationNames {
	n, ok := r.names[s]
	if !ok {
		n = s.durationNames()
		r.names[s] = n
	}
	return n
}

// durationText is d as the file would write a Duration: Duration.seconds(26).
func (r *relocator) durationText(s *srcFile, d time.Duration, unit string) string {
	e := r.namesOf(s).expr()
	if e == "" {
		e = "Duration"
	}
	return e + "." + durationCall(d, unit)
}

// insert gives a value the app does not set the edit that adds it to the
// construct's own props, laid out like its neighbours; in code shared by
// several constructs, or where the file has no name for Duration, advice.
func (r *relocator) insert(v *model.Value, p *placed, sites []site, path []string, w setting) {
	if len(sites) == 0 || sites[0].call == nil || sites[0].call.assign {
		return
	}
	s := sites[0]
	at := r.at(r.span(s.src, s.call.first, s.call.head))
	names := r.namesOf(s.src)
	if s.shared || names.expr() == "" || len(path) != 1 {
		v.Remedy.Advice = func(d time.Duration) string {
			return fmt.Sprintf(" Add %s: %s to the props at %s.", v.Setting, r.durationText(s.src, d, "seconds"), at)
		}
		return
	}
	src, c := s.src, s.call
	_, obj := src.props(c)
	sep := ": "
	if src.Py {
		sep = "="
	}
	v.Remedy.Edit = func(d time.Duration) []finding.TextEdit {
		if d <= 0 || d%time.Millisecond != 0 || w.max > 0 && d > w.max {
			return nil
		}
		off, text := src.insertion(c, obj, v.Setting+sep+names.expr()+"."+durationCall(d, "seconds"))
		return []finding.TextEdit{src.edit(off, off, text)}
	}
}

// assigned follows the traces of property assignments (CDK_DEBUG) to an
// `l1.prop = N` or `addPropertyOverride('Prop', N)` the value comes from.
func (r *relocator) assigned(v *model.Value, p *placed, w setting) bool {
	var created string
	if len(p.sites) > 0 {
		created = p.sites[0].fr.String()
	}
	for _, trace := range r.st.assignments(p.path, w.cfn) {
		frs := userFrames(trace)
		if len(frs) == 0 {
			continue
		}
		s, err := r.site(frs[0], "")
		if err != nil || s.call == nil || s.fr.String() == created {
			continue
		}
		var num int
		switch {
		case s.call.assign && s.call.value[0] == s.call.value[1]:
			num = s.call.value[0]
		case len(s.call.args) == 2 && s.call.args[1][0] == s.call.args[1][1]:
			if name, ok := s.src.stringValue(s.call.args[0][0]); !ok || name != w.cfn {
				continue
			}
			num = s.call.args[1][0]
		default:
			continue
		}
		n, ok := s.src.number(num)
		if !ok || time.Duration(n*float64(w.per)) != v.D {
			continue
		}
		v.Loc = r.span(s.src, num, num)
		src, per := s.src, w.per
		v.Remedy.Edit = func(d time.Duration) []finding.TextEdit {
			if d%per != 0 || d <= 0 {
				return nil
			}
			return []finding.TextEdit{src.edit(src.Toks[num].Start, src.Toks[num].End, strconv.FormatInt(int64(d/per), 10))}
		}
		return true
	}
	return false
}

// integration locates an integration's timeout: in the props of the
// integration construction (new LambdaIntegration(fn, { timeout }), new
// HttpLambdaIntegration('Id', fn, { timeout }), Integration's
// options.timeout) that the method's or route's call passes, directly or
// through a variable, or that CDK_DEBUG traced; LambdaRestApi's
// integrationOptions.timeout.
func (r *relocator) integration(in *model.Integration, p *placed) {
	if !p.ok {
		return
	}
	old := in.Loc
	in.Loc = p.res.Key
	w := integTimeout
	if p.typ == "AWS::ApiGatewayV2::Integration" {
		w = integV2Timeout
	}
	sites := r.integrationSites(p)
	if len(sites) > 0 && sites[0].call != p.sites[0].call {
		c := sites[0]
		in.Loc = r.span(c.src, c.call.first, c.call.head)
		for i := range in.Timeout {
			r.locateDuration(&in.Timeout[i], p, sites, [][]string{{"timeout"}, {"options", "timeout"}}, w)
		}
	} else {
		for i := range in.Timeout {
			r.locateDuration(&in.Timeout[i], p, p.sites[:min(1, len(p.sites))], [][]string{{"integrationOptions", "timeout"}}, w)
		}
	}
	r.b.Generated(in.Loc, p.res.Address, finding.Related{Location: old, Message: p.res.LogicalID + " in the synthesized template"})
}

// integrationSites finds the integration construction behind a method or
// route.
func (r *relocator) integrationSites(p *placed) []site {
	for _, trace := range r.st.assignments(p.path, "Integration") {
		if frs := userFrames(trace); len(frs) > 0 {
			if s, err := r.site(frs[0], ""); err == nil && s.call != nil && s.src.Is(s.call.first, "new") {
				return []site{s}
			}
		}
	}
	if len(p.sites) == 0 || p.sites[0].call == nil {
		return nil
	}
	s := p.sites[0]
	id := constructID(p.path)
	var cands []*call
	for i := s.call.open + 1; i < s.call.close; i++ {
		var c *call
		switch {
		case s.src.Is(i, "new"):
			c, _ = s.src.construction(i)
		case s.src.Py && s.src.IsIdent(i) && !s.src.Is(i-1, "."):
			// Python constructs without `new`: apigw.LambdaIntegration(...)
			if j := s.src.chainEnd(i); s.src.Is(j+1, "(") {
				c, _ = s.src.callFrom(i, j, j+1)
			}
		}
		if c != nil && strings.HasSuffix(c.callee, "Integration") {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		// A variable: `const integ = new LambdaIntegration(...)` in the file.
		for _, a := range s.call.args {
			if a[0] == a[1] && s.src.IsIdent(a[0]) {
				if c := s.src.declaredConstruction(s.src.Text(a[0]), s.call.first); c != nil {
					cands = append(cands, c)
				}
			}
		}
	}
	if len(cands) > 1 {
		// HttpLambdaIntegration('ItemsIntegration', ...) names the id.
		if c := pick(s.src, cands, id); c != nil {
			for _, a := range c.args {
				if v, ok := s.src.stringValue(a[0]); ok && v == id {
					cands = []*call{c}
					break
				}
			}
		}
	}
	if len(cands) != 1 {
		return nil
	}
	return []site{{fr: s.fr, src: s.src, call: cands[0], shared: s.shared}}
}

// chainEnd is the last name of the dotted chain starting at i.
func (s *srcFile) chainEnd(i int) int {
	for s.Is(i+1, ".") && s.IsIdent(i+2) {
		i += 2
	}
	return i
}

// declaredConstruction finds `name = new X...Integration(...)` (const,
// let, var or a plain assignment) before token before, the nearest one.
func (s *srcFile) declaredConstruction(name string, before int) *call {
	for i := min(before, len(s.Toks)) - 1; i >= 0; i-- {
		if !s.Is(i, name) || !s.Is(i+1, "=") {
			continue
		}
		j := i + 2
		var c *call
		if s.Is(j, "new") {
			c, _ = s.construction(j)
		} else if s.Py && s.IsIdent(j) {
			if e := s.chainEnd(j); s.Is(e+1, "(") {
				c, _ = s.callFrom(j, e, e+1)
			}
		}
		if c != nil && strings.HasSuffix(c.callee, "Integration") {
			return c
		}
		return nil
	}
	return nil
}

// stage locates a stage's access-log format: the accessLogFormat of
// deployOptions (RestApi, LambdaRestApi), of a Stage, or the format of an
// HTTP or WebSocket stage's accessLogSettings. Only a string literal in
// AccessLogFormat.custom(...) gets an edit.
func (r *relocator) stage(st *model.Stage, p, api *placed) {
	if !p.ok {
		return
	}
	old := st.Loc
	st.Loc = p.res.Key
	defer func() {
		r.b.Generated(st.Loc, p.res.Address, finding.Related{Location: old, Message: p.res.LogicalID + " in the synthesized template"})
	}()
	al := st.AccessLog
	if al == nil {
		return
	}
	alOld := al.Loc
	al.Loc, al.Edit = p.res.Key, nil
	paths := [][]string{{"deployOptions", "accessLogFormat"}, {"accessLogFormat"}, {"accessLogSettings", "format"}}
	k, m, found := r.search(p.sites[:min(1, len(p.sites))], paths)
	if !found {
		st.Loc = al.Loc
		return
	}
	s := p.sites[k]
	val := s.src.trimCast(m.value)
	al.Loc = r.span(s.src, val[0], val[1])
	st.Loc = al.Loc
	r.b.Generated(al.Loc, p.res.Address, finding.Related{Location: alOld, Message: "the access-log format in the synthesized template"})
	// X.AccessLogFormat.custom('...')
	a, b := val[0], val[1]
	if s.shared || !s.src.Is(b, ")") || s.src.Pair[b] != b-2 || !s.src.Is(b-3, "custom") || !s.src.Is(b-5, "AccessLogFormat") {
		return
	}
	str := b - 1
	if v, ok := s.src.stringValue(str); !ok || !al.FormatKnown || v != al.Format || a > b-5 {
		return
	}
	src := s.src
	lit := src.Text(str)
	q := lit[len(lit)-1]
	al.Edit = func(format string) []finding.TextEdit {
		return []finding.TextEdit{src.edit(src.Toks[str].Start, src.Toks[str].End, quote(format, q))}
	}
}
