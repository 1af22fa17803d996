package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/rules"
)

// reviewdog's Diagnostic Format (rdjson): the few structs we write, after
// the protobuf schema in reviewdog/proto/rdf.

type rdResult struct {
	Source      rdSource       `json:"source"`
	Diagnostics []rdDiagnostic `json:"diagnostics"`
}

type rdSource struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type rdDiagnostic struct {
	Message          string      `json:"message"`
	Location         rdLocation  `json:"location"`
	Severity         string      `json:"severity"`
	Source           rdSource    `json:"source"`
	Code             rdCode      `json:"code"`
	Suggestions      []rdSuggest `json:"suggestions,omitempty"`
	RelatedLocations []rdRelated `json:"related_locations,omitempty"`
}

type rdCode struct {
	Value string `json:"value"`
	URL   string `json:"url,omitempty"`
}

type rdLocation struct {
	Path  string   `json:"path"`
	Range *rdRange `json:"range,omitempty"`
}

type rdRange struct {
	Start rdPos  `json:"start"`
	End   *rdPos `json:"end,omitempty"`
}

type rdPos struct {
	Line   int `json:"line"`
	Column int `json:"column,omitempty"`
}

type rdSuggest struct {
	Range rdRange `json:"range"`
	Text  string  `json:"text"`
}

type rdRelated struct {
	Message  string     `json:"message,omitempty"`
	Location rdLocation `json:"location"`
}

var gatelintSource = rdSource{Name: "gatelint", URL: "https://github.com/gatelint/gatelint"}

// RDJSON writes one DiagnosticResult for `reviewdog -f=rdjson`.
func RDJSON(w io.Writer, r *Result, o Options) error {
	out := rdResult{Source: gatelintSource, Diagnostics: rdDiagnostics(r)}
	return encode(w, out)
}

// RDJSONL writes one Diagnostic per line for `reviewdog -f=rdjsonl`.
func RDJSONL(w io.Writer, r *Result, o Options) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, d := range rdDiagnostics(r) {
		if err := enc.Encode(d); err != nil {
			return err
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func rdDiagnostics(r *Result) []rdDiagnostic {
	out := make([]rdDiagnostic, 0, len(r.Findings))
	for _, f := range r.Findings {
		d := rdDiagnostic{
			Message:  f.Message,
			Location: rdLoc(r, f.Location),
			Severity: rdSeverity(f.Severity),
			Source:   gatelintSource,
			Code:     rdCode{Value: f.RuleID},
		}
		if rules.Lookup(f.RuleID) != nil {
			d.Code.URL = rules.HelpURI(f.RuleID)
		}
		for _, rel := range f.Related {
			d.RelatedLocations = append(d.RelatedLocations, rdRelated{Message: rel.Message, Location: rdLoc(r, rel.Location)})
		}
		// reviewdog applies suggestions to the diagnostic's own file, and
		// a pull request takes one change per comment: the first fix.
		for _, fix := range f.Fixes {
			if len(fix.Edits) == 0 {
				continue
			}
			for _, e := range fix.Edits {
				if e.File != f.Location.File || e.StartPos.Line == 0 {
					continue // another file, or no line to anchor on
				}
				d.Suggestions = append(d.Suggestions, rdSuggest{
					Range: rdRange{Start: rdPosOf(r, e.File, e.StartPos), End: ptr(rdPosOf(r, e.File, e.EndPos))},
					Text:  e.NewText,
				})
			}
			break
		}
		out = append(out, d)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func rdLoc(r *Result, l loc.Range) rdLocation {
	out := rdLocation{Path: l.File}
	if l.Start.Line > 0 {
		rg := rdRange{Start: rdPosOf(r, l.File, l.Start)}
		if l.End.Line > 0 {
			rg.End = ptr(rdPosOf(r, l.File, l.End))
		}
		out.Range = &rg
	}
	return out
}

// rdPosOf turns p into reviewdog's position: columns count UTF-8 bytes
// from the start of the line. With the file's bytes at hand that is exact;
// without them (a finding from a live account has no file) the code-point
// column is the best there is.
func rdPosOf(r *Result, file string, p loc.Pos) rdPos {
	src, ok := r.Sources[file]
	if !ok || p.Offset > len(src) {
		return rdPos{Line: p.Line, Column: p.Column}
	}
	lineStart := bytes.LastIndexByte(src[:p.Offset], '\n') + 1
	return rdPos{Line: p.Line, Column: p.Offset - lineStart + 1}
}

func rdSeverity(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "ERROR"
	case finding.Warning:
		return "WARNING"
	case finding.Info:
		return "INFO"
	}
	return "UNKNOWN_SEVERITY"
}
