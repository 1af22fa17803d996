package report

import "strconv"

// The page is written section by section, top to bottom, as it reads in
// a browser. From the header on, each line of markup starts with its
// newline, so optional parts leave no blank lines behind.

func (w *pageWriter) page(v *pageView) {
	w.put("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	// The policy is ours and holds quotes that must stay readable.
	w.put(`<meta http-equiv="Content-Security-Policy" content="`)
	w.trusted(htmlCSP)
	w.put("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n")
	w.put(`<meta name="generator" content="gatelint`)
	if v.Version != "" {
		w.put(" %s", v.Version)
	}
	w.put("\">\n<title>gatelint report")
	if v.Generated != "" {
		w.put(" — %s", v.Generated)
	}
	w.put("</title>\n<style>")
	w.trusted(htmlCSS)
	w.put("</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#findings\">Skip to findings</a>")
	w.header(v)
	w.put("\n<main>")
	w.inputs(v)
	if len(v.Endpoints) > 0 {
		w.endpoints(v)
	}
	if len(v.Functions) > 0 {
		w.functions(v)
	}
	w.findings(v)
	w.put("\n</main>\n<script>")
	w.trusted(htmlJS)
	// The blank line at the end is the one html/template left; kept so
	// pages stay byte-identical.
	w.put("</script>\n</body>\n</html>\n\n")
}

func (w *pageWriter) header(v *pageView) {
	w.put("\n<header>\n<h1>gatelint report</h1>\n<p class=\"meta\">")
	if v.Generated != "" {
		w.put(`Checked <time datetime="%s">%s</time>`, v.ISOTime, v.Generated)
	} else {
		w.put("Time of the run not recorded")
	}
	if v.Version != "" {
		w.put(" by gatelint %s", v.Version)
	}
	w.put(".</p>\n<ul class=\"counts\" aria-label=\"Findings by severity\">")
	for _, c := range v.Counts {
		w.put("\n<li class=\"sev-%s\"><span class=\"n\">%d</span> %s</li>", c.Name, c.N, c.Label)
	}
	noun := "errors"
	if len(v.Errors) == 1 {
		noun = "error"
	}
	w.put("\n<li class=\"input-errors\"><span class=\"n\">%d</span> input %s</li>\n</ul>\n</header>", len(v.Errors), noun)
}

func (w *pageWriter) inputs(v *pageView) {
	s := v.Stats
	w.put("\n<section id=\"inputs\" aria-labelledby=\"inputs-h\">\n<h2 id=\"inputs-h\">What was checked</h2>\n<dl class=\"facts\">")
	w.put("\n<div><dt>Files read</dt><dd>%d</dd></div>", s.FilesRead)
	w.put("\n<div><dt>Templates</dt><dd>%d</dd></div>", s.Templates)
	w.put("\n<div><dt>Endpoints</dt><dd>%d</dd></div>", s.Endpoints)
	w.put("\n<div><dt>Functions</dt><dd>%d (%d behind an integration)</dd></div>\n</dl>", s.Functions, s.LinkedFunctions)
	if len(v.Logs) > 0 {
		caption := "Access logs"
		if v.FunctionLogs {
			caption = "Access and function logs"
		}
		w.put("\n<table class=\"logs\">\n<caption>%s</caption>", caption)
		w.put("\n<thead><tr><th scope=\"col\">file</th><th scope=\"col\">detected shape</th><th scope=\"col\">size</th><th scope=\"col\">records</th><th scope=\"col\">malformed</th></tr></thead>\n<tbody>")
		for _, l := range v.Logs {
			w.put("\n<tr><td><code>%s</code></td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>",
				l.File, l.Shape, l.Size, l.Records, l.Malformed)
		}
		w.put("\n</tbody>\n</table>")
	}
	if l := v.Live; l != nil {
		w.put("\n<dl class=\"facts live\" aria-label=\"Live account\">")
		w.put("\n<div><dt>Account</dt><dd>%s</dd></div>", l.Account)
		w.put("\n<div><dt>Regions</dt><dd>%s</dd></div>", l.Regions)
		w.put("\n<div><dt>APIs read</dt><dd>%d</dd></div>", l.APIs)
		w.put("\n<div><dt>API calls</dt><dd>%d</dd></div>\n</dl>", l.Calls)
	}
	if len(v.Errors) > 0 {
		w.put("\n<h3>Inputs that could not be read</h3>\n<ul class=\"input-errors\">")
		for _, e := range v.Errors {
			w.put("\n<li>")
			w.link(e.Where)
			w.put(": %s</li>", e.Message)
		}
		w.put("\n</ul>")
	}
	if len(v.Notes) > 0 {
		w.put("\n<h3>Left unchecked</h3>\n<ul class=\"notes\">")
		w.locatedItems(v.Notes)
		w.put("\n</ul>")
	}
	w.put("\n</section>")
}

// locatedItems lists messages, each after its place when it has one.
func (w *pageWriter) locatedItems(ls []located) {
	for _, l := range ls {
		w.put("\n<li>")
		if l.Where.Text != "" {
			w.link(l.Where)
			w.put(": ")
		}
		w.put("%s</li>", l.Message)
	}
}

// link is a file link, or the place as code when it has no link (an ARN).
func (w *pageWriter) link(l link) {
	if l.Href != "" {
		w.put(`<a href="%u">%s</a>`, l.Href, l.Text)
		return
	}
	w.put("<code>%s</code>", l.Text)
}

func (w *pageWriter) endpoints(v *pageView) {
	w.put("\n<section id=\"endpoints\" aria-labelledby=\"endpoints-h\">\n<h2 id=\"endpoints-h\">Endpoints</h2>")
	if v.Timeline != "" {
		w.put("\n<p class=\"axis-note\">%s</p>", v.Timeline)
	}
	for i := range v.Endpoints {
		w.endpoint(&v.Endpoints[i])
	}
	w.put("\n</section>")
}

func (w *pageWriter) endpoint(e *endpointView) {
	w.put("\n<article class=\"endpoint\" id=\"%s\" data-endpoint=\"%s\" aria-labelledby=\"%s-h\">", e.Anchor, e.Key, e.Anchor)
	w.put("\n<h3 id=\"%s-h\">%s", e.Anchor, e.Title)
	if e.API != "" {
		w.put(" <span class=\"api\">%s</span>", e.API)
	}
	w.put("</h3>")
	if e.Where.Text != "" {
		w.put("\n<p class=\"where\">Defined at ")
		w.link(e.Where)
		w.put("</p>")
	}
	w.put("\n<dl class=\"facts\">")
	w.fact("Integration timeout", e.Integration, e.Integration == "unknown", "unknown")
	w.fact("Function timeout", e.Function, e.Function == "unknown", "unknown")
	if e.LogsRead {
		w.put("\n<div><dt>Requests</dt><dd>%d</dd></div>", e.Requests)
		w.fact("Timeouts", strconv.FormatInt(e.Timeouts, 10), e.Timeouts != 0, "bad")
		w.put("\n<div><dt>Other 5xx</dt><dd>%d</dd></div>", e.Other5xx)
	}
	if e.Percentiles != "" {
		w.put("\n<div><dt>Integration latency</dt><dd>%s</dd></div>", e.Percentiles)
	}
	if e.Window != "" {
		w.put("\n<div><dt>Timeouts seen</dt><dd>%s</dd></div>", e.Window)
	}
	if e.Sources != "" {
		w.put("\n<div><dt>Logs</dt><dd>%s</dd></div>", e.Sources)
	}
	w.put("\n</dl>")
	if e.Latency != nil {
		w.chart(e.Latency)
	} else {
		w.put("\n<p class=\"no-chart latency-none\">%s</p>", e.NoLatency)
	}
	switch {
	case e.Timeline != nil:
		w.chart(e.Timeline)
	case e.NoTimeline != "":
		w.put("\n<p class=\"no-chart timeline-none\">%s</p>", e.NoTimeline)
	}
	w.put("\n</article>")
}

func (w *pageWriter) functions(v *pageView) {
	w.put("\n<section id=\"functions\" aria-labelledby=\"functions-h\">\n<h2 id=\"functions-h\">Functions (their own logs)</h2>")
	for i := range v.Functions {
		w.function(&v.Functions[i])
	}
	w.put("\n</section>")
}

func (w *pageWriter) function(f *functionView) {
	w.put("\n<article class=\"endpoint function\" id=\"%s\" aria-labelledby=\"%s-h\">", f.Anchor, f.Anchor)
	w.put("\n<h3 id=\"%s-h\">%s</h3>", f.Anchor, f.Title)
	if f.Where.Text != "" {
		w.put("\n<p class=\"where\">Timeout at ")
		w.link(f.Where)
		w.put("</p>")
	}
	w.put("\n<dl class=\"facts\">")
	w.fact("Integration timeout", f.Integration, f.Integration == "unknown", "unknown")
	w.fact("Function timeout", f.Function, f.Function == "unknown", "unknown")
	w.put("\n<div><dt>Invocations</dt><dd>%d</dd></div>", f.Invocations)
	w.fact("Phantom executions", strconv.FormatInt(f.Phantoms, 10), f.Phantoms != 0, "bad")
	if f.Ends != "" {
		w.put("\n<div><dt>Of them</dt><dd>%s</dd></div>", f.Ends)
	}
	w.put("\n<div><dt>Cold starts</dt><dd>%d</dd></div>", f.ColdStarts)
	if f.Percentiles != "" {
		w.put("\n<div><dt>Duration</dt><dd>%s</dd></div>", f.Percentiles)
	}
	if f.Sources != "" {
		w.put("\n<div><dt>Logs</dt><dd>%s</dd></div>", f.Sources)
	}
	w.put("\n</dl>")
	for _, p := range f.Proven {
		w.put("\n<p class=\"proven\">%s.</p>", p)
	}
	if f.Durations != nil {
		w.chart(f.Durations)
	} else {
		w.put("\n<p class=\"no-chart\">%s</p>", f.NoDurations)
	}
	w.put("\n</article>")
}

// fact is one term and value of a card, the value marked with class when
// marked (an unknown limit, timeouts that happened).
func (w *pageWriter) fact(term, value string, marked bool, class string) {
	if marked {
		w.put("\n<div><dt>%s</dt><dd class=\"%s\">%s</dd></div>", term, class, value)
		return
	}
	w.put("\n<div><dt>%s</dt><dd>%s</dd></div>", term, value)
}

func (w *pageWriter) chart(c *chart) {
	w.put("\n<figure class=\"chart\" id=\"%s\">", c.ID)
	w.put("\n<svg viewBox=\"0 0 %n %n\" role=\"img\" aria-labelledby=\"%s-title %s-desc\">", c.W, c.H, c.ID, c.ID)
	w.put("\n<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>", c.ID, c.Title, c.ID, c.Desc)
	w.put("\n<rect class=\"plot\" x=\"%n\" y=\"%n\" width=\"%n\" height=\"%n\"/>", c.PlotLeft, c.PlotTop, c.PlotRight-c.PlotLeft, c.PlotBottom-c.PlotTop)
	for _, b := range c.Bars {
		w.put("\n<rect class=\"bar\" x=\"%n\" y=\"%n\" width=\"%n\" height=\"%n\"><title>%s</title></rect>", b.X, b.Y, b.W, b.H, b.Title)
	}
	for _, l := range c.Lines {
		w.put("\n<line class=\"%s\" x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\">", l.Class, l.X1, l.Y1, l.X2, l.Y2)
		if l.Title != "" {
			w.put("<title>%s</title>", l.Title)
		}
		w.put("</line>")
	}
	for _, t := range c.Labels {
		w.put("\n<text class=\"%s\" x=\"%n\" y=\"%n\" text-anchor=\"%s\">%s</text>", t.Class, t.X, t.Y, t.Anchor, t.Text)
	}
	w.put("\n</svg>\n<figcaption>%s: %s</figcaption>", c.Title, c.Desc)
	w.put("\n<details class=\"data\">\n<summary>%s as a table</summary>\n<table>\n<thead><tr>", c.Title)
	for _, h := range c.TableHead {
		w.put("<th scope=\"col\">%s</th>", h)
	}
	w.put("</tr></thead>\n<tbody>")
	for _, row := range c.TableRows {
		w.put("\n<tr>")
		for _, cell := range row {
			w.put("<td>%s</td>", cell)
		}
		w.put("</tr>")
	}
	w.put("\n</tbody>\n</table>\n</details>\n</figure>")
}

func (w *pageWriter) findings(v *pageView) {
	w.put("\n<section id=\"findings\" aria-labelledby=\"findings-h\">\n<h2 id=\"findings-h\">Findings</h2>")
	if len(v.Findings) == 0 {
		w.put("\n<p class=\"clean\">No findings.</p>\n</section>")
		return
	}
	w.controls(v)
	w.put("\n<ol class=\"findings\" id=\"finding-list\">")
	for i := range v.Findings {
		w.finding(&v.Findings[i])
	}
	w.put("\n</ol>\n</section>")
}

// controls are the filters and sort order, hidden until the script runs.
func (w *pageWriter) controls(v *pageView) {
	w.put("\n<form class=\"controls\" id=\"controls\" hidden>")
	w.put("\n<label>Severity <select id=\"filter-severity\">\n<option value=\"\">all</option>\n<option value=\"3\">error</option>\n<option value=\"2\">warning or worse</option>\n<option value=\"1\">info or worse</option>\n</select></label>")
	w.put("\n<label>Rule <select id=\"filter-rule\">\n<option value=\"\">all</option>")
	for _, r := range v.Rules {
		w.put("\n<option>%s</option>", r)
	}
	w.put("\n</select></label>\n<label>Endpoint <select id=\"filter-endpoint\">\n<option value=\"\">all</option>\n<option value=\"-\">none</option>")
	for _, f := range v.Filters {
		w.put("\n<option>%s</option>", f)
	}
	w.put("\n</select></label>\n<label>Sort by <select id=\"sort\">\n<option value=\"order\">as reported</option>\n<option value=\"severity\">severity</option>\n<option value=\"rule\">rule</option>\n<option value=\"place\">location</option>\n<option value=\"endpoint\">endpoint</option>\n</select></label>")
	w.put("\n<output id=\"shown\" aria-live=\"polite\">%d of %d shown</output>\n</form>", len(v.Findings), len(v.Findings))
}

func (w *pageWriter) finding(f *findingView) {
	w.put("\n<li class=\"finding sev-%s\" id=\"finding-%d\" data-order=\"%d\" data-severity=\"%d\" data-rule=\"%s\" data-place=\"%s\" data-endpoint=\"%s\">",
		f.Severity, f.Order, f.Order, f.Rank, f.RuleID, f.SortPlace, f.Endpoint)
	w.put("\n<h3><span class=\"badge sev-%s\">%s</span> <a href=\"%u\" class=\"rule\">%s</a>", f.Severity, f.Severity, f.HelpURI, f.RuleID)
	if f.RuleName != "" {
		w.put(" <span class=\"rule-name\">%s</span>", f.RuleName)
	}
	w.put("</h3>\n<p class=\"message\">%s</p>\n<dl class=\"where\">\n<div><dt>Location</dt><dd>", f.Message)
	w.link(f.Where)
	w.put("</dd></div>")
	if f.Resource != "" {
		w.put("\n<div><dt>Resource</dt><dd>%s</dd></div>", f.Resource)
	}
	if f.Endpoint != "" {
		if f.EndpointAt != "" {
			w.put("\n<div><dt>Endpoint</dt><dd><a href=\"#%f\">%s</a></dd></div>", f.EndpointAt, f.Endpoint)
		} else {
			w.put("\n<div><dt>Endpoint</dt><dd>%s</dd></div>", f.Endpoint)
		}
	}
	w.put("\n</dl>")
	if len(f.Related) > 0 {
		w.put("\n<ul class=\"related\">")
		w.locatedItems(f.Related)
		w.put("\n</ul>")
	}
	if e := f.Evidence; e != nil {
		w.put("\n<dl class=\"evidence\" aria-label=\"Evidence from the logs\">")
		w.put("\n<div><dt>Timeouts</dt><dd>%d of %d requests</dd></div>", e.Timeouts, e.Requests)
		w.put("\n<div><dt>p99 integration latency</dt><dd>%s</dd></div>", e.P99)
		if e.Window != "" {
			w.put("\n<div><dt>Seen</dt><dd>%s</dd></div>", e.Window)
		}
		if e.Sources != "" {
			w.put("\n<div><dt>From</dt><dd>%s</dd></div>", e.Sources)
		}
		w.put("\n</dl>")
	}
	if e := f.Executions; e != nil {
		w.put("\n<dl class=\"evidence\" aria-label=\"Evidence from the function logs\">")
		w.put("\n<div><dt>Phantom executions</dt><dd>%d of %d invocations</dd></div>", e.Phantoms, e.Invocations)
		w.put("\n<div><dt>Completed after the client's error</dt><dd>%d</dd></div>", e.Completed)
		w.put("\n<div><dt>Ran into the function's Timeout</dt><dd>%d</dd></div>", e.TimedOut)
		w.put("\n<div><dt>Cold starts</dt><dd>%d</dd></div>", e.Cold)
		w.put("\n<div><dt>p99 / longest duration</dt><dd>%s / %s</dd></div>", e.P99, e.Max)
		if e.Window != "" {
			w.put("\n<div><dt>Seen</dt><dd>%s</dd></div>", e.Window)
		}
		w.put("\n</dl>")
	}
	for i := range f.Fixes {
		w.fix(&f.Fixes[i])
	}
	w.put("\n</li>")
}

func (w *pageWriter) fix(x *fixView) {
	w.put("\n<div class=\"fix\">\n<p><strong>Fix:</strong> %s</p>", x.Description)
	if len(x.Diff) > 0 {
		w.put("\n<pre class=\"diff\" aria-label=\"Fix as a unified diff\">")
		for _, l := range x.Diff {
			w.put("<span class=\"%s\">%s</span>\n", l.Kind, l.Text)
		}
		w.put("</pre>")
	}
	if len(x.Edits) > 0 {
		w.put("\n<p class=\"problem\">%s; the edits:</p>\n<ul class=\"edits\">", x.Problem)
		for _, e := range x.Edits {
			w.put("\n<li><code>%s</code></li>", e)
		}
		w.put("\n</ul>")
	}
	if len(x.Commands) > 0 {
		w.put("\n<pre class=\"commands\" aria-label=\"Commands\">")
		for _, c := range x.Commands {
			w.put("$ %s\n", c)
		}
		w.put("</pre>")
	}
	w.put("\n</div>")
}
