// Package rules holds gatelint's checks. Each rule is one small named
// function beside its documentation page (GL002.go, GL002.md), listed in
// All. Rules read only the model: they never know whether it came from a
// template, logs or a live account, and they word settings the way the
// source that read them spells them.
package rules

import (
	"embed"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

//go:embed GL*.md
var docs embed.FS

// DocsBaseURL is where the rule pages are published; SARIF helpUri and
// reports link there.
const DocsBaseURL = "https://github.com/gatelint/gatelint/blob/main/rules/"

// Config is what a user can tune about the rules.
type Config struct {
	// RestMaxTimeout is the REST integration timeout ceiling for Regional
	// and private APIs whose account quota was raised; 0 means not raised.
	RestMaxTimeout time.Duration
	// Margin is how long before the integration timeout a function must
	// give up (GL002).
	Margin time.Duration
	// NearTimeoutPercent is the share of the integration timeout at which
	// a p99 latency counts as close to it (GL006); 0 means the default.
	NearTimeoutPercent int64
	// FixParameters makes a value that comes from a parameter's Default
	// fixable there (--fix-parameters); otherwise the message only says
	// which value to deploy with.
	FixParameters bool
	// AsyncThreshold is how many times what the API can wait a function's
	// Timeout must be for GL003 to call the work long from configuration
	// alone (async-threshold); 0 means the default, 1.5.
	AsyncThreshold float64
	// CallMargin is how long before the integration's wait an outbound
	// call in the function's code must give up (GL011), so the function
	// can still answer.
	CallMargin time.Duration
}

// DefaultConfig is what applies without flags or a config file.
func DefaultConfig() Config {
	return Config{Margin: 2 * time.Second, NearTimeoutPercent: defaultNearPercent, CallMargin: defaultCallMargin}
}

const defaultNearPercent = 80

// defaultCallMargin: the problem statement's "5-10 seconds shorter than
// the API Gateway integration timeout", at its short end.
const defaultCallMargin = 5 * time.Second

// defaultAsyncThreshold: a Timeout of 1.5 × the ceiling (44 s against
// REST's 29 s, 45 s against HTTP's 30 s) says the work is meant to run
// long; a 30 s default against 29 s says nothing of the kind.
const defaultAsyncThreshold = 1.5

// asyncAt is the Timeout from which a function's work counts as long
// against an API that can wait limit.
func (c *Config) asyncAt(limit time.Duration) time.Duration {
	f := c.AsyncThreshold
	if f <= 0 {
		f = defaultAsyncThreshold
	}
	return time.Duration(float64(limit) * f)
}

func (c *Config) nearPercent() int64 {
	if c.NearTimeoutPercent <= 0 {
		return defaultNearPercent
	}
	return c.NearTimeoutPercent
}

// Rule is one check. ID and Name are the public contract.
type Rule struct {
	ID       string
	Name     string
	Severity finding.Severity
	// Summary is one line for listings and SARIF shortDescription.
	Summary string
	Run     func(p *Pass) []finding.Finding
}

// Pass is one rule's view of one run, as in go/analysis.
type Pass struct {
	Rule   *Rule
	Model  *model.Model
	Config *Config
}

// Check runs the rule over m.
func (r *Rule) Check(m *model.Model, c *Config) []finding.Finding {
	return r.Run(&Pass{Rule: r, Model: m, Config: c})
}

// Doc returns the rule's documentation page (Markdown).
func (r *Rule) Doc() string {
	b, err := docs.ReadFile(r.ID + ".md")
	if err != nil {
		return r.Summary + "\n"
	}
	return string(b)
}

// HelpURI links to the rule's page.
func (r *Rule) HelpURI() string { return HelpURI(r.ID) }

// HelpURI links to the page of the rule with this ID.
func HelpURI(id string) string { return DocsBaseURL + id + ".md" }

// registry is every rule, in ID order: a new rule is one file and one
// line here.
var registry = []*Rule{GL001, GL002, GL003, GL004, GL005, GL006, GL007, GL008, GL009, GL010, GL011, GL012}

// All returns every rule in ID order.
func All() []*Rule { return registry }

// Lookup finds a rule by ID or name, in any case.
func Lookup(idOrName string) *Rule {
	for _, r := range registry {
		if strings.EqualFold(r.ID, idOrName) || strings.EqualFold(r.Name, idOrName) {
			return r
		}
	}
	return nil
}

// newFinding fills in what every finding of the pass's rule shares.
func (p *Pass) newFinding(res *model.Resource) finding.Finding {
	r := p.Rule
	return finding.Finding{RuleID: r.ID, RuleName: r.Name, Severity: r.Severity, Resource: res.Finding()}
}
