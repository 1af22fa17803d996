// Package source is the seam between what users write and the model. A
// configuration source (CloudFormation, and next Terraform and the
// Serverless Framework) implements Reader; the driver walks the paths
// given once (Walk), hands each file to the readers that want its name,
// in order, and the first that claims it reads it into a model.Builder.
// Evidence (access logs, function logs) comes through the log
// container in package logs, where each kind of record registers the
// same way. A new source is one package and one line in the driver's
// list.
package source

import (
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

// Reader is one configuration source.
type Reader interface {
	// Name is what the source reads, for messages: "CloudFormation
	// template".
	Name() string
	// Wants reports whether a walked file of this name may be the
	// source's; no other walked file is read for it. A file named on the
	// command line is offered to every reader.
	Wants(path string) bool
	// Read reads one file into b.
	Read(f *File, b *model.Builder) Outcome
	// Reparse re-reads a file this source read, patched, for --fix: an
	// error when the patched bytes no longer read as the source's, or
	// read with more problems than before. Only the source that read a
	// file can tell; a fix is never written unchecked.
	Reparse(path string, before, after []byte) error
}

// Regenerated is a Reader whose fixes land in the files the ones it read
// are generated from (a CDK app's source, for the synthesized templates):
// after --fix, what was checked and what deploys change only when the
// user generates them again.
type Regenerated interface {
	// AfterFix says, for a fixed file the source read, what the user must
	// run for the fix to reach what was read; "" when nothing.
	AfterFix(path string) string
}

// File is one file handed to a reader.
type File struct {
	Path string
	Data []byte
	// Named is true for a file named on the command line rather than
	// found by walking.
	Named bool
	// Include reads a file the source's file refers to (an OpenAPI
	// document, a nested template), so that its bytes are kept for fixes
	// and it is read once.
	Include func(path string) ([]byte, error)
	// Params are the values given for the configuration's parameters or
	// variables (--param, --params-file).
	Params map[string]string
	// ParamsFiles are --params-file files in a source's own format that
	// it reads itself, with their lines (Terraform's .tfvars), in the order
	// given; Params, from --param, win over them.
	ParamsFiles []string
	// ParamsFile is the --params-file whose values Params holds (beside
	// those of FlagParams, given with --param), for a source that can say
	// where in it each value is written and edit it there.
	ParamsFile string
	FlagParams []string
	// Environments says in which of the environments the repository
	// defines for the file (samconfig environments, .tfvars files,
	// stages) the source judges it.
	Environments Environments
}

// Environments selects the environments a configuration is judged in:
// every one its source finds beside it (or in File), or only Name.
type Environments struct {
	// File is where they are defined (--config-file); empty: where the
	// source looks by itself.
	File string
	// Name is the one to judge (--config-env); empty: all of them.
	Name string
}

// Outcome is what became of a file offered to a reader.
type Outcome struct {
	// Claimed is false for a file that is not the source's (a YAML file of
	// another tool). A reader that declines a file with no Label and no
	// Errors says nothing of it: the next reader's word stands.
	Claimed bool
	// Read is true when the file's content is in the model (a claimed
	// file may be too broken to read at all).
	Read bool
	// Label says what the file was, for --verbose: "template", "template
	// (with errors)", "error"; for a file not claimed, why ("not a template
	// (no Resources section)").
	Label string
	// Errors are the problems found. For a file not claimed, they are
	// reported only when it was named.
	Errors []finding.InputError
	// IfNamed, for a file not claimed and without errors, is the error a
	// named file gets: the user asked for it to be checked.
	IfNamed string
	// Declared names the parameters or variables the file declares, which
	// --param may set.
	Declared []string
	// Nested are the files read as part of this one's deploy (nested
	// stacks): read on their own too, they would be judged twice, and
	// without the values this file gives them.
	Nested []string
	// Includes are files read as parts of this one (the ${file()}s of a
	// Serverless service: a resources file it includes): like Nested,
	// they are judged once, through this file.
	Includes []string
	// Module is true when what was read is a Terraform module (or plan)
	// rather than a template: the summary counts them apart.
	Module bool
}

// LargeFile is the size from which a walked file is first looked at
// through a bounded prefix (Sniffer) rather than read whole: data sets,
// tree.json files and fixtures of hundreds of MB sit beside templates,
// which CloudFormation caps at 1 MB.
const LargeFile = 8 << 20

// SniffSize is how much of a large walked file a Sniffer is shown.
const SniffSize = 64 << 10

// Sniffer is a Reader that can tell from the start of a large walked file
// that the file is not its own, without reading the rest.
type Sniffer interface {
	// Sniff reports whether a file that starts with head (at most
	// SniffSize bytes of size) may be the source's; when not, why says
	// what it is instead ("a JSON document whose top-level keys are type,
	// features").
	Sniff(head []byte, size int64) (maybe bool, why string)
}

// Batcher is a Reader whose unit is more than one file: a Terraform
// module is every .tf file of its directory, and a directory another
// walked directory calls as a module is read through its caller. Before
// any file is read, the driver hands it the paths given and every file
// walked, and reads this run's files through the Reader it returns, which
// may then know which file of a directory reads the whole directory and
// which directories are read through another. Read is still called once
// for each file it wants: for a file read with another, it claims the
// file, reads nothing, and says so in its Label.
type Batcher interface {
	Reader
	Batch(paths []string, files []Input) Reader
}

// ParamsReader is a Reader with a parameter-file format of its own, for
// --params-file. The driver asks every such reader and takes the surest.
type ParamsReader interface {
	// ParamsFile reads a parameters file: the values it gives, or self
	// when the source reads the file itself from File.ParamsFiles (a
	// Terraform .tfvars file, whose lines fixes edit). Sure is 2 when the
	// file's name or content is the source's alone, 1 for a format others
	// may share (Key=Value lines), 0 when it is not the source's.
	ParamsFile(path string, data []byte) (values map[string]string, self bool, sure int, err error)
}
