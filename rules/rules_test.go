package rules_test

import (
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/correlate"
	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/cfn"
	"github.com/gatelint/gatelint/rules"
)

// ruleCase is one template and what every rule must report on it.
type ruleCase struct {
	name string
	// file is the template's name; "t.yaml" when empty.
	file string
	src  string
	// crlf writes the template with CRLF line endings.
	crlf   bool
	params map[string]string
	// cfg replaces rules.DefaultConfig when set.
	cfg *rules.Config
	// lint, when set, runs driver.Lint with it (suppressions, disabled
	// rules, severity overrides) instead of each rule's Check; cfg then
	// goes into lint.Rules.
	lint *driver.Config
	// want lists every finding as compact strings (see compact).
	want []string
	// contains: each must be a substring of some finding's message.
	contains []string
	// related: each must be one of some finding's related locations,
	// written "file:line:col message".
	related []string
	// check runs further assertions on the findings.
	check func(t *testing.T, src []byte, fs []finding.Finding)
	// obs and logs are what access logs observed, joined to the template's
	// endpoints as a run joins them.
	obs  []model.Observation
	logs []model.LogSource
}

// stageRule is GL009, which any template with an API triggers (most
// stages log nothing). Cases not about it leave it out, so each lists
// only what it is about; GL009's own cases run it.
const stageRule = "GL009"

func (c ruleCase) runs(r *rules.Rule) bool {
	return r.ID != stageRule || strings.HasPrefix(c.name, stageRule)
}

var word = regexp.MustCompile(`^[\w.-]+$`)

// compact renders a finding as "GL002 t.yaml:12:16 warning endpoint=POST /x
// fix=26": rule, location, severity, endpoint when there is one, and the
// new text of the first fix's edits when there is one (quoted when it holds
// anything but a word), marked "(unsafe)" when --fix takes it only with
// --unsafe-fixes.
func compact(f finding.Finding) string {
	s := fmt.Sprintf("%s %s %s", f.RuleID, f.Location, f.Severity)
	if f.Endpoint != nil {
		s += " endpoint=" + f.Endpoint.String()
	}
	if len(f.Fixes) > 0 {
		var texts []string
		for _, e := range f.Fixes[0].Edits {
			t := e.NewText
			if !word.MatchString(t) {
				t = strconv.Quote(t)
			}
			texts = append(texts, t)
		}
		s += " fix=" + strings.Join(texts, ",")
		if f.Fixes[0].Safety == finding.Unsafe {
			s += " (unsafe)"
		}
	}
	return s
}

func (c ruleCase) fileName() string {
	if c.file == "" {
		return "t.yaml"
	}
	return c.file
}

func (c ruleCase) config() rules.Config {
	if c.cfg != nil {
		return *c.cfg
	}
	return rules.DefaultConfig()
}

// load builds the model of src, failing the test on any input error.
func load(t *testing.T, name string, src []byte, params map[string]string) *model.Model {
	t.Helper()
	b := model.NewBuilder()
	ok, errs := cfn.Load(b, name, src, cfn.Options{
		Params:   params,
		ReadFile: func(p string) ([]byte, error) { return nil, os.ErrNotExist },
	})
	m := b.Model()
	if !ok {
		t.Fatalf("%s is not a template", name)
	}
	for _, e := range errs {
		t.Errorf("input error: %v", e)
	}
	for _, n := range m.Notes {
		t.Logf("note: %s: %s", n.Loc, n.Message)
	}
	return m
}

// run runs the case's rules over src.
func (c ruleCase) run(t *testing.T, src []byte) []finding.Finding {
	t.Helper()
	m := load(t, c.fileName(), src, c.params)
	for i := range c.obs {
		o := c.obs[i]
		m.Observations = append(m.Observations, &o)
	}
	for i := range c.logs {
		m.LogSources = append(m.LogSources, &c.logs[i])
	}
	correlate.Logs(m)
	cfg := c.config()
	if c.lint != nil {
		lc := *c.lint
		lc.Rules = cfg
		if !c.runs(rules.Lookup(stageRule)) {
			lc.Disabled = maps.Clone(lc.Disabled)
			if lc.Disabled == nil {
				lc.Disabled = map[string]bool{}
			}
			lc.Disabled[stageRule] = true
		}
		return driver.Lint(m, lc)
	}
	var out []finding.Finding
	for _, r := range rules.All() {
		if c.runs(r) {
			out = append(out, r.Check(m, &cfg)...)
		}
	}
	return out
}

// source is the template's bytes: src without the newline that follows
// the opening backquote, so line 1 of the template is the first line
// written.
func (c ruleCase) source() []byte {
	s := strings.TrimPrefix(c.src, "\n")
	if c.crlf {
		s = strings.ReplaceAll(s, "\n", "\r\n")
	}
	return []byte(s)
}

func TestRules(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			source := c.source()
			fs := c.run(t, source)
			var got []string
			for _, f := range fs {
				got = append(got, compact(f))
			}
			want := slices.Clone(c.want)
			if c.lint == nil {
				// driver.Lint orders findings; a bare rule run does not
				// promise an order.
				slices.Sort(got)
				slices.Sort(want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("findings:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
				for _, f := range fs {
					t.Logf("%s: %s", compact(f), f.Message)
				}
			}
			for _, s := range c.contains {
				if !slices.ContainsFunc(fs, func(f finding.Finding) bool { return strings.Contains(f.Message, s) }) {
					t.Errorf("no message contains %q", s)
					for _, f := range fs {
						t.Logf("%s: %s", f.RuleID, f.Message)
					}
				}
			}
			for _, s := range c.related {
				var all []string
				for _, f := range fs {
					for _, r := range f.Related {
						all = append(all, r.Location.String()+" "+r.Message)
					}
				}
				if !slices.Contains(all, s) {
					t.Errorf("no related location %q; have:\n  %s", s, strings.Join(all, "\n  "))
				}
			}
			for _, f := range fs {
				checkShape(t, source, f)
			}
			if c.check != nil {
				c.check(t, source, fs)
			}
		})
	}
}

// checkShape asserts what holds for every finding: it is filed under a
// resource of this file, names its rule correctly and its fixes' edits
// agree with themselves.
func checkShape(t *testing.T, src []byte, f finding.Finding) {
	t.Helper()
	r := rules.Lookup(f.RuleID)
	if r == nil || r.Name != f.RuleName {
		t.Errorf("%s: rule name %q does not match the registry", f.RuleID, f.RuleName)
	}
	if f.Message == "" || f.Resource.LogicalID == "" || f.Location.IsZero() || f.Location.Start.Line == 0 {
		t.Errorf("%s: incomplete finding: %+v", f.RuleID, f)
	}
	for _, rel := range f.Related {
		if rel.Location.IsZero() || rel.Message == "" {
			t.Errorf("%s: related location without a place or a message: %+v", f.RuleID, rel)
		}
	}
	for _, fix := range f.Fixes {
		if fix.Description == "" || len(fix.Edits) == 0 {
			t.Errorf("%s: empty fix %+v", f.RuleID, fix)
		}
		for _, e := range fix.Edits {
			if e.File != f.Location.File || e.Start < 0 || e.End < e.Start || e.End > len(src) ||
				e.StartPos.Offset != e.Start || e.EndPos.Offset != e.End {
				t.Errorf("%s: bad edit %+v", f.RuleID, e)
			}
		}
	}
}

// applyFix splices a fix's edits into src, last edit first.
func applyFix(t *testing.T, src []byte, fix finding.Fix) []byte {
	t.Helper()
	edits := slices.Clone(fix.Edits)
	slices.SortFunc(edits, func(a, b finding.TextEdit) int { return b.Start - a.Start })
	out := slices.Clone(src)
	for i, e := range edits {
		if i > 0 && e.End > edits[i-1].Start {
			t.Fatalf("overlapping edits %+v and %+v", e, edits[i-1])
		}
		out = slices.Concat(out[:e.Start], []byte(e.NewText), out[e.End:])
	}
	return out
}

// sameFinding tells whether b reports what a reported. The line tells
// apart two findings about one resource (a stage that logs nothing under
// one condition and whose format is blind under the other; one value in
// two scenarios): a fix edits in place or below the finding's line, so
// its line stays.
func sameFinding(a, b finding.Finding) bool {
	return a.RuleID == b.RuleID && a.Resource.LogicalID == b.Resource.LogicalID &&
		(a.Endpoint == nil) == (b.Endpoint == nil) && (a.Endpoint == nil || *a.Endpoint == *b.Endpoint) &&
		a.Location.Start.Line == b.Location.Start.Line && a.Location.Start.Column == b.Location.Start.Column
}

// TestFixesClearFindings applies every suggested fix of every case to its
// template, reloads it and re-runs the rules: the finding it fixes must be
// gone, and the fixed template must still read without errors.
func TestFixesClearFindings(t *testing.T) {
	fixed := map[string]int{}
	for _, c := range cases {
		source := c.source()
		t.Run(c.name, func(t *testing.T) {
			for _, f := range c.run(t, source) {
				for _, fix := range f.Fixes {
					out := applyFix(t, source, fix)
					for _, g := range c.run(t, out) {
						if sameFinding(f, g) {
							t.Errorf("after %q on %s, still: %s %s\n--- fixed template:\n%s", fix.Description, compact(f), compact(g), g.Message, out)
						}
					}
					fixed[f.RuleID]++
				}
			}
		})
	}
	// What the fixes must cover: GL001, GL002 (literal and Globals insert),
	// GL004 and GL008 (literal and insert), each named by its case below.
	for _, id := range []string{"GL001", "GL002", "GL004", "GL008"} {
		if fixed[id] == 0 {
			t.Errorf("no case exercised a fix of %s", id)
		}
	}
}

// TestFixKeepsOtherFunctions checks that the fix for a Timeout inherited
// from Globals gives that function its own Timeout and leaves Globals (and
// so every other function) as it was.
func TestFixKeepsOtherFunctions(t *testing.T) {
	c := caseNamed(t, "GL002/globals-timeout-integration-10000")
	source := c.source()
	var fix *finding.Fix
	for _, f := range c.run(t, source) {
		for i := range f.Fixes {
			// The fix that keeps today's integration timeout (the first
			// raises it, with GL001).
			if f.RuleID == "GL002" && strings.HasPrefix(f.Fixes[i].Description, "set Timeout") {
				fix = &f.Fixes[i]
			}
		}
	}
	if fix == nil {
		t.Fatal("no GL002 fix")
	}
	out := string(applyFix(t, source, *fix))
	want := strings.Replace(string(source), "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n",
		"  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Timeout: 7\n", 1)
	if out != want {
		t.Errorf("fixed template:\n%s\nwant:\n%s", out, want)
	}
	m := load(t, c.fileName(), []byte(out), nil)
	for _, fn := range m.Functions {
		v, _ := fn.Timeout.Max()
		switch fn.Resource.LogicalID {
		case "Fn":
			if v.N() != 7 || v.Origin != model.Literal {
				t.Errorf("Fn Timeout = %d (origin %d), want literal 7", v.N(), v.Origin)
			}
		case "Other":
			if v.N() != 60 || v.Origin != model.Inherited {
				t.Errorf("Other Timeout = %d (origin %d), want 60 from Globals", v.N(), v.Origin)
			}
		}
	}
}

func caseNamed(t *testing.T, name string) ruleCase {
	t.Helper()
	for _, c := range cases {
		if c.name == name {
			return c
		}
	}
	t.Fatalf("no case %s", name)
	return ruleCase{}
}

func TestRegistry(t *testing.T) {
	all := rules.All()
	var ids []string
	for _, r := range all {
		ids = append(ids, r.ID)
	}
	if want := []string{"GL001", "GL002", "GL003", "GL004", "GL005", "GL006", "GL007", "GL008", "GL009", "GL010", "GL011", "GL012"}; !slices.Equal(ids, want) {
		t.Errorf("rules.All() = %v, want %v (in ID order)", ids, want)
	}
	idRE := regexp.MustCompile(`^GL\d{3}$`)
	nameRE := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`)
	names := map[string]bool{}
	for _, r := range all {
		t.Run(r.ID, func(t *testing.T) {
			if !idRE.MatchString(r.ID) {
				t.Errorf("ID %q does not match GL\\d{3}", r.ID)
			}
			if !nameRE.MatchString(r.Name) {
				t.Errorf("name %q is not kebab-case", r.Name)
			}
			if names[r.Name] {
				t.Errorf("name %q used twice", r.Name)
			}
			names[r.Name] = true
			if strings.TrimSpace(r.Summary) == "" {
				t.Error("empty Summary")
			}
			if r.Severity < finding.Info || r.Severity > finding.Error {
				t.Errorf("severity %v", r.Severity)
			}
			if r.Run == nil {
				t.Error("no Run")
			}
			doc := r.Doc()
			if head := "# " + r.ID + " " + r.Name + "\n"; !strings.HasPrefix(doc, head) {
				t.Errorf("Doc() starts with %q, want %q", strings.SplitN(doc, "\n", 2)[0], head)
			}
			if !strings.Contains(doc, "\n## How to fix\n") {
				t.Error("Doc() has no \"## How to fix\" section")
			}
			if want := rules.DocsBaseURL + r.ID + ".md"; r.HelpURI() != want {
				t.Errorf("HelpURI() = %q, want %q", r.HelpURI(), want)
			}
			for _, key := range []string{r.ID, strings.ToLower(r.ID), r.Name, strings.ToUpper(r.Name)} {
				if got := rules.Lookup(key); got != r {
					t.Errorf("Lookup(%q) = %v, want %s", key, got, r.ID)
				}
			}
		})
	}
	for _, key := range []string{"", "GL999", "gl00", "integration-timeout"} {
		if r := rules.Lookup(key); r != nil {
			t.Errorf("Lookup(%q) = %s, want nil", key, r.ID)
		}
	}
}

func TestDefaultConfig(t *testing.T) {
	if c := rules.DefaultConfig(); c.Margin != 2*time.Second || c.RestMaxTimeout != 0 {
		t.Errorf("DefaultConfig() = %+v, want margin 2000 and no raised REST quota", c)
	}
}
