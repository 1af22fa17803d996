package cdk

import (
	"strconv"
	"strings"
)

// frame is one user frame of a construct trace: a file of the app and a
// position in it, as the synthesizing machine saw them.
type frame struct {
	// fn is the function the frame names ("new ApiStack", "makeFunction").
	fn   string
	file string
	line int
	// col is V8's column: 1-based, in UTF-16 code units; 0 when the frame
	// gives only a line (a Python host frame). colTens is set when the
	// renderer cut the column's last digit: the column is in
	// [10·col, 10·col+9].
	col     int
	colTens bool
}

func (f frame) String() string {
	s := f.file + ":" + strconv.Itoa(f.line)
	if f.col > 0 && !f.colTens {
		s += ":" + strconv.Itoa(f.col)
	}
	return s
}

// userFrames picks the app's own frames from a trace, innermost first.
// aws-cdk-lib renders traces without library frames ("...new Function in
// aws-cdk-lib...", "...node internals...", "(no user code in 10
// frames ...)"); older releases kept raw V8 frames ("at new Function
// (.../node_modules/aws-cdk-lib/...)", "node:internal/..."), which are
// skipped here by their paths.
func userFrames(trace []string) []frame {
	var out []frame
	for _, line := range trace {
		if f, ok := parseFrame(line); ok && userFile(f.file) {
			out = append(out, f)
		}
	}
	return out
}

// parseFrame reads "fn (file:line:col)", "fn (file:line)", "file:line:col"
// and the same with V8's "at " prefix.
func parseFrame(s string) (frame, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "at ")
	if strings.HasPrefix(s, "...") || strings.HasPrefix(s, "(no user code") {
		return frame{}, false
	}
	var f frame
	loc := s
	if strings.HasSuffix(s, ")") {
		open := strings.LastIndex(s, " (")
		if open < 0 {
			return frame{}, false
		}
		f.fn, loc = s[:open], s[open+2:len(s)-1]
	}
	// From the right: the last number is the column when there are two. A
	// frame whose renderer cut its last digit may end in ":".
	cut := strings.HasSuffix(loc, ":")
	file, n1, ok := cutNumber(strings.TrimSuffix(loc, ":"))
	if !ok {
		return frame{}, false
	}
	if rest, n2, ok := cutNumber(file); ok && !cut {
		f.file, f.line, f.col = rest, n2, n1
	} else {
		f.file, f.line = file, n1
	}
	// aws-cdk-lib's renderer loses the last character of a frame without a
	// function name (an arrow function's): "app.js:5: (app.js:5:3)" was
	// column 3x. Its name is then "file:line:".
	if f.fn != "" && strings.HasSuffix(f.fn, ":") {
		if name, n, ok := cutNumber(strings.TrimSuffix(f.fn, ":")); ok && n == f.line && name == f.file {
			f.fn, f.colTens = "", f.col > 0
		}
	}
	if f.file == "" || f.line <= 0 || f.col < 0 {
		return frame{}, false
	}
	return f, true
}

// cutNumber splits "x:12" into "x" and 12.
func cutNumber(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil || n < 0 {
		return "", 0, false
	}
	return s[:i], n, true
}

// userFile reports whether a frame's file is the app's: not a library
// under node_modules, not node's own, not a native frame without a file.
func userFile(file string) bool {
	f := strings.ReplaceAll(file, `\`, "/")
	return file != "" && !strings.Contains(f, "/node_modules/") && !strings.HasPrefix(f, "node:") &&
		!strings.HasPrefix(f, "internal/") && f != "<anonymous>" && f != "native"
}
