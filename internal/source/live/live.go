// Package live reads an AWS account's API Gateway and Lambda
// configuration into the same model templates fill, so the rules run
// unchanged over a deployed account. It only ever calls read operations
// (Get*, List*, and Logs Insights queries); fixes are printed as AWS CLI
// commands, never run.
package live

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/model"
)

// Options say what to read and how hard to push.
type Options struct {
	// Profile is a shared-config profile; empty uses the standard chain.
	Profile string
	// Regions to read; empty means the configured region.
	Regions    []string
	AllRegions bool
	// APIs limits the audit to these API IDs (REST or v2); empty reads all.
	APIs []string
	// Logs runs Logs Insights queries over each stage's access-log group,
	// covering Since up to Now.
	Logs  bool
	Since time.Duration
	Now   func() time.Time
	// Concurrency bounds the calls in flight per service (default 8).
	Concurrency int
	// CallTimeout bounds one operation, retries included (default 60 s).
	CallTimeout time.Duration
	// MaxAttempts and MaxBackoff tune the adaptive retryer (defaults 10
	// and 20 s).
	MaxAttempts int
	MaxBackoff  time.Duration
	// PollInterval is how often a running Insights query is polled
	// (default 1 s); RowLimit caps its rows below 10,000 (tests).
	PollInterval time.Duration
	RowLimit     int
	// Progress, when set, is told what is being read (a terminal).
	Progress io.Writer
}

// Result is what the audit read.
type Result struct {
	Model *model.Model
	// Errors name the resource that could not be read and why (the
	// permission missing, say); the rest of the audit went on.
	Errors  []finding.InputError
	Account string
	Regions []string
	APIs    int
	// Calls counts HTTP requests sent, retries included.
	Calls int64
	// Read is false when nothing at all could be read.
	Read bool
}

// Read audits the account.
func Read(ctx context.Context, o Options) *Result {
	o.defaults()
	a := &audit{o: o, res: &Result{Model: &model.Model{}}, sems: map[string]chan struct{}{}, found: map[string]bool{}}
	base, err := a.loadConfig(ctx, "")
	if err != nil {
		a.fail("configuration", "", err)
		return a.finish()
	}
	if base.Credentials != nil {
		// Without credentials every call fails the same way: say it once.
		if _, err := base.Credentials.Retrieve(ctx); err != nil {
			a.fail("credentials", "", fmt.Errorf("no AWS credentials from the standard chain (environment, --profile or AWS_PROFILE, SSO, instance or container role): %w", err))
			return a.finish()
		}
	}
	regions := o.Regions
	switch {
	case o.AllRegions:
		regions = commercialRegions
	case len(regions) == 0 && base.Region != "":
		regions = []string{base.Region}
	case len(regions) == 0:
		a.res.Errors = append(a.res.Errors, finding.InputError{File: "configuration", Message: "no region configured: pass --region or set AWS_REGION"})
		return a.finish()
	}
	var wg sync.WaitGroup
	for _, r := range regions {
		wg.Go(func() {
			cfg, err := a.loadConfig(ctx, r)
			if err != nil {
				a.fail("region "+r, "", err)
				return
			}
			a.region(ctx, r, cfg)
		})
	}
	wg.Wait()
	a.res.Regions = regions
	return a.finish()
}

func (o *Options) defaults() {
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 60 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 20 * time.Second
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.RowLimit <= 0 || o.RowLimit > maxRows {
		o.RowLimit = maxRows
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Since <= 0 {
		o.Since = 24 * time.Hour
	}
}

// commercialRegions are the regions --all-regions reads. A fixed list
// spares a call and a permission (ec2:DescribeRegions); regions not
// enabled for the account are skipped, not reported as errors.
var commercialRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1", "ap-south-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-northeast-1", "ap-northeast-2",
	"ap-northeast-3", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2",
	"eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "sa-east-1",
	"ap-east-2", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "me-west-1", "mx-central-1", "sa-west-1",
}

type audit struct {
	o     Options
	calls atomic.Int64

	mu       sync.Mutex
	res      *Result
	sems     map[string]chan struct{}
	anyRead  bool
	found    map[string]bool
	progress struct{ apis, done int }
}

// clients are one region's service clients.
type clients struct {
	region string
	apigw  *apigateway.Client
	v2     *apigatewayv2.Client
	lambda *lambda.Client
	sqs    *sqs.Client
	quotas *servicequotas.Client
	logs   *cloudwatchlogs.Client
}

func (a *audit) loadConfig(ctx context.Context, region string) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithAPIOptions([]func(*middleware.Stack) error{a.countAttempts}),
		config.WithRetryer(func() aws.Retryer {
			// Adaptive mode slows every call of the client down when
			// AWS throttles; the retry quota is off so that a long
			// throttling storm slows the audit instead of failing it.
			return retry.NewAdaptiveMode(func(ao *retry.AdaptiveModeOptions) {
				ao.StandardOptions = append(ao.StandardOptions, func(so *retry.StandardOptions) {
					so.MaxAttempts = a.o.MaxAttempts
					so.MaxBackoff = a.o.MaxBackoff
					so.RateLimiter = ratelimit.None
				})
			})
		}),
	}
	if a.o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(a.o.Profile))
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	return config.LoadDefaultConfig(ctx, opts...)
}

func (a *audit) region(ctx context.Context, region string, cfg aws.Config) {
	c := &clients{
		region: region,
		apigw:  apigateway.NewFromConfig(cfg),
		v2:     apigatewayv2.NewFromConfig(cfg),
		lambda: lambda.NewFromConfig(cfg),
		sqs:    sqs.NewFromConfig(cfg),
		quotas: servicequotas.NewFromConfig(cfg),
		logs:   cloudwatchlogs.NewFromConfig(cfg),
	}
	b := model.NewBuilder()
	r := &regionReader{a: a, c: c, fns: map[string]*model.Function{}, b: b, m: b.Model()}
	if !r.read(ctx) {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	m := a.res.Model
	m.Add(r.m)
	a.res.APIs += len(r.m.APIs)
}

// call runs one operation under the service's concurrency bound and the
// per-call timeout.
func (a *audit) call(ctx context.Context, service string, fn func(ctx context.Context) error) error {
	a.mu.Lock()
	sem := a.sems[service]
	if sem == nil {
		sem = make(chan struct{}, a.o.Concurrency)
		a.sems[service] = sem
	}
	a.mu.Unlock()
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-sem }()
	ctx, cancel := context.WithTimeout(ctx, a.o.CallTimeout)
	defer cancel()
	err := fn(ctx)
	if err == nil {
		a.mu.Lock()
		a.anyRead = true
		a.mu.Unlock()
	}
	return err
}

// fail records that resource could not be read, naming the permission
// when access was denied. SDK errors carry request IDs, never credentials.
func (a *audit) fail(resource, permission string, err error) {
	var msg string
	var apiErr smithy.APIError
	switch {
	case errors.As(err, &apiErr) && isDenied(apiErr.ErrorCode()):
		msg = fmt.Sprintf("access denied: the audit needs %s on %s; the rest of the account was read", permission, resource)
	case errors.As(err, &apiErr) && strings.Contains(apiErr.ErrorCode(), "NotFound"):
		msg = "not found: deleted while the audit ran?"
	case errors.Is(err, context.DeadlineExceeded):
		msg = fmt.Sprintf("timed out reading it (%s)", permission)
	case errors.As(err, &apiErr):
		msg = fmt.Sprintf("%s failed: %s: %s", permission, apiErr.ErrorCode(), apiErr.ErrorMessage())
	default:
		msg = fmt.Sprintf("%s failed: %v", permission, err)
	}
	if permission == "" {
		msg = err.Error()
	}
	a.mu.Lock()
	a.res.Errors = append(a.res.Errors, finding.InputError{File: resource, Message: msg})
	a.mu.Unlock()
}

func isDenied(code string) bool {
	return strings.Contains(code, "AccessDenied") || code == "UnauthorizedOperation" || code == "AuthorizationError"
}

// optedOut reports errors a region not enabled for the account answers
// with, which --all-regions skips.
// optedOut reports whether err says the region is not enabled for the
// account, as AWS answers a region that was never opted in to. A bad key
// gets the same answer, so only a sweep of every region (--all-regions)
// takes it that way; a region asked for by name reports it.
func (a *audit) optedOut(err error) bool {
	if !a.o.AllRegions {
		return false
	}
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode() == "UnrecognizedClientException" || apiErr.ErrorCode() == "InvalidClientTokenId")
}

func (a *audit) finish() *Result {
	for _, id := range a.o.APIs {
		if !a.found[id] && a.anyRead {
			a.res.Errors = append(a.res.Errors, finding.InputError{File: "--api " + id,
				Message: fmt.Sprintf("no REST, HTTP or WebSocket API with this ID in %s", strings.Join(a.res.Regions, ", "))})
		}
	}
	a.res.Calls = a.calls.Load()
	a.res.Read = a.anyRead
	sort.Slice(a.res.Errors, func(i, j int) bool { return a.res.Errors[i].File < a.res.Errors[j].File })
	a.res.Errors = slices.Compact(a.res.Errors)
	m := a.res.Model
	sort.SliceStable(m.APIs, func(i, j int) bool { return m.APIs[i].Resource.Key.File < m.APIs[j].Resource.Key.File })
	sort.SliceStable(m.Functions, func(i, j int) bool {
		return m.Functions[i].Resource.Key.File < m.Functions[j].Resource.Key.File
	})
	if a.res.Account == "" {
		for _, fn := range m.Functions {
			if acct := arnAccount(fn.Resource.Key.File); acct != "" {
				a.res.Account = acct
				break
			}
		}
	}
	if a.o.Progress != nil {
		fmt.Fprintf(a.o.Progress, "\r\033[K")
	}
	return a.res
}

// tick reports progress on a terminal.
func (a *audit) tick(region string, moreAPIs, doneAPIs int) {
	if a.o.Progress == nil {
		return
	}
	a.mu.Lock()
	a.progress.apis += moreAPIs
	a.progress.done += doneAPIs
	fmt.Fprintf(a.o.Progress, "\r\033[Kgatelint: %s: %d/%d APIs read", region, a.progress.done, a.progress.apis)
	a.mu.Unlock()
}

// countAttempts counts every request sent, retries included: the
// deserialize step runs once per attempt, below the retry loop.
func (a *audit) countAttempts(stack *middleware.Stack) error {
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("gatelintCountAttempts",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			a.calls.Add(1)
			return next.HandleDeserialize(ctx, in)
		}), middleware.After)
}
