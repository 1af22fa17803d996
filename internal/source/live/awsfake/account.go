// Package awsfake is a fake AWS for tests and benchmarks of the live
// audit: an HTTP server speaking the wire protocols the SDK clients use
// (REST-JSON for API Gateway v1 and v2 and Lambda, AWS JSON 1.0 for SQS,
// AWS JSON 1.1 for Service Quotas and CloudWatch Logs), serving an account
// described by a fixture, paging like AWS, injecting faults and recording
// every operation called. Nothing of the audit is mocked: the real SDK
// clients talk to it over HTTP.
package awsfake

import (
	"fmt"
	"os"
	"time"

	"gopkg.in/yaml.v3"
)

// Account is the fixture: what the fake account holds, per region.
type Account struct {
	ID      string             `yaml:"account"`
	Regions map[string]*Region `yaml:"regions"`
	// PageSize caps every list page below what the caller asked for, so
	// small fixtures still page (0: AWS's own page sizes).
	PageSize int    `yaml:"pageSize"`
	Faults   Faults `yaml:"faults"`
}

// Region is one region's resources.
type Region struct {
	RestAPIs            []*RestAPI     `yaml:"restApis"`
	APIs                []*V2API       `yaml:"apis"`
	Functions           []*Function    `yaml:"functions"`
	Queues              []*Queue       `yaml:"queues"`
	EventSourceMappings []*Mapping     `yaml:"eventSourceMappings"`
	Quotas              []*Quota       `yaml:"quotas"`
	Insights            []*InsightsRow `yaml:"insights"`
	fnByName            map[string]*Function
	queueByName         map[string]*Queue
}

// RestAPI is an API Gateway REST API.
type RestAPI struct {
	ID           string            `yaml:"id"`
	Name         string            `yaml:"name"`
	EndpointType string            `yaml:"endpointType"`
	Tags         map[string]string `yaml:"tags"`
	Resources    []*RestResource   `yaml:"resources"`
	Stages       []*Stage          `yaml:"stages"`
}

// RestResource is one path of a REST API and its methods' integrations.
type RestResource struct {
	ID      string                  `yaml:"id"`
	Path    string                  `yaml:"path"`
	Methods map[string]*Integration `yaml:"methods"`
}

// Integration is a REST method's or an HTTP/WebSocket API's integration.
type Integration struct {
	ID                   string            `yaml:"id"`
	Type                 string            `yaml:"type"`
	URI                  string            `yaml:"uri"`
	Subtype              string            `yaml:"subtype"`
	TimeoutInMillis      int32             `yaml:"timeoutInMillis"`
	RequestParameters    map[string]string `yaml:"requestParameters"`
	ResponseTransferMode string            `yaml:"responseTransferMode"`
}

// Stage is a deployed stage.
type Stage struct {
	Name      string            `yaml:"name"`
	Variables map[string]string `yaml:"variables"`
	AccessLog *AccessLog        `yaml:"accessLog"`
}

// AccessLog is a stage's access-log setting.
type AccessLog struct {
	Destination string `yaml:"destination"`
	Format      string `yaml:"format"`
}

// V2API is an HTTP or WebSocket API.
type V2API struct {
	ID           string            `yaml:"id"`
	Name         string            `yaml:"name"`
	Protocol     string            `yaml:"protocol"`
	Tags         map[string]string `yaml:"tags"`
	Routes       []*Route          `yaml:"routes"`
	Integrations []*Integration    `yaml:"integrations"`
	Stages       []*Stage          `yaml:"stages"`
}

// Route is an HTTP or WebSocket route; Target is "integrations/ID".
type Route struct {
	ID       string `yaml:"id"`
	RouteKey string `yaml:"routeKey"`
	Target   string `yaml:"target"`
}

// Function is a Lambda function with its published versions and aliases.
type Function struct {
	Name     string     `yaml:"name"`
	Timeout  int32      `yaml:"timeout"`
	Versions []*Version `yaml:"versions"`
	Aliases  []*Alias   `yaml:"aliases"`
	// LogFormat ("JSON", "Text") and LogGroup are its LoggingConfig;
	// when neither is set, the function has none, as before 2023.
	LogFormat string `yaml:"logFormat"`
	LogGroup  string `yaml:"logGroup"`
}

// Version is a published version, whose configuration may differ from
// $LATEST.
type Version struct {
	Version string `yaml:"version"`
	Timeout int32  `yaml:"timeout"`
}

// Alias points at a version.
type Alias struct {
	Name    string `yaml:"name"`
	Version string `yaml:"version"`
}

// Queue is an SQS queue.
type Queue struct {
	Name              string `yaml:"name"`
	VisibilityTimeout int    `yaml:"visibilityTimeout"`
}

// Mapping is an event source mapping from a queue (by name) to a function
// (name, or name:qualifier).
type Mapping struct {
	UUID     string `yaml:"uuid"`
	Queue    string `yaml:"queue"`
	Function string `yaml:"function"`
}

// Quota is a Service Quotas entry.
type Quota struct {
	Service string  `yaml:"service"`
	Code    string  `yaml:"code"`
	Name    string  `yaml:"name"`
	Value   float64 `yaml:"value"`
}

// InsightsRow is one row a Logs Insights query over LogGroup returns when
// its time range holds Time: the fake cannot run queries, so a fixture
// states their answers, per time bucket.
type InsightsRow struct {
	LogGroup string    `yaml:"logGroup"`
	Time     time.Time `yaml:"time"`
	// Query, when set, is part of the query string the row answers (a
	// group asked several queries, as a function's log group is): other
	// queries do not see it.
	Query  string            `yaml:"query"`
	Fields map[string]string `yaml:"fields"`
}

// Faults are what the fake does wrong on purpose.
type Faults struct {
	// Latency is added to every call.
	Latency time.Duration `yaml:"latency"`
	// Rate and Burst make a token bucket per service: calls beyond it get
	// the service's throttling error (0: no throttle).
	Rate  float64 `yaml:"rate"`
	Burst int     `yaml:"burst"`
	// Storm throttles the first Storm calls outright.
	Storm int `yaml:"storm"`
	// Rules fail chosen calls.
	Rules []*FaultRule `yaml:"rules"`
	// RowLimit caps Insights results below AWS's 10,000, to test windowing.
	RowLimit int `yaml:"rowLimit"`
}

// FaultRule fails calls of Operation (any when empty) whose request path
// or body contains Match (any when empty), in Region (any when empty).
type FaultRule struct {
	Operation string `yaml:"operation"`
	Match     string `yaml:"match"`
	Region    string `yaml:"region"`
	// Kind is "denied" (AccessDenied), "notfound", "500" or "slow".
	Kind string `yaml:"kind"`
	// Delay is how long a "slow" call takes.
	Delay time.Duration `yaml:"delay"`
}

// Load reads a fixture file.
func Load(path string) (*Account, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var a Account
	if err := yaml.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &a, nil
}

func (r *Region) index() {
	r.fnByName = map[string]*Function{}
	for _, f := range r.Functions {
		r.fnByName[f.Name] = f
	}
	r.queueByName = map[string]*Queue{}
	for _, q := range r.Queues {
		r.queueByName[q.Name] = q
	}
}
