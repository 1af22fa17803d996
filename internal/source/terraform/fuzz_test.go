package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/terraform"
)

// FuzzRead feeds any bytes to the reader as a module's main.tf, beside a
// fixed module that calls itself and an OpenAPI file: reading must end
// in time, never panic, and build a consistent model whose locations lie
// in the files read.
func FuzzRead(f *testing.F) {
	for _, p := range []string{"../../../fixtures/terraform/main.tf", "testdata/plan/beside/main.tf"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(lambda("fn", "60") + httpAPI + httpIntegration("aws_lambda_function.fn.invoke_arn", "  timeout_milliseconds = 45000\n")))
	f.Add([]byte(`module "self" { source = "./" }` + "\n" + `module "loop" { source = "./loop" }`))
	f.Add([]byte(`resource "aws_lambda_function" "f" {` + "\n  count = 100000000\n  timeout = count.index\n}\n"))
	f.Add([]byte(`resource "aws_apigatewayv2_api" "a" { body = file("api.yaml") }`))
	f.Add([]byte(`resource "aws_api_gateway_rest_api" "a" { body = jsonencode({paths = {"/x" = {get = {"x-amazon-apigateway-integration" = {timeoutInMillis = var.t ? 1 : 2}}}}}) }`))
	f.Add([]byte(strings.Repeat("{", 10000)))
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		files := map[string]string{
			"main.tf":       string(src),
			"loop/main.tf":  `module "back" { source = "../loop" }`,
			"api.yaml":      "paths:\n  /x:\n    get:\n      x-amazon-apigateway-integration:\n        $ref: '#/components/x-amazon-apigateway-integrations/a'\n",
			"x.auto.tfvars": "t = true\n",
		}
		for name, content := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(dir, "main.tf")
		b := model.NewBuilder()
		done := make(chan source.Outcome, 1)
		go func() {
			done <- terraform.Reader{}.Read(&source.File{Path: path, Data: src, Named: true, Include: os.ReadFile}, b)
		}()
		select {
		case <-done:
		case <-time.After(3 * time.Minute):
			t.Fatal("reading did not end")
		}
		m := b.Model()
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		for _, fn := range m.Functions {
			for _, v := range fn.Timeout {
				if v.Known && v.D < 0 && v.Origin == model.Default {
					t.Errorf("negative default %v", v.D)
				}
			}
		}
	})
}
