package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/rules"
)

// Markdown writes a pull-request comment: a summary table per rule and
// endpoint, then each finding with its log evidence and its fix as a
// diff block (when Options.Diff can render one).
func Markdown(w io.Writer, r *Result, o Options) error {
	var b strings.Builder
	b.WriteString("## gatelint\n\n")
	b.WriteString(mdText(summaryLine(r)) + "\n")
	if r.TimeoutSummary != "" {
		b.WriteString("\n> " + mdText(r.TimeoutSummary) + "\n")
	}
	if r.PhantomSummary != "" {
		b.WriteString("\n> " + mdText(r.PhantomSummary) + "\n")
	}
	if len(r.Functions) > 0 {
		b.WriteString("\n| function | invocations | longer than the integration waits | completed after the 504 | ran into its Timeout | cold starts | p99 duration |\n|---|---:|---:|---:|---:|---:|---:|\n")
		for _, v := range r.Functions {
			p99 := "—"
			if v.Percentiles != nil {
				p99 = seconds(v.Percentiles.P99)
			}
			fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %s |\n", mdCell(mdCode(v.Name)), v.Invocations, v.Phantoms, v.Completed, v.TimedOut, v.ColdStarts, p99)
		}
	}

	if len(r.Findings) > 0 {
		type row struct {
			rule, name, endpoint string
			sev                  finding.Severity
			n                    int
		}
		var rows []*row
		idx := map[[2]string]*row{}
		for _, f := range r.Findings {
			ep := ""
			if f.Endpoint != nil {
				ep = f.Endpoint.String()
			}
			k := [2]string{f.RuleID, ep}
			if idx[k] == nil {
				idx[k] = &row{rule: f.RuleID, name: f.RuleName, endpoint: ep}
				rows = append(rows, idx[k])
			}
			idx[k].n++
			idx[k].sev = max(idx[k].sev, f.Severity)
		}
		slices.SortStableFunc(rows, func(a, b *row) int {
			return cmp.Or(cmp.Compare(a.rule, b.rule), cmp.Compare(a.endpoint, b.endpoint))
		})
		b.WriteString("\n| rule | endpoint | severity | findings |\n|---|---|---|---:|\n")
		for _, rw := range rows {
			rule := rw.rule
			if rules.Lookup(rw.rule) != nil {
				rule = fmt.Sprintf("[%s](%s) %s", rw.rule, rules.HelpURI(rw.rule), rw.name)
			}
			ep := "—"
			if rw.endpoint != "" {
				ep = mdCode(rw.endpoint)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %d |\n", mdCell(rule), mdCell(ep), rw.sev, rw.n)
		}
	}

	for _, f := range r.Findings {
		fmt.Fprintf(&b, "\n### %s %s: %s\n\n", severityMark(f.Severity), f.RuleID, mdCode(f.Location.String()))
		if f.Endpoint != nil {
			fmt.Fprintf(&b, "Endpoint %s", mdCode(f.Endpoint.String()))
			if f.Endpoint.API != "" {
				fmt.Fprintf(&b, " of %s", mdCode(f.Endpoint.API))
			}
			b.WriteString(" · ")
		}
		fmt.Fprintf(&b, "resource %s\n\n", mdCode(cmp.Or(f.Resource.LogicalID, f.Resource.Address)))
		b.WriteString(mdText(f.Message) + "\n")
		if e := f.Evidence; e != nil {
			b.WriteString("\n" + evidenceLine(e) + "\n")
		}
		if e := f.Executions; e != nil {
			b.WriteString("\n" + executionsLine(e) + "\n")
		}
		if len(f.Related) > 0 {
			b.WriteString("\n")
			for _, rel := range f.Related {
				fmt.Fprintf(&b, "- %s: %s\n", mdCode(rel.Location.String()), mdText(rel.Message))
			}
		}
		for _, fix := range f.Fixes {
			fmt.Fprintf(&b, "\n**Fix** (%s): %s\n", fix.Safety, mdText(fix.Description))
			if len(fix.Commands) > 0 {
				b.WriteString(fenced("sh", strings.Join(fix.Commands, "\n")+"\n"))
			}
			if len(fix.Edits) > 0 && o.Diff != nil {
				if d := o.Diff(fix); d != "" {
					b.WriteString(fenced("diff", d))
				}
			}
		}
	}

	if len(r.Errors) > 0 {
		b.WriteString("\n### Inputs not read\n\n")
		for _, e := range r.Errors {
			fmt.Fprintf(&b, "- %s\n", mdText(e.Error()))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// evidenceLine words what the access logs showed.
func evidenceLine(e *finding.Evidence) string {
	s := fmt.Sprintf("**Logs:** %d of %d requests timed out", e.Timeouts, e.Requests)
	if e.P99IntegrationLatencyMs != nil {
		s += fmt.Sprintf("; p99 integration latency %d ms", *e.P99IntegrationLatencyMs)
	}
	if e.FirstSeen != nil && e.LastSeen != nil {
		s += fmt.Sprintf("; timeouts seen %s to %s", e.FirstSeen.UTC().Format(time.RFC3339), e.LastSeen.UTC().Format(time.RFC3339))
	}
	if len(e.Sources) > 0 {
		quoted := make([]string, len(e.Sources))
		for i, src := range e.Sources {
			quoted[i] = mdCode(src)
		}
		s += " (from " + strings.Join(quoted, ", ") + ")"
	}
	return s + "."
}

// executionsLine words what the function's own logs showed.
func executionsLine(e *finding.Executions) string {
	s := fmt.Sprintf("**Function logs:** %d of %d invocations ran longer than the integration waits: %d completed after the client's error, %d ran into the function's Timeout, %s",
		e.PhantomExecutions, e.Invocations, e.CompletedAfterTimeout, e.FunctionTimedOut, countOf(e.ColdStarts, "was a cold start", "were cold starts"))
	if e.P99DurationMs != nil && e.MaxDurationMs != nil {
		s += fmt.Sprintf("; p99 duration %d ms, longest %d ms", *e.P99DurationMs, *e.MaxDurationMs)
	}
	if e.FirstSeen != nil && e.LastSeen != nil {
		s += fmt.Sprintf("; seen %s to %s", e.FirstSeen.UTC().Format(time.RFC3339), e.LastSeen.UTC().Format(time.RFC3339))
	}
	return s + "."
}

func severityMark(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "🔴"
	case finding.Warning:
		return "🟠"
	}
	return "🔵"
}

// fenced puts text in a code block whose fence is longer than any run of
// backticks inside it.
func fenced(lang, text string) string {
	n := 3
	run := 0
	for _, c := range text {
		if c == '`' {
			run++
			n = max(n, run+1)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", n)
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return "\n" + fence + lang + "\n" + text + fence + "\n"
}

// mdCode writes s as inline code, with a fence that survives backticks in s.
func mdCode(s string) string {
	if !strings.Contains(s, "`") {
		return "`" + s + "`"
	}
	// A code span ends at a run of backticks as long as its fence: the
	// fence must be longer than any run inside.
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	return fence + " " + s + " " + fence
}

// mdText keeps a message from being read as markup: HTML, emphasis, links.
func mdText(s string) string {
	return strings.NewReplacer("\\", "\\\\", "<", "&lt;", ">", "&gt;", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]", "`", "\\`", "\n", " ").Replace(s)
}

// mdCell keeps a table cell in its column.
func mdCell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}
