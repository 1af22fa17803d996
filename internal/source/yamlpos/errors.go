package yamlpos

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
)

// parserProblems are yaml.v3's parser (not scanner) error messages.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'": true, "did not find expected ',' or '}'": true,
	"did not find expected '-' indicator": true, "did not find expected key": true,
	"did not find expected node content": true, "did not find expected <stream-start>": true,
	"did not find expected <document start>": true, "found undefined tag handle": true,
	"found duplicate %TAG directive": true, "found duplicate %YAML directive": true,
	"found incompatible YAML document": true,
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// yamlError turns a yaml.v3 error into a SyntaxError with the line where
// the problem is. yaml.v3 prints parser errors' 0-based line (scanner
// errors it corrects; see its decode.go, parser.fail), and at the end of
// a document cut short, a line past its end: that is said as the end of
// the file, at its last character.
func (f *File) yamlError(err error) error {
	msg := err.Error()
	e := &SyntaxError{}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if parserProblems[msg] && e.Line > 0 {
			e.Line++
		}
	} else if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	e.Msg = msg
	last := f.Pos(len(bytes.TrimRight(f.Data, " \t\r\n"))).Line
	if e.Line > last || strings.Contains(msg, "end of stream") {
		return f.endOfFile(msg)
	}
	return e
}

// ParseError turns a parse error into an input error that names the line
// (and the column, where known).
func ParseError(path string, err error) finding.InputError {
	e := finding.InputError{File: path}
	if se, ok := err.(*SyntaxError); ok {
		e.Line, e.Column = se.Line, se.Column
		e.Message = "cannot parse: " + se.Msg
		return e
	}
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	e.Message = "cannot parse: " + msg
	return e
}
