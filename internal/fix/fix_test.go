package fix_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/fix"
	"github.com/gatelint/gatelint/internal/golden"
	"github.com/gatelint/gatelint/internal/source/cfn"
	"github.com/gatelint/gatelint/rules"
)

// Each case is a template in testdata/cases, written to a temporary
// directory as is or transformed (CRLF, a BOM, no final newline), fixed,
// and compared with testdata/golden/NAME.after and NAME.diff.
var cases = []struct {
	name, base string
	transform  func([]byte) []byte
	// rules lists the rules whose findings the fixes must clear.
	rules []string
}{
	{"block.yaml", "block.yaml", nil, []string{"GL001", "GL002", "GL004", "GL008"}},
	{"crlf.yaml", "block.yaml", crlf, []string{"GL001", "GL002", "GL004", "GL008"}},
	{"flow.yaml", "flow.yaml", nil, []string{"GL001", "GL002", "GL004", "GL008"}},
	{"json2.json", "json2.json", nil, []string{"GL001", "GL002", "GL004", "GL008"}},
	{"bom-no-final-newline.json", "json2.json", func(b []byte) []byte {
		return append([]byte("\uFEFF"), bytes.TrimSuffix(b, []byte("\n"))...)
	}, []string{"GL001", "GL002", "GL004", "GL008"}},
	{"json4.json", "json4.json", nil, []string{"GL001", "GL002", "GL008"}},
	{"sam-globals.yaml", "sam-globals.yaml", nil, []string{"GL001", "GL002", "GL008"}},
	{"sam-globals-crlf.yaml", "sam-globals.yaml", crlf, []string{"GL001", "GL002", "GL008"}},
	{"lastline.yaml", "lastline.yaml", func(b []byte) []byte { return bytes.TrimSuffix(b, []byte("\n")) }, []string{"GL008"}},
}

func crlf(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }

// checkDir runs gatelint over path with sources kept, as --fix does.
func checkDir(t *testing.T, path string) *driver.Result {
	t.Helper()
	res := driver.Run(driver.Config{Paths: []string{path}, Rules: rules.DefaultConfig(), KeepSources: true})
	if len(res.Errors) > 0 {
		t.Fatalf("input errors: %v", res.Errors)
	}
	return res
}

// key identifies a finding across edits, which move lines.
func key(f finding.Finding) string {
	k := f.RuleID + " " + f.Resource.File + " " + f.Resource.LogicalID
	if f.Endpoint != nil {
		k += " " + f.Endpoint.String()
	}
	if f.Holds != "" {
		k += " " + f.Holds
	}
	return k
}

func TestFixGolden(t *testing.T) {
	goldenDir, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "cases", tc.base))
			if err != nil {
				t.Fatal(err)
			}
			if tc.transform != nil {
				src = tc.transform(src)
			}
			dir := t.TempDir()
			t.Chdir(dir)
			if err := os.WriteFile(tc.name, src, 0o640); err != nil {
				t.Fatal(err)
			}

			res := checkDir(t, tc.name)
			fixed := map[string]bool{}
			for _, f := range res.Findings {
				// --fix takes the first fix, when it is safe.
				if len(f.Fixes) > 0 && f.Fixes[0].Safety == finding.Safe {
					fixed[key(f)] = true
				}
			}
			for _, r := range tc.rules {
				found := false
				for k := range fixed {
					found = found || strings.HasPrefix(k, r+" ")
				}
				if !found {
					t.Errorf("no fixable %s finding: the case does not cover it", r)
				}
			}
			plan := fix.Prepare(res.Findings, res.Sources, fix.Options{Reparse: res.Reparse})
			if len(plan.Refused) > 0 || len(plan.Changes) != 1 {
				t.Fatalf("plan: %d changes, refused %v", len(plan.Changes), plan.Refused)
			}
			var diff bytes.Buffer
			if err := fix.Diff(&diff, plan.Changes); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join(goldenDir, tc.name+".after"), plan.Changes[0].After)
			golden.Check(t, filepath.Join(goldenDir, tc.name+".diff"), diff.Bytes())
			onlyInsideEdits(t, plan.Changes[0])
			applies(t, tc.name, src, plan.Changes[0].After, diff.Bytes())

			written, errs := fix.Write(plan.Changes, []string{"."})
			if len(errs) > 0 || len(written) != 1 {
				t.Fatalf("write: %v", errs)
			}
			got, err := os.ReadFile(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, plan.Changes[0].After) {
				t.Error("the file written is not the planned text")
			}
			if info, err := os.Stat(tc.name); err != nil || info.Mode().Perm() != 0o640 {
				t.Errorf("mode after fix: %v %v, want 0640", info.Mode(), err)
			}

			again := checkDir(t, tc.name)
			for _, f := range again.Findings {
				if fixed[key(f)] {
					t.Errorf("still reported after the fix: %s: %s", key(f), f.Message)
				}
			}
			if p := fix.Prepare(again.Findings, again.Sources, fix.Options{Reparse: again.Reparse}); len(p.Changes) > 0 || len(p.Refused) > 0 {
				t.Errorf("a second fix is not a no-op: %d changes, refused %v\n%s", len(p.Changes), p.Refused, fix.DiffString(p.Changes))
			}
		})
	}
}

// onlyInsideEdits compares the file before and after byte by byte outside
// the edited ranges, independently of how Apply splices.
func onlyInsideEdits(t *testing.T, c fix.Change) {
	t.Helper()
	shift, last := 0, 0
	for _, e := range c.Edits {
		if !bytes.Equal(c.Before[last:e.Start], c.After[last+shift:e.Start+shift]) {
			t.Fatalf("bytes %d..%d changed outside any edit", last, e.Start)
		}
		if got := string(c.After[e.Start+shift : e.Start+shift+len(e.NewText)]); got != e.NewText {
			t.Fatalf("edit at %d reads %q, want %q", e.Start, got, e.NewText)
		}
		shift += len(e.NewText) - (e.End - e.Start)
		last = e.End
	}
	if !bytes.Equal(c.Before[last:], c.After[last+shift:]) {
		t.Fatalf("bytes after the last edit changed")
	}
}

// applies runs `git apply` and `patch -p1` on the diff in a fresh
// repository and checks they produce the fixed text.
func applies(t *testing.T, name string, before, after, diff []byte) {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Log("git not found: git apply not checked")
		return
	}
	for _, tool := range []string{"git", "patch"} {
		repo := t.TempDir()
		run := func(stdin []byte, name string, args ...string) {
			t.Helper()
			cmd := exec.Command(name, args...)
			cmd.Dir = repo
			cmd.Stdin = bytes.NewReader(stdin)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
			}
		}
		if err := os.WriteFile(filepath.Join(repo, name), before, 0o644); err != nil {
			t.Fatal(err)
		}
		switch tool {
		case "git":
			run(nil, git, "init", "-q")
			run(diff, git, "apply", "--check", "-")
			run(diff, git, "apply", "-")
		case "patch":
			patch, err := exec.LookPath("patch")
			if err != nil {
				t.Log("patch not found: patch -p1 not checked")
				continue
			}
			run(diff, patch, "-p1", "-s", "--binary")
		}
		got, err := os.ReadFile(filepath.Join(repo, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, after) {
			t.Errorf("%s applied the diff to %q, not the fixed text:\n%q", tool, got, after)
		}
	}
}

func TestRefusals(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "cases", "block.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// prepare edits the findings before planning; before changes the
		// disk between planning and writing.
		prepare func(t *testing.T, fs []finding.Finding) []finding.Finding
		before  func(t *testing.T, path string)
		want    string
		atWrite bool
	}{
		{
			name: "changed since read",
			before: func(t *testing.T, path string) {
				if err := os.WriteFile(path, append(bytes.Clone(src), "# edited\n"...), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			want: "the file changed since it was checked", atWrite: true,
		},
		{
			name: "overlap",
			prepare: func(t *testing.T, fs []finding.Finding) []finding.Finding {
				for _, f := range fs {
					if len(f.Fixes) > 0 {
						e := f.Fixes[0].Edits[0]
						e.NewText += "1"
						return append(fs, finding.Finding{RuleID: "GL999", Fixes: []finding.Fix{{Edits: []finding.TextEdit{e}}}})
					}
				}
				t.Fatal("no fix to overlap")
				return nil
			},
			want: "two fixes overlap",
		},
		{
			name: "no longer parses",
			prepare: func(t *testing.T, fs []finding.Finding) []finding.Finding {
				for i, f := range fs {
					if len(f.Fixes) > 0 {
						e := f.Fixes[0].Edits[0]
						e.NewText = "[1, {"
						fs[i].Fixes = []finding.Fix{{Edits: []finding.TextEdit{e}}}
						// Alone: another finding's fix may edit the same
						// value, which would be refused as an overlap first.
						return fs[i : i+1]
					}
				}
				t.Fatal("no fix to break")
				return nil
			},
			want: "would not parse",
		},
		{
			name: "link out of the given paths",
			before: func(t *testing.T, path string) {
				outside := filepath.Join(t.TempDir(), "real.yaml")
				if err := os.WriteFile(outside, src, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(outside, path); err != nil {
					t.Skipf("no symlinks here: %v", err)
				}
			},
			want: "outside the paths given", atWrite: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			if err := os.Mkdir("stack", 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("stack", "t.yaml")
			if err := os.WriteFile(path, src, 0o644); err != nil {
				t.Fatal(err)
			}
			res := checkDir(t, path)
			fs := res.Findings
			if tt.prepare != nil {
				fs = tt.prepare(t, fs)
			}
			plan := fix.Prepare(fs, res.Sources, fix.Options{Reparse: res.Reparse})
			if tt.before != nil {
				tt.before(t, path)
			}
			onDisk, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			errs := plan.Refused
			if tt.atWrite {
				if len(errs) > 0 {
					t.Fatalf("refused before writing: %v", errs)
				}
				_, errs = fix.Write(plan.Changes, []string{"stack"})
			}
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want) || !strings.Contains(errs[0].Error(), path) {
				t.Fatalf("errors %v, want one naming %s and saying %q", errs, path, tt.want)
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(after, onDisk) {
				t.Error("the file was touched")
			}
		})
	}
}

// A link inside the given directory is written through: the link stays a
// link and its target gets the fix.
func TestLinkInsideIsFollowed(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "cases", "lastline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("real.yaml", src, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.yaml", "link.yaml"); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	res := checkDir(t, "link.yaml")
	plan := fix.Prepare(res.Findings, res.Sources, fix.Options{Reparse: res.Reparse})
	if _, errs := fix.Write(plan.Changes, []string{"."}); len(errs) > 0 {
		t.Fatal(errs)
	}
	if fi, err := os.Lstat("link.yaml"); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.yaml is no longer a link: %v %v", fi.Mode(), err)
	}
	got, _ := os.ReadFile("real.yaml")
	if !bytes.Contains(got, []byte("VisibilityTimeout: 300")) {
		t.Errorf("target not fixed:\n%s", got)
	}
	if fi, err := os.Stat("real.yaml"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode())
	}
}

func TestUnsafeFixesNeedOptIn(t *testing.T) {
	src := []byte("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 60\n")
	e := finding.TextEdit{File: "t.yaml", Start: bytes.Index(src, []byte("60")), NewText: "120"}
	e.End = e.Start + 2
	fs := []finding.Finding{{RuleID: "GL008", Fixes: []finding.Fix{{Description: "x", Edits: []finding.TextEdit{e}, Safety: finding.Unsafe}}}}
	sources := map[string][]byte{"t.yaml": src}
	for _, unsafe := range []bool{false, true} {
		t.Run(fmt.Sprint("unsafe=", unsafe), func(t *testing.T) {
			p := fix.Prepare(fs, sources, fix.Options{Unsafe: unsafe, Reparse: cfn.Reader{}.Reparse})
			wantChanges, wantHidden := 0, 1
			if unsafe {
				wantChanges, wantHidden = 1, 0
			}
			if len(p.Changes) != wantChanges || p.Hidden != wantHidden {
				t.Errorf("changes %d hidden %d, want %d and %d", len(p.Changes), p.Hidden, wantChanges, wantHidden)
			}
		})
	}
}

// An OpenAPI file the template includes is fixed where it is, though only
// the template was named.
func TestIncludedOpenAPIIsFixed(t *testing.T) {
	t.Chdir(t.TempDir())
	tmpl := "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionUri: api/openapi.yaml\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: x\n      Timeout: 5\n"
	spec := "openapi: 3.0.1\npaths:\n  /items:\n    get:\n      x-amazon-apigateway-integration:\n        type: aws_proxy\n        httpMethod: POST\n        uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations\n        timeoutInMillis: 8000\n"
	if err := os.Mkdir("api", 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile("template.yaml", []byte(tmpl), 0o644)
	os.WriteFile(filepath.Join("api", "openapi.yaml"), []byte(spec), 0o644)
	res := checkDir(t, "template.yaml")
	plan := fix.Prepare(res.Findings, res.Sources, fix.Options{Reparse: res.Reparse})
	if len(plan.Refused) > 0 || len(plan.Changes) != 1 {
		t.Fatalf("plan: %d changes, refused %v", len(plan.Changes), plan.Refused)
	}
	if _, errs := fix.Write(plan.Changes, []string{"template.yaml"}); len(errs) > 0 {
		t.Fatal(errs)
	}
	got, _ := os.ReadFile(filepath.Join("api", "openapi.yaml"))
	if want := strings.Replace(spec, "8000", "29000", 1); string(got) != want {
		t.Errorf("openapi.yaml after the fix:\n%s\nwant\n%s", got, want)
	}
}

// TestReparseNeverVacuous: a patched file is checked by the source that
// read it. Without one (a file no source read) it is refused; an OpenAPI
// document a template includes must stay one.
func TestReparseNeverVacuous(t *testing.T) {
	src := []byte("openapi: 3.0.1\npaths:\n  /x:\n    get: {}\n")
	e := finding.TextEdit{File: "api.yaml", Start: 0, End: len("openapi: 3.0.1\npaths"), NewText: "notes: x\nother"}
	fs := []finding.Finding{{Fixes: []finding.Fix{{Description: "x", Edits: []finding.TextEdit{e}}}}}
	sources := map[string][]byte{"api.yaml": src}
	if p := fix.Prepare(fs, sources, fix.Options{}); len(p.Changes) != 0 || len(p.Refused) != 1 || !strings.Contains(p.Refused[0].Error(), "nothing can check the patched file") {
		t.Errorf("without a source: changes %d, refused %v", len(p.Changes), p.Refused)
	}
	res := &driver.Result{}
	if p := fix.Prepare(fs, sources, fix.Options{Reparse: res.Reparse}); len(p.Changes) != 0 || len(p.Refused) != 1 || !strings.Contains(p.Refused[0].Error(), "no source read this file") {
		t.Errorf("a file no source read: changes %d, refused %v", len(p.Changes), p.Refused)
	}
	p := fix.Prepare(fs, sources, fix.Options{Reparse: cfn.Reader{}.Reparse})
	if len(p.Changes) != 0 || len(p.Refused) != 1 || !strings.Contains(p.Refused[0].Error(), "no longer be an OpenAPI document") {
		t.Errorf("an OpenAPI document made something else: changes %d, refused %v", len(p.Changes), p.Refused)
	}
}
