package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
)

// Origin says how a value came to be, in terms every source shares, so a
// message can say "inherited from Globals" and a fix knows whether
// editing the value where it is read is the right change.
type Origin int

const (
	// Literal: written at Loc.
	Literal Origin = iota
	// Default: not written; the AWS (or framework) default applies.
	Default
	// Inherited: set once for many resources (SAM Globals, the provider's
	// default), at Via.
	Inherited
	// Variable: read through a variable (a template parameter, a Terraform
	// variable, a CLI option) named by Via.
	Variable
	// Lookup: looked up in a table (CloudFormation Mappings, a map
	// variable) named by Via.
	Lookup
	// Live: read from an AWS account.
	Live
)

// Unit is how a source writes a duration setting.
type Unit int

const (
	InSeconds Unit = iota
	InMillis
)

// Count is d in the unit, as the source would write it.
func (u Unit) Count(d time.Duration) int64 {
	if u == InMillis {
		return d.Milliseconds()
	}
	return int64(d / time.Second)
}

// Duration is n of the unit.
func (u Unit) Duration(n int64) time.Duration {
	if u == InMillis {
		return time.Duration(n) * time.Millisecond
	}
	return time.Duration(n) * time.Second
}

// Symbol is how messages write the unit: "ms" or "s".
func (u Unit) Symbol() string {
	if u == InMillis {
		return "ms"
	}
	return "s"
}

// Value is a duration setting as a source gave it: known, or unknown with
// a reason. It is never silently zero.
type Value struct {
	Known bool
	D     time.Duration
	// Unit is how the setting is written: messages and edits speak it.
	Unit Unit
	// Unknown says why the value could not be resolved.
	Unknown string
	Origin  Origin
	// Setting is the setting's name as the source spells it ("Timeout",
	// "TimeoutInMillis", "timeout_milliseconds", "provider.timeout").
	Setting string
	// Via is where a value that is not written at Loc comes from: the
	// Globals, parameter or mapping entry; zero for literals and defaults.
	Via Via
	// Loc is where the value is read (the scalar, or the !Ref or !If that
	// produced it); for defaults, the resource's key.
	Loc loc.Range
	// When is the condition under which this value applies; empty when
	// unconditional.
	When []Cond
	// Remedy is what the source offers to change the value.
	Remedy Remedy
}

// Via names where a value is really set when it is read elsewhere.
type Via struct {
	// Name is what messages call it: "Globals", "parameter FnTimeout",
	// "Mappings.Env.prod.Timeout".
	Name string
	// Loc is where it is set; zero when not in a file (a value given on
	// the command line).
	Loc loc.Range
	// SetHere words a related location at Loc: "as the Default of
	// parameter FnTimeout"; empty for nothing more than "set here".
	SetHere string
	// Locate puts a finding about an inherited value at Loc, with the
	// resource that inherits it as the related location: where the
	// source's users read the setting as the one the resource gets
	// (a Serverless function without its own timeout runs with
	// provider.timeout's). SAM's Globals keep the function's key.
	Locate bool
}

// Cond is one condition a value depends on: Name holds (or does not).
type Cond = finding.Cond

// Remedy is how the source would change a value to d. Any part may be
// nil where the source cannot do it.
type Remedy struct {
	// Edit returns the byte edits that make the source say d at Loc.
	Edit func(d time.Duration) []finding.TextEdit
	// Shared returns the fix that changes where the value is really set (a
	// parameter's Default) for what ("Timeout of Fn"): other resources may
	// read it too, so it is offered only on request (--fix-parameters).
	Shared func(d time.Duration, what string) (finding.Fix, bool)
	// Advice says, as a sentence to append to a message, how to make the
	// value d where no edit does ("Deploy with FnTimeout=26 or change its
	// Default at t.yaml:5:14."); "" for a d that Edit makes.
	Advice func(d time.Duration) string
	// Commands are the AWS CLI commands that make a live resource say d,
	// where there is no file to edit.
	Commands func(d time.Duration) []string
}

// Values is a setting that may take several values: one per branch of a
// condition that is not known. Usually it holds one.
type Values []Value

// Max returns the largest known value.
func (vs Values) Max() (Value, bool) {
	return vs.pick(func(a, b time.Duration) bool { return a > b })
}

// Min returns the smallest known value.
func (vs Values) Min() (Value, bool) {
	return vs.pick(func(a, b time.Duration) bool { return a < b })
}

func (vs Values) pick(better func(a, b time.Duration) bool) (Value, bool) {
	var best Value
	found := false
	for _, v := range vs {
		if v.Known && (!found || better(v.D, best.D)) {
			best, found = v, true
		}
	}
	return best, found
}

// Explicit reports whether the user chose the value (not a default).
func (v Value) Explicit() bool {
	return v.Origin == Literal || v.Origin == Variable || v.Origin == Lookup || v.Origin == Live
}

// N is the value in its own unit, as the source writes it.
func (v Value) N() int64 { return v.Unit.Count(v.D) }

// Text is the value as messages write it: "10000 ms", "30 s".
func (v Value) Text() string { return v.Unit.Text(v.D) }

// Text writes d in the unit: "10000 ms", "30 s".
func (u Unit) Text(d time.Duration) string {
	return strconv.FormatInt(u.Count(d), 10) + " " + u.Symbol()
}

// Known makes a known value of n in unit u.
func Known(n int64, u Unit) Value { return Value{Known: true, D: u.Duration(n), Unit: u} }

// Unknownf makes a value that could not be resolved, saying why.
func Unknownf(at loc.Range, format string, args ...any) Value {
	return Value{Loc: at, Unknown: fmt.Sprintf(format, args...)}
}

// CondText words conditions for messages: "IsProd is true and UseCache is
// false".
func CondText(cs []Cond) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name + " is " + strconv.FormatBool(c.Holds)
	}
	return strings.Join(out, " and ")
}

// Seconds writes a duration the way people say timeouts: "29 s",
// "10.5 s", "180 ms", exactly (10 ms is not "0.0 s").
func Seconds(d time.Duration) string {
	ms := d.Milliseconds()
	if ms < 1000 && ms > -1000 {
		return strconv.FormatInt(ms, 10) + " ms"
	}
	return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64) + " s"
}
