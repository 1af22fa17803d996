// Package htmlesc escapes strings for an HTML page written directly from
// Go. It does what html/template's escapers do for the three contexts the
// report uses — text, double-quoted attribute values and URLs — and
// byte for byte as they do it, so a page keeps its output when it stops
// using html/template. html/template is avoided because its reflection
// makes the linker keep every exported method of every reachable type.
//
// There is no escaper for <script> or <style>: nothing from the input
// may go there.
package htmlesc

import "strings"

// replacements are html/template's htmlReplacementTable: safe in a text
// node, in an RCDATA element such as <title>, and in a quoted attribute
// value whichever quote it uses. NUL becomes U+FFFD because parsers do
// so anyway; '+' is escaped because html/template does (against UTF-7
// sniffing).
var replacements = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// Text escapes s for a text node or a double-quoted attribute value.
func Text(s string) string {
	return string(AppendText(nil, s))
}

// AppendText appends Text(s) to dst. Every byte that needs escaping is
// ASCII, so working on bytes leaves multi-byte and invalid UTF-8
// sequences untouched, as html/template does.
func AppendText(dst []byte, s string) []byte {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) >= len(replacements) || replacements[c] == "" {
			continue
		}
		dst = append(dst, s[written:i]...)
		dst = append(dst, replacements[c]...)
		written = i + 1
	}
	return append(dst, s[written:]...)
}

// Unsafe replaces a URL whose scheme could run code (javascript:,
// data:, vbscript:...); html/template uses the same marker.
const Unsafe = "#ZgotmplZ"

// URL makes s safe as a whole href: a scheme other than http, https or
// mailto makes it Unsafe, and bytes that may not appear in a URL are
// percent-encoded while existing escapes and reserved characters stay.
// The result still goes through Text in an attribute ('&' stays as is).
func URL(s string) string {
	if !safeScheme(s) {
		return Unsafe
	}
	return percentEncode(s, true)
}

// URLPart escapes s as a piece of a URL after '#' or '?': everything but
// the unreserved characters of RFC 3986 is percent-encoded.
func URLPart(s string) string {
	return percentEncode(s, false)
}

// safeScheme is true for a relative URL (no ':' before the first '/')
// and for http, https and mailto.
func safeScheme(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}

// percentEncode is html/template's processURLOnto. normalize keeps the
// reserved characters and valid %XX escapes of a whole URL; without it
// they are encoded too. Quotes and parentheses are always encoded.
func percentEncode(s string, normalize bool) string {
	const hex = "0123456789abcdef"
	var b []byte
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if normalize {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if normalize && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		if b == nil {
			b = make([]byte, 0, len(s)+16)
		}
		b = append(b, s[written:i]...)
		b = append(b, '%', hex[c>>4], hex[c&15])
		written = i + 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[written:]...))
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
