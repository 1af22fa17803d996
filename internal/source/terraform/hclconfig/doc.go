// Package hclconfig loads and evaluates a Terraform configuration as it is
// written, without Terraform, providers or network access.
//
// Load reads a module directory the way Terraform does (all .tf and .tf.json
// files, then override.tf / *_override.tf merged on top), resolves input
// variables (defaults, terraform.tfvars, *.auto.tfvars, var files, -var
// arguments and TF_VAR_ environment variables, with Terraform's precedence),
// loads local child modules recursively (and remote ones already installed
// under .terraform/modules), expands count / for_each and dynamic blocks, and
// evaluates every attribute of every resource instance.
//
// Whatever cannot be known offline (resource attributes that are computed by
// the provider, data sources, variables without a value, modules that are not
// installed) evaluates to an unknown cty value that carries Origin marks. An
// Origin names what the unknown came from ("aws_lambda_function.x",
// attribute "invoke_arn") and why it is unknown, so a caller can link an
// integration's uri to the function it invokes even though the ARN itself is
// unknown. Origins also mark known values that came from another resource's
// configuration (aws_lambda_function.x.function_name), so links survive
// through locals, templates and module outputs.
//
// Every block and attribute keeps its source ranges (with byte offsets) so
// that a caller can report findings at file:line:col and build byte-level
// edits (see Block.InsertAttribute and Attribute.ValueRange).
//
// For its callers' links and edits: AttrValue.Text writes a partly known
// string with ${reference} for what is unknown; Eval and Sub evaluate a
// part of an expression (a conditional's condition, one entry of a map
// argument) where the attribute was; Trace and TraceExpr follow a value
// to where it is written; InsertAttribute and InsertIntoObject add an
// argument to a block or an object without reformatting anything else.
//
// The package imports only the standard library and the HCL / cty modules;
// it knows nothing of gatelint's model.
package hclconfig
