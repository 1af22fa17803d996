package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
)

// ceiling is the longest integration timeout in may use on api: the API
// type's maximum, 15 minutes for a streamed REST response, or for Regional
// and private REST APIs the raised quota the user declared. Edge-optimized
// APIs cannot have it raised.
func ceiling(api *model.API, in *model.Integration, c *Config) int64 {
	if in != nil && in.Streaming {
		return model.StreamingMaxTimeoutMillis
	}
	max := api.Type.MaxTimeoutMillis()
	if q := raisedQuota(api, c); api.Type == model.REST && api.EndpointType != model.Edge && q > max {
		return q
	}
	return max
}

// raisedQuota is the REST integration timeout quota that applies to api:
// the one read from the account when known (it is the truth), else the
// one the user declared.
func raisedQuota(api *model.API, c *Config) int64 {
	if api.QuotaMaxTimeoutMillis > 0 {
		return api.QuotaMaxTimeoutMillis
	}
	return c.RestMaxTimeout
}

// waits is how long API Gateway actually waits for an integration set to
// v: never longer than the ceiling, whatever the template asks for.
func waits(v model.Value, api *model.API, in *model.Integration, c *Config) int64 {
	return min(v.N, ceiling(api, in, c))
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

// where is the location a finding about v points at: the value itself
// when written, else the key of the resource it applies to.
func where(v model.Value, res *model.Resource) loc.Range {
	if (v.Origin == model.Default || v.Origin == model.Globals) && res != nil && !res.Key.IsZero() {
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
	case model.Globals:
		s = " (inherited from Globals)"
	case model.Parameter:
		s = fmt.Sprintf(" (from parameter %s)", v.Param)
	case model.Mapping:
		s = fmt.Sprintf(" (from %s)", v.Param)
	}
	if v.Cond != "" {
		s += " when " + condText(v.Cond)
	}
	return s
}

// condText turns "IsProd and !UseCache" into "IsProd is true and UseCache
// is false".
func condText(c string) string {
	var out []string
	for _, p := range strings.Split(c, " and ") {
		if strings.HasPrefix(p, "!") {
			out = append(out, p[1:]+" is false")
		} else {
			out = append(out, p+" is true")
		}
	}
	return strings.Join(out, " and ")
}

// seconds formats milliseconds the way people say timeouts: "29 s", "10.5 s",
// "0.05 s" (never rounded: 10 ms is not "0.0 s").
func seconds(ms int64) string {
	return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64) + " s"
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

// setTo builds the fix that makes v say n, or none when v cannot be edited
// directly; then advice says what to do instead. A value from a parameter's
// Default is edited there only when c.FixParameters asks for it: other
// resources may read the same parameter, and a deploy may override it.
func setTo(v model.Value, n int64, what string, c *Config) (fixes []finding.Fix, advice string) {
	if v.Origin == model.Parameter {
		a := fmt.Sprintf(" Deploy with %s=%d", v.Param, n)
		if !v.ParamLoc.IsZero() {
			a += fmt.Sprintf(" or change its Default at %s", v.ParamLoc)
		}
		if c.FixParameters && v.ParamEdit != nil {
			if edits := v.ParamEdit(n); len(edits) > 0 {
				return []finding.Fix{{Description: fmt.Sprintf("set the Default of parameter %s to %d (for %s)", v.Param, n, what), Edits: edits}}, a + "."
			}
		}
		return nil, a + "."
	}
	if v.Origin == model.Mapping {
		return nil, fmt.Sprintf(" Change %s at %s to %d.", v.Param, v.ParamLoc, n)
	}
	if v.Commands != nil {
		// A live value: the commands change the account, and an edit, when
		// the template that deployed it is given too, keeps the next
		// deploy from undoing them.
		fix := finding.Fix{Description: fmt.Sprintf("set %s to %d", what, n), Edits: []finding.TextEdit{}, Commands: v.Commands(n)}
		if v.Edit != nil {
			fix.Edits = append(fix.Edits, v.Edit(n)...)
		}
		return []finding.Fix{fix}, ""
	}
	if v.Edit == nil {
		return nil, ""
	}
	edits := v.Edit(n)
	if len(edits) == 0 {
		return nil, ""
	}
	return []finding.Fix{{Description: fmt.Sprintf("set %s to %d", what, n), Edits: edits}}, ""
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
