package accesslog

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/gatelint/gatelint/internal/awsfacts"
)

// AWS's example access-log formats (set-up-logging, http-api-logging).
// They log no latency, integration or error fields: a log in one of them
// cannot tell a timeout from another 5xx, which LogSource.Fields shows.
var exampleFormats = []struct{ name, format string }{
	{"CLF lines", `$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId $context.extendedRequestId`},
	{"CLF lines", `$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey $context.protocol" $context.status $context.responseLength $context.requestId`},
	{"CSV lines", `$context.identity.sourceIp,$context.identity.caller,$context.identity.user,$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,$context.status,$context.responseLength,$context.requestId,$context.extendedRequestId`},
	{"CSV lines", `$context.identity.sourceIp,$context.requestTime,$context.httpMethod,$context.routeKey,$context.protocol,$context.status,$context.responseLength,$context.requestId`},
}

// lineFormat matches lines rendered from a format string: the variables
// between its literal text.
type lineFormat struct {
	name   string
	re     *regexp.Regexp
	fields []field // per capture group
}

// valuePattern is what a variable's value may look like. Values that may
// hold the next separator need a pattern that stops them early or late
// in the right place: a routeKey holds a space, a requestTime too.
func valuePattern(f field) string {
	switch f {
	case fStatus, fIntegrationLatency, fResponseLatency, fRequestTimeEpoch:
		return `(-?[0-9]*|-)`
	case fMethod:
		return `(\S*)`
	case fRouteKey:
		return `(\$default|-|\S+ \S+|\S+)`
	case fRequestTime:
		return `(\d\d/\w+/\d{4}:\d\d:\d\d:\d\d [-+]\d{4}|-)`
	case fResourcePath, fPath:
		return `(\S*)`
	}
	return `(.*?)`
}

// compileFormat turns a $context format string into a line matcher.
func compileFormat(name, format string) (*lineFormat, error) {
	format = strings.TrimRight(format, "\n")
	if !awsfacts.ContextVar.MatchString(format) {
		return nil, fmt.Errorf("the log format names no $context variable")
	}
	lf := &lineFormat{name: name}
	var re strings.Builder
	re.WriteString(`^`)
	last := 0
	for _, m := range awsfacts.ContextVar.FindAllStringIndex(format, -1) {
		re.WriteString(literalPattern(format[last:m[0]]))
		f := lookupField([]byte(format[m[0]:m[1]]))
		re.WriteString(valuePattern(f))
		lf.fields = append(lf.fields, f)
		last = m[1]
	}
	re.WriteString(literalPattern(format[last:]))
	re.WriteString(`\s*$`)
	var err error
	if lf.re, err = regexp.Compile(re.String()); err != nil {
		return nil, fmt.Errorf("the log format cannot be matched: %w", err)
	}
	return lf, nil
}

// literalPattern matches a format's literal text; runs of spaces match
// any run of spaces, since some tools realign columns.
func literalPattern(s string) string {
	var b strings.Builder
	for i, part := range strings.Split(s, " ") {
		if i > 0 {
			b.WriteString(` +`)
		}
		b.WriteString(regexp.QuoteMeta(part))
	}
	return b.String()
}

// match reads line into r; false when the line does not have the format.
func (lf *lineFormat) match(line []byte, r *record) bool {
	m := lf.re.FindSubmatchIndex(line)
	if m == nil {
		return false
	}
	for g, f := range lf.fields {
		s, e := m[2+2*g], m[3+2*g]
		if s >= 0 {
			r.put(f, line[s:e])
		}
	}
	return true
}

// formatNames maps the keys (JSON) or element names (XML) of a user's
// format to the variables they hold, so `"lat":"$context.integrationLatency"`
// is read as the integration latency whatever the key is called.
func formatNames(format string) map[string]field {
	names := map[string]field{}
	for _, k := range awsfacts.FormatKeys(format) {
		if f := lookupField([]byte("$context." + k.Var)); f != fNone {
			names[string(normKey(nil, []byte(k.Key)))] = f
		}
	}
	if len(names) == 0 {
		return nil
	}
	return names
}

// xmlLine reads `<name>value</name>` elements of an XML-rendered line.
// Attributes and nesting are ignored; element names match loosely, or
// through the user's format.
func xmlLine(line []byte, names map[string]field, r *record) bool {
	found := false
	var key [96]byte
	for {
		i := bytes.IndexByte(line, '<')
		if i < 0 {
			return found
		}
		line = line[i+1:]
		e := bytes.IndexByte(line, '>')
		if e < 0 {
			return found
		}
		tag := line[:e]
		line = line[e+1:]
		if len(tag) == 0 || tag[0] == '/' || tag[0] == '?' || tag[len(tag)-1] == '/' {
			continue
		}
		if sp := bytes.IndexAny(tag, " \t"); sp >= 0 {
			tag = tag[:sp]
		}
		end := bytes.IndexByte(line, '<')
		if end < 0 || len(tag) > len(key) {
			continue
		}
		n := normKey(key[:0], tag)
		f := names[string(n)]
		if f == fNone {
			f = fieldOf(n)
		}
		if f != fNone {
			r.put(f, bytes.TrimSpace(line[:end]))
			found = true
		}
	}
}
