package cdk

import (
	"github.com/gatelint/gatelint/internal/source/srctok"
)

// The CDK app's source is read as tokens, never with a line regex: a
// trace points at one token (the `new` of a construct call, a callee, an
// `=`), and from there bracket matching, comma splitting and `key:` /
// `key=` recognition find the props object and the one member to change.
// The tokenizer is package srctok, shared with the handler-code scanner;
// docs/cdk-source-parsing.md records how it was chosen and measured.

const (
	tIdent  = srctok.Ident
	tPunct  = srctok.Punct
	tString = srctok.String
	tNumber = srctok.Number
	tRegex  = srctok.Regex
)

// srcFile is one file of the app, tokenized, with its brackets matched.
type srcFile struct{ *srctok.File }

// parseSource tokenizes src as Python when py is set, else as
// JavaScript or TypeScript. It takes time linear in len(src) and never
// fails: broken input gives tokens and problems.
func parseSource(path string, src []byte, py bool) *srcFile {
	return &srcFile{srctok.Parse(path, src, py)}
}

// isPython says from a file's name whether it is Python source.
func isPython(path string) bool { return srctok.IsPython(path) }
