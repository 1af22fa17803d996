package serverless

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/serverless/vars"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// frameworkDefaultTimeout is a function's timeout when neither it nor
// the provider sets one (compile/functions.js), not Lambda's 3 s.
const frameworkDefaultTimeout = 6 * time.Second

// secondsEdit adapts a number editor to a duration in seconds.
func secondsEdit(edit func(int64) []finding.TextEdit) func(time.Duration) []finding.TextEdit {
	return inUnit(model.InSeconds, edit)
}

func inUnit(u model.Unit, edit func(int64) []finding.TextEdit) func(time.Duration) []finding.TextEdit {
	if edit == nil {
		return nil
	}
	return func(d time.Duration) []finding.TextEdit { return edit(u.Count(d)) }
}

// duration reads the duration setting at n (a node of file) in unit u:
// a literal is edited where it is written; a value reached through
// variables where it is set, when nothing else reads it there, and
// otherwise the remedy is advice naming where it is set (or, for an
// ${opt:} or ${env:} value, how to deploy with another).
func (r *reader) duration(file *yamlpos.File, n *yaml.Node, setting string, u model.Unit) model.Value {
	at := r.rangeOf(file, n)
	v, err := r.res.Resolve(file, n)
	if err != nil {
		r.err(err)
		return model.Unknownf(at, "%s cannot be resolved: %v", setting, err)
	}
	if !v.Known() {
		return model.Unknownf(at, "%s", v.Unknown)
	}
	x, ok := parseNum(v.Scalar())
	if !ok || v.Node.Kind != yaml.ScalarNode {
		return model.Unknownf(at, "%s is %q, not a number", setting, v.Scalar())
	}
	val := model.Value{Known: true, D: u.Duration(x), Unit: u, Setting: setting, Loc: at}
	if v.Literal() {
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 && file != nil {
			val.Remedy.Edit = inUnit(u, yamlpos.ReplaceNumber(file, n))
		}
		return val
	}
	val.Origin = model.Variable
	outer, inner := v.Refs[0], v.Refs[len(v.Refs)-1]
	val.Via = model.Via{Name: outer.Text}
	if v.File != nil && v.Node != nil {
		val.Via.Loc = v.File.Range(v.Node)
	}
	if inner.Kind == "" && inner.Fallback {
		// ${opt:t, 50}: the fallback, because the option was not given.
		if m := firstSource.FindStringSubmatch(inner.Text); m != nil {
			inner.Kind, inner.Key = m[1], m[2]
		}
	}
	switch inner.Kind {
	case "opt":
		val.Remedy.Advice = func(d time.Duration) string {
			return fmt.Sprintf(" Deploy with --%s %d (for gatelint, --param %s=%d).", inner.Key, u.Count(d), inner.Key, u.Count(d))
		}
		return val
	case "env":
		val.Remedy.Advice = func(d time.Duration) string {
			return fmt.Sprintf(" Deploy with %s=%d in the environment (or its .env file).", inner.Key, u.Count(d))
		}
		return val
	}
	if v.File == nil || v.Node == nil || v.Node.Kind != yaml.ScalarNode {
		where := outer.Text
		val.Remedy.Advice = func(d time.Duration) string {
			return fmt.Sprintf(" Make %s give %d.", where, u.Count(d))
		}
		return val
	}
	setAt := v.File.Range(v.Node)
	if n := r.uses(v.Refs); n == 1 {
		val.Remedy.Edit = inUnit(u, yamlpos.ReplaceNumber(v.File, v.Node))
		val.Via.SetHere = "read through " + outer.Text
		return val
	}
	val.Remedy.Advice = func(d time.Duration) string {
		return fmt.Sprintf(" It is set at %s, which other settings read too: give this %s its own value %d, or change it there if %d suits them all.", setAt, setting, u.Count(d), u.Count(d))
	}
	return val
}

// uses counts how many places of the service file read what the
// references lead to: the most of any step (a ${self:custom.t} read
// twice is shared however it is reached).
func (r *reader) uses(refs []vars.Ref) int {
	most := 1
	for _, ref := range refs {
		var n int
		switch ref.Kind {
		case "self":
			n = len(regexp.MustCompile(`self:`+regexp.QuoteMeta(ref.Key)+`(?:[^A-Za-z0-9_.\-]|$)`).FindAllIndex(r.f.Data, -1))
		case "file":
			n = strings.Count(string(r.f.Data), ref.Text)
		case "":
			// A literal fallback is written in the variable itself.
			n = 1
		default:
			return 0 // not a place in a file
		}
		most = max(most, n)
	}
	return most
}

// firstSource is the source a variable names first: opt:timeout in
// ${opt:timeout, 50}.
var firstSource = regexp.MustCompile(`^\$\{\s*(opt|env):([\w.-]+)`)

// parseNum reads an integer, as the framework's schema takes timeouts.
func parseNum(s string) (int64, bool) {
	x, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if ferr != nil || f != float64(int64(f)) {
			return 0, false
		}
		x = int64(f)
	}
	return x, true
}

// ignores reads `# gatelint:ignore GL002 reason` comments on key and on
// every key of the mapping (at any depth) it names: a suppression above
// a function, or above its timeout, holds for the function.
func ignores(key, m *yaml.Node) map[string]string {
	out := map[string]string{}
	add := func(n *yaml.Node) {
		for _, c := range []string{n.HeadComment, n.LineComment} {
			for _, line := range strings.Split(c, "\n") {
				parseIgnore(line, out)
			}
		}
	}
	if key != nil {
		add(key)
	}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 16 {
			return
		}
		for _, c := range n.Content {
			add(c) // a key's comments, or a value's trailing one
			walk(c, depth+1)
		}
	}
	walk(m, 0)
	if len(out) == 0 {
		return nil
	}
	return out
}

// parseIgnore reads one comment line: "# gatelint:ignore GL002,GL003
// reason" into out (IDs or names upper-cased, as model.Suppresses
// reads them).
func parseIgnore(line string, out map[string]string) {
	s := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
	rest, ok := strings.CutPrefix(s, "gatelint:ignore")
	if !ok || rest != "" && rest[0] != ' ' && rest[0] != ':' && rest[0] != '\t' {
		return
	}
	fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(rest), ":"))
	var ids []string
	i := 0
	for ; i < len(fields); i++ {
		parts := strings.Split(strings.Trim(fields[i], ","), ",")
		okAll := len(parts) > 0
		for _, p := range parts {
			if !ruleWord.MatchString(p) {
				okAll = false
			}
		}
		if !okAll {
			break
		}
		ids = append(ids, parts...)
		if !strings.HasSuffix(fields[i], ",") {
			i++
			break
		}
	}
	reason := strings.TrimSpace(strings.TrimPrefix(strings.Join(fields[i:], " "), "--"))
	for _, id := range ids {
		out[strings.ToUpper(id)] = reason
	}
}

// ruleWord is a rule ID (GL002) or name (lambda-timeout-exceeds-integration).
var ruleWord = regexp.MustCompile(`^(?:[A-Z]+[0-9]+|[a-z]+(?:-[a-z0-9]+)+)$`)
