package awsfake

import (
	"fmt"
	"net/http"
)

func (s *Server) functionARN(region, name, qualifier string) string {
	arn := fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", region, s.acct.ID, name)
	if qualifier != "" {
		arn += ":" + qualifier
	}
	return arn
}

func (s *Server) functionJSON(region string, f *Function, version string, timeout int32) map[string]any {
	q := ""
	if version != "$LATEST" {
		q = version
	}
	out := map[string]any{"FunctionName": f.Name, "FunctionArn": s.functionARN(region, f.Name, q),
		"Timeout": timeout, "Version": version, "Runtime": "nodejs22.x"}
	if f.LogFormat != "" || f.LogGroup != "" {
		lc := map[string]any{"LogFormat": "Text", "LogGroup": "/aws/lambda/" + f.Name}
		if f.LogFormat != "" {
			lc["LogFormat"] = f.LogFormat
		}
		if f.LogGroup != "" {
			lc["LogGroup"] = f.LogGroup
		}
		out["LoggingConfig"] = lc
	}
	return out
}

func (s *Server) listFunctions(w http.ResponseWriter, r *request, reg *Region) {
	items, next := page(s, reg.Functions, r.URL.Query().Get("Marker"), queryInt(r, "MaxItems"), 50)
	out := []map[string]any{}
	for _, f := range items {
		out = append(out, s.functionJSON(r.region, f, "$LATEST", f.Timeout))
	}
	s.reply(w, r, omitEmpty(map[string]any{"Functions": out, "NextMarker": next}))
}

func (s *Server) lambdaFunction(nameParam, what string) handler {
	return func(w http.ResponseWriter, r *request, reg *Region) {
		name, qualifier := lambdaName(nameParam)
		f := reg.fnByName[name]
		if f == nil {
			s.notFound(w, r, "Function "+name)
			return
		}
		if q := r.URL.Query().Get("Qualifier"); q != "" {
			qualifier = q
		}
		switch what {
		case "aliases":
			items, next := page(s, f.Aliases, r.URL.Query().Get("Marker"), queryInt(r, "MaxItems"), 50)
			out := []map[string]any{}
			for _, a := range items {
				out = append(out, map[string]any{"Name": a.Name, "AliasArn": s.functionARN(r.region, f.Name, a.Name), "FunctionVersion": a.Version})
			}
			s.reply(w, r, omitEmpty(map[string]any{"Aliases": out, "NextMarker": next}))
		case "versions":
			all := []*Version{{Version: "$LATEST", Timeout: f.Timeout}}
			all = append(all, f.Versions...)
			items, next := page(s, all, r.URL.Query().Get("Marker"), queryInt(r, "MaxItems"), 50)
			out := []map[string]any{}
			for _, v := range items {
				out = append(out, s.functionJSON(r.region, f, v.Version, v.Timeout))
			}
			s.reply(w, r, omitEmpty(map[string]any{"Versions": out, "NextMarker": next}))
		default:
			version, timeout := "$LATEST", f.Timeout
			for _, a := range f.Aliases {
				if a.Name == qualifier {
					qualifier = a.Version
				}
			}
			if qualifier != "" && qualifier != "$LATEST" {
				found := false
				for _, v := range f.Versions {
					if v.Version == qualifier {
						version, timeout, found = v.Version, v.Timeout, true
					}
				}
				if !found {
					s.notFound(w, r, "Function "+name+":"+qualifier)
					return
				}
			}
			s.reply(w, r, s.functionJSON(r.region, f, version, timeout))
		}
	}
}

func (s *Server) listEventSourceMappings(w http.ResponseWriter, r *request, reg *Region) {
	items, next := page(s, reg.EventSourceMappings, r.URL.Query().Get("Marker"), queryInt(r, "MaxItems"), 100)
	out := []map[string]any{}
	for _, m := range items {
		name, q := lambdaName(m.Function)
		out = append(out, map[string]any{"UUID": m.UUID, "State": "Enabled", "BatchSize": 10,
			"EventSourceArn": fmt.Sprintf("arn:aws:sqs:%s:%s:%s", r.region, s.acct.ID, m.Queue),
			"FunctionArn":    s.functionARN(r.region, name, q)})
	}
	s.reply(w, r, omitEmpty(map[string]any{"EventSourceMappings": out, "NextMarker": next}))
}
