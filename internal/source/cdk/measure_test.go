package cdk

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMeasureTracedPositions replays the parser evaluation recorded in
// docs/cdk-source-parsing.md: every user frame of the evaluation's cloud
// assemblies (the fixture apps and 68 synthesized aws-cdk-examples apps,
// which the repository does not hold) located by this package, compared
// with the expected answers (the prototype's, which agreed with
// tree-sitter and the tdewolff lexer): the call, its props object, and
// the timeout member's value or where it would be inserted. Set
// GATELINT_CDK_CASES to the directory that holds cases-all.tsv,
// scan.txt and pycases.tsv to run it.
func TestMeasureTracedPositions(t *testing.T) {
	dir := os.Getenv("GATELINT_CDK_CASES")
	if dir == "" {
		t.Skip("set GATELINT_CDK_CASES to the parser evaluation's results directory to replay it")
	}
	want := expectedCases(t, filepath.Join(dir, "scan.txt"))
	base := filepath.Dir(dir) // the cases' relative paths start there
	var agree, differ, n int
	var elapsed time.Duration
	var bytes int
	for _, c := range want {
		file := c.file
		if !filepath.IsAbs(file) {
			file = filepath.Join(base, file)
		}
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		n++
		start := time.Now()
		const reps = 20
		var got string
		for range reps {
			got = locateCase(src, c.line, c.col, isPython(file))
		}
		elapsed += time.Since(start) / reps
		bytes += len(src)
		if got == c.want {
			agree++
		} else {
			differ++
			t.Logf("%s:%d:%d\n got %s\nwant %s", c.file, c.line, c.col, got, c.want)
		}
	}
	t.Logf("%d traced positions: %d agree, %d differ; tokenize+locate %v per position on average (%d bytes per file on average)",
		n, agree, differ, elapsed/time.Duration(max(n, 1)), bytes/max(n, 1))
	py := pythonCases(t, filepath.Join(dir, "pycases.tsv"), base)
	t.Logf("Python: %s", py)
}

type expectedCase struct {
	file      string
	line, col int
	want      string
}

var (
	caseHead = regexp.MustCompile(`^== (.+):(\d+):(\d+)$`)
	rangeRe  = regexp.MustCompile(`\[(\d+),(\d+)\)`)
	insertRe = regexp.MustCompile(`insert at \d+:\d+ \[(\d+)\] (".*")$`)
)

// expectedCases reads the prototype's report: per position, the call's
// byte range, the props object's, and the timeout value's range or the
// insertion point and text.
func expectedCases(t *testing.T, path string) []expectedCase {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []expectedCase
	var cur *expectedCase
	var parts []string
	flush := func() {
		if cur != nil {
			cur.want = strings.Join(parts, " ")
			out = append(out, *cur)
		}
		parts = nil
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if m := caseHead.FindStringSubmatch(l); m != nil {
			flush()
			line, _ := strconv.Atoi(m[2])
			col, _ := strconv.Atoi(m[3])
			cur = &expectedCase{file: m[1], line: line, col: col}
			continue
		}
		switch {
		case strings.HasPrefix(l, "  ERR"):
			parts = append(parts, "error")
		case strings.HasPrefix(l, "kind=assign"):
			parts = append(parts, "assign")
		case strings.HasPrefix(l, "kind="):
			parts = append(parts, "call"+rangeRe.FindString(l))
		case strings.HasPrefix(l, "  lhs="):
			parts = append(parts, "rhs"+rangeRe.FindString(l[strings.Index(l, "rhs="):]))
		case strings.HasPrefix(l, "  props("):
			parts = append(parts, "props"+rangeRe.FindString(l))
		case strings.HasPrefix(l, "  timeout value="):
			parts = append(parts, "value"+rangeRe.FindString(l))
		case strings.HasPrefix(l, "  timeout absent"):
			m := insertRe.FindStringSubmatch(l)
			if m != nil {
				parts = append(parts, "insert["+m[1]+"]"+m[2])
			}
		}
	}
	flush()
	return out
}

// locateCase answers one position as expectedCases words it.
func locateCase(src []byte, line, col int, py bool) string {
	s := parseSource("x", src, py)
	var c *call
	var err error
	if col == 0 {
		calls := s.callsOnLine(line)
		if len(calls) == 0 {
			return "error"
		}
		c = calls[0]
	} else {
		off, ok := s.offsetOf(line, col)
		if !ok {
			return "error"
		}
		if c, err = s.callAt(off); err != nil {
			return "error"
		}
	}
	if c.assign {
		return fmt.Sprintf("assign rhs[%d,%d)", s.Toks[c.value[0]].Start, s.Toks[c.value[1]].End)
	}
	// The evaluation's call starts at `new`, or at a method call's name
	// (this package keeps the receiver chain, for display).
	first := c.first
	if !s.Is(first, "new") && !s.Is(first, "(") {
		first = c.head
	}
	parts := []string{fmt.Sprintf("call[%d,%d)", s.Toks[first].Start, s.Toks[c.close].End)}
	ms, obj := s.props(c)
	if obj[0] >= 0 {
		parts = append(parts, fmt.Sprintf("props[%d,%d)", s.Toks[obj[0]].Start, s.Toks[obj[1]].End))
	}
	if m, found, _ := lookupMember(ms, "timeout"); found {
		v := m.value
		parts = append(parts, fmt.Sprintf("value[%d,%d)", s.Toks[v[0]].Start, s.Toks[v[1]].End))
	} else {
		off, text := s.insertion(c, obj, "timeout: PLACEHOLDER")
		parts = append(parts, fmt.Sprintf("insert[%d]%s", off, strconv.Quote(text)))
	}
	return strings.Join(parts, " ")
}

// pythonCases checks the Python calls with a timeout keyword the
// evaluation found (ground truth from tree-sitter): the value's text.
func pythonCases(t *testing.T, path, base string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "no pycases.tsv"
	}
	ok, bad := 0, 0
	var lines []string
	for _, row := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Split(row, "\t")
		if len(f) < 3 {
			continue
		}
		fileLine := strings.Fields(f[0])
		src, err := os.ReadFile(filepath.Join(base, "gotry", fileLine[0]))
		if err != nil {
			src, err = os.ReadFile(filepath.Join(base, fileLine[0]))
		}
		if err != nil {
			bad++
			continue
		}
		line, _ := strconv.Atoi(strings.Split(fileLine[1], ":")[0])
		s := parseSource("x.py", src, true)
		found := ""
		for _, c := range s.callsOnLine(line) {
			if m, ok, _ := lookupMember(s.kwargs(c), f[1]); ok {
				found = string(s.Src[s.Toks[m.value[0]].Start:s.Toks[m.value[1]].End])
				break
			}
		}
		if found == f[2] {
			ok++
		} else {
			bad++
			lines = append(lines, fmt.Sprintf("%s: %q, want %q", f[0], found, f[2]))
		}
	}
	sort.Strings(lines)
	return fmt.Sprintf("%d agree, %d differ %v", ok, bad, lines)
}
