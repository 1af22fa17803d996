// Package slsdiff is the differential test of gatelint's Serverless
// Framework reader against the framework itself: every fixture of
// fixtures/serverless/diff is packaged by the real `serverless package`
// (serverless@3.40.0, pinned in fixtures/serverless, offline with dummy
// credentials), and gatelint's model of serverless.yml must equal its
// model of the compiled CloudFormation template, read by the CloudFormation
// reader, as `gatelint check` reads it. A package of its own, so that the
// packaging has its own time budget.
package slsdiff_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/rules"
)

// home is the framework's HOME for the whole run: it caches its
// compiled configuration schema and custom-resource bundle there
// (~/.serverless/artifacts), which halves the time of every packaging
// after the first; and it keeps the framework away from the user's own.
var home string

func TestMain(m *testing.M) {
	var err error
	home, err = os.MkdirTemp("", "gatelint-sls-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}

// slots bounds how many `serverless package` run at once: each is a node
// process of a few hundred MB on a machine of two shared cores.
var slots = make(chan struct{}, 2)

// root is the module's root directory.
func root(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s", dir)
	}
	return dir
}

// framework returns the installed framework's directory and its CLI, or
// skips t.
func framework(t testing.TB) (dir, bin string) {
	t.Helper()
	base := filepath.Join(root(t), "fixtures", "serverless", "node_modules")
	dir, bin = filepath.Join(base, "serverless"), filepath.Join(base, ".bin", "serverless")
	if _, err := os.Stat(bin); err != nil {
		t.Skip("fixtures/serverless/node_modules is absent: run npm ci there (CI does)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not on PATH: the Serverless Framework cannot run")
	}
	if err := frameworkFacts(dir); err != nil {
		t.Fatal(err)
	}
	return dir, bin
}

var stageLine = regexp.MustCompile(`(?m)^# stage: *(\S+)`)

// fixtureStage is the stage a fixture is packaged with: its header's
// `# stage: NAME`, else dev.
func fixtureStage(t testing.TB, dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, "serverless.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if m := stageLine.FindSubmatch(data); m != nil {
		return string(m[1])
	}
	return "dev"
}

// packaged runs `serverless package --stage stage` on a copy of dir and
// returns the directory of its output (.serverless), or the framework's
// output as the error.
func packaged(t testing.TB, bin, dir, stage string) (string, error) {
	t.Helper()
	work := filepath.Join(t.TempDir(), filepath.Base(dir))
	if err := os.CopyFS(work, os.DirFS(dir)); err != nil {
		return "", err
	}
	return packageIn(bin, work, stage)
}

// packageIn runs the framework in work, offline: dummy credentials, no
// telemetry, no notifications, nothing of the caller's AWS configuration.
func packageIn(bin, work, stage string) (string, error) {
	slots <- struct{}{}
	defer func() { <-slots }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "package", "--stage", stage)
	cmd.Dir = work
	cmd.Env = frameworkEnv()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("serverless package --stage %s in %s: %w\n%s", stage, work, err, out.String())
	}
	return filepath.Join(work, ".serverless"), nil
}

func frameworkEnv() []string {
	env := []string{
		"HOME=" + home,
		"AWS_ACCESS_KEY_ID=AKIAFAKE",
		"AWS_SECRET_ACCESS_KEY=fake",
		"SLS_TELEMETRY_DISABLED=1",
		"SLS_NOTIFICATIONS_MODE=off",
		"SLS_DEPRECATION_DISABLE=*",
		"CI=1",
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "HOME", name == "CI", strings.HasPrefix(name, "AWS_"), strings.HasPrefix(name, "SLS_"),
			strings.HasPrefix(name, "SERVERLESS_"), strings.HasPrefix(name, "GATELINT_FIXTURE_"):
		default:
			env = append(env, kv)
		}
	}
	return env
}

// compared is one fixture's comparison.
type compared struct {
	source, compiled summary
	adjusted         adjustments
	errs             []string // input errors of either side
}

// compare reads serverless.yml in dir with gatelint's Serverless path and
// the compiled template in out with its CloudFormation path, and
// summarizes both.
func compare(t testing.TB, dir, out, stage string) compared {
	t.Helper()
	var c compared
	src := driver.Run(driver.Config{Paths: []string{dir}, Params: map[string]string{"stage": stage}, Rules: rules.DefaultConfig()})
	for _, e := range src.Errors {
		c.errs = append(c.errs, "serverless.yml side: "+e.File+": "+e.Message)
	}
	if err := src.Model.Validate(); err != nil {
		t.Errorf("the model of serverless.yml is not consistent: %v", err)
	}
	tpl := filepath.Join(out, "cloudformation-template-update-stack.json")
	cmp := driver.Run(driver.Config{Paths: []string{tpl}, Rules: rules.DefaultConfig()})
	for _, e := range cmp.Errors {
		c.errs = append(c.errs, "compiled side: "+e.File+": "+e.Message)
	}
	if err := cmp.Model.Validate(); err != nil {
		t.Errorf("the model of the compiled template is not consistent: %v", err)
	}
	st, err := readState(filepath.Join(out, "serverless-state.json"))
	if err != nil {
		t.Fatal(err)
	}
	c.adjusted = deployed(cmp.Model, st, stage)
	c.source, c.compiled = summarize(src.Model, stage), summarize(cmp.Model, stage)
	return c
}

// report fails t with the fixture's differences that known does not
// list, and with those it lists that are gone.
func (c compared) report(t testing.TB, name string, known map[string]string) {
	t.Helper()
	for _, e := range c.errs {
		t.Errorf("%s: input error: %s", name, e)
	}
	if len(c.compiled) == 0 {
		t.Errorf("%s: the compiled template's model is empty: nothing was compared", name)
	}
	skip := map[string]bool{}
	for _, k := range differing(c.source, c.compiled) {
		if why, ok := known[k]; ok {
			skip[k] = true
			t.Logf("%s: known difference (%s):\n  %s\n    serverless.yml: %s\n    compiled:       %s", name, why, k, orDash(c.source[k]), orDash(c.compiled[k]))
		}
	}
	for k := range known {
		if !skip[k] {
			t.Errorf("%s: %s is listed in testdata/known.tsv but the two models now agree on it: delete its line", name, k)
		}
	}
	d, _ := diffExcept(c.source, c.compiled, skip)
	if d == "" {
		t.Logf("%s: %d facts alike, %d known differences", name, len(c.compiled)-len(skip), len(skip))
		return
	}
	var w strings.Builder
	fmt.Fprintf(&w, "%s: gatelint's model of serverless.yml differs from its model of the compiled template:\n%s", name, d)
	if len(c.adjusted) > 0 {
		fmt.Fprintf(&w, "  (the compiled side as deployed: %s)\n", strings.Join(c.adjusted, "; "))
	}
	t.Error(w.String())
}

// TestDifferential packages every fixture and compares the two models.
func TestDifferential(t *testing.T) {
	_, bin := framework(t)
	base := filepath.Join(root(t), "fixtures", "serverless", "diff")
	entries, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if len(names) < 24 {
		t.Fatalf("%d fixtures in %s: the differential test needs at least 24", len(names), base)
	}
	known := readKnown(t, names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(base, name)
			stage := fixtureStage(t, dir)
			out, err := packaged(t, bin, dir, stage)
			if err != nil {
				t.Fatal(err)
			}
			c := compare(t, dir, out, stage)
			if os.Getenv("GATELINT_SLS_SHOW") != "" {
				t.Logf("%s, compiled (stage %s):\n%s", name, stage, c.compiled)
				t.Logf("%s, serverless.yml:\n%s", name, c.source)
			}
			c.report(t, name, known[name])
		})
	}
}

// readKnown reads testdata/known.tsv: fixture -> fact key -> "which side
// is wrong: why". A line naming no fixture there is an error.
func readKnown(t testing.TB, fixtures []string) map[string]map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "known.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "fixture\t") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 || f[2] != "serverless.yml" && f[2] != "compiled" {
			t.Fatalf("testdata/known.tsv:%d: want fixture, fact, serverless.yml|compiled, verdict: %q", i+1, line)
		}
		if !slices.Contains(fixtures, f[0]) {
			t.Fatalf("testdata/known.tsv:%d: no fixture %s", i+1, f[0])
		}
		if out[f[0]] == nil {
			out[f[0]] = map[string]string{}
		}
		out[f[0]][f[1]] = f[2] + " side wrong: " + f[3]
	}
	return out
}

// TestDifferentialCorpus runs the same comparison over the projects of
// ../shared/corpus-sls that package offline without plugins, when
// GATELINT_SLS_COMPILED names a directory to package them into (a
// project already packaged there is reused): a measurement of the reader
// on real projects, not a gate, so a difference is logged, not failed.
// Projects the framework cannot package (a missing file, a variable it
// must ask AWS for) are listed with the framework's first error line.
func TestDifferentialCorpus(t *testing.T) {
	into := os.Getenv("GATELINT_SLS_COMPILED")
	if into == "" {
		t.Skip("set GATELINT_SLS_COMPILED=<dir> to package the corpus-sls projects there and compare")
	}
	_, bin := framework(t)
	corpus := filepath.Join(root(t), "..", "shared", "corpus-sls")
	projects, err := pluginFree(corpus)
	if err != nil {
		t.Skipf("../shared/corpus-sls: %v", err)
	}
	type row struct{ path, outcome string }
	rows := make([]row, len(projects))
	t.Run("projects", func(t *testing.T) {
		for i, p := range projects {
			t.Run(strings.ReplaceAll(p.path, "/", "_"), func(t *testing.T) {
				t.Parallel()
				rows[i] = row{p.path, corpusProject(t, bin, corpus, into, p)}
			})
		}
	})
	var w strings.Builder
	counts := map[string]int{}
	for _, r := range rows {
		kind, _, _ := strings.Cut(r.outcome, ":")
		counts[kind]++
		fmt.Fprintf(&w, "  %-60s %s\n", r.path, r.outcome)
	}
	t.Logf("corpus-sls, plugin-free projects: %d (alike %d, differ %d, not packaged %d)\n%s",
		len(rows), counts["alike"], counts["differ"], counts["not packaged"], w.String())
}

// project is one row of corpus-sls/INDEX.tsv.
type project struct {
	path, config, plugins string
}

// pluginFree lists the serverless projects of the corpus whose
// configuration is YAML and that name no plugin.
func pluginFree(corpus string) ([]project, error) {
	all, err := projects(corpus)
	if err != nil {
		return nil, err
	}
	var out []project
	for _, p := range all {
		if p.plugins == "" && (strings.HasSuffix(p.config, ".yml") || strings.HasSuffix(p.config, ".yaml")) {
			out = append(out, p)
		}
	}
	return out, nil
}

// projects reads INDEX.tsv's serverless rows.
func projects(corpus string) ([]project, error) {
	f, err := os.Open(filepath.Join(corpus, "INDEX.tsv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes = '\t', true
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	var out []project
	for _, row := range rows[1:] {
		if row[col["kind"]] != "serverless" {
			continue
		}
		out = append(out, project{path: row[col["path"]], config: row[col["config"]], plugins: row[col["uses_modules"]]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

// corpusProject packages one corpus project into into (unless done) and
// compares; it returns the outcome's line for the table.
func corpusProject(t *testing.T, bin, corpus, into string, p project) string {
	dir := filepath.Join(corpus, p.path)
	work := filepath.Join(into, p.path)
	out := filepath.Join(work, ".serverless")
	tpl := filepath.Join(out, "cloudformation-template-update-stack.json")
	failed := filepath.Join(work, ".gatelint-package-failed")
	if msg, err := os.ReadFile(failed); err == nil {
		return "not packaged: " + string(msg)
	}
	if _, err := os.Stat(tpl); err != nil {
		if err := os.RemoveAll(work); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(work, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		// The corpus keeps the projects' configuration, not their code:
		// one file to zip, or the framework refuses ("No file matches
		// include / exclude patterns").
		if err := os.WriteFile(filepath.Join(work, "gatelint-placeholder.js"), []byte("exports.handler = async () => ({});\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := packageIn(bin, work, "dev"); err != nil {
			msg := firstError(err.Error())
			if werr := os.WriteFile(failed, []byte(msg), 0o644); werr != nil {
				t.Fatal(werr)
			}
			return "not packaged: " + msg
		}
	}
	c := compare(t, dir, out, "dev")
	d, n := diff(c.source, c.compiled)
	if d == "" && len(c.errs) == 0 {
		return fmt.Sprintf("alike: %d facts", len(c.compiled))
	}
	t.Logf("%s:\n%s%s", p.path, strings.Join(c.errs, "\n"), d)
	return fmt.Sprintf("differ: %d of %d facts, %d input errors", n, len(c.compiled), len(c.errs))
}

// firstError is what the framework's output says went wrong: after its
// "Error:" line (warnings and the environment come before it), the first
// line of substance, with the next when it ends in a colon ("Variables
// resolution errored with:").
func firstError(out string) string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "Error:" {
			lines = lines[i+1:]
			break
		}
	}
	var picked []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "serverless package") {
			continue
		}
		picked = append(picked, l)
		if !strings.HasSuffix(l, ":") || len(picked) == 2 {
			break
		}
	}
	msg := strings.Join(picked, " ")
	if msg == "" {
		return "failed"
	}
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return msg
}
