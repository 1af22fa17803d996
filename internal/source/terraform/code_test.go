package terraform_test

import "testing"

// The handler code of a Terraform function: an archive_file's
// source_dir, its source_file, the lambda module's source_path, with
// environment variables the code reads its timeouts from.
func TestHandlerCode(t *testing.T) {
	app := "import os, requests\nT = int(os.environ.get('HTTP_TIMEOUT', '5'))\ndef handler(e, c):\n    return requests.get('https://x', timeout=T)\n"
	api := httpAPI + httpIntegration("aws_lambda_function.fn.invoke_arn", "")
	cases := []tfCase{
		{name: "archive_file source_dir, environment variable", files: map[string]string{
			"main.tf": `
data "archive_file" "zip" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/fn.zip"
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  filename      = data.archive_file.zip.output_path
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 29
  environment {
    variables = {
      HTTP_TIMEOUT = "40"
    }
  }
}
` + api,
			"src/app.py": app,
		}, want: []string{"GL011 src/app.py:4 requests.get: timeout 40 s (from environment variable HTTP_TIMEOUT) … POST /jobs waits 30 s … Bound it to 22 s, 5 s before 27 s, the longest timeout that fits the wait (GL002) … set timeout of requests.get to 22 s"}},
		{name: "archive_file source_file, the code's fallback", files: map[string]string{
			"main.tf": `
data "archive_file" "zip" {
  type        = "zip"
  source_file = "lambda/app.py"
  output_path = "fn.zip"
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  filename      = data.archive_file.zip.output_path
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 29
}
` + api,
			"lambda/app.py":   "import requests\ndef handler(e, c):\n    return requests.get('https://x')\n",
			"lambda/other.py": "import requests\nrequests.get('not this file')\n",
		}, want: []string{"GL011 lambda/app.py:3 requests.get: no timeout is set", "GL002 main.tf:"}, count: 2},
		{name: "the lambda module's source_path", files: map[string]string{
			"main.tf": `
module "fn" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "fn"
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 29
  source_path   = "${path.module}/src"
  environment_variables = {
    HTTP_TIMEOUT = "60"
  }
}
` + httpAPI + httpIntegration("module.fn.lambda_function_invoke_arn", ""),
			"src/app.py": app,
		}, want: []string{"GL011 src/app.py:4 requests.get: timeout 60 s (from environment variable HTTP_TIMEOUT)"}},
		{name: "a literal zip beside the directory it was built from", files: map[string]string{
			"main.tf": `
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  filename      = "build/handler.zip"
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 29
}
` + api,
			"build/handler/app.py": "import requests\ndef handler(e, c):\n    return requests.get('https://x')\n",
		}, want: []string{"GL011 build/handler/app.py:3 requests.get: no timeout is set"}},
		{name: "a literal zip with no directory beside it is not read", files: map[string]string{
			"main.tf": `
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  filename      = "build/other.zip"
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 29
}
` + api,
			"build/handler/app.py": "import requests\ndef handler(e, c):\n    return requests.get('https://x')\n",
		}, none: []string{"GL011"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}
