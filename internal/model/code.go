package model

import (
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
)

// Code is where a function's handler code is, as its configuration says:
// a local directory the deployment package is built from (SAM CodeUri, a
// local CloudFormation Code path, Serverless's service directory,
// Terraform's source_dir or the directory beside its filename, a CDK
// asset mapped back to the app's source), or code written inline
// (ZipFile, InlineCode). Each source sets it in its own terms; the code
// scanner (package source/code) reads the files it names.
type Code struct {
	// Dir is the local directory the package is built from; empty for
	// inline code.
	Dir string
	// Files, when set, are the only files of Dir that belong to the
	// function (a Terraform archive_file of single files).
	Files []string
	// Inline is code written in the configuration itself.
	Inline *InlineCode
	// Handler is the entry point as configured: "app.handler",
	// "index.handler", "src/handlers/get.main", a Go binary name.
	Handler string
	// Runtime is the Lambda runtime ("python3.12", "nodejs20.x",
	// "provided.al2023"); empty when the configuration does not say.
	Runtime string
	// Loc is where the code location is set (the CodeUri value), for
	// related locations.
	Loc loc.Range
	// Setting is how the source names that place ("CodeUri", "Code",
	// "source_dir").
	Setting string
}

// InlineCode is handler code written inside a configuration file: Text
// begins at byte Offset of File. An edit of it is an edit of File.
type InlineCode struct {
	File string
	// Offset is where the code's value starts in File: two blocks of one
	// file never share it.
	Offset int
	Text   []byte
	// Ext names the language by a file extension (".py", ".js").
	Ext string
	// Verbatim is true when every byte of Text is the file's byte at
	// Offset+i (a YAML literal block's lines lose their indentation, so
	// edits are mapped back line by line; see Map).
	Verbatim bool
	// Map, when set, turns an offset into Text into the file's offset.
	Map func(off int) int
}

// EnvVar is an environment variable a function's configuration defines.
type EnvVar struct {
	// Value is the text the function will see, when known.
	Value string
	Known bool
	// Unknown says why it is not known (a !GetAtt, a parameter with no
	// default).
	Unknown string
	// Loc is where it is set.
	Loc loc.Range
	// Via, when the value comes through a parameter or Globals, names it.
	Via string
	// Edit rewrites the value, when the source can.
	Edit func(text string) []finding.TextEdit
}

// Call is an outbound call a function's code makes, or the client
// construction that sets the defaults of the calls made through it: what
// bounds how long the function waits for someone else.
type Call struct {
	// Client is how messages name what makes the call: "requests.get",
	// "boto3 bedrock-runtime client", "fetch", "http.DefaultClient".
	Client string
	// Lang is the language of the code ("Python", "JavaScript",
	// "TypeScript", "Go", "Java").
	Lang string
	// Service is the AWS service of an SDK client ("bedrock-runtime",
	// "dynamodb"); empty for HTTP clients.
	Service string
	// Fast marks a client of an AWS service that answers in milliseconds
	// (DynamoDB, S3, SQS, SNS): its calls matter only when their timeouts
	// were set long.
	Fast bool
	// Loc is what a finding points at: the call, or the client
	// construction.
	Loc loc.Range
	// Through are the calls made through a client located at its
	// construction (the InvokeModel call of a boto3 client).
	Through []loc.Range
	// Timeout is how long one attempt may wait, as set (Literal, Variable)
	// or the library's default (Default). Unbounded is true when nothing
	// bounds it (requests without timeout=, axios's 0). Setting names the
	// argument as the code writes it ("timeout", "read_timeout",
	// "AbortSignal.timeout").
	Timeout Value
	// Unbounded: the call may wait forever.
	Unbounded bool
	// Connect is a separate connection timeout when the library has one
	// and it is longer than Timeout (boto3's connect_timeout); zero Value
	// otherwise.
	Connect Value
	// Attempts is how many attempts a retry policy allows (1 without
	// retries), and AttemptsFrom words where that number comes from
	// ("legacy retry mode, the default", "retries max_attempts").
	Attempts     int
	AttemptsFrom string
	// Total is true when Timeout bounds all attempts together (a context
	// deadline, an AbortSignal), not each.
	Total bool
	// Fix returns the edits that bound the call within budget, and a
	// description of them ("set timeout to 24 s"); nil when the code
	// cannot be edited in place.
	Fix func(budget time.Duration) (string, []finding.TextEdit)
	// Note, when set, is said with the finding (how a value was resolved).
	Note string
}

// Bound is the longest the call may keep the function waiting: the
// timeout of one attempt (or the connection timeout, when longer) times
// the attempts, or the total; false when unbounded or unknown.
func (c *Call) Bound() (time.Duration, bool) {
	if c.Unbounded || !c.Timeout.Known {
		return 0, false
	}
	per := c.Timeout.D
	if c.Connect.Known && c.Connect.D > per {
		per = c.Connect.D
	}
	if c.Total || c.Attempts <= 1 {
		return per, true
	}
	return per * time.Duration(c.Attempts), true
}
