package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
)

// standardMax is the longest integration timeout an API type allows
// without a quota increase: 15 minutes for a streamed REST response.
// GL001 and the fixes that raise a timeout aim at it: a raised quota is
// a ceiling, not a target.
func standardMax(api *model.API, in *model.Integration) time.Duration {
	if in != nil && in.Streaming {
		return awsfacts.StreamingMaxIntegrationTimeout
	}
	return awsfacts.MaxIntegrationTimeout(api.Type)
}

// quotaCeiling is the longest integration timeout in may deploy with:
// the standard maximum or, for Regional and private REST APIs, the raised
// quota (read from the account, or declared with --rest-max-timeout).
// Edge-optimized APIs cannot have it raised.
func quotaCeiling(api *model.API, in *model.Integration, c *Config) time.Duration {
	max := standardMax(api, in)
	if in != nil && in.Streaming {
		return max
	}
	if q := raisedQuota(api, c); awsfacts.QuotaRaisable(api.Type, api.EndpointType) && q > max {
		return q
	}
	return max
}

// ceiling is the longest API Gateway may wait for in: its quota ceiling,
// or on a Regional or private REST API the integration's own timeout when
// it is declared above that. Such an integration either deploys with the
// quota raised, and then waits as long as declared, or does not deploy at
// all (GL004 says what it needs): the declared wait is intent.
func ceiling(api *model.API, in *model.Integration, c *Config) time.Duration {
	max := quotaCeiling(api, in, c)
	if in == nil || in.Streaming || !awsfacts.QuotaRaisable(api.Type, api.EndpointType) {
		return max
	}
	if v, ok := in.Timeout.Max(); ok && v.Explicit() && v.D > max {
		return v.D
	}
	return max
}

// raisedQuota is the REST integration timeout quota that applies to api:
// the one read from the account when known (it is the truth), else the
// one the user declared.
func raisedQuota(api *model.API, c *Config) time.Duration {
	if api.QuotaMaxTimeout > 0 {
		return api.QuotaMaxTimeout
	}
	return c.RestMaxTimeout
}

// waits is how long API Gateway actually waits for an integration set to
// v: never longer than the ceiling, whatever the configuration asks for.
func waits(v model.Value, api *model.API, in *model.Integration, c *Config) time.Duration {
	return min(v.D, ceiling(api, in, c))
}

// integrations lists every distinct integration behind an endpoint, in
// model order; an ApiGatewayV2 integration may serve several routes.
func integrations(m *model.Model) []*model.Integration {
	seen := map[*model.Integration]bool{}
	var out []*model.Integration
	for _, api := range m.APIs {
		for _, e := range api.Endpoints {
			if in := e.Integration; in != nil && !seen[in] {
				seen[in] = true
				out = append(out, in)
			}
		}
	}
	return out
}

// waitedFor is the first endpoint of in whose answer someone waits for
// (a WebSocket $disconnect, or a route without a route response, has no
// one); nil when there is none.
func waitedFor(in *model.Integration) *model.Endpoint {
	for _, e := range in.Endpoints {
		if e.Waiting != model.NobodyWaits {
			return e
		}
	}
	return nil
}

// where is the location a finding about v points at: the value itself
// when written, where it is inherited from when the source says so, else
// the key of the resource it applies to.
func where(v model.Value, res *model.Resource) loc.Range {
	if locatedVia(v) {
		return v.Via.Loc
	}
	if (v.Origin == model.Default || v.Origin == model.Inherited) && res != nil && !res.Key.IsZero() {
		return res.Key
	}
	return v.Loc
}

// origin words where a value came from, for messages: "" for a literal.
func origin(v model.Value) string {
	var s string
	switch v.Origin {
	case model.Default:
		s = " (not set: the default)"
	case model.Inherited:
		s = " (inherited from " + v.Via.Name + ")"
	case model.Variable, model.Lookup:
		s = " (from " + v.Via.Name + ")"
	}
	if len(v.When) > 0 {
		s += " when " + model.CondText(v.When)
	}
	return s
}

// locatedVia reports whether a finding about v belongs where v is
// inherited from (model.Via.Locate).
func locatedVia(v model.Value) bool {
	return v.Origin == model.Inherited && v.Via.Locate && !v.Via.Loc.IsZero()
}

// setHere is the related location that says where a value not written
// at its own location is set ("Timeout 30 s is set here, as the Default of
// parameter FnTimeout"); false when it is written where it is read. For
// a finding located where the value is inherited from, it is the key of
// res, the resource that inherits it, where the fix gives it its own.
func setHere(v model.Value, res *model.Resource) (finding.Related, bool) {
	if locatedVia(v) {
		if res == nil || res.Key.IsZero() {
			return finding.Related{}, false
		}
		msg := fmt.Sprintf("%s %s inherits %s %s from %s", res.Kind, res.Name(), v.Setting, v.Text(), v.Via.Name)
		if v.Remedy.Edit != nil {
			msg += "; the fix gives it its own here"
		}
		return finding.Related{Location: res.Key, Message: msg}, true
	}
	if v.Origin != model.Inherited && v.Origin != model.Variable && v.Origin != model.Lookup || v.Via.Loc.IsZero() {
		return finding.Related{}, false
	}
	msg := fmt.Sprintf("%s %s is set here", v.Setting, v.Text())
	if v.Via.SetHere != "" {
		msg += ", " + v.Via.SetHere
	}
	return finding.Related{Location: v.Via.Loc, Message: msg}, true
}

// apiKind names an API type for messages.
func apiKind(api *model.API) string {
	switch api.Type {
	case model.HTTP:
		return "HTTP API"
	case model.WebSocket:
		return "WebSocket API"
	case "":
		return "API"
	}
	switch api.EndpointType {
	case model.Edge:
		return "edge-optimized REST API"
	case "":
		return "REST API"
	}
	return strings.ToLower(string(api.EndpointType)) + " REST API"
}

// setTo builds the fix that makes v say d, or none when v cannot be
// edited directly; then advice says what to do instead. A value the
// source says is shared (a parameter's Default) is edited there only
// when c.FixParameters asks for it: other resources may read the same
// parameter, and a deploy may override it.
func setTo(v model.Value, d time.Duration, what string, c *Config) (fixes []finding.Fix, advice string) {
	rm := v.Remedy
	if rm.Advice != nil {
		advice = rm.Advice(d)
	}
	if advice != "" {
		if c.FixParameters && rm.Shared != nil {
			if fix, ok := rm.Shared(d, what); ok {
				fix.Bound = bound(v, d)
				return []finding.Fix{fix}, advice
			}
		}
		return nil, advice
	}
	if rm.Commands != nil {
		// A live value: the commands change the account, and an edit, when
		// the configuration that deployed it is given too, keeps the next
		// deploy from undoing them.
		fix := finding.Fix{Description: fmt.Sprintf("set %s to %d", what, v.Unit.Count(d)), Edits: []finding.TextEdit{}, Commands: rm.Commands(d)}
		if rm.Edit != nil {
			fix.Edits = append(fix.Edits, rm.Edit(d)...)
		}
		return []finding.Fix{fix}, ""
	}
	if rm.Edit == nil {
		return nil, ""
	}
	edits := rm.Edit(d)
	if len(edits) == 0 {
		return nil, ""
	}
	return []finding.Fix{{Description: fmt.Sprintf("set %s to %d", what, v.Unit.Count(d)), Edits: edits, Bound: bound(v, d)}}, ""
}

// bound says in which direction a fix that sets v to d may go further: a
// value lowered may go lower, one raised higher.
func bound(v model.Value, d time.Duration) finding.Bound {
	switch {
	case !v.Known || d == v.D:
		return finding.NoBound
	case d < v.D:
		return finding.AtMost
	}
	return finding.AtLeast
}

// related is a shorthand for a related location.
func related(r loc.Range, format string, args ...any) finding.Related {
	return finding.Related{Location: r, Message: fmt.Sprintf(format, args...)}
}

// article prefixes "a" or "an".
func article(s string) string {
	if s != "" && (strings.ContainsRune("aeiouAEIOU", rune(s[0])) || strings.HasPrefix(s, "HTTP")) {
		return "an " + s
	}
	return "a " + s
}

// alsoServes lists an integration's endpoints after the first, which a
// finding about the integration names as its endpoint.
func alsoServes(in *model.Integration) []finding.Related {
	var out []finding.Related
	for _, e := range in.Endpoints[1:] {
		out = append(out, related(e.Loc, "also serves %s", e.Name()))
	}
	return out
}

// invokes names the function behind an integration, for findings about
// the integration.
func invokes(in *model.Integration) []finding.Related {
	if in.Function == nil {
		return nil
	}
	return []finding.Related{related(in.Function.Resource.Key, "invokes function %s", in.Function.Resource.Name())}
}

// seconds writes a duration as people say timeouts ("29 s", "180 ms").
func seconds(d time.Duration) string { return model.Seconds(d) }

// syncCallers are the endpoints that invoke fn through a synchronous
// Lambda integration of known timeout and whose client waits, with the
// one that waits least (nil when none), its integration's timeout and how
// long API Gateway waits there.
func syncCallers(fn *model.Function, c *Config) (callers []*model.Endpoint, shortest *model.Endpoint, v model.Value, wait time.Duration) {
	for _, in := range fn.Integrations {
		if in.Kind != model.LambdaProxy && in.Kind != model.LambdaSync {
			continue
		}
		iv, ok := in.Timeout.Min()
		if !ok || (in.Streaming && iv.Origin == model.Default) {
			// A streamed response's default horizon is not documented;
			// only an explicit timeout is judged.
			continue
		}
		for _, e := range in.Endpoints {
			if e.Waiting == model.NobodyWaits {
				continue // no client to cut off
			}
			callers = append(callers, e)
			if w := waits(iv, e.API, in, c); shortest == nil || w < wait {
				shortest, v, wait = e, iv, w
			}
		}
	}
	return callers, shortest, v, wait
}
