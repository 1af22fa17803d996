package awsfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is a running fake account.
type Server struct {
	*httptest.Server
	acct *Account

	mu      sync.Mutex
	calls   []string
	buckets map[string]*bucket
	queries map[string]*query
	running int
	nextID  int
	// inFlight and maxInFlight count concurrent calls per service.
	inFlight, maxInFlight map[string]int
}

type bucket struct {
	tokens float64
	last   time.Time
}

// Start serves acct on a local port until Close.
func Start(acct *Account) *Server {
	for _, r := range acct.Regions {
		r.index()
	}
	s := &Server{acct: acct, buckets: map[string]*bucket{}, queries: map[string]*query{}, inFlight: map[string]int{}, maxInFlight: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Calls returns every operation called so far, as "service.Operation",
// in arrival order (retries included).
func (s *Server) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// MaxInFlight is the most calls to service ("apigateway" for v1 and v2
// alike) that were in flight at once.
func (s *Server) MaxInFlight(service string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight[service]
}

// readOnly matches the operations a read-only audit may call.
var readOnly = regexp.MustCompile(`^[a-z0-9]+\.(Get|List|Describe)[A-Za-z]*$|^logs\.(StartQuery|StopQuery)$`)

// WriteCalls returns the calls that are not read operations; an audit
// must leave it empty.
func (s *Server) WriteCalls() []string {
	var out []string
	for _, c := range s.Calls() {
		if !readOnly.MatchString(c) {
			out = append(out, c)
		}
	}
	return out
}

// request is one call as the handlers see it.
type request struct {
	*http.Request
	service, region, op string
	body                []byte
	proto               protocol
}

type protocol int

const (
	restJSON protocol = iota
	json10
	json11
)

// credentialScope reads service and region from the SigV4 Authorization
// header: Credential=AKID/date/region/service/aws4_request.
var credentialScope = regexp.MustCompile(`Credential=[^/]+/\d+/([^/]+)/([^/]+)/aws4_request`)

func (s *Server) serve(w http.ResponseWriter, hr *http.Request) {
	body, _ := io.ReadAll(hr.Body)
	r := &request{Request: hr, body: body}
	if m := credentialScope.FindStringSubmatch(hr.Header.Get("Authorization")); m != nil {
		r.region, r.service = m[1], m[2]
	}
	if target := hr.Header.Get("X-Amz-Target"); target != "" {
		_, op, _ := strings.Cut(target, ".")
		r.op = op
		r.proto = json11
		if r.service == "sqs" {
			r.proto = json10
		}
	}
	h := s.route(r)
	s.mu.Lock()
	s.calls = append(s.calls, r.service+"."+r.op)
	// v1 and v2 share the signing name and, in the audit, one bound.
	svc := strings.TrimSuffix(r.service, "v2")
	s.inFlight[svc]++
	s.maxInFlight[svc] = max(s.maxInFlight[svc], s.inFlight[svc])
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight[svc]--
		s.mu.Unlock()
	}()

	if d := s.acct.Faults.Latency; d > 0 {
		time.Sleep(d)
	}
	if h == nil {
		s.fail(w, r, http.StatusNotFound, "UnknownOperationException", "no such operation "+hr.Method+" "+hr.URL.Path)
		return
	}
	if s.throttled(r) {
		code := "TooManyRequestsException"
		status := http.StatusTooManyRequests
		if r.proto != restJSON {
			code, status = "ThrottlingException", http.StatusBadRequest
			if r.service == "sqs" {
				code = "RequestThrottled"
			}
		}
		s.fail(w, r, status, code, "Rate exceeded")
		return
	}
	reg := s.acct.Regions[r.region]
	for _, f := range s.acct.Faults.Rules {
		if (f.Operation == "" || f.Operation == r.op) && (f.Region == "" || f.Region == r.region) &&
			(f.Match == "" || strings.Contains(hr.URL.RequestURI(), f.Match) || bytes.Contains(body, []byte(f.Match))) {
			switch f.Kind {
			case "denied":
				s.fail(w, r, http.StatusForbidden, "AccessDeniedException", fmt.Sprintf("User: arn:aws:iam::%s:user/audit is not authorized to perform: %s:%s", s.acct.ID, r.service, r.op))
				return
			case "notfound":
				s.notFound(w, r, "deleted")
				return
			case "500":
				s.fail(w, r, http.StatusInternalServerError, "InternalFailure", "internal failure")
				return
			case "slow":
				select {
				case <-time.After(f.Delay):
				case <-hr.Context().Done():
					return
				}
			}
		}
	}
	if reg == nil {
		// A region the account has nothing in answers with empty lists.
		reg = &Region{}
		reg.index()
	}
	h(w, r, reg)
}

type handler func(w http.ResponseWriter, r *request, reg *Region)

var (
	restAPIPath  = regexp.MustCompile(`^/restapis/([^/]+)/(resources|stages)$`)
	v2APIPath    = regexp.MustCompile(`^/v2/apis/([^/]+)/(routes|integrations|stages)$`)
	lambdaFnPath = regexp.MustCompile(`^/2015-03-31/functions/([^/]+)/(aliases|configuration|versions)$`)
)

// route names the operation and picks its handler (nil: unknown).
func (s *Server) route(r *request) handler {
	if r.proto != restJSON {
		switch r.op {
		case "GetQueueAttributes":
			return s.getQueueAttributes
		case "ListServiceQuotas":
			return s.listServiceQuotas
		case "StartQuery":
			return s.startQuery
		case "GetQueryResults":
			return s.getQueryResults
		case "StopQuery":
			return s.stopQuery
		}
		return nil
	}
	p := r.URL.Path
	get := r.Method == http.MethodGet
	switch {
	case strings.HasPrefix(p, "/v2/"):
		r.service = "apigatewayv2"
	case strings.HasPrefix(p, "/restapis"):
		r.service = "apigateway"
	}
	var m []string
	switch {
	case p == "/restapis" && get:
		r.op = "GetRestApis"
		return s.getRestApis
	case get && restAPIPath.MatchString(p):
		m = restAPIPath.FindStringSubmatch(p)
		r.op = "Get" + strings.ToUpper(m[2][:1]) + m[2][1:]
		if m[2] == "resources" {
			return s.getResources(m[1])
		}
		return s.getRestStages(m[1])
	case p == "/v2/apis" && get:
		r.op = "GetApis"
		return s.getApis
	case get && v2APIPath.MatchString(p):
		m = v2APIPath.FindStringSubmatch(p)
		r.op = "Get" + strings.ToUpper(m[2][:1]) + m[2][1:]
		return s.getV2(m[1], m[2])
	case (p == "/2015-03-31/functions" || p == "/2015-03-31/functions/") && get:
		r.op = "ListFunctions"
		return s.listFunctions
	case get && lambdaFnPath.MatchString(p):
		m = lambdaFnPath.FindStringSubmatch(p)
		switch m[2] {
		case "aliases":
			r.op = "ListAliases"
		case "versions":
			r.op = "ListVersionsByFunction"
		default:
			r.op = "GetFunctionConfiguration"
		}
		return s.lambdaFunction(m[1], m[2])
	case (p == "/2015-03-31/event-source-mappings" || p == "/2015-03-31/event-source-mappings/") && get:
		r.op = "ListEventSourceMappings"
		return s.listEventSourceMappings
	}
	r.op = r.Method + " " + p
	return nil
}

// throttled takes a token from the service's bucket, or says the call is
// throttled.
func (s *Server) throttled(r *request) bool {
	f := s.acct.Faults
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Storm > 0 && len(s.calls) <= f.Storm {
		return true
	}
	if f.Rate <= 0 {
		return false
	}
	now := time.Now()
	b := s.buckets[r.service]
	if b == nil {
		b = &bucket{tokens: float64(f.Burst), last: now}
		s.buckets[r.service] = b
	}
	b.tokens = min(float64(f.Burst), b.tokens+now.Sub(b.last).Seconds()*f.Rate)
	b.last = now
	if b.tokens < 1 {
		return true
	}
	b.tokens--
	return false
}

func (s *Server) fail(w http.ResponseWriter, r *request, status int, code, msg string) {
	if r.proto == restJSON {
		w.Header().Set("X-Amzn-ErrorType", code)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"message": msg, "Message": msg})
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if r.proto == json10 {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}

func (s *Server) notFound(w http.ResponseWriter, r *request, what string) {
	code := "NotFoundException"
	switch r.service {
	case "lambda", "servicequotas", "logs":
		code = "ResourceNotFoundException"
	case "sqs":
		code = "QueueDoesNotExist"
	}
	s.fail(w, r, http.StatusNotFound, code, what+" not found")
}

func (s *Server) reply(w http.ResponseWriter, r *request, v any) {
	ct := "application/json"
	switch r.proto {
	case json10:
		ct = "application/x-amz-json-1.0"
	case json11:
		ct = "application/x-amz-json-1.1"
	}
	w.Header().Set("Content-Type", ct)
	json.NewEncoder(w).Encode(v)
}

// page cuts items [from the token) to at most limit (bounded by the
// fixture's page size and AWS's max), returning the next token or "".
func page[T any](s *Server, items []T, token string, limit, awsMax int) ([]T, string) {
	if limit <= 0 || limit > awsMax {
		limit = awsMax
	}
	if s.acct.PageSize > 0 && s.acct.PageSize < limit {
		limit = s.acct.PageSize
	}
	start := 0
	if token != "" {
		start, _ = strconv.Atoi(strings.TrimPrefix(token, "t"))
	}
	start = min(max(start, 0), len(items))
	end := min(start+limit, len(items))
	next := ""
	if end < len(items) {
		next = "t" + strconv.Itoa(end)
	}
	return items[start:end], next
}

func queryInt(r *request, name string) int {
	n, _ := strconv.Atoi(r.URL.Query().Get(name))
	return n
}

func omitEmpty(m map[string]any) map[string]any {
	for k, v := range m {
		if v == "" || v == nil {
			delete(m, k)
		}
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
