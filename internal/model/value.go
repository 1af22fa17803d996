package model

import (
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
)

// Origin says how a value came to be, so a message can say "from Globals"
// and a fix knows whether editing the scalar is the right change.
type Origin int

const (
	// Literal: written in the file at Loc.
	Literal Origin = iota
	// Default: not written; the AWS default applies.
	Default
	// Globals: inherited from SAM Globals at Loc.
	Globals
	// Parameter: resolved through !Ref Param at Loc; Param names it.
	Parameter
	// Mapping: looked up in the template's Mappings at Loc; Param names
	// the lookup.
	Mapping
	// Live: read from an account.
	Live
)

// Value is a number as a source gave it: known, or unknown with a reason.
// It is never silently zero.
type Value struct {
	Known bool
	N     int64
	// Unknown says why the value could not be resolved.
	Unknown string
	Origin  Origin
	// Param is the parameter the value came through, if any.
	Param string
	// ParamLoc is the parameter's Default scalar, when it came from there.
	ParamLoc loc.Range
	// Loc is the scalar (or !Ref / !If) that produced the value; for
	// defaults, the resource key.
	Loc loc.Range
	// Cond is the condition under which this value applies, as the
	// template writes it ("IsProd", "!IsProd"); empty when unconditional.
	Cond string
	// Edit returns the byte edits that make the source say n, or nil when
	// no direct edit can (the value comes through a parameter, say).
	Edit func(n int64) []finding.TextEdit `json:"-"`
	// ParamEdit returns the edits that make the parameter's Default say n,
	// for a value from a parameter default; nil otherwise. Other resources
	// may use the same parameter, so it is offered only on request.
	ParamEdit func(n int64) []finding.TextEdit `json:"-"`
	// Commands returns the AWS CLI commands that make a live resource say
	// n, for values read from an account, where there is no file to edit.
	Commands func(n int64) []string `json:"-"`
}

// Values is a setting that may take several values: one per branch of an
// !If whose condition is not known. Usually it holds one.
type Values []Value

// Max returns the largest known value.
func (vs Values) Max() (Value, bool) {
	return vs.pick(func(a, b int64) bool { return a > b })
}

// Min returns the smallest known value.
func (vs Values) Min() (Value, bool) {
	return vs.pick(func(a, b int64) bool { return a < b })
}

func (vs Values) pick(better func(a, b int64) bool) (Value, bool) {
	var best Value
	found := false
	for _, v := range vs {
		if v.Known && (!found || better(v.N, best.N)) {
			best, found = v, true
		}
	}
	return best, found
}

// Explicit reports whether the user chose the value (not a default),
// which is what GL001 needs.
func (v Value) Explicit() bool {
	return v.Origin == Literal || v.Origin == Parameter || v.Origin == Mapping || v.Origin == Live
}
