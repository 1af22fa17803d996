package awsfacts

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/gatelint/gatelint/internal/model"
)

// Access-log formats are strings of $context variables (API Gateway's
// api-gateway-variables-for-access-logging and http-api-logging-variables
// pages): which of them a stage's format writes decides whether its logs
// can show a timeout at all.

// ContextVar matches a $context variable in a format string; its group
// is the variable's name without "$context.".
var ContextVar = regexp.MustCompile(`\$context\.([A-Za-z0-9_.]*[A-Za-z0-9_])`)

// CanDetectTimeouts reports whether a log with these fields can tell a
// timeout from other failures: status plus at least one of integration
// latency, error.responseType or responseLatency.
func CanDetectTimeouts(f model.LogFields) bool {
	return f.Status && (f.IntegrationLatency || f.ResponseType || f.ResponseLatency)
}

// FormatFields says which timeout-relevant variables an access-log format
// string writes, on a stage of an API of type t (empty when not known):
// $context.routeKey names the endpoint only on HTTP and WebSocket APIs; a
// REST stage writes "-" for it.
func FormatFields(format string, t model.APIType) model.LogFields {
	var f model.LogFields
	var method, where bool
	for _, m := range ContextVar.FindAllStringSubmatch(format, -1) {
		switch m[1] {
		case "status":
			f.Status = true
		case "integrationLatency", "integration.latency":
			f.IntegrationLatency = true
		case "error.responseType":
			f.ResponseType = true
		case "error.message", "integrationErrorMessage", "integration.error":
			f.ErrorMessage = true
		case "responseLatency":
			f.ResponseLatency = true
		case "httpMethod":
			method, f.Method = true, true
		case "resourcePath", "path":
			where = true
		case "routeKey":
			if t != model.REST {
				method, where = true, true
			}
		}
	}
	f.Endpoint = method && where
	return f
}

// FormatHas reports whether a format writes $context.<name>.
func FormatHas(format, name string) bool {
	for _, m := range ContextVar.FindAllStringSubmatch(format, -1) {
		if m[1] == name {
			return true
		}
	}
	return false
}

// FormatKey is one named field of a JSON or XML access-log format: the
// key (or element) the stage's owner chose, and the $context variable
// written there ("integration.latency", without "$context.").
type FormatKey struct{ Key, Var string }

var (
	jsonKeyed = regexp.MustCompile(`"([^"]+)"\s*:\s*"?\$context\.([A-Za-z0-9_.]*[A-Za-z0-9_])`)
	xmlTagged = regexp.MustCompile(`<([A-Za-z_][\w.-]*)[^>]*>\s*\$context\.([A-Za-z0-9_.]*[A-Za-z0-9_])\s*</`)
)

// FormatKeys lists the named fields of a JSON or XML format in the order
// written. Readers of such logs and of queries over them find a variable
// under whatever key the owner gave it. A nested JSON format's keys are
// dotted paths ("integration.latency"), as Logs Insights names them.
func FormatKeys(format string) []FormatKey {
	if keys, ok := jsonFormatKeys(format); ok {
		return keys
	}
	var out []FormatKey
	for _, re := range []*regexp.Regexp{jsonKeyed, xmlTagged} {
		for _, m := range re.FindAllStringSubmatch(format, -1) {
			out = append(out, FormatKey{Key: m[1], Var: m[2]})
		}
	}
	return out
}

var (
	bareVar  = regexp.MustCompile(`([:\[,]\s*)(\$context\.[A-Za-z0-9_.]*[A-Za-z0-9_])`)
	wholeVar = regexp.MustCompile(`^\s*\$context\.([A-Za-z0-9_.]*[A-Za-z0-9_])\s*$`)
)

// jsonFormatKeys reads a JSON format as JSON, once its bare values
// ("status": $context.status) are quoted; false when it is not JSON.
func jsonFormatKeys(format string) ([]FormatKey, bool) {
	t := strings.TrimSpace(format)
	if !strings.HasPrefix(t, "{") {
		return nil, false
	}
	dec := json.NewDecoder(strings.NewReader(bareVar.ReplaceAllString(t, `$1"$2"`)))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var out []FormatKey
	if !walkFormat(dec, "", &out) {
		return nil, false
	}
	return out, true
}

// walkFormat reads the members of an object whose '{' was read.
func walkFormat(dec *json.Decoder, prefix string, out *[]FormatKey) bool {
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return false
		}
		if prefix != "" {
			key = prefix + "." + key
		}
		tok, err = dec.Token()
		if err != nil {
			return false
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				if !walkFormat(dec, key, out) {
					return false
				}
			case '[':
				for dec.More() {
					var skip json.RawMessage
					if dec.Decode(&skip) != nil {
						return false
					}
				}
			}
			if _, err := dec.Token(); err != nil { // the closing bracket
				return false
			}
		case string:
			if m := wholeVar.FindStringSubmatch(v); m != nil {
				*out = append(*out, FormatKey{Key: key, Var: m[1]})
			}
		}
	}
	return true
}
