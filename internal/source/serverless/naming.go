package serverless

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The logical IDs the framework gives what it compiles, as
// lib/plugins/aws/lib/naming.js builds them (serverless/serverless
// v3.40.0; v4 keeps them): findings, baselines and --live joins name what
// the compiled template deploys.

// upperFirst is lodash's _.upperFirst.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// capitalize is lodash's _.capitalize: the first character upper, the
// rest lower.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + strings.ToLower(s[n:])
}

// normalizedName is getNormalizedResourceName (and
// getNormalizedFunctionName): `-` → Dash, `_` → Underscore, first letter
// upper.
func normalizedName(name string) string {
	return upperFirst(strings.ReplaceAll(strings.ReplaceAll(name, "-", "Dash"), "_", "Underscore"))
}

// lambdaLogicalID is getLambdaLogicalId: hello-world → HelloDashworldLambdaFunction.
func lambdaLogicalID(fn string) string { return normalizedName(fn) + "LambdaFunction" }

var (
	pathVar     = regexp.MustCompile(`\{(.*)\}`)
	notAlphaNum = regexp.MustCompile(`[^0-9A-Za-z]`)
)

// normalizePathPart is normalizePathPart: users → Users, {id} → IdVar,
// my-items → MyDashitems.
func normalizePathPart(part string) string {
	s := strings.ReplaceAll(capitalize(part), "-", "Dash")
	s = pathVar.ReplaceAllString(s, "${1}Var")
	return upperFirst(notAlphaNum.ReplaceAllString(s, ""))
}

// normalizePath is normalizePath: each segment normalized, joined.
func normalizePath(p string) string {
	var b strings.Builder
	for _, part := range strings.Split(p, "/") {
		b.WriteString(normalizePathPart(part))
	}
	return b.String()
}

// trimPath is the path as the framework keeps it (validate.js
// getHttpPath): no leading or trailing slash.
func trimPath(p string) string {
	return strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/")
}

// methodLogicalID is getMethodLogicalId(getResourceName(path), method):
// GET users/{id} → ApiGatewayMethodUsersIdVarGet; GET / → ApiGatewayMethodGet.
func methodLogicalID(path, method string) string {
	name := ""
	if p := trimPath(path); p != "" {
		name = normalizePath(p)
	}
	return "ApiGatewayMethod" + name + upperFirst(strings.ToLower(method))
}

// httpAPIRouteLogicalID is getHttpApiRouteLogicalId.
func httpAPIRouteLogicalID(routeKey string) string {
	if routeKey == "*" {
		return "HttpApiRouteDefault"
	}
	return "HttpApiRoute" + normalizePath(routeKey)
}

// httpAPIIntegrationLogicalID is getHttpApiIntegrationLogicalId: one
// integration per function, whatever its routes.
func httpAPIIntegrationLogicalID(fn string) string { return "HttpApiIntegration" + normalizedName(fn) }

// websocketRouteLogicalID is getWebsocketsRouteLogicalId.
func websocketRouteLogicalID(route string) string {
	r := strings.NewReplacer("$", "S", "/", "Slash", "-", "Dash", "_", "Underscore", ".", "Period")
	return r.Replace(route) + "WebsocketsRoute"
}

// websocketIntegrationLogicalID is getWebsocketsIntegrationLogicalId.
func websocketIntegrationLogicalID(fn string) string {
	return normalizedName(fn) + "WebsocketsIntegration"
}

// sqsMappingLogicalID is getQueueLogicalId.
func sqsMappingLogicalID(fn, queue string) string {
	return normalizedName(fn) + "EventSourceMappingSQS" + upperFirst(notAlphaNum.ReplaceAllString(queue, ""))
}

// The framework's own logical IDs of what it creates once per service.
const (
	restAPIID      = "ApiGatewayRestApi"
	httpAPIID      = "HttpApi"
	httpStageID    = "HttpApiStage"
	websocketAPIID = "WebsocketsApi"
	websocketStage = "WebsocketsDeploymentStage"
)
