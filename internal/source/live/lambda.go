package live

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/gatelint/gatelint/internal/model"
)

// lambdaARN is arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER].
type lambdaARN struct {
	region, account, name, qualifier string
}

func parseLambdaARN(s string) (lambdaARN, bool) {
	p := strings.Split(s, ":")
	if len(p) < 7 || p[0] != "arn" || p[2] != "lambda" || p[5] != "function" {
		return lambdaARN{}, false
	}
	a := lambdaARN{region: p[3], account: p[4], name: p[6]}
	if len(p) > 7 {
		a.qualifier = p[7]
	}
	if a.qualifier == "$LATEST" {
		a.qualifier = ""
	}
	return a, true
}

func arnAccount(s string) string {
	if p := strings.Split(s, ":"); len(p) > 4 {
		return p[4]
	}
	return ""
}

// functionInURI picks the function ARN out of an integration URI: REST
// APIs invoke arn:aws:apigateway:R:lambda:path/2015-03-31/functions/ARN/invocations,
// HTTP APIs may name the function ARN itself.
func functionInURI(uri string) string {
	const marker = ":lambda:path/2015-03-31/functions/"
	if i := strings.Index(uri, marker); i >= 0 {
		return strings.TrimSuffix(uri[i+len(marker):], "/invocations")
	}
	if strings.HasPrefix(uri, "arn:") && strings.Contains(uri, ":lambda:") {
		return uri
	}
	return ""
}

var stageVariable = regexp.MustCompile(`\$\{stageVariables\.([A-Za-z0-9_]+)\}`)

// linkIntegration remembers which function in invokes; a URI naming it
// through stage variables is resolved per stage.
func (r *regionReader) linkIntegration(api *model.API, in *model.Integration, uri string) {
	target := functionInURI(uri)
	if target == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !stageVariable.MatchString(target) {
		r.links = append(r.links, link{in, target})
		return
	}
	var targets []string
	for _, s := range api.Stages {
		missing := ""
		t := stageVariable.ReplaceAllStringFunc(target, func(v string) string {
			name := stageVariable.FindStringSubmatch(v)[1]
			val, ok := s.Variables[name]
			if !ok {
				missing = name
			}
			return val
		})
		if missing != "" {
			r.b.Notef(in.Loc, "integration of %s names its function through ${stageVariables.%s}, which stage %s does not set", in.Endpoints[0].Name(), missing, s.Name)
			continue
		}
		if !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
	}
	for i, t := range targets {
		cur := in
		if i > 0 {
			// Another stage invokes another function through the same
			// integration. The copy reaches the rules through that
			// function (GL002) but stays out of the API's endpoints, so
			// rules about the integration itself report it once.
			e := *in.Endpoints[0]
			c := *in
			c.Endpoints = []*model.Endpoint{&e}
			e.Integration = &c
			cur = &c
		}
		r.links = append(r.links, link{cur, t})
	}
}

func (r *regionReader) listFunctions(ctx context.Context) error {
	p := lambda.NewListFunctionsPaginator(r.c.lambda, &lambda.ListFunctionsInput{MaxItems: aws.Int32(50)})
	err := eachPage(ctx, r.a, "lambda", p.HasMorePages, func(ctx context.Context) (*lambda.ListFunctionsOutput, error) { return p.NextPage(ctx) },
		func(out *lambda.ListFunctionsOutput) {
			r.mu.Lock()
			defer r.mu.Unlock()
			for _, f := range out.Functions {
				fn := r.function(aws.ToString(f.FunctionName), "", aws.ToString(f.FunctionArn), int64(aws.ToInt32(f.Timeout)))
				r.fns[fn.Name] = fn
				r.b.Function(fn)
				if lc := f.LoggingConfig; lc != nil {
					if r.logs == nil {
						r.logs = map[string]fnLogging{}
					}
					r.logs[fn.Name] = fnLogging{group: aws.ToString(lc.LogGroup), json: lc.LogFormat == lambdatypes.LogFormatJson}
				}
			}
		})
	if err != nil && !r.a.optedOut(err) {
		r.a.fail(fmt.Sprintf("arn:aws:lambda:%s::function:*", r.c.region), "lambda:ListFunctions", err)
	}
	return err
}

// function makes the model of a function (qualifier empty) or of one of
// its aliases or versions, whose configuration can differ.
func (r *regionReader) function(name, qualifier, arn string, timeout int64) *model.Function {
	id := name
	if qualifier != "" {
		id += ":" + qualifier
	}
	cmds := func(n int64) []string {
		c := []string{fmt.Sprintf("aws lambda update-function-configuration --region %s --function-name %s --timeout %d", r.c.region, name, n)}
		if qualifier == "" {
			return c
		}
		// A version's configuration is frozen: publish a new one and point
		// the alias (or, for a version, the integration) there. The lines
		// run in one shell: $v carries the new version.
		c = append(c, "# publish-version publishes $LATEST's code: check it is the code "+id+" runs",
			fmt.Sprintf("aws lambda wait function-updated --region %s --function-name %s", r.c.region, name),
			fmt.Sprintf("v=$(aws lambda publish-version --region %s --function-name %s --query Version --output text)", r.c.region, name))
		if _, err := strconv.Atoi(qualifier); err != nil {
			return append(c, fmt.Sprintf(`aws lambda update-alias --region %s --function-name %s --name %s --function-version "$v"`, r.c.region, name, shellQuote(qualifier)))
		}
		return append(c, fmt.Sprintf(`# then point the integration that invokes %s at version $v`, id))
	}
	return &model.Function{
		Resource: resource(arn, model.KindFunction, "AWS::Lambda::Function", id),
		Name:     id,
		Timeout:  model.Values{liveValue(timeout, model.InSeconds, "Timeout", arn, cmds)},
	}
}

// qualified returns the function for name:qualifier (or the plain
// function), reading an alias's or version's configuration once.
func (r *regionReader) qualified(ctx context.Context, a lambdaARN, raw string) *model.Function {
	key := a.name
	if a.qualifier != "" {
		key += ":" + a.qualifier
	}
	r.mu.Lock()
	fn, ok := r.fns[key]
	r.mu.Unlock()
	if ok || a.qualifier == "" {
		return fn
	}
	var out *lambda.GetFunctionConfigurationOutput
	err := r.a.call(ctx, "lambda", func(ctx context.Context) (err error) {
		out, err = r.c.lambda.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(a.name), Qualifier: aws.String(a.qualifier)})
		return err
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	if fn, ok := r.fns[key]; ok {
		return fn
	}
	if err != nil {
		r.a.fail(raw, "lambda:GetFunctionConfiguration", err)
		r.fns[key] = nil
		return nil
	}
	fn = r.function(a.name, a.qualifier, raw, int64(aws.ToInt32(out.Timeout)))
	if base := r.fns[a.name]; base != nil {
		base.Aliases = append(base.Aliases, key)
	}
	r.fns[key] = fn
	r.b.Function(fn)
	return fn
}

// linkFunctions joins integrations to the functions they invoke, reading
// each alias and version they name once, in parallel.
func (r *regionReader) linkFunctions(ctx context.Context) {
	// Integrations arrive from APIs read in parallel: one order for all.
	slices.SortStableFunc(r.links, func(x, y link) int { return strings.Compare(x.in.Loc.File, y.in.Loc.File) })
	var wg sync.WaitGroup
	seen := map[string]bool{}
	for _, l := range r.links {
		a, ok := parseLambdaARN(l.arn)
		if !ok || a.region != r.c.region || a.qualifier == "" || seen[a.name+":"+a.qualifier] {
			continue
		}
		seen[a.name+":"+a.qualifier] = true
		wg.Go(func() { r.qualified(ctx, a, l.arn) })
	}
	wg.Wait()
	for _, l := range r.links {
		a, ok := parseLambdaARN(l.arn)
		if !ok || a.region != r.c.region {
			continue
		}
		if fn := r.qualified(ctx, a, l.arn); fn != nil {
			r.b.Invokes(l.in, fn, a.qualifier)
		}
	}
}

// eventSources reads the SQS queues that feed functions and their
// VisibilityTimeout (GL008).
func (r *regionReader) eventSources(ctx context.Context) {
	type esm struct{ uuid, queue, fn string }
	var all []esm
	p := lambda.NewListEventSourceMappingsPaginator(r.c.lambda, &lambda.ListEventSourceMappingsInput{MaxItems: aws.Int32(100)})
	err := eachPage(ctx, r.a, "lambda", p.HasMorePages, func(ctx context.Context) (*lambda.ListEventSourceMappingsOutput, error) { return p.NextPage(ctx) },
		func(out *lambda.ListEventSourceMappingsOutput) {
			for _, m := range out.EventSourceMappings {
				if src := aws.ToString(m.EventSourceArn); strings.HasPrefix(src, "arn:") && strings.Contains(src, ":sqs:") {
					all = append(all, esm{aws.ToString(m.UUID), src, aws.ToString(m.FunctionArn)})
				}
			}
		})
	if err != nil {
		if !r.a.optedOut(err) {
			r.a.fail(fmt.Sprintf("arn:aws:lambda:%s::event-source-mapping:*", r.c.region), "lambda:ListEventSourceMappings", err)
		}
		return
	}
	// The readers write queues under mu; asked is the loop's own.
	queues := map[string]*model.Queue{}
	asked := map[string]bool{}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, e := range all {
		if asked[e.queue] {
			continue
		}
		asked[e.queue] = true
		wg.Go(func() {
			q := r.queue(ctx, e.queue)
			mu.Lock()
			queues[e.queue] = q
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, arn := range sortedKeys(queues) {
		if q := queues[arn]; q != nil {
			r.b.Queue(q)
		}
	}
	for _, e := range all {
		q := queues[e.queue]
		a, ok := parseLambdaARN(e.fn)
		if q == nil || !ok {
			continue
		}
		fn := r.qualified(ctx, a, e.fn)
		if fn == nil {
			continue
		}
		arn := fmt.Sprintf("arn:aws:lambda:%s:%s:event-source-mapping:%s", r.c.region, a.account, e.uuid)
		r.b.EventSource(&model.EventSource{Resource: resource(arn, model.KindEventSource, "AWS::Lambda::EventSourceMapping", e.uuid),
			Loc: at(arn), Queue: q, Function: fn})
	}
}

func (r *regionReader) queue(ctx context.Context, arn string) *model.Queue {
	p := strings.Split(arn, ":")
	if len(p) < 6 {
		return nil
	}
	region, account, name := p[3], p[4], p[5]
	// The queue URL follows from the ARN: no GetQueueUrl call needed.
	url := fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", region, account, name)
	var out *sqs.GetQueueAttributesOutput
	err := r.a.call(ctx, "sqs", func(ctx context.Context) (err error) {
		out, err = r.c.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
			AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameVisibilityTimeout}})
		return err
	})
	if err != nil {
		r.a.fail(arn, "sqs:GetQueueAttributes", err)
		return nil
	}
	vis, err := strconv.ParseInt(out.Attributes[string(sqstypes.QueueAttributeNameVisibilityTimeout)], 10, 64)
	if err != nil {
		r.a.fail(arn, "sqs:GetQueueAttributes", fmt.Errorf("VisibilityTimeout %q is not a number", out.Attributes["VisibilityTimeout"]))
		return nil
	}
	cmds := func(n int64) []string {
		return []string{fmt.Sprintf("aws sqs set-queue-attributes --region %s --queue-url %s --attributes VisibilityTimeout=%d", region, url, n)}
	}
	return &model.Queue{
		Resource:          resource(arn, model.KindQueue, "AWS::SQS::Queue", name),
		VisibilityTimeout: model.Values{liveValue(vis, model.InSeconds, "VisibilityTimeout", arn, cmds)},
	}
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
