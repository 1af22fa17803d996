package awsfake

import (
	"encoding/json"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (s *Server) getQueueAttributes(w http.ResponseWriter, r *request, reg *Region) {
	var in struct{ QueueUrl string }
	if err := json.Unmarshal(r.body, &in); err != nil {
		s.fail(w, r, http.StatusBadRequest, "InvalidParameterValue", err.Error())
		return
	}
	q := reg.queueByName[path.Base(in.QueueUrl)]
	if q == nil {
		s.notFound(w, r, "queue "+in.QueueUrl)
		return
	}
	vis := q.VisibilityTimeout
	if vis == 0 {
		vis = 30
	}
	s.reply(w, r, map[string]any{"Attributes": map[string]string{"VisibilityTimeout": strconv.Itoa(vis)}})
}

func (s *Server) listServiceQuotas(w http.ResponseWriter, r *request, reg *Region) {
	var in struct {
		ServiceCode, NextToken string
		MaxResults             int
	}
	json.Unmarshal(r.body, &in)
	var qs []*Quota
	for _, q := range reg.Quotas {
		if q.Service == in.ServiceCode {
			qs = append(qs, q)
		}
	}
	items, next := page(s, qs, in.NextToken, in.MaxResults, 100)
	out := []map[string]any{}
	for _, q := range items {
		out = append(out, map[string]any{"ServiceCode": q.Service, "QuotaCode": q.Code, "QuotaName": q.Name, "Value": q.Value, "Adjustable": true})
	}
	s.reply(w, r, omitEmpty(map[string]any{"Quotas": out, "NextToken": next}))
}

// query is a Logs Insights query the fake was asked to run.
type query struct {
	rows  [][]map[string]string
	polls int
	done  bool
}

// Insights limits.
const (
	maxGroupsPerQuery = 50
	maxConcurrent     = 30
	maxRows           = 10000
)

func (s *Server) startQuery(w http.ResponseWriter, r *request, reg *Region) {
	var in struct {
		LogGroupNames      []string `json:"logGroupNames"`
		StartTime, EndTime int64
		QueryString        string `json:"queryString"`
		Limit              int    `json:"limit"`
	}
	json.Unmarshal(r.body, &in)
	if len(in.LogGroupNames) == 0 || len(in.LogGroupNames) > maxGroupsPerQuery {
		s.fail(w, r, http.StatusBadRequest, "InvalidParameterException", "between 1 and 50 log groups per query")
		return
	}
	limit := maxRows
	if in.Limit > 0 && in.Limit < limit {
		limit = in.Limit
	}
	if l := s.acct.Faults.RowLimit; l > 0 && l < limit {
		limit = l
	}
	var rows [][]map[string]string
	for _, row := range reg.Insights {
		t := row.Time.Unix()
		if !slices.Contains(in.LogGroupNames, row.LogGroup) || t < in.StartTime || t >= in.EndTime ||
			row.Query != "" && !strings.Contains(in.QueryString, row.Query) {
			continue
		}
		if len(rows) == limit {
			break
		}
		var fields []map[string]string
		for _, k := range sortedKeys(row.Fields) {
			fields = append(fields, map[string]string{"field": k, "value": row.Fields[k]})
		}
		rows = append(rows, fields)
	}
	s.mu.Lock()
	if s.running >= maxConcurrent {
		s.mu.Unlock()
		s.fail(w, r, http.StatusBadRequest, "LimitExceededException", "too many concurrent queries")
		return
	}
	s.running++
	s.nextID++
	id := "q-" + strconv.Itoa(s.nextID)
	s.queries[id] = &query{rows: rows}
	s.mu.Unlock()
	s.reply(w, r, map[string]string{"queryId": id})
}

func (s *Server) getQueryResults(w http.ResponseWriter, r *request, reg *Region) {
	var in struct {
		QueryID string `json:"queryId"`
	}
	json.Unmarshal(r.body, &in)
	s.mu.Lock()
	q := s.queries[in.QueryID]
	if q == nil {
		s.mu.Unlock()
		s.notFound(w, r, "query "+in.QueryID)
		return
	}
	q.polls++
	status := "Running"
	// A query answers on its second poll, so callers must poll.
	if q.polls > 1 {
		status = "Complete"
		if !q.done {
			q.done = true
			s.running--
		}
	}
	rows := q.rows
	s.mu.Unlock()
	if status != "Complete" {
		rows = nil
	}
	if rows == nil {
		rows = [][]map[string]string{}
	}
	s.reply(w, r, map[string]any{"status": status, "results": rows,
		"statistics": map[string]float64{"recordsMatched": float64(len(rows)), "recordsScanned": float64(len(rows))}})
}

func (s *Server) stopQuery(w http.ResponseWriter, r *request, reg *Region) {
	var in struct {
		QueryID string `json:"queryId"`
	}
	json.Unmarshal(r.body, &in)
	s.mu.Lock()
	if q := s.queries[in.QueryID]; q != nil && !q.done {
		q.done = true
		s.running--
	}
	s.mu.Unlock()
	s.reply(w, r, map[string]bool{"success": true})
}

// Epoch is a fixed "now" for fixtures whose Insights rows must fall in a
// test's --since window.
var Epoch = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
