package lambdalog

import "bytes"

// The JSON log format (LoggingConfig.LogFormat: JSON) writes platform
// records as {"time":"...","type":"platform.start","record":{...}} and
// application logs as {"timestamp":"...","level":"INFO",...}. Application
// records are rejected by their first key; anything else is looked at
// only when "platform. appears near its start, and then walked by a small
// scanner that allocates nothing.

// jsonLook bounds how far into a JSON message the "platform. marker is
// looked for (the type comes right after the time in Lambda's records).
const jsonLook = 256

// maxDepth bounds the nesting skipped values may have.
const maxDepth = 64

func parseJSON(b []byte, r *Record) bool {
	if hasPrefix(b, `{"timestamp"`) {
		return false // Lambda's JSON application log records start so.
	}
	if !bytes.Contains(b[:min(len(b), jsonLook)], []byte(`"platform.`)) {
		return false
	}
	s := jscan{b: b}
	if !s.consume('{') {
		return false
	}
	var typ []byte
	var timeRaw []byte
	record := -1
keys:
	for first := true; ; first = false {
		s.ws()
		if s.peek() == '}' {
			s.i++
			break
		}
		if !first {
			if !s.consume(',') {
				return false
			}
			if s.peek() == '}' { // a trailing comma (AWS's own examples have some)
				s.i++
				break
			}
		}
		key, ok := s.str()
		if !ok || !s.consume(':') {
			return false
		}
		s.ws()
		switch string(key) {
		case "type":
			if typ, ok = s.str(); !ok {
				return false
			}
		case "time":
			if timeRaw, ok = s.str(); !ok {
				return false
			}
		case "record":
			record = s.i
			if typ != nil && timeRaw != nil {
				// Lambda writes time, type, record: nothing else is needed
				// (and the record is read once, below).
				break keys
			}
			if !s.skip() {
				return false
			}
		default:
			if !s.skip() {
				return false
			}
		}
	}
	if !hasPrefix(typ, "platform.") {
		return false
	}
	*r = Record{JSON: true}
	switch string(typ[len("platform."):]) {
	case "start":
		r.Kind = KindStart
	case "end":
		r.Kind = KindEnd
	case "report":
		r.Kind = KindReport
	case "runtimeDone":
		r.Kind = KindRuntimeDone
	case "initStart":
		r.Kind = KindInitStart
	case "initReport":
		r.Kind = KindInitReport
	case "restoreStart":
		r.Kind = KindRestoreStart
	case "restoreReport":
		r.Kind = KindRestoreReport
	case "extension", "telemetrySubscription", "logsSubscription":
		r.Kind = KindExtension
	case "fault":
		r.Kind = KindRuntimeExit
	default:
		r.Kind = KindOther
	}
	if t, ok := rfc3339(timeRaw); ok {
		r.Time = t
		r.Has |= HasTime
	}
	if record >= 0 {
		s.i = record
		if s.peek() == '"' {
			// platform.fault's record is the text line.
			txt, _ := s.str()
			var inner Record
			if r.Kind == KindRuntimeExit && len(txt) > 0 && parseText(txt, &inner) && inner.RequestID != nil {
				r.RequestID, r.Status, r.ErrorType = inner.RequestID, inner.Status, inner.ErrorType
			}
		} else if !s.record(r) {
			return false
		}
	}
	switch r.Kind {
	case KindStart, KindEnd, KindReport, KindRuntimeDone:
		if len(r.RequestID) == 0 || len(r.RequestID) > maxIDLen {
			return false
		}
	case KindInitReport:
		// platform.initReport's metrics.durationMs is the init's.
		if r.Has&HasDuration != 0 && r.Has&HasInit == 0 {
			r.Init, r.Has = r.Duration, r.Has|HasInit
		}
	case KindRestoreReport:
		if r.Has&HasDuration != 0 && r.Has&HasRestore == 0 {
			r.Restore, r.Has = r.Duration, r.Has|HasRestore
		}
	}
	return true
}

// record reads the record object's fields into r.
func (s *jscan) record(r *Record) bool {
	return s.object(func(key []byte) bool {
		var ok bool
		switch string(key) {
		case "requestId":
			r.RequestID, ok = s.str()
		case "version", "functionVersion":
			if r.Kind == KindStart {
				r.Version, ok = s.str()
			} else {
				ok = s.skip()
			}
		case "status":
			r.StatusText, ok = s.str()
			r.Status = statusOf(r.StatusText)
			r.Has |= HasStatus
		case "errorType":
			r.ErrorType, ok = s.str()
		case "phase":
			r.Phase, ok = s.str()
		case "metrics":
			ok = s.object(func(key []byte) bool {
				var dst *float64
				var f Field
				switch string(key) {
				case "durationMs":
					dst, f = &r.Duration, HasDuration
				case "billedDurationMs":
					dst, f = &r.Billed, HasBilled
				case "initDurationMs":
					dst, f = &r.Init, HasInit
				case "restoreDurationMs":
					dst, f = &r.Restore, HasRestore
				case "memorySizeMB", "maxMemoryUsedMB":
					v, ok := s.num()
					if ok && v >= 0 && v < 1<<31 {
						if key[1] == 'e' {
							r.MemorySizeMB, r.Has = int(v), r.Has|HasMemorySize
						} else {
							r.MaxMemoryUsedMB, r.Has = int(v), r.Has|HasMaxMemory
						}
					}
					return ok
				default:
					return s.skip()
				}
				v, ok := s.num()
				if ok && v >= 0 {
					*dst = v
					r.Has |= f
				}
				return ok
			})
		default:
			ok = s.skip()
		}
		return ok
	})
}

// jscan is a minimal JSON scanner over one message.
type jscan struct {
	b []byte
	i int
}

func (s *jscan) ws() {
	for s.i < len(s.b) && isBlank(s.b[s.i]) {
		s.i++
	}
}

func (s *jscan) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *jscan) consume(c byte) bool {
	if s.peek() == c {
		s.i++
		return true
	}
	return false
}

// str reads a string, returning its raw contents (escapes kept: the
// fields read never hold any).
func (s *jscan) str() ([]byte, bool) {
	if !s.consume('"') {
		return nil, false
	}
	start := s.i
	for s.i <= len(s.b) {
		k := bytes.IndexByte(s.b[s.i:], '"')
		if k < 0 {
			break
		}
		j := s.i + k
		s.i = j + 1
		// Escaped when an odd number of backslashes precede it.
		bs := 0
		for p := j - 1; p >= start && s.b[p] == '\\'; p-- {
			bs++
		}
		if bs%2 == 0 {
			return s.b[start:j], true
		}
	}
	s.i = len(s.b)
	return nil, false
}

func (s *jscan) num() (float64, bool) {
	s.ws()
	v, n := number(s.b[s.i:])
	if n == 0 {
		if s.peek() == 'n' { // null
			return 0, s.skip()
		}
		return 0, false
	}
	s.i += n
	return v, true
}

// object reads an object, calling field with each key; field reads (or
// skips) the value.
func (s *jscan) object(field func(key []byte) bool) bool {
	if !s.consume('{') {
		return s.skip() // a null or other value where an object was expected
	}
	for first := true; ; first = false {
		if s.peek() == '}' {
			s.i++
			return true
		}
		if !first {
			if !s.consume(',') {
				return false
			}
			if s.peek() == '}' {
				s.i++
				return true
			}
		}
		key, ok := s.str()
		if !ok || !s.consume(':') {
			return false
		}
		s.ws()
		if !field(key) {
			return false
		}
	}
}

// skip skips one value of any kind, nesting included, without recursion.
func (s *jscan) skip() bool {
	depth := 0
	for {
		switch c := s.peek(); c {
		case '"':
			if _, ok := s.str(); !ok {
				return false
			}
		case '{', '[':
			depth++
			if depth > maxDepth {
				return false
			}
			s.i++
			continue
		case '}', ']':
			if depth == 0 {
				return false
			}
			depth--
			s.i++
		case 0:
			return false
		default:
			// A number or a literal: up to a delimiter.
			start := s.i
			for s.i < len(s.b) {
				c := s.b[s.i]
				if c == ',' || c == '}' || c == ']' || c == ':' || isBlank(c) {
					break
				}
				s.i++
			}
			if s.i == start {
				return false
			}
		}
		if depth == 0 {
			return true
		}
		// Inside a container: a comma or colon between items, or its end.
		switch s.peek() {
		case ',', ':':
			s.i++
		case '}', ']':
		default:
			return false
		}
	}
}
