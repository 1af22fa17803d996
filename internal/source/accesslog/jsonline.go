package accesslog

import (
	"bytes"
	"errors"
)

// A format's JSON is what its owner typed around $context variables, not
// always JSON: values may be unquoted (`"status":$context.status` gives
// `"status":-` for an empty value), and a quoted value may hold quotes the
// renderer did not escape. The scanner below reads keys and the extent of
// values, decodes nothing it does not need, and accepts those forms.

var (
	errIncomplete = errors.New("record ends before its closing brace")
	errNotObject  = errors.New("not a JSON object")
)

// syntaxError says what was wrong and where in the line.
type syntaxError struct {
	msg string
	at  int
}

func (e *syntaxError) Error() string { return e.msg }

// jsonReader scans JSON access-log records.
type jsonReader struct {
	// names maps normalised keys of the user's format to fields; nil when
	// no format was given (keys are then matched by their loose names).
	names map[string]field
	key   [96]byte
	// spans are the scalar values of the last object read, for learning
	// its layout; nested is set when it held objects or arrays.
	spans  []valueSpan
	nested bool
}

type valueSpan struct {
	s, e int
	f    field
}

const maxDepth = 8

// object reads the object at b[i] == '{' into r and returns the index
// just past its closing brace.
func (j *jsonReader) object(b []byte, i int, r *record) (int, error) {
	if i >= len(b) || b[i] != '{' {
		return i, errNotObject
	}
	j.spans, j.nested = j.spans[:0], false
	return j.members(b, i+1, 0, r, 0)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// members reads key/value pairs after an opening brace; prefix is the
// normalised length of the enclosing keys in j.key.
func (j *jsonReader) members(b []byte, i, prefix int, r *record, depth int) (int, error) {
	for {
		i = skipSpace(b, i)
		if i >= len(b) {
			return i, errIncomplete
		}
		switch b[i] {
		case '}':
			return i + 1, nil
		case ',':
			i++
			continue
		}
		// The key.
		var key []byte
		if b[i] == '"' {
			e := quote(b, i+1)
			if e < 0 {
				return len(b), errIncomplete
			}
			key = b[i+1 : e]
			i = e + 1
		} else {
			s := i
			for i < len(b) && b[i] != ':' && b[i] != ',' && b[i] != '}' && !isSpace(b[i]) {
				i++
			}
			key = b[s:i]
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return i, errIncomplete
		}
		if b[i] != ':' {
			return i, &syntaxError{"expected ':' after a key", i}
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return i, errIncomplete
		}
		// The value.
		switch c := b[i]; c {
		case '"':
			s := i + 1
			e, err := stringEnd(b, s)
			if err != nil {
				return e, err
			}
			j.put(key, prefix, b, s, e, r)
			i = e + 1
		case '{':
			j.nested = true
			n := prefix
			if len(key) <= len(j.key)-prefix {
				n = len(normKey(j.key[:prefix], key))
			}
			if depth >= maxDepth {
				return i, &syntaxError{"objects nested too deep", i}
			}
			var err error
			if i, err = j.members(b, i+1, n, r, depth+1); err != nil {
				return i, err
			}
		case '[':
			j.nested = true
			var err error
			if i, err = skipArray(b, i); err != nil {
				return i, err
			}
		default:
			s := i
			for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != '\n' {
				i++
			}
			e := i
			for e > s && isSpace(b[e-1]) {
				e--
			}
			j.put(key, prefix, b, s, e, r)
		}
	}
}

// stringEnd finds the quote that closes a string value starting at s. A
// quote followed by something that cannot follow a value is taken as an
// unescaped quote inside the value.
func stringEnd(b []byte, s int) (int, error) {
	for {
		e := quote(b, s)
		if e < 0 {
			return len(b), errIncomplete
		}
		if escaped(b, e) {
			s = e + 1
			continue
		}
		k := skipSpace(b, e+1)
		if k >= len(b) || b[k] == ',' || b[k] == '}' || b[k] == ']' {
			return e, nil
		}
		s = e + 1
	}
}

// quote returns the index of the first '"' at or after s, or -1.
func quote(b []byte, s int) int {
	if e := bytes.IndexByte(b[s:], '"'); e >= 0 {
		return s + e
	}
	return -1
}

// escaped reports whether the quote at b[e] is preceded by an odd number
// of backslashes.
func escaped(b []byte, e int) bool {
	n := 0
	for k := e - 1; k >= 0 && b[k] == '\\'; k-- {
		n++
	}
	return n%2 == 1
}

// skipArray returns the index past the array at b[i] == '['.
func skipArray(b []byte, i int) (int, error) {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		case '"':
			e := bytes.IndexByte(b[i+1:], '"')
			for e >= 0 && escaped(b, i+1+e) {
				n := bytes.IndexByte(b[i+2+e:], '"')
				if n < 0 {
					e = -1
					break
				}
				e += n + 1
			}
			if e < 0 {
				return len(b), errIncomplete
			}
			i += e + 1
		}
		i++
	}
	return i, errIncomplete
}

// put stores the value b[s:e] under the field its key names.
func (j *jsonReader) put(key []byte, prefix int, b []byte, s, e int, r *record) {
	v := b[s:e]
	if len(key) > len(j.key)-prefix {
		j.nested = true // not a layout worth learning
		return
	}
	var f field
	if prefix == 0 && j.names == nil {
		var known bool
		if f, known = exactField(key); known {
			j.spans = append(j.spans, valueSpan{s, e, f})
			if f != fNone {
				r.put(f, v)
			}
			return
		}
	}
	n := normKey(j.key[:prefix], key)
	if j.names != nil {
		f = j.names[string(n)]
	}
	if f == fNone {
		f = fieldOf(n)
	}
	if f >= fCount {
		f = fNone
	}
	j.spans = append(j.spans, valueSpan{s, e, f})
	if f != fNone {
		r.put(f, v)
	}
}

// layout is the literal text around the values of a record rendered from
// one format: lits[0] before the first value, lits[k] between values k-1
// and k, and the last after the last value, up to the closing brace.
// Records of one log share it, so matching it (one IndexByte and one
// comparison per value) reads them without parsing keys.
type layout struct {
	lits   [][]byte
	fields []field
	// quoted says whether each value stands between quotes in the layout.
	// A record of another layout can share the literals yet quote a value
	// the layout leaves bare, or carry more keys after a bare last value:
	// the value read then holds a quote or a comma, and the record is
	// parsed instead.
	quoted []bool
}

// learn builds the layout of the object b[i:end] the reader just read, or
// returns nil when it has none worth using.
func (j *jsonReader) learn(b []byte, i, end int) *layout {
	if j.nested || len(j.spans) == 0 {
		return nil
	}
	l := &layout{}
	prev := i
	for _, sp := range j.spans {
		if sp.s < prev || (prev > i && sp.s == prev) {
			return nil
		}
		l.lits = append(l.lits, bytes.Clone(b[prev:sp.s]))
		l.fields = append(l.fields, sp.f)
		prev = sp.e
	}
	l.lits = append(l.lits, bytes.Clone(b[prev:end]))
	for k := range l.fields {
		before, after := l.lits[k], l.lits[k+1]
		l.quoted = append(l.quoted, len(before) > 0 && before[len(before)-1] == '"' && len(after) > 0 && after[0] == '"')
	}
	return l
}

// match reads the record at b[i:] if it has the layout, returning the
// index past its closing brace.
func (l *layout) match(b []byte, i int, r *record) (int, bool) {
	if !bytes.HasPrefix(b[i:], l.lits[0]) {
		return i, false
	}
	i += len(l.lits[0])
	for k, f := range l.fields {
		next := l.lits[k+1]
		e := bytes.IndexByte(b[i:], next[0])
		if e < 0 {
			return i, false
		}
		e += i
		if !bytes.HasPrefix(b[e:], next) {
			return i, false
		}
		v := b[i:e]
		if l.quoted[k] {
			if bytes.IndexByte(v, '"') >= 0 {
				return i, false // an escaped quote, or another layout: parse it
			}
		} else if structural(v) {
			return i, false
		}
		if f != fNone {
			r.put(f, v)
		}
		i = e + len(next)
	}
	return i, true
}

// structural reports whether a bare value holds JSON structure (a quote,
// comma, brace or bracket), which no number or `-` does. A plain loop: bare
// values are a few bytes, and this runs for every field of every record.
func structural(v []byte) bool {
	for _, c := range v {
		switch c {
		case '"', ',', '{', '}', '[', ']':
			return true
		}
	}
	return false
}

// exactField knows the keys of AWS's formats and the usual spellings as
// they are written, which spares normalising most keys of most records.
func exactField(key []byte) (field, bool) {
	switch string(key) {
	case "httpMethod":
		return fMethod, true
	case "resourcePath":
		return fResourcePath, true
	case "routeKey":
		return fRouteKey, true
	case "path":
		return fPath, true
	case "apiId":
		return fAPIID, true
	case "stage":
		return fStage, true
	case "status":
		return fStatus, true
	case "integrationLatency", "integration.latency", "integration_latency":
		return fIntegrationLatency, true
	case "responseLatency":
		return fResponseLatency, true
	case "error.responseType", "error_responseType", "errorResponseType", "responseType":
		return fResponseType, true
	case "error.message", "error_message", "errorMessage":
		return fErrorMessage, true
	case "integrationErrorMessage", "integration.error", "integration_error":
		return fIntegrationError, true
	case "requestTimeEpoch":
		return fRequestTimeEpoch, true
	case "requestTime":
		return fRequestTime, true
	case "requestId", "extendedRequestId", "ip", "caller", "user", "protocol", "responseLength",
		"domainName", "domainPrefix", "accountId", "integrationStatus", "integration.status":
		return fNone, true
	}
	return fNone, false
}

// fieldOf maps a normalised key (lower case, without '.', '_', '-', ' ')
// to the variable it carries. Owners name keys as they like; these are
// the $context names and the spellings seen in real formats. A switch,
// because it runs for every key of every record.
func fieldOf(n []byte) field {
	switch string(n) {
	case "httpmethod", "method", "requestmethod":
		return fMethod
	case "resourcepath", "resource":
		return fResourcePath
	case "routekey", "route":
		return fRouteKey
	case "path", "pathstr", "requestpath":
		return fPath
	case "apiid":
		return fAPIID
	case "stage":
		return fStage
	case "status", "statuscode":
		return fStatus
	case "integrationlatency":
		return fIntegrationLatency
	case "responselatency", "latency":
		return fResponseLatency
	case "errorresponsetype", "responsetype":
		return fResponseType
	case "errormessage", "errormessageshort":
		return fErrorMessage
	case "integrationerrormessage", "integrationerror":
		return fIntegrationError
	case "requesttimeepoch":
		return fRequestTimeEpoch
	case "requesttime":
		return fRequestTime
	case "timestamp", "@timestamp":
		return fTimestamp
	case "integrationrequestid", "awsendpointrequestid":
		return fIntegrationRequestID
	}
	return fNone
}
