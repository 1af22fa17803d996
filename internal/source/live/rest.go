package live

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
)

// regionReader reads one region into its own model.
type regionReader struct {
	a *audit
	c *clients
	b *model.Builder
	m *model.Model // b's model

	mu sync.Mutex
	// fns holds functions by name, and by "name:qualifier" for the
	// aliases and versions integrations and event sources invoke.
	fns map[string]*model.Function
	// logs is where each function logs, by name, as its LoggingConfig
	// says: the function logs' queries read it.
	logs map[string]fnLogging
	// quota is the REST integration timeout quota, 0 when unknown.
	quota int64
	// links are integrations whose function is named by ARN, resolved
	// once the functions are listed.
	links []link
}

// link is an integration waiting for its function.
type link struct {
	in  *model.Integration
	arn string
}

// read reads the region; false when the region is not enabled.
func (r *regionReader) read(ctx context.Context) bool {
	var wg sync.WaitGroup
	var optOut bool
	wg.Go(func() { r.quota = r.readQuota(ctx) })
	wg.Go(func() {
		if err := r.listFunctions(ctx); r.a.optedOut(err) {
			optOut = true
		}
	})
	wg.Go(func() { r.restAPIs(ctx) })
	wg.Go(func() { r.v2APIs(ctx) })
	wg.Wait()
	if optOut && r.a.o.AllRegions {
		return false
	}
	for _, api := range r.m.APIs {
		if api.Type == model.REST {
			api.QuotaMaxTimeout = time.Duration(r.quota) * time.Millisecond
		}
	}
	r.linkFunctions(ctx)
	r.eventSources(ctx)
	if r.a.o.Logs {
		r.insights(ctx)
		// After the access-log queries, so both keep within Insights'
		// limit of concurrent queries.
		r.functionInsights(ctx)
	}
	return true
}

func (r *regionReader) wanted(id string) bool {
	if len(r.a.o.APIs) == 0 {
		return true
	}
	if !slices.Contains(r.a.o.APIs, id) {
		return false
	}
	r.a.mu.Lock()
	r.a.found[id] = true
	r.a.mu.Unlock()
	return true
}

func (r *regionReader) apiARN(path string) string {
	return fmt.Sprintf("arn:aws:apigateway:%s::%s", r.c.region, path)
}

func at(arn string) loc.Range { return loc.Range{File: arn} }

func (r *regionReader) restAPIs(ctx context.Context) {
	var apis []types.RestApi
	p := apigateway.NewGetRestApisPaginator(r.c.apigw, &apigateway.GetRestApisInput{Limit: aws.Int32(500)})
	err := eachPage(ctx, r.a, "apigateway", p.HasMorePages, func(ctx context.Context) (*apigateway.GetRestApisOutput, error) { return p.NextPage(ctx) },
		func(out *apigateway.GetRestApisOutput) {
			for _, api := range out.Items {
				if r.wanted(aws.ToString(api.Id)) {
					apis = append(apis, api)
				}
			}
		})
	if err != nil && !r.a.optedOut(err) {
		r.a.fail(r.apiARN("/restapis"), "apigateway:GET", err)
	}
	readAPIs(ctx, r, apis, r.restAPI)
}

func (r *regionReader) restAPI(ctx context.Context, in types.RestApi) *model.API {
	id := aws.ToString(in.Id)
	api := r.newAPI("/restapis/", "AWS::ApiGateway::RestApi", id, aws.ToString(in.Name), model.REST, in.Tags)
	arn := api.Resource.Key.File
	api.EndpointType = model.Edge
	if ec := in.EndpointConfiguration; ec != nil && len(ec.Types) > 0 {
		api.EndpointType = model.EndpointType(ec.Types[0])
	}
	// Stages first: their variables resolve integration URIs.
	var stages *apigateway.GetStagesOutput
	err := r.a.call(ctx, "apigateway", func(ctx context.Context) (err error) {
		stages, err = r.c.apigw.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: in.Id})
		return err
	})
	if err != nil {
		r.a.fail(arn+"/stages", "apigateway:GET", err)
	} else {
		for _, st := range stages.Item {
			var dest, format string
			if als := st.AccessLogSettings; als != nil {
				dest, format = aws.ToString(als.DestinationArn), aws.ToString(als.Format)
			}
			r.addStage(api, "AWS::ApiGateway::Stage", aws.ToString(st.StageName), st.Variables, dest, format, func(stage, f string) string {
				// JSON, not the shorthand: a format holds the commas the
				// shorthand splits on.
				ops, _ := json.Marshal([]map[string]string{{"op": "replace", "path": "/accessLogSettings/format", "value": f}})
				return fmt.Sprintf("aws apigateway update-stage --region %s --rest-api-id %s --stage-name %s --patch-operations %s",
					r.c.region, id, shellQuote(stage), shellQuote(string(ops)))
			})
		}
	}
	// embed=methods returns every method's integration with its
	// resource: one paged call per API, never one per method.
	p := apigateway.NewGetResourcesPaginator(r.c.apigw, &apigateway.GetResourcesInput{RestApiId: in.Id, Embed: []string{"methods"}, Limit: aws.Int32(500)})
	err = eachPage(ctx, r.a, "apigateway", p.HasMorePages, func(ctx context.Context) (*apigateway.GetResourcesOutput, error) { return p.NextPage(ctx) }, func(out *apigateway.GetResourcesOutput) {
		for _, res := range out.Items {
			verbs := make([]string, 0, len(res.ResourceMethods))
			for v := range res.ResourceMethods {
				verbs = append(verbs, v)
			}
			sort.Strings(verbs)
			for _, verb := range verbs {
				if mi := res.ResourceMethods[verb].MethodIntegration; mi != nil {
					r.restMethod(api, aws.ToString(res.Id), aws.ToString(res.Path), verb, mi)
				}
			}
		}
	})
	if err != nil {
		r.a.fail(arn+"/resources", "apigateway:GET", err)
	}
	return api
}

func (r *regionReader) restMethod(api *model.API, resID, path, verb string, mi *types.Integration) {
	marn := fmt.Sprintf("%s/resources/%s/methods/%s", api.Resource.Key.File, resID, verb)
	res := resource(marn, model.KindMethod, "AWS::ApiGateway::Method", marn)
	in := &model.Integration{Resource: res, Loc: at(marn)}
	uri := aws.ToString(mi.Uri)
	in.Kind, in.Target = awsfacts.Classify(string(mi.Type), "", uri, invocationType(mi.RequestParameters))
	in.Streaming = strings.EqualFold(string(mi.ResponseTransferMode), "STREAM")
	cmd := func(n int64) []string {
		cmds := []string{fmt.Sprintf("aws apigateway update-integration --region %s --rest-api-id %s --resource-id %s --http-method %s --patch-operations op=replace,path=/timeoutInMillis,value=%d",
			r.c.region, api.ID, resID, verb, n)}
		// A REST API serves what was deployed: the change takes effect
		// when each stage is redeployed.
		for _, s := range api.Stages {
			cmds = append(cmds, fmt.Sprintf("aws apigateway create-deployment --region %s --rest-api-id %s --stage-name %s", r.c.region, api.ID, shellQuote(s.Name)))
		}
		return cmds
	}
	in.Timeout = model.Values{liveTimeout(int64(mi.TimeoutInMillis), api.Type, marn, cmd)}
	r.b.Endpoint(api, &model.Endpoint{Method: verb, Path: path, Resource: res, Loc: at(marn), Integration: in, RequireHeader: requireHeader})
	r.linkIntegration(api, in, uri)
}

// invocationType reads integration.request.header.X-Amz-Invocation-Type.
func invocationType(params map[string]string) string {
	for k, v := range params {
		if strings.EqualFold(k, "integration.request.header.X-Amz-Invocation-Type") {
			return strings.Trim(v, `'"`)
		}
	}
	return ""
}

// requireHeader is how a REST method requires a request header.
const requireHeader = "require the header in the method's RequestParameters (method.request.header.Idempotency-Key: true, with a request validator)"

// liveTimeout is an integration timeout read from the account, in ms; 0
// means unset, where the API type's default applies.
func liveTimeout(ms int64, t model.APIType, arn string, cmds func(int64) []string) model.Value {
	v := liveValue(ms, model.InMillis, "TimeoutInMillis", arn, cmds)
	if ms == 0 {
		v.D, v.Origin = awsfacts.MaxIntegrationTimeout(t), model.Default
	}
	return v
}

// liveValue is a setting read from the account: n of unit u, changed by
// the commands cmds makes.
func liveValue(n int64, u model.Unit, setting, arn string, cmds func(int64) []string) model.Value {
	return model.Value{Known: true, D: u.Duration(n), Unit: u, Setting: setting, Origin: model.Live, Loc: at(arn),
		Remedy: model.Remedy{Commands: func(d time.Duration) []string { return cmds(u.Count(d)) }}}
}

// resource makes the model of a resource read from the account: its ARN
// is its address and where findings point; name is what messages call
// it, kept as its logical ID too, which is how reports and baselines have
// always named a live resource.
func resource(arn string, kind model.Kind, awsType, name string) *model.Resource {
	return &model.Resource{Address: arn, Kind: kind, Display: name, Key: at(arn), LogicalID: name, Type: awsType}
}

// newAPI makes the model of an API, located by its ARN.
func (r *regionReader) newAPI(path, awsType, id, name string, typ model.APIType, tags map[string]string) *model.API {
	arn := r.apiARN(path + id)
	res := resource(arn, model.KindAPI, awsType, name)
	res.Tags = tags
	return &model.API{Resource: res, Name: name, Type: typ, ID: id}
}

// addStage adds a stage to api; setFormat makes the command that sets
// its access-log format.
func (r *regionReader) addStage(api *model.API, cfnType, name string, vars map[string]string, dest, format string, setFormat func(stage, format string) string) {
	arn := api.Resource.Key.File + "/stages/" + name
	s := &model.Stage{Name: name, Variables: vars, Loc: at(arn), Resource: resource(arn, model.KindStage, cfnType, api.Name+"/"+name)}
	if dest != "" {
		s.AccessLog = &model.AccessLog{Destination: dest, Format: format, FormatKnown: true, Loc: at(arn),
			Commands: func(f string) []string { return []string{setFormat(name, f)} }}
	}
	r.b.Stage(api, s)
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"$`\\|&;<>(){}*?[]#~!") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
