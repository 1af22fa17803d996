package samconfig

import (
	"strings"
	"testing"

	"github.com/gatelint/gatelint/internal/fix"
)

const toml = `version = 0.1

[default]
[default.global.parameters]
stack_name = "reports"
parameter_overrides = "Stage=dev FnTimeout=30"

[default.deploy.parameters]
capabilities = "CAPABILITY_IAM"
confirm_changeset = true
# deploy's parameter_overrides replace global's
parameter_overrides = "Stage=dev FnTimeout=40 Greeting=\"hello world\" Note='a b'"

[prod.deploy.parameters]
template_file = "template.yaml"
parameter_overrides = [
  "Stage=prod",   # list form
  "FnTimeout=60",
]
tags = { team = "data" }

[staging.deploy.parameters]
parameter_overrides = "ParameterKey=Stage,ParameterValue=staging ParameterKey=FnTimeout,ParameterValue=45"

[default.build.parameters]
cached = true
`

func params(e *Env) string {
	var b []string
	for _, p := range e.Params {
		b = append(b, p.Key+"="+p.Value)
	}
	return strings.Join(b, " ")
}

func TestTOML(t *testing.T) {
	f, err := Parse("samconfig.toml", []byte(toml))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range f.Envs {
		names = append(names, e.Name)
	}
	if strings.Join(names, ",") != "default,prod,staging" {
		t.Fatalf("environments %v", names)
	}
	want := map[string]string{
		"default": "Stage=dev FnTimeout=40 Greeting=hello world Note=a b",
		"prod":    "Stage=prod FnTimeout=60",
		"staging": "Stage=staging FnTimeout=45",
	}
	for _, e := range f.Envs {
		if got := params(e); got != want[e.Name] {
			t.Errorf("%s: %s, want %s", e.Name, got, want[e.Name])
		}
	}
	if f.Envs[1].TemplateFile != "template.yaml" || f.Envs[0].TemplateFile != "" {
		t.Errorf("template_file %q %q", f.Envs[1].TemplateFile, f.Envs[0].TemplateFile)
	}
	// Each value is located at its bytes, and edited there.
	for _, e := range f.Envs {
		for _, p := range e.Params {
			got := toml[p.Loc.Start.Offset:p.Loc.End.Offset]
			if p.Key == "Greeting" || p.Key == "Note" {
				if got != p.Value {
					t.Errorf("%s %s located at %q", e.Name, p.Key, got)
				}
				continue
			}
			if got != p.Value || p.Edit == nil {
				t.Errorf("%s %s located at %q (edit %v)", e.Name, p.Key, got, p.Edit != nil)
				continue
			}
			if p.Key == "FnTimeout" {
				after := string(fix.Apply([]byte(toml), p.Edit("26")))
				if again, err := Parse("samconfig.toml", []byte(after)); err != nil || again.Envs[indexOf(f, e.Name)].Params[1].Value != "26" {
					t.Errorf("%s: after the edit %v %+v", e.Name, err, again)
				}
			}
		}
	}
	if loc := f.Envs[1].Params[1].Loc; loc.Start.Line != 18 || loc.Start.Column != 14 {
		t.Errorf("prod FnTimeout at %v, want 18:14", loc)
	}
}

func indexOf(f *File, name string) int {
	for i, e := range f.Envs {
		if e.Name == name {
			return i
		}
	}
	return -1
}

func TestYAML(t *testing.T) {
	src := `version: 0.1
default:
  deploy:
    parameters:
      parameter_overrides: Stage=dev FnTimeout=30
prod:
  global:
    parameters:
      parameter_overrides:
        - Stage=prod
        - "FnTimeout=60"
`
	f, err := Parse("samconfig.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Envs) != 2 || params(f.Envs[0]) != "Stage=dev FnTimeout=30" || params(f.Envs[1]) != "Stage=prod FnTimeout=60" {
		t.Fatalf("%+v", f.Envs)
	}
	p := f.Envs[1].Params[1]
	if src[p.Loc.Start.Offset:p.Loc.End.Offset] != "60" || p.Edit == nil {
		t.Errorf("prod FnTimeout at %v", p.Loc)
	}
}

func TestSelect(t *testing.T) {
	f, err := Parse("samconfig.toml", []byte(toml))
	if err != nil {
		t.Fatal(err)
	}
	if envs, err := f.Select("prod"); err != nil || len(envs) != 1 || envs[0].Name != "prod" {
		t.Errorf("Select(prod) = %v, %v", envs, err)
	}
	_, err = f.Select("prd")
	if err == nil || err.Error() != "--config-env prd: samconfig.toml has no such environment (it has default, prod, staging)" {
		t.Errorf("Select(prd): %v", err)
	}
}

func TestTOMLErrors(t *testing.T) {
	for _, src := range []string{"[default.deploy.parameters\n", "x = \"open\n", "a = [\"x\"", "= 1\n", "a = \n"} {
		if _, err := Parse("samconfig.toml", []byte(src)); err == nil || !strings.HasPrefix(err.Error(), "samconfig.toml:") {
			t.Errorf("%q: error %v", src, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(toml))
	f.Fuzz(func(t *testing.T, data []byte) {
		cf, err := Parse("samconfig.toml", data)
		if err != nil {
			return
		}
		for _, e := range cf.Envs {
			for _, p := range e.Params {
				if p.Loc.Start.Offset > p.Loc.End.Offset || p.Loc.End.Offset > len(data) {
					t.Fatalf("bad location %+v", p.Loc)
				}
			}
		}
	})
}
