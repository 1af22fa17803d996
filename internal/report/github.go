package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/gatelint/gatelint/internal/finding"
)

// GitHub writes GitHub Actions workflow commands, which annotate the
// pull request's diff with no other tooling:
//
//	::warning file=t.yaml,line=5,col=16,endLine=5,endColumn=18,title=GL002 lambda-timeout-exceeds-integration::message
func GitHub(w io.Writer, r *Result, o Options) error {
	var b strings.Builder
	for _, f := range r.Findings {
		props := []string{}
		if l := f.Location; !l.IsZero() && !isARN(l.File) {
			props = append(props, "file="+ghProperty(l.File))
			if l.Start.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", l.Start.Line), fmt.Sprintf("col=%d", l.Start.Column))
				if l.End.Line > 0 {
					props = append(props, fmt.Sprintf("endLine=%d", l.End.Line))
					if l.End.Line == l.Start.Line {
						// GitHub takes endColumn only on a one-line span.
						props = append(props, fmt.Sprintf("endColumn=%d", l.End.Column))
					}
				}
			}
		}
		title := f.RuleID
		if f.RuleName != "" {
			title += " " + f.RuleName
		}
		props = append(props, "title="+ghProperty(title))
		msg := f.Message
		if isARN(f.Location.File) {
			msg = f.Location.File + ": " + msg
		}
		for _, rel := range f.Related {
			msg += "\n" + rel.Location.String() + ": " + rel.Message
		}
		for _, fix := range f.Fixes {
			msg += "\nfix: " + fix.Description
			for _, c := range fix.Commands {
				msg += "\n  $ " + c
			}
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", ghLevel(f.Severity), strings.Join(props, ","), ghData(msg))
	}
	for _, e := range r.Errors {
		props := "file=" + ghProperty(e.File)
		if e.Line > 0 {
			props += fmt.Sprintf(",line=%d", e.Line)
			if e.Column > 0 {
				props += fmt.Sprintf(",col=%d", e.Column)
			}
		}
		fmt.Fprintf(&b, "::error %s,title=gatelint input error::%s\n", props, ghData(e.Message))
	}
	b.WriteString(summaryLine(r) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func ghLevel(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	}
	return "notice"
}

// ghData escapes a command's message as the runner's toolkit does
// (@actions/core escapeData).
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a property value (@actions/core escapeProperty): the
// message escapes plus the separators ':' and ','.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
