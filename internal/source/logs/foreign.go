package logs

import (
	"bytes"
	"regexp"
)

// Logs that are not API Gateway's. A web server's access log looks much
// like AWS's example CLF format — address, identity, [time], "request",
// status, size — and a 504 in it is whatever that server decided, not
// API Gateway giving up on an integration. Lines of these formats are
// told apart by what API Gateway's never have (a referrer and a user
// agent after the size, no request ID at all, a load balancer's name)
// and named, so that a user who pointed --logs at the wrong file learns
// what it is; one whose stage really writes such a line says so with
// --log-format.

// foreignFormat is one well-known log format.
type foreignFormat struct {
	name string
	re   *regexp.Regexp
}

const (
	clfHead = `^\S+ \S+ \S+ \[[^\]]+\] "[^"]*" (?:\d{3}|-) (?:\d+|-)`
	isoTime = `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z`
)

var foreignFormats = []foreignFormat{
	// nginx's default and Apache's "combined": the common fields, then
	// "referrer" "user-agent" (nginx may add more quoted fields).
	{"an nginx or Apache combined log (referrer and user-agent fields, no request ID)",
		regexp.MustCompile(clfHead + ` "[^"]*" "[^"]*"`)},
	// Apache's "common" (also nginx's "common"): nothing after the size.
	{"an Apache (or nginx) common log (no request ID)",
		regexp.MustCompile(clfHead + `\s*$`)},
	// Application Load Balancer: type, ISO time, load balancer, client,
	// target, three processing times, two status codes.
	{"an Application Load Balancer access log",
		regexp.MustCompile(`^(?:https?|h2|grpcs|wss?) ` + isoTime + ` \S+ \S+ \S+ -?[\d.]+ -?[\d.]+ -?[\d.]+ (?:\d{3}|-) (?:\d{3}|-) `)},
	// Classic Load Balancer: ISO time, load balancer, client:port.
	{"a Classic Load Balancer access log",
		regexp.MustCompile(`^` + isoTime + ` \S+ [\d.:a-fA-F\[\]]+:\d+ \S+ -?[\d.]+ -?[\d.]+ -?[\d.]+ (?:\d{3}|-) (?:\d{3}|-) \d+ \d+ "`)},
	// CloudFront standard logs: W3C headers, then tab-separated fields
	// starting with date, time and edge location.
	{"a CloudFront access log",
		regexp.MustCompile(`^(?:#Version: 1\.0\s*$|#Fields: date time x-edge-location|\d{4}-\d\d-\d\d\t\d\d:\d\d:\d\d\t[A-Z]{3}\d+(?:-[A-Z0-9]+)?\t)`)},
	// S3 server access logs: the bucket owner's canonical ID first.
	{"an S3 server access log",
		regexp.MustCompile(`^[0-9a-f]{64} \S+ \[[^\]]+\] `)},
}

// Foreign names the well-known log format line is in when that format is
// not one an API Gateway stage writes ("an nginx or Apache combined log
// (...)"); "" otherwise.
func Foreign(line []byte) string {
	line = bytes.TrimSpace(bytes.TrimPrefix(line, bom))
	if len(line) == 0 || line[0] == '{' || line[0] == '<' || line[0] == '[' {
		return ""
	}
	for _, f := range foreignFormats {
		if f.re.Match(line) {
			return f.name
		}
	}
	return ""
}
