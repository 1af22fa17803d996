package code

import (
	"fmt"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
)

// fnEnv is one function's environment, as its configuration sets it.
type fnEnv struct {
	lookup envFunc
	edit   func(name string) func(string) []finding.TextEdit
}

func newEnv(fn *model.Function) *fnEnv {
	return &fnEnv{lookup: envOf(fn), edit: func(name string) func(string) []finding.TextEdit { return envEdit(fn, name) }}
}

// timing is how one call's wait is bounded, as found in its file.
type timing struct {
	timeout num
	setting string
	// missing: no timeout is set; dflt is the library's (0: none).
	missing bool
	dflt    time.Duration
	connect num
	// connSetting names the connection timeout; empty when the library
	// has none apart. connMissing: not set, connDflt applies.
	connSetting string
	connMissing bool
	connDflt    time.Duration
	// unit is what 1 means in the code; mu how messages write it.
	unit time.Duration
	mu   model.Unit
	// attempts gives the attempts and where the number comes from.
	attempts func(e *fnEnv) (int, string)
	total    bool
}

// finish fills c's timeout, connection timeout and attempts.
func (t timing) finish(c *model.Call, e *fnEnv) {
	if t.missing {
		if t.dflt == 0 {
			c.Unbounded = true
			c.Timeout = model.Value{Known: true, Origin: model.Default, Setting: t.setting, Unit: t.mu, Loc: c.Loc}
		} else {
			c.Timeout = dfltValue(t.dflt, t.setting, c.Loc, t.mu)
		}
	} else {
		v, none := value(t.timeout.resolve(e.lookup), t.setting, t.unit, t.mu)
		if v.Loc.IsZero() {
			v.Loc = c.Loc
		}
		c.Timeout, c.Unbounded = v, none
		if v.Known && !none && v.D == 0 && t.zeroIsNone() {
			c.Unbounded = true
		}
	}
	if t.connSetting != "" {
		switch {
		case t.connMissing && t.connDflt > 0:
			c.Connect = dfltValue(t.connDflt, t.connSetting, c.Loc, t.mu)
		case !t.connMissing:
			v, none := value(t.connect.resolve(e.lookup), t.connSetting, t.unit, t.mu)
			if !none {
				c.Connect = v
			}
		}
	}
	c.Attempts, c.AttemptsFrom = 1, ""
	if t.attempts != nil {
		c.Attempts, c.AttemptsFrom = t.attempts(e)
	}
	c.Total = t.total && !c.Unbounded
}

// zeroIsNone: for the clients this scanner knows, a timeout of 0 means
// none (axios, Go's http.Client, NodeHttpHandler); Python's requests
// would fail at once, which no one writes.
func (t timing) zeroIsNone() bool { return true }

// setNum is the edit that makes n say text where it is set: the literal,
// the variable's literal, or the environment variable in the function's
// configuration; nil when none of those can be edited.
func setNum(n num, e *fnEnv, text string) []finding.TextEdit {
	r := n.resolve(e.lookup)
	switch {
	case r.env != "" && e.edit(r.env) != nil:
		return e.edit(r.env)(text)
	case r.edit != nil:
		return r.edit(text)
	}
	return nil
}

// perAttempt is how long each of attempts may take within budget, in
// the code's unit, down to a tenth of a second (at least that).
func perAttempt(budget time.Duration, attempts int, unit time.Duration) float64 {
	if attempts < 1 {
		attempts = 1
	}
	// Down to a tenth of a second, written in the code's unit.
	tenths := int64(budget / time.Duration(attempts) / (100 * time.Millisecond))
	n := float64(tenths) * float64(100*time.Millisecond) / float64(unit)
	return max(n, float64(100*time.Millisecond)/float64(unit))
}

// describe words a fix: "set timeout of requests.get to 24 s".
func describe(what, setting string, d time.Duration) string {
	return fmt.Sprintf("set %s of %s to %s", setting, what, model.Seconds(d))
}

// callAt makes the model's Call for a client found at at.
func callAt(client, lang string, at loc.Range) *model.Call {
	return &model.Call{Client: client, Lang: lang, Loc: at}
}
