package awsfake

import (
	"net/http"
	"slices"
	"strings"
)

func (s *Server) getRestApis(w http.ResponseWriter, r *request, reg *Region) {
	items, next := page(s, reg.RestAPIs, r.URL.Query().Get("position"), queryInt(r, "limit"), 500)
	out := []map[string]any{}
	for _, a := range items {
		ep := a.EndpointType
		if ep == "" {
			ep = "EDGE"
		}
		out = append(out, map[string]any{"id": a.ID, "name": a.Name, "tags": a.Tags,
			"endpointConfiguration": map[string]any{"types": []string{ep}}})
	}
	s.reply(w, r, omitEmpty(map[string]any{"item": out, "position": next}))
}

func findRest(reg *Region, id string) *RestAPI {
	for _, a := range reg.RestAPIs {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func (s *Server) getResources(id string) handler {
	return func(w http.ResponseWriter, r *request, reg *Region) {
		a := findRest(reg, id)
		if a == nil {
			s.notFound(w, r, "REST API "+id)
			return
		}
		embed := slices.Contains(r.URL.Query()["embed"], "methods")
		items, next := page(s, a.Resources, r.URL.Query().Get("position"), queryInt(r, "limit"), 500)
		out := []map[string]any{}
		for _, res := range items {
			methods := map[string]any{}
			for _, verb := range sortedKeys(res.Methods) {
				in := res.Methods[verb]
				if !embed {
					// Without embed=methods AWS names the methods only.
					methods[verb] = map[string]any{}
					continue
				}
				integ := omitEmpty(map[string]any{"type": in.Type, "uri": in.URI, "responseTransferMode": in.ResponseTransferMode})
				if in.TimeoutInMillis != 0 {
					integ["timeoutInMillis"] = in.TimeoutInMillis
				}
				if len(in.RequestParameters) > 0 {
					integ["requestParameters"] = in.RequestParameters
				}
				methods[verb] = map[string]any{"httpMethod": verb, "methodIntegration": integ}
			}
			m := map[string]any{"id": res.ID, "path": res.Path}
			if len(methods) > 0 {
				m["resourceMethods"] = methods
			}
			out = append(out, m)
		}
		s.reply(w, r, omitEmpty(map[string]any{"item": out, "position": next}))
	}
}

func stageJSON(st *Stage, variablesKey string) map[string]any {
	m := map[string]any{"stageName": st.Name}
	if len(st.Variables) > 0 {
		m[variablesKey] = st.Variables
	}
	if st.AccessLog != nil {
		m["accessLogSettings"] = omitEmpty(map[string]any{"destinationArn": st.AccessLog.Destination, "format": st.AccessLog.Format})
	}
	return m
}

func (s *Server) getRestStages(id string) handler {
	return func(w http.ResponseWriter, r *request, reg *Region) {
		a := findRest(reg, id)
		if a == nil {
			s.notFound(w, r, "REST API "+id)
			return
		}
		// GetStages does not page.
		out := []map[string]any{}
		for _, st := range a.Stages {
			out = append(out, stageJSON(st, "variables"))
		}
		s.reply(w, r, map[string]any{"item": out})
	}
}

func (s *Server) getApis(w http.ResponseWriter, r *request, reg *Region) {
	items, next := page(s, reg.APIs, r.URL.Query().Get("nextToken"), queryInt(r, "maxResults"), 500)
	out := []map[string]any{}
	for _, a := range items {
		p := a.Protocol
		if p == "" {
			p = "HTTP"
		}
		out = append(out, map[string]any{"apiId": a.ID, "name": a.Name, "protocolType": p, "tags": a.Tags, "routeSelectionExpression": "$request.method $request.path"})
	}
	s.reply(w, r, omitEmpty(map[string]any{"items": out, "nextToken": next}))
}

func (s *Server) getV2(id, what string) handler {
	return func(w http.ResponseWriter, r *request, reg *Region) {
		var a *V2API
		for _, x := range reg.APIs {
			if x.ID == id {
				a = x
			}
		}
		if a == nil {
			s.notFound(w, r, "API "+id)
			return
		}
		token, limit := r.URL.Query().Get("nextToken"), queryInt(r, "maxResults")
		out := []map[string]any{}
		var next string
		switch what {
		case "routes":
			var items []*Route
			items, next = page(s, a.Routes, token, limit, 500)
			for _, rt := range items {
				out = append(out, omitEmpty(map[string]any{"routeId": rt.ID, "routeKey": rt.RouteKey, "target": rt.Target}))
			}
		case "integrations":
			var items []*Integration
			items, next = page(s, a.Integrations, token, limit, 500)
			for _, in := range items {
				m := omitEmpty(map[string]any{"integrationId": in.ID, "integrationType": in.Type, "integrationUri": in.URI, "integrationSubtype": in.Subtype})
				if in.TimeoutInMillis != 0 {
					m["timeoutInMillis"] = in.TimeoutInMillis
				}
				if len(in.RequestParameters) > 0 {
					m["requestParameters"] = in.RequestParameters
				}
				out = append(out, m)
			}
		case "stages":
			var items []*Stage
			items, next = page(s, a.Stages, token, limit, 500)
			for _, st := range items {
				out = append(out, stageJSON(st, "stageVariables"))
			}
		}
		s.reply(w, r, omitEmpty(map[string]any{"items": out, "nextToken": next}))
	}
}

// lambdaName reads a FunctionName path parameter: a name, a partial or
// full ARN, with or without a qualifier.
func lambdaName(p string) (name, qualifier string) {
	if strings.HasPrefix(p, "arn:") {
		parts := strings.Split(p, ":")
		if len(parts) >= 7 {
			name = parts[6]
		}
		if len(parts) >= 8 {
			qualifier = parts[7]
		}
		return name, qualifier
	}
	name, qualifier, _ = strings.Cut(p, ":")
	return name, qualifier
}
