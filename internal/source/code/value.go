package code

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
)

// num is a timeout or a count as the code gives it, before the
// function's environment is known: a number written somewhere, nothing
// (the call waits forever), an environment variable (with the code's
// fallback), or something not evaluated, with why.
type num struct {
	k numKind
	// v is the number in the code's own unit (seconds in Python and in
	// Go durations, milliseconds in JavaScript).
	v float64
	// at is where the number is written, and edit rewrites it there
	// (nil when it is not a literal that can be rewritten).
	at   loc.Range
	edit func(text string) []finding.TextEdit
	// via says how the call reaches it ("variable TIMEOUT", "parameter
	// timeout of fetch_json").
	via   string
	viaAt loc.Range
	// env is the environment variable read, and dflt what the code uses
	// when it is unset (nil: none).
	env  string
	dflt *num
	// scale multiplies an environment variable's number (a Go
	// time.Duration(n) * time.Second, a JavaScript seconds * 1000).
	scale float64
	why   string
}

type numKind uint8

const (
	numUnknown numKind = iota
	numKnown
	numNone // explicitly no timeout (None, 0 for axios)
	numEnv
)

func unknownNum(why string) num { return num{k: numUnknown, why: why} }

func knownNum(v float64, at loc.Range, edit func(string) []finding.TextEdit) num {
	return num{k: numKnown, v: v, at: at, edit: edit}
}

// through marks n as reached through a variable or parameter.
func (n num) through(via string, at loc.Range) num {
	if n.via == "" {
		n.via, n.viaAt = via, at
	}
	return n
}

// resolve gives the number an environment variable holds in env, or the
// code's fallback; unit turns the code's number into a duration.
func (n num) resolve(env func(string) (string, loc.Range, bool, string)) num {
	if n.k != numEnv {
		return n
	}
	text, at, ok, why := env(n.env)
	switch {
	case ok:
		v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil {
			return unknownNum("environment variable " + n.env + " is " + strconv.Quote(text) + ", not a number")
		}
		if n.scale != 0 {
			v *= n.scale
		}
		r := knownNum(v, at, nil)
		r.via, r.viaAt, r.env = "environment variable "+n.env, at, n.env
		return r
	case why != "":
		return unknownNum("environment variable " + n.env + ": " + why)
	case n.dflt != nil:
		d := *n.dflt
		d = d.through("the code's fallback when environment variable "+n.env+" is unset", d.at)
		if d.k == numKnown && n.scale != 0 {
			d.v *= n.scale
		}
		return d
	}
	return unknownNum("environment variable " + n.env + " is read, and the function's configuration does not set it")
}

// duration is the number as a duration, unit being what 1 means.
func (n num) duration(unit time.Duration) time.Duration {
	return time.Duration(math.Round(n.v * float64(unit)))
}

// formatNum writes a count of seconds or milliseconds as code would:
// 24, 2.5.
func formatNum(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
