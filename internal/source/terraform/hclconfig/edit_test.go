package hclconfig

import (
	"strings"
	"testing"
)

func TestInsertAttribute(t *testing.T) {
	cfg := load(t, "edits", Options{})
	cases := []struct {
		res, name, value string
		want             string // the patched block
	}{
		{"aws_lambda_function.aligned", "timeout", "30", `resource "aws_lambda_function" "aligned" {
  function_name = "x"
  handler       = "y"
  timeout       = 30

  environment {`},
		{"aws_lambda_function.aligned", "a_very_long_attribute_name", "1", `  handler       = "y"
  a_very_long_attribute_name = 1
`},
		{"aws_lambda_function.plain", "timeout", "30", `resource "aws_lambda_function" "plain" {
    role = "r"
    timeout = 30
}`},
		{"aws_lambda_function.empty", "timeout", "30", `resource "aws_lambda_function" "empty" {
  timeout = 30
}`},
		{"aws_lambda_function.counted", "timeout", "30", `  count         = 1
  function_name = "x"
  timeout       = 30
}`},
		{"aws_lambda_function.nobody", "timeout", "30", `  tags = {
    a = "b"
  }
  timeout = 30
}`},
	}
	for _, c := range cases {
		t.Run(c.res+"/"+c.name, func(t *testing.T) {
			ri := cfg.Resource(c.res)
			if ri == nil {
				ri = cfg.Resource(c.res + "[0]")
			}
			b := ri.Resource.Block
			e, err := b.InsertAttribute(c.name, c.value)
			if err != nil {
				t.Fatal(err)
			}
			if e.Length != 0 && c.res != "aws_lambda_function.empty" {
				t.Errorf("an insertion replaces nothing: %+v", e)
			}
			src := cfg.Sources[e.Filename]
			out, err := ApplyEdits(src, []Edit{e})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), c.want) {
				t.Errorf("patched file lacks\n%s\n---- got\n%s", c.want, out)
			}
			// Nothing else changed.
			if got := strings.Replace(string(out), e.Text, "", 1); c.res != "aws_lambda_function.empty" && got != string(src) {
				t.Errorf("other bytes changed")
			}
			f, blocks, diags := ParseFile(e.Filename, out)
			if diags.HasErrors() || f == nil {
				t.Fatalf("patched file does not parse: %v", diags)
			}
			for _, nb := range blocks {
				if nb.Labels[1] == b.Labels[1] && nb.Attr(c.name) == nil {
					t.Errorf("re-parsed block lacks %s", c.name)
				}
			}
		})
	}
	a := cfg.Resource("aws_lambda_function.aligned").Resource.Block.Attr("handler")
	e := a.ReplaceValue(`"z"`)
	out, _ := ApplyEdits(cfg.Sources[e.Filename], []Edit{e})
	if !strings.Contains(string(out), `handler       = "z"`) {
		t.Errorf("ReplaceValue: %s", out)
	}
	if _, err := cfg.Resource("aws_lambda_function.aligned").Resource.Block.InsertAttribute("handler", "1"); err == nil {
		t.Errorf("inserting an existing attribute should fail")
	}
}

func TestOverlayReload(t *testing.T) {
	cfg := load(t, "edits", Options{})
	b := cfg.Resource("aws_lambda_function.plain").Resource.Block
	e, _ := b.InsertAttribute("timeout", "12")
	out, _ := ApplyEdits(cfg.Sources[e.Filename], []Edit{e})
	cfg2 := load(t, "edits", Options{Overlay: map[string][]byte{e.Filename: out}})
	if n, _ := num(cfg2.Resource("aws_lambda_function.plain").Attr("timeout").Val); n != 12 {
		t.Errorf("overlay reload: %v", cfg2.Resource("aws_lambda_function.plain").Attr("timeout"))
	}
}
