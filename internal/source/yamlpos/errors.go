package yamlpos

import (
	"regexp"
	"strconv"

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

// ParseError turns a yaml.v3 error into an input error that names the line.
func ParseError(path string, err error) finding.InputError {
	msg := err.Error()
	e := finding.InputError{File: path}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if parserProblems[msg] && e.Line > 0 {
			// yaml.v3 prints parser errors' 0-based line (scanner errors
			// it corrects); see its decode.go, parser.fail.
			e.Line++
		}
	} else if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	e.Message = "cannot parse: " + msg
	return e
}
