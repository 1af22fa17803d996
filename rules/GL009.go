package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

// GL009: without the right access-log fields, a timeout looks like any
// other failure, or is not logged at all; the other log rules are blind.
var GL009 = &Rule{
	ID:       "GL009",
	Name:     "access-log-blind",
	Severity: finding.Info,
	Summary:  "A stage writes no access logs, or its log format cannot show which requests timed out.",
	Run:      accessLogBlind,
}

func accessLogBlind(p *Pass) []finding.Finding {
	var out []finding.Finding
	for _, api := range p.Model.APIs {
		for _, st := range api.Stages {
			if len(st.NoAccessLogWhen) > 0 {
				f := p.newFinding(st.Resource)
				f.Location = st.Loc
				f.Message = fmt.Sprintf("%s writes no access logs when %s: nobody can tell which requests time out. Turn on access logging in every case, with a format that has %s.",
					stageName(api, st), model.CondText(st.NoAccessLogWhen), strings.Join(missingVars(model.LogFields{}, api.Type), ", "))
				out = append(out, f)
			}
			if f, ok := blindStage(p, api, st); ok {
				out = append(out, f)
			}
		}
	}
	for _, src := range p.Model.LogSources {
		if src.Records == 0 || (awsfacts.CanDetectTimeouts(src.Fields) && src.Fields.Endpoint) {
			continue
		}
		f := p.newFinding(nil)
		f.Resource = finding.Resource{Address: src.File, LogicalID: src.File, Type: "access log", File: src.File}
		f.Location = src.Loc
		if f.Location.File == "" {
			f.Location.File = src.File
		}
		f.Message = fmt.Sprintf("access log %s (%s) %s. Add %s to the stage's access-log format.",
			src.File, src.Shape, lacks(src.Fields, ""), strings.Join(missingVars(src.Fields, ""), ", "))
		if src.Query {
			// The rows are what the query asked for; the format may
			// well have everything.
			f.Message = fmt.Sprintf("the Logs Insights results in %s %s. Group the query by httpMethod and resourcePath (or routeKey), and count by status and error.responseType.",
				src.File, strings.Replace(lacks(src.Fields, ""), "has ", "have ", 1))
		}
		out = append(out, f)
	}
	return out
}

func blindStage(p *Pass, api *model.API, st *model.Stage) (finding.Finding, bool) {
	f := p.newFinding(st.Resource)
	f.Location = st.Loc
	name := stageName(api, st)
	al := st.AccessLog
	if al == nil {
		f.Message = fmt.Sprintf("%s writes no access logs: nobody can tell which requests time out. Turn on access logging with a format that has %s.",
			name, strings.Join(missingVars(model.LogFields{}, api.Type), ", "))
		return f, true
	}
	if !al.FormatKnown {
		return f, false
	}
	f.Location = al.Loc
	fields := awsfacts.FormatFields(al.Format, api.Type)
	if awsfacts.CanDetectTimeouts(fields) && fields.Endpoint {
		return f, false
	}
	vars := missingVars(fields, api.Type)
	if len(al.When) > 0 {
		name += " (when " + model.CondText(al.When) + ")"
	}
	f.Message = fmt.Sprintf("the access-log format of %s %s. Add %s.", name, lacks(fields, api.Type), strings.Join(vars, ", "))
	if api.Type == model.REST && !fields.Endpoint && awsfacts.FormatHas(al.Format, "routeKey") {
		f.Message = fmt.Sprintf("the access-log format of %s logs $context.routeKey, which only HTTP and WebSocket APIs have (a REST stage writes \"-\"), and no resourcePath: its records do not say which endpoint a request went to. Add %s.",
			name, strings.Join(vars, ", "))
	}
	fix := finding.Fix{Description: "add " + strings.Join(vars, ", ") + " to the access-log format", Edits: []finding.TextEdit{}}
	format := withVars(al.Format, vars)
	if al.Edit != nil {
		fix.Edits = append(fix.Edits, al.Edit(format)...)
	}
	if al.Commands != nil {
		// A live stage: the command changes the account; an edit, when its
		// template is given too, keeps the next deploy from undoing it.
		fix.Commands = al.Commands(format)
	}
	if len(fix.Edits) > 0 || len(fix.Commands) > 0 {
		f.Fixes = []finding.Fix{fix}
	}
	return f, true
}

func stageName(api *model.API, st *model.Stage) string {
	s := "stage " + st.Name
	if st.Name == "" {
		s = "the stage"
	}
	return s + " of " + api.Resource.Name()
}

// lacks words what a format cannot show. WebSocket access logs have no
// responseLatency, and name the route by routeKey alone.
func lacks(f model.LogFields, t model.APIType) string {
	signals, endpoint := "integration latency, error.responseType or responseLatency", "httpMethod with resourcePath or routeKey"
	if t == model.WebSocket {
		signals, endpoint = "integration latency or error.responseType", "routeKey"
	}
	switch {
	case !awsfacts.CanDetectTimeouts(f) && !f.Status && !f.IntegrationLatency && !f.ResponseType && !f.ResponseLatency:
		return "has no status, latency or error fields: a timeout cannot be told from any other request"
	case !awsfacts.CanDetectTimeouts(f) && !f.Status:
		return "has no status: a timeout cannot be told from a success"
	case !awsfacts.CanDetectTimeouts(f):
		return "has a status but no " + signals + ": a timeout cannot be told from other 5xx responses"
	}
	return "does not say which endpoint a request went to (" + endpoint + ")"
}

// missingVars lists the $context variables to add for f to show timeouts
// and the endpoint, in the order a reader scans a log line. WebSocket
// access logs have $context.routeKey, no httpMethod, resourcePath or
// responseLatency.
func missingVars(f model.LogFields, t model.APIType) []string {
	var out []string
	if !f.Endpoint {
		switch {
		case t == model.HTTP || t == model.WebSocket:
			out = append(out, "$context.routeKey")
		case f.Method:
			out = append(out, "$context.resourcePath")
		default:
			out = append(out, "$context.httpMethod", "$context.resourcePath")
		}
	}
	if !f.Status {
		out = append(out, "$context.status")
	}
	if !f.IntegrationLatency {
		out = append(out, "$context.integrationLatency")
	}
	if !f.ResponseLatency && t != model.WebSocket {
		out = append(out, "$context.responseLatency")
	}
	if !f.ResponseType {
		out = append(out, "$context.error.responseType")
	}
	return out
}

// keyValue matches a format of key=value pairs.
var keyValue = regexp.MustCompile(`(^|\s)[\w.-]+=\$context\.`)

// keyColon is a format of `key: $context.x` pairs, comma-separated: the
// Serverless Framework's default REST format.
var keyColon = regexp.MustCompile(`^[\w.-]+: \$context\.[\w.]+(, [\w.-]+: \$context\.[\w.]+)*$`)

// withVars adds vars to an access-log format in its own shape: JSON keys
// before the closing brace (quoted if the format quotes its values), XML
// elements before the closing tag, CSV columns or CLF fields at the end,
// so existing columns keep their positions.
func withVars(format string, vars []string) string {
	trimmed := strings.TrimRight(format, " \t\r\n")
	tail := format[len(trimmed):]
	keyOf := func(v string) string {
		k := strings.TrimPrefix(v, "$context.")
		if k == "error.responseType" {
			return "errorResponseType"
		}
		return k
	}
	switch {
	case strings.HasPrefix(strings.TrimSpace(trimmed), "{") && strings.HasSuffix(trimmed, "}"):
		// Imitate the format's own spacing and quoting.
		comma, colon := ",", ":"
		if strings.Contains(trimmed, `, "`) {
			comma = ", "
		}
		if strings.Contains(trimmed, `": `) {
			colon = ": "
		}
		quote := strings.Contains(trimmed, `"$context.`)
		var entries []string
		for _, v := range vars {
			val := v
			if quote {
				val = `"` + v + `"`
			}
			entries = append(entries, `"`+keyOf(v)+`"`+colon+val)
		}
		body := strings.TrimRight(trimmed[:len(trimmed)-1], " \t\r\n")
		sep := comma
		if strings.HasSuffix(body, "{") {
			sep = ""
		}
		return body + sep + strings.Join(entries, comma) + trimmed[len(body):] + tail
	case strings.HasPrefix(strings.TrimSpace(trimmed), "<") && strings.HasSuffix(trimmed, ">"):
		i := strings.LastIndex(trimmed, "</")
		if i < 0 {
			break
		}
		var b strings.Builder
		for _, v := range vars {
			k := strings.ReplaceAll(keyOf(v), ".", "_")
			fmt.Fprintf(&b, "<%s>%s</%s>", k, v, k)
		}
		return trimmed[:i] + b.String() + trimmed[i:] + tail
	case keyColon.MatchString(trimmed):
		var pairs []string
		for _, v := range vars {
			pairs = append(pairs, keyOf(v)+": "+v)
		}
		return trimmed + ", " + strings.Join(pairs, ", ") + tail
	case strings.Contains(trimmed, ",$context.") || strings.Contains(trimmed, ", $context."):
		return trimmed + "," + strings.Join(vars, ",") + tail
	case keyValue.MatchString(trimmed):
		// requestId=$context.requestId status=$context.status
		var pairs []string
		for _, v := range vars {
			pairs = append(pairs, keyOf(v)+"="+v)
		}
		return trimmed + " " + strings.Join(pairs, " ") + tail
	}
	return trimmed + " " + strings.Join(vars, " ") + tail
}
