package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/gatelint/gatelint/internal/finding"
)

const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiReset  = "\x1b[0m"
)

// Text writes one line per finding in the file:line:col form editors and
// CI logs link, with related locations and fixes indented beneath.
func Text(w io.Writer, r *Result, o Options) error {
	var b strings.Builder
	paint := func(word, colour string) string {
		if !o.Color || colour == "" {
			return word
		}
		return colour + word + ansiReset
	}

	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s: %s %s %s\n", f.Location, paint(f.Severity.String(), severityColour(f.Severity)), f.RuleID, f.Message)
		if o.Quiet {
			continue
		}
		for _, rel := range f.Related {
			b.WriteString("    ")
			if !rel.Location.IsZero() {
				b.WriteString(rel.Location.String() + ": ")
			}
			b.WriteString(rel.Message + "\n")
		}
		for _, fix := range f.Fixes {
			if fix.Safety == finding.Unsafe {
				fmt.Fprintf(&b, "    fix (unsafe): %s\n", fix.Description)
			} else {
				fmt.Fprintf(&b, "    fix: %s\n", fix.Description)
			}
			for _, c := range fix.Commands {
				fmt.Fprintf(&b, "      $ %s\n", c)
			}
		}
	}

	for _, e := range r.Errors {
		where := e.File
		if e.Line > 0 {
			where = fmt.Sprintf("%s:%d", e.File, e.Line)
			if e.Column > 0 {
				where += fmt.Sprintf(":%d", e.Column)
			}
		}
		fmt.Fprintf(&b, "%s: %s: %s\n", where, paint("error", ansiRed), e.Message)
	}

	if !o.Quiet {
		if r.TimeoutSummary != "" {
			b.WriteString(r.TimeoutSummary + "\n")
		}
		if r.PhantomSummary != "" {
			b.WriteString(r.PhantomSummary + "\n")
		}
		for _, u := range r.Notes {
			if !u.Location.IsZero() {
				b.WriteString(u.Location.String() + ": ")
			}
			fmt.Fprintf(&b, "note: %s\n", u.Message)
		}
		b.WriteString(summaryLine(r) + "\n")
	}

	_, err := io.WriteString(w, b.String())
	return err
}

func severityColour(s finding.Severity) string {
	switch s {
	case finding.Error:
		return ansiRed
	case finding.Warning:
		return ansiYellow
	case finding.Info:
		return ansiCyan
	}
	return ""
}

// summaryLine reads like "3 findings (1 error, 2 warnings) in 2 templates;
// 1 input error". Severities with no findings are left out.
func summaryLine(r *Result) string {
	var s string
	if len(r.Findings) == 0 {
		s = "no findings"
	} else {
		counts := severityCounts(r.Findings)
		var parts []string
		if n := counts[finding.Error]; n > 0 {
			parts = append(parts, plural(n, "error", "errors"))
		}
		if n := counts[finding.Warning]; n > 0 {
			parts = append(parts, plural(n, "warning", "warnings"))
		}
		if n := counts[finding.Info]; n > 0 {
			parts = append(parts, plural(n, "info", "info"))
		}
		s = plural(len(r.Findings), "finding", "findings")
		if len(parts) > 0 {
			s += " (" + strings.Join(parts, ", ") + ")"
		}
	}
	read := plural(r.Stats.Templates, "template", "templates")
	switch {
	case r.Stats.Modules > 0 && r.Stats.Templates == 0:
		read = plural(r.Stats.Modules, "Terraform module", "Terraform modules")
	case r.Stats.Modules > 0:
		read += " and " + plural(r.Stats.Modules, "Terraform module", "Terraform modules")
	}
	switch l := r.Live; {
	case l != nil && r.Stats.Templates == 0 && r.Stats.Modules == 0:
		s += " in " + liveSummary(l)
	case l != nil:
		s += " in " + read + " and " + liveSummary(l)
	default:
		s += " in " + read
	}
	var logs []string
	if n := r.Stats.LogFiles; n > 0 {
		logs = append(logs, fmt.Sprintf("%s (%s)", plural(n, "access log", "access logs"), plural64(r.Stats.LogRecords, "record", "records")))
	}
	if n := r.Stats.FunctionLogFiles; n > 0 {
		logs = append(logs, fmt.Sprintf("%s (%s)", plural(n, "function log", "function logs"), plural64(r.Stats.Invocations, "invocation", "invocations")))
	}
	switch len(logs) {
	case 1:
		s += " and " + logs[0]
	case 2:
		s += ", " + logs[0] + " and " + logs[1]
	}
	if n := len(r.Errors); n > 0 {
		s += "; " + plural(n, "input error", "input errors")
	}
	return s
}

// liveSummary reads like "4 APIs of account 123456789012 (us-east-1;
// 57 AWS calls)".
func liveSummary(l *LiveView) string {
	s := plural(l.APIs, "API", "APIs")
	if l.Account != "" {
		s += " of account " + l.Account
	}
	calls := plural64(l.Calls, "AWS call", "AWS calls")
	if len(l.Regions) == 0 {
		return s + " (" + calls + ")"
	}
	return s + fmt.Sprintf(" (%s; %s)", strings.Join(l.Regions, ", "), calls)
}

// Plural is "1 finding" or "3 findings": n and the noun that fits it.
func Plural(n int, one, many string) string { return plural(n, one, many) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func plural64(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// thousands writes n with comma separators: 1,000,000.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func severityCounts(fs []finding.Finding) map[finding.Severity]int {
	m := map[finding.Severity]int{}
	for _, f := range fs {
		m[f.Severity]++
	}
	return m
}
