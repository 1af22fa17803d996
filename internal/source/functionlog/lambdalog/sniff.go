package lambdalog

import "bytes"

// Sniff reports whether msg looks like a message of a Lambda function
// log: a platform record, or an application line in a layout Lambda's
// runtimes write (Node.js "<ts>\t<request id>\tINFO\t…", Python
// "[INFO]\t<ts>\t<request id>\t…", the JSON log format's
// {"timestamp":…,"level":…,"requestId":…}). For a container choosing the
// kind of an input from its first message; applications print anything,
// so a false is no proof.
func Sniff(msg []byte) bool {
	var r Record
	if Parse(msg, &r) {
		return true
	}
	msg = bytes.TrimRight(msg, "\r\n")
	switch {
	case len(msg) > 62 && msg[24] == '\t' && msg[61] == '\t':
		// Node.js: timestamp, request ID.
		_, ok := rfc3339(msg[:24])
		return ok && isUUID(msg[25:61])
	case len(msg) > 8 && msg[0] == '[':
		// Python: [LEVEL]\t<ts>\t<id>\t
		lvl := bytes.IndexByte(msg[:min(len(msg), 12)], ']')
		if lvl < 0 || lvl+1 >= len(msg) || msg[lvl+1] != '\t' {
			return false
		}
		rest := msg[lvl+2:]
		tab := bytes.IndexByte(rest[:min(len(rest), 40)], '\t')
		if tab < 0 {
			return false
		}
		if _, ok := rfc3339(rest[:tab]); !ok {
			return false
		}
		rest = rest[tab+1:]
		return len(rest) >= 37 && isUUID(rest[:36]) && rest[36] == '\t' || len(rest) > 0 && rest[0] == '\t'
	case hasPrefix(msg, `{"timestamp"`):
		head := msg[:min(len(msg), 512)]
		return bytes.Contains(head, []byte(`"level"`)) && bytes.Contains(msg, []byte(`"requestId"`))
	}
	return false
}

// isUUID reports whether b is a 36-character UUID (any version).
func isUUID(b []byte) bool {
	if len(b) != 36 {
		return false
	}
	for i, c := range b {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
