// Package cdkapps tests gatelint end to end on the CDK fixture apps
// (fixtures/cdk-apps): the committed outputs without npm, and, with node
// and the apps' packages, their synthesis, --diff and re-synthesis. A
// package of its own, so that the syntheses have their own time budget.
package cdkapps_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/cli"
	"github.com/gatelint/gatelint/internal/schemacheck"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The CDK fixture apps (fixtures/cdk-apps) are synthesized with the real
// aws-cdk-lib; their outputs are committed, so what gatelint finds in
// them is tested without npm, and the synthesis tests (which need node
// and `npm ci` in fixtures/cdk-apps, as .ci/run does) check that the
// committed outputs are what the apps synthesize to, and that the fixes
// gatelint offers, applied with git apply, synthesize to templates it
// finds clean.

// runHere runs gatelint in the working directory.
func runHere(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// cdkFinding is what the tests pin of a finding: rule, construct, where
// in the app's source, and the synthesized template's place (the first
// related location).
type cdkFinding struct {
	ID, CDKPath, At, Template string
	Edits                     int
}

func (f cdkFinding) String() string {
	return fmt.Sprintf("%s %s %s <- %s (%d edits)", f.ID, f.CDKPath, f.At, f.Template, f.Edits)
}

type jsonReport struct {
	Findings []struct {
		ID       string
		Message  string
		Location struct {
			File         string
			Line, Column int
		}
		Resource struct{ CDKPath string }
		Related  []struct {
			Location struct {
				File         string
				Line, Column int
			}
			Message string
		}
		Fixes []struct {
			Description string
			Edits       []struct{ File string }
		}
	}
	Notes []struct{ Message string }
}

func parseReport(t *testing.T, out string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return r
}

// pinned renders a report's findings relative to dir, first edit fix only.
func pinned(r jsonReport, dir string) []cdkFinding {
	var out []cdkFinding
	relTo := func(p string) string {
		if r, err := filepath.Rel(dir, p); err == nil {
			return filepath.ToSlash(r)
		}
		return p
	}
	for _, f := range r.Findings {
		c := cdkFinding{ID: f.ID, CDKPath: f.Resource.CDKPath,
			At: fmt.Sprintf("%s:%d:%d", relTo(f.Location.File), f.Location.Line, f.Location.Column)}
		if len(f.Related) > 0 {
			l := f.Related[0].Location
			c.Template = fmt.Sprintf("%s:%d:%d", relTo(l.File), l.Line, l.Column)
		}
		for _, fix := range f.Fixes {
			if len(fix.Edits) > 0 {
				c.Edits = len(fix.Edits)
				break
			}
		}
		out = append(out, c)
	}
	return out
}

// cdkWant is every finding of each fixture app, located in the app's own
// source, with the synthesized template's place. The TypeScript apps share
// their source; the compiled one reaches it through dist/*.js.map.
var cdkWant = map[string][]cdkFinding{
	"js": {
		{"GL002", "ApiStack/SlowFn/Resource", "lib/api-stack.js:19:16", "cdk.out/ApiStack.template.json:54:16", 1},
		{"GL002", "ApiStack/DefaultFn/Resource", "lib/api-stack.js:22:23", "cdk.out/ApiStack.template.json:100:3", 0},
		{"GL009", "ApiStack/RestApi/DeploymentStage.prod/Resource", "lib/api-stack.js:29:26", "cdk.out/ApiStack.template.json:233:16", 0},
		{"GL003", "ApiStack/RestApi/Default/slow/GET/Resource", "lib/api-stack.js:32:34", "cdk.out/ApiStack.template.json:352:3", 0},
		{"GL001", "ApiStack/RestApi/Default/slow/GET/Resource", "lib/api-stack.js:33:16", "cdk.out/ApiStack.template.json:359:25", 1},
		{"GL003", "ApiStack/RestApi/Default/default/GET/Resource", "lib/api-stack.js:35:37", "cdk.out/ApiStack.template.json:498:3", 0},
		{"GL009", "ApiStack/HttpApi/DefaultStage/Resource", "lib/api-stack.js:37:21", "cdk.out/ApiStack.template.json:551:3", 0},
		{"GL003", "ApiStack/HttpApi/GET--items/Resource", "lib/api-stack.js:38:5", "cdk.out/ApiStack.template.json:624:3", 0},
		{"GL001", "ApiStack/HttpApi/GET--items/ItemsIntegration/Resource", "lib/api-stack.js:41:85", "cdk.out/ApiStack.template.json:578:24", 0},
		{"GL009", "ConsumerStack/ProxyApi/DeploymentStage.prod/Resource", "lib/consumer-stack.js:8:5", "cdk.out/ConsumerStack.template.json:85:3", 0},
		{"GL008", "ApiStack/Jobs/Queue/Resource", "lib/queue-worker.js:12:18", "cdk.out/ApiStack.template.json:648:3", 1},
	},
	"ts": {
		{"GL002", "ApiStack/SlowFn/Resource", "lib/api-stack.ts:22:16", "cdk.out/ApiStack.template.json:54:16", 1},
		{"GL002", "ApiStack/DefaultFn/Resource", "lib/api-stack.ts:25:40", "cdk.out/ApiStack.template.json:100:3", 0},
		{"GL009", "ApiStack/RestApi/DeploymentStage.prod/Resource", "lib/api-stack.ts:32:26", "cdk.out/ApiStack.template.json:233:16", 0},
		{"GL003", "ApiStack/RestApi/Default/slow/GET/Resource", "lib/api-stack.ts:35:34", "cdk.out/ApiStack.template.json:352:3", 0},
		{"GL001", "ApiStack/RestApi/Default/slow/GET/Resource", "lib/api-stack.ts:36:16", "cdk.out/ApiStack.template.json:359:25", 1},
		{"GL003", "ApiStack/RestApi/Default/default/GET/Resource", "lib/api-stack.ts:38:37", "cdk.out/ApiStack.template.json:498:3", 0},
		{"GL009", "ApiStack/HttpApi/DefaultStage/Resource", "lib/api-stack.ts:40:21", "cdk.out/ApiStack.template.json:551:3", 0},
		{"GL003", "ApiStack/HttpApi/GET--items/Resource", "lib/api-stack.ts:41:5", "cdk.out/ApiStack.template.json:624:3", 0},
		{"GL001", "ApiStack/HttpApi/GET--items/ItemsIntegration/Resource", "lib/api-stack.ts:44:85", "cdk.out/ApiStack.template.json:578:24", 0},
		{"GL009", "ConsumerStack/ProxyApi/DeploymentStage.prod/Resource", "lib/consumer-stack.ts:14:5", "cdk.out/ConsumerStack.template.json:85:3", 0},
		{"GL008", "ApiStack/Jobs/Queue/Resource", "lib/queue-worker.ts:20:18", "cdk.out/ApiStack.template.json:648:3", 1},
	},
}

var cdkApps = []struct{ name, want string }{{"js", "js"}, {"ts-compiled", "ts"}, {"ts-node", "ts"}}

// crossStack are the findings ConsumerStack's LambdaRestApi adds once the
// CloudFormation reader links Fn::ImportValue of another template's
// export (cross-stack references, issue 12): its two proxy methods invoke
// ApiStack's SlowFn, located at the `new LambdaRestApi` that made them:
// one GL003 for the function and the API, the other method related.
var crossStack = map[string][]cdkFinding{
	"js": {
		{"GL003", "ConsumerStack/ProxyApi/Default/{proxy+}/ANY/Resource", "lib/consumer-stack.js:8:5", "cdk.out/ConsumerStack.template.json:199:3", 0},
	},
	"ts": {
		{"GL003", "ConsumerStack/ProxyApi/Default/{proxy+}/ANY/Resource", "lib/consumer-stack.ts:14:5", "cdk.out/ConsumerStack.template.json:199:3", 0},
	},
}

// withCrossStack inserts the cross-stack findings before ConsumerStack's
// own (they sort by place, then rule).
func withCrossStack(want []cdkFinding, lang, output string) []cdkFinding {
	var out []cdkFinding
	for _, f := range want {
		if f.ID == "GL009" && strings.HasPrefix(f.CDKPath, "ConsumerStack/") {
			for _, x := range crossStack[lang] {
				x.Template = strings.Replace(x.Template, "cdk.out/", output+"/", 1)
				out = append(out, x)
			}
		}
		out = append(out, f)
	}
	return out
}

// cdkDebugWant is the JavaScript app synthesized as `cdk synth --debug`
// does (CDK_DEBUG=true): property assignments are traced, so the
// function whose Timeout is assigned after construction is located at
// that assignment (cfnDefault.timeout = 45), with an edit.
var cdkDebugWant = []cdkFinding{
	{"GL002", "ApiStack/SlowFn/Resource", "lib/api-stack.js:19:16", "cdk.out.debug/ApiStack.template.json:54:16", 1},
	{"GL009", "ApiStack/RestApi/DeploymentStage.prod/Resource", "lib/api-stack.js:29:26", "cdk.out.debug/ApiStack.template.json:233:16", 0},
	{"GL003", "ApiStack/RestApi/Default/slow/GET/Resource", "lib/api-stack.js:32:34", "cdk.out.debug/ApiStack.template.json:352:3", 0},
	{"GL001", "ApiStack/RestApi/Default/slow/GET/Resource", "lib/api-stack.js:33:16", "cdk.out.debug/ApiStack.template.json:359:25", 1},
	{"GL003", "ApiStack/RestApi/Default/default/GET/Resource", "lib/api-stack.js:35:37", "cdk.out.debug/ApiStack.template.json:498:3", 0},
	{"GL009", "ApiStack/HttpApi/DefaultStage/Resource", "lib/api-stack.js:37:21", "cdk.out.debug/ApiStack.template.json:551:3", 0},
	{"GL003", "ApiStack/HttpApi/GET--items/Resource", "lib/api-stack.js:38:5", "cdk.out.debug/ApiStack.template.json:624:3", 0},
	{"GL001", "ApiStack/HttpApi/GET--items/ItemsIntegration/Resource", "lib/api-stack.js:41:85", "cdk.out.debug/ApiStack.template.json:578:24", 0},
	{"GL002", "ApiStack/DefaultFn/Resource", "lib/api-stack.js:48:26", "cdk.out.debug/ApiStack.template.json:117:16", 1},
	{"GL009", "ConsumerStack/ProxyApi/DeploymentStage.prod/Resource", "lib/consumer-stack.js:8:5", "cdk.out.debug/ConsumerStack.template.json:85:3", 0},
	{"GL008", "ApiStack/Jobs/Queue/Resource", "lib/queue-worker.js:12:18", "cdk.out.debug/ApiStack.template.json:648:3", 1},
}

// checkLocations runs gatelint on an app's cdk.out (dir is the app, as
// the command line names it) and compares every finding with want.
func checkLocations(t *testing.T, dir, lang string) {
	t.Helper()
	checkOutput(t, dir, "cdk.out", lang, cdkWant[lang])
}

func checkOutput(t *testing.T, dir, output, lang string, want []cdkFinding) {
	t.Helper()
	code, out, stderr := runHere(t, "check", filepath.Join(dir, output), "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
	}
	r := parseReport(t, out)
	want = withCrossStack(want, lang, output)
	got := pinned(r, dir)
	if !slices.Equal(got, want) {
		t.Errorf("findings of %s:\n%s\nwant\n%s", dir, join(got), join(want))
	}
	for _, f := range r.Findings {
		if len(f.Related) == 0 || !strings.HasSuffix(f.Related[0].Message, "in the synthesized template") {
			t.Errorf("%s at %s: no synthesized template place as its first related location", f.ID, f.Location.File)
		}
		for _, rel := range f.Related {
			if strings.Contains(rel.Location.File, "gatelint-cdk-synth") || filepath.IsAbs(rel.Location.File) {
				t.Errorf("%s: related location %s is a path of the synthesizing machine", f.ID, rel.Location.File)
			}
		}
	}
}

func join[T fmt.Stringer](xs []T) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString("  " + x.String() + "\n")
	}
	return b.String()
}

func TestCDKFixtureLocations(t *testing.T) {
	t.Chdir("../../..")
	total := 0
	for _, app := range cdkApps {
		t.Run(app.name, func(t *testing.T) {
			checkLocations(t, filepath.Join("fixtures", "cdk-apps", app.name), app.want)
		})
		total += len(withCrossStack(cdkWant[app.want], app.want, ""))
	}
	t.Run("js-debug", func(t *testing.T) {
		checkOutput(t, filepath.Join("fixtures", "cdk-apps", "js"), "cdk.out.debug", "js", cdkDebugWant)
	})
	total += len(withCrossStack(cdkDebugWant, "js", ""))
	t.Logf("%d findings located in the apps' sources, each with its synthesized template place", total)
}

// TestCDKWithoutTraces: an app synthesized with traces off keeps its
// findings on the templates, and the run says once how to get source
// lines.
func TestCDKWithoutTraces(t *testing.T) {
	t.Chdir("../../..")
	var dirs []string
	for _, app := range cdkApps {
		dirs = append(dirs, filepath.Join("fixtures", "cdk-apps", app.name, "cdk.out.notrace"))
	}
	_, out, _ := runHere(t, append(append([]string{"check"}, dirs...), "--format", "json")...)
	r := parseReport(t, out)
	if want := 3 * len(withCrossStack(cdkWant["js"], "js", "")); len(r.Findings) != want {
		t.Errorf("%d findings, want %d", len(r.Findings), want)
	}
	for _, f := range r.Findings {
		if !strings.Contains(f.Location.File, "cdk.out.notrace") || !strings.HasSuffix(f.Location.File, ".template.json") {
			t.Errorf("%s at %s, want the synthesized template", f.ID, f.Location.File)
		}
	}
	n := 0
	for _, note := range r.Notes {
		if strings.Contains(note.Message, "synthesized without construct traces") && strings.Contains(note.Message, "cdk synth --debug") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d notes on how to get source lines for 3 apps, want 1: %+v", n, r.Notes)
	}
}

// TestCDKReportsValidate: SARIF and rdjson of a CDK run validate, and
// name the app's files relative to the repository root.
func TestCDKReportsValidate(t *testing.T) {
	t.Chdir("../../..")
	app := filepath.Join("fixtures", "cdk-apps", "ts-compiled", "cdk.out")
	_, sarif, _ := runHere(t, "check", app, "--format", "sarif")
	schemacheck.Validate(t, schemacheck.SARIF(t), []byte(sarif))
	uris := regexp.MustCompile(`"uri": "([^"]*)"`).FindAllStringSubmatch(sarif, -1)
	sources := 0
	for _, u := range uris {
		if strings.HasPrefix(u[1], "http") {
			continue
		}
		if !strings.HasPrefix(u[1], "fixtures/cdk-apps/ts-compiled/") {
			t.Errorf("SARIF URI %q is not relative to the repository root", u[1])
		}
		if strings.HasSuffix(u[1], ".ts") {
			sources++
		}
	}
	if sources == 0 || strings.Contains(sarif, "file://") || strings.Contains(sarif, "/dist/") {
		t.Errorf("SARIF names %d TypeScript sources (and file:// or dist/: %v)", sources, strings.Contains(sarif, "file://") || strings.Contains(sarif, "/dist/"))
	}
	_, rd, _ := runHere(t, "check", app, "--format", "rdjson")
	p := schemacheck.Shared(t, "schemas", "rdjson", "DiagnosticResult.json")
	sch, err := jsonschema.NewCompiler().Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	schemacheck.Validate(t, sch, []byte(rd))
	if !strings.Contains(rd, `"path": "fixtures/cdk-apps/ts-compiled/lib/api-stack.ts"`) {
		t.Errorf("rdjson does not name the TypeScript source:\n%s", rd)
	}
}

// TestCDKCrossStack: the second stack's LambdaRestApi invokes the first
// stack's function through Fn::ImportValue, which the run links (the
// cross-stack references of issue 12): its endpoints are located in the
// app too.
func TestCDKCrossStack(t *testing.T) {
	t.Chdir("../../..")
	_, out, _ := runHere(t, "check", "fixtures/cdk-apps/js/cdk.out", "--format", "json")
	r := parseReport(t, out)
	for _, f := range r.Findings {
		if f.ID != "GL002" || f.Resource.CDKPath != "ApiStack/SlowFn/Resource" {
			continue
		}
		for _, rel := range f.Related {
			if strings.Contains(rel.Message, "{proxy+}") {
				if rel.Location.File != "fixtures/cdk-apps/js/lib/consumer-stack.js" || rel.Location.Line != 8 {
					t.Errorf("ConsumerStack's endpoint at %s:%d, want lib/consumer-stack.js:8", rel.Location.File, rel.Location.Line)
				}
				return
			}
		}
	}
	t.Error("ConsumerStack's endpoints are not linked to ApiStack/SlowFn: no GL002 of SlowFn names {proxy+}")
}

// TestCDKFixSaysSynthAgain: --fix edits the app's source, and says the
// app must be synthesized again; until then, the run after the fix says
// the template and the source disagree.
func TestCDKFixSaysSynthAgain(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(t.TempDir(), "js")
	copyFiles(t, filepath.Join(root, "fixtures", "cdk-apps", "js"), work, func(rel string) bool {
		return rel == "cdk.out.notrace" || rel == "cdk.out.debug"
	})
	t.Chdir(work)
	_, out, stderr := runHere(t, "check", "--fix", "--unsafe-fixes", ".")
	if !strings.Contains(stderr, "gatelint: fixed 3 findings in 2 files") || !strings.Contains(stderr, "run `cdk synth` again") {
		t.Errorf("--fix says %q", stderr)
	}
	if !strings.Contains(out, "The app says seconds(7) at lib/api-stack.js:19:16, the synthesized template 60 s: synthesize again (cdk synth)") {
		t.Errorf("the run after the fix does not say the template is stale:\n%s", out)
	}
	src, _ := os.ReadFile("lib/api-stack.js")
	if !strings.Contains(string(src), "timeout: Duration.seconds(7),") {
		t.Errorf("lib/api-stack.js not fixed")
	}
}

// cdkSynthEnv is what the synthesis tests need: node, and the apps'
// packages installed by npm ci in fixtures/cdk-apps.
func cdkSynthEnv(t *testing.T) (root string) {
	t.Helper()
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: the CDK apps are not synthesized (their committed outputs are still tested)")
	}
	if _, err := os.Stat(filepath.Join(root, "fixtures/cdk-apps/node_modules/aws-cdk-lib/package.json")); err != nil {
		t.Skip("aws-cdk-lib is not installed: run npm ci in fixtures/cdk-apps (as .ci/run does) to synthesize the CDK apps")
	}
	return root
}

// copyApp copies an app's sources (not its outputs) to dir.
func copyApp(t *testing.T, root, app, dir string) {
	t.Helper()
	copyFiles(t, filepath.Join(root, "fixtures", "cdk-apps", app), dir, func(rel string) bool {
		return strings.HasPrefix(rel, "cdk.out") || rel == "dist"
	})
}

// copyTree copies a synthesized app, outputs included.
func copyTree(t *testing.T, src, dir string) {
	t.Helper()
	copyFiles(t, src, dir, func(string) bool { return false })
}

// copyFiles copies the files under src to dir, leaving out node_modules
// (the link synth.sh makes) and the directories skip names.
func copyFiles(t *testing.T, src, dir string, skip func(rel string) bool) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel == "node_modules" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() && skip(rel) {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// synth runs fixtures/cdk-apps/synth.sh on an app copy.
func synth(t *testing.T, root, work, out, mode string) time.Duration {
	t.Helper()
	start := time.Now()
	cmd := exec.Command("bash", filepath.Join(root, "fixtures", "cdk-apps", "synth.sh"), work, out, mode)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("synth %s %s: %v\n%s", work, mode, err, b)
	}
	return time.Since(start)
}

var (
	synthOnce sync.Once
	synthDir  string
	synthErr  error
)

// cdkNoTraceApp is the app also synthesized with traces off: the traces
// do not change the templates, so once is enough (the committed
// cdk.out.notrace of the others is checked without npm).
const cdkNoTraceApp = "js"

// synthesized returns a directory holding a fresh copy of every app,
// synthesized (cdk.out), and beside the JavaScript one its traces-off
// output (js.notrace), made once for all tests.
func synthesized(t *testing.T) string {
	root := cdkSynthEnv(t)
	synthOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gatelint-cdk-test-")
		if err != nil {
			synthErr = err
			return
		}
		synthDir = dir
		for _, app := range cdkApps {
			work := filepath.Join(dir, app.name)
			copyApp(t, root, app.name, work)
			d := synth(t, root, work, filepath.Join(work, "cdk.out"), "")
			t.Logf("synthesized %s in %.1f s", app.name, d.Seconds())
			if app.name == cdkNoTraceApp {
				d := synth(t, root, work, filepath.Join(dir, app.name+".notrace"), "notrace")
				t.Logf("synthesized %s with traces off in %.1f s", app.name, d.Seconds())
			}
		}
	})
	if synthErr != nil {
		t.Fatal(synthErr)
	}
	if synthDir == "" {
		t.Fatal("the apps could not be synthesized (see the first test that tried)")
	}
	return synthDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if synthDir != "" {
		os.RemoveAll(synthDir)
	}
	os.Exit(code)
}

// TestCDKSynthesize synthesizes the fixture apps with the real
// aws-cdk-lib: the templates are the committed ones, byte for byte, and
// every finding is located as in the committed outputs (whose traces hold
// another machine's paths); the JavaScript app with traces off too, its
// findings on the templates.
func TestCDKSynthesize(t *testing.T) {
	dir := synthesized(t)
	root := cdkSynthEnv(t)
	for _, app := range cdkApps {
		t.Run(app.name, func(t *testing.T) {
			outputs := map[string]string{"cdk.out": "cdk.out"}
			if app.name == cdkNoTraceApp {
				outputs[app.name+".notrace"] = "cdk.out.notrace"
			}
			for _, stack := range []string{"ApiStack", "ConsumerStack"} {
				for out, committed := range outputs {
					fresh, err := os.ReadFile(filepath.Join(dir, app.name, out, stack+".template.json"))
					if out != "cdk.out" {
						fresh, err = os.ReadFile(filepath.Join(dir, out, stack+".template.json"))
					}
					if err != nil {
						t.Fatal(err)
					}
					was, err := os.ReadFile(filepath.Join(root, "fixtures", "cdk-apps", app.name, committed, stack+".template.json"))
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(fresh, was) {
						t.Errorf("%s/%s/%s.template.json differs from what the app synthesizes: run fixtures/cdk-apps/regen.sh", app.name, committed, stack)
					}
				}
			}
			t.Chdir(dir)
			checkLocations(t, app.name, app.want)
			if app.name != cdkNoTraceApp {
				return
			}
			_, out, _ := runHere(t, "check", app.name+".notrace", "--format", "json")
			r := parseReport(t, out)
			for _, f := range r.Findings {
				if !strings.HasPrefix(f.Location.File, app.name+".notrace/") {
					t.Errorf("traces off: %s at %s, want the synthesized template", f.ID, f.Location.File)
				}
			}
			if len(r.Findings) != len(withCrossStack(cdkWant[app.want], app.want, "")) || len(r.Notes) == 0 {
				t.Errorf("traces off: %d findings, %d notes", len(r.Findings), len(r.Notes))
			}
		})
	}
}

// changedLine is what a fix may do to a line of the app: change the
// number or unit of a Duration call, or insert one property line.
var (
	durationCall = regexp.MustCompile(`\.(millis|seconds|minutes|hours|days)\(\d+\)`)
	insertedLine = regexp.MustCompile(`^\s*(timeout|visibilityTimeout): [\w.]*Duration\.seconds\(\d+\),?$`)
)

// TestCDKDiffResynthesize: --diff on each app gives a patch git apply
// takes, that only changes Duration calls or inserts one property line;
// the patched app synthesizes to templates in which every finding that
// had a fix is gone.
func TestCDKDiffResynthesize(t *testing.T) {
	dir := synthesized(t)
	root := cdkSynthEnv(t)
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	for _, app := range cdkApps {
		t.Run(app.name, func(t *testing.T) {
			work := filepath.Join(t.TempDir(), app.name)
			copyTree(t, filepath.Join(dir, app.name), work)
			t.Chdir(work)
			_, before, _ := runHere(t, "check", ".", "--format", "json")
			fixed := map[string]bool{}
			for _, f := range pinned(parseReport(t, before), ".") {
				if f.Edits > 0 {
					fixed[f.ID+" "+f.CDKPath] = true
				}
			}
			code, diff, stderr := runHere(t, "check", "--diff", ".")
			if code != 1 || diff == "" {
				t.Fatalf("--diff: exit %d, stderr %s", code, stderr)
			}
			checkDiff(t, diff, app.want)
			cmd := exec.Command(git, "apply", "-")
			cmd.Stdin = strings.NewReader(diff)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("git apply: %v\n%s\n%s", err, out, diff)
			}
			os.RemoveAll("dist") // compiled again from the patched source
			took := synth(t, root, work, filepath.Join(work, "cdk.out"), "")
			t.Logf("re-synthesized %s in %.1f s", app.name, took.Seconds())
			_, after, _ := runHere(t, "check", ".", "--format", "json")
			var left []string
			for _, f := range pinned(parseReport(t, after), ".") {
				if fixed[f.ID+" "+f.CDKPath] {
					t.Errorf("after the fix and cdk synth, still %s", f)
				}
				left = append(left, f.ID+" "+f.CDKPath)
			}
			slices.Sort(left)
			// GL001 of GET /items has no edit: aws-cdk-lib's HttpIntegration
			// rejects the HTTP API's 30 s (it accepts at most 29 s).
			want := []string{"GL001 ApiStack/HttpApi/GET--items/ItemsIntegration/Resource",
				"GL002 ApiStack/DefaultFn/Resource", "GL003 ApiStack/RestApi/Default/default/GET/Resource",
				"GL009 ApiStack/HttpApi/DefaultStage/Resource", "GL009 ApiStack/RestApi/DeploymentStage.prod/Resource",
				"GL009 ConsumerStack/ProxyApi/DeploymentStage.prod/Resource"}
			if !slices.Equal(left, want) {
				t.Errorf("left after the fix: %q, want only those without an edit: %q", left, want)
			}
			if len(fixed) != 3 {
				t.Errorf("%d findings had fixes, want 3 (GL002 of SlowFn, GL001 of GET /slow, GL008)", len(fixed))
			}
		})
	}
}

// checkDiff checks every changed line of a patch of the app's source.
func checkDiff(t *testing.T, diff, lang string) {
	t.Helper()
	ext := ".js"
	if lang == "ts" {
		ext = ".ts"
	}
	var minus, plus []string
	files := 0
	flush := func() {
		switch {
		case len(minus) == 0 && len(plus) == 1 && insertedLine.MatchString(plus[0]):
		case len(minus) == len(plus):
			for i := range minus {
				if durationCall.ReplaceAllString(minus[i], ".D()") != durationCall.ReplaceAllString(plus[i], ".D()") || minus[i] == plus[i] {
					t.Errorf("a fix changed more than a Duration call:\n-%s\n+%s", minus[i], plus[i])
				}
			}
		default:
			t.Errorf("a fix changed lines it should not have:\n-%s\n+%s", strings.Join(minus, "\n-"), strings.Join(plus, "\n+"))
		}
		minus, plus = nil, nil
	}
	for _, l := range strings.Split(diff, "\n") {
		switch {
		case strings.HasPrefix(l, "+++ "):
			files++
			if !strings.HasSuffix(l, ext) || strings.Contains(l, "dist/") || strings.Contains(l, "cdk.out") {
				t.Errorf("the patch edits %s, not the app's %s source", l, ext)
			}
		case strings.HasPrefix(l, "--- "), strings.HasPrefix(l, "diff "):
		case strings.HasPrefix(l, "-"):
			minus = append(minus, l[1:])
		case strings.HasPrefix(l, "+"):
			plus = append(plus, l[1:])
		default:
			if len(minus)+len(plus) > 0 {
				flush()
			}
		}
	}
	if len(minus)+len(plus) > 0 {
		flush()
	}
	if files != 2 {
		t.Errorf("the patch edits %d files, want 2 (api-stack and queue-worker):\n%s", files, diff)
	}
}

// TestCDKDurationsInTheAppsUnits: a CDK finding speaks the app's
// Duration (10 s, "set timeout to 29"), not the template's milliseconds,
// and GL001 on an HTTP API integration, which aws-cdk-lib will not raise
// past 29 s, says so instead of offering an edit the synth would refuse.
func TestCDKDurationsInTheAppsUnits(t *testing.T) {
	t.Chdir("../../..")
	_, out, _ := runHere(t, "check", "fixtures/cdk-apps/js/cdk.out", "--format", "json")
	r := parseReport(t, out)
	var rest, http string
	for _, f := range r.Findings {
		if f.ID != "GL001" {
			continue
		}
		switch f.Resource.CDKPath {
		case "ApiStack/RestApi/Default/slow/GET/Resource":
			rest = f.Message
			if len(f.Fixes) != 1 || f.Fixes[0].Description != "set timeout to 29" {
				t.Errorf("GL001 of GET /slow: fixes %+v", f.Fixes)
			}
		case "ApiStack/HttpApi/GET--items/ItemsIntegration/Resource":
			http = f.Message
			if len(f.Fixes) != 0 {
				t.Errorf("GL001 of GET /items: fixes %+v, want none (aws-cdk-lib refuses 30 s)", f.Fixes)
			}
		}
	}
	if !strings.Contains(rest, "is 10 s, below the edge-optimized REST API maximum of 29 s") {
		t.Errorf("GL001 of GET /slow: %q", rest)
	}
	if !strings.Contains(http, "aws-cdk-lib refuses a timeout above 29 s here") || !strings.Contains(http, "Duration.seconds(29) is the most it takes") {
		t.Errorf("GL001 of GET /items: %q", http)
	}
}

// TestCDKLogicalIDTraces: a cloud assembly in the older shape (aws-cdk-lib
// before 2.251 with CDK_DEBUG: the trace on each aws:cdk:logicalId entry,
// V8's raw frames with "at " and node_modules frames uncollapsed, no
// aws:cdk:creationStack) gives the same locations as the current one.
// The assembly is the JavaScript app's, rewritten into that shape.
func TestCDKLogicalIDTraces(t *testing.T) {
	t.Chdir("../../..")
	app := filepath.Join(t.TempDir(), "js")
	if err := os.CopyFS(app, os.DirFS(filepath.Join("fixtures", "cdk-apps", "js"))); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(app, "cdk.out")
	metas, _ := filepath.Glob(filepath.Join(out, "*.metadata.json"))
	if len(metas) == 0 {
		t.Fatal("no metadata files")
	}
	for _, p := range metas {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var meta map[string][]map[string]any
		if err := json.Unmarshal(data, &meta); err != nil {
			t.Fatal(err)
		}
		for key, entries := range meta {
			var trace []any
			var kept []map[string]any
			for _, e := range entries {
				if e["type"] != "aws:cdk:creationStack" {
					kept = append(kept, e)
					continue
				}
				frames, _ := e["data"].([]any)
				for _, f := range frames {
					s, _ := f.(string)
					switch {
					case strings.HasPrefix(s, "..."):
						// A collapsed library frame, as V8 wrote it then.
						trace = append(trace, "at new Construct (/tmp/gatelint-cdk-synth/js/node_modules/aws-cdk-lib/core/lib/construct.js:1:100)")
					case strings.HasPrefix(s, "("):
					default:
						trace = append(trace, "at "+s)
					}
				}
			}
			for _, e := range kept {
				if e["type"] == "aws:cdk:logicalId" && len(trace) > 0 {
					e["trace"] = trace
				}
			}
			meta[key] = kept
		}
		data, err = json.MarshalIndent(meta, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(metas[0]); strings.Contains(string(b), "aws:cdk:creationStack") || !strings.Contains(string(b), `"trace"`) {
		t.Fatalf("not rewritten:\n%.500s", b)
	}
	t.Chdir(filepath.Dir(app))
	checkOutput(t, "js", "cdk.out", "js", cdkWant["js"])
}
