package live

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/gatelint/gatelint/internal/awsfacts"
	"github.com/gatelint/gatelint/internal/model"
)

// v2Page is the largest page apigatewayv2 lists return.
const v2Page = "500"

// allPages follows NextToken: apigatewayv2 has no paginators.
func allPages[T any](ctx context.Context, r *regionReader, fetch func(ctx context.Context, token *string) ([]T, *string, error)) ([]T, error) {
	var all []T
	var token *string
	for {
		var items []T
		var next *string
		err := r.a.call(ctx, "apigateway", func(ctx context.Context) (err error) {
			items, next, err = fetch(ctx, token)
			return err
		})
		if err != nil {
			return all, err
		}
		all = append(all, items...)
		if aws.ToString(next) == "" {
			return all, nil
		}
		token = next
	}
}

func (r *regionReader) v2APIs(ctx context.Context) {
	apis, err := allPages(ctx, r, func(ctx context.Context, token *string) ([]types.Api, *string, error) {
		out, err := r.c.v2.GetApis(ctx, &apigatewayv2.GetApisInput{MaxResults: aws.String(v2Page), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil && !r.a.optedOut(err) {
		r.a.fail(r.apiARN("/apis"), "apigateway:GET", err)
	}
	var wanted []types.Api
	for _, api := range apis {
		if r.wanted(aws.ToString(api.ApiId)) {
			wanted = append(wanted, api)
		}
	}
	readAPIs(ctx, r, wanted, r.v2API)
}

func (r *regionReader) v2API(ctx context.Context, in types.Api) *model.API {
	id := aws.ToString(in.ApiId)
	api := r.newAPI("/apis/", "AWS::ApiGatewayV2::Api", id, aws.ToString(in.Name), model.HTTP, in.Tags)
	arn := api.Resource.Key.File
	if in.ProtocolType == types.ProtocolTypeWebsocket {
		api.Type = model.WebSocket
	}
	stages, err := allPages(ctx, r, func(ctx context.Context, token *string) ([]types.Stage, *string, error) {
		out, err := r.c.v2.GetStages(ctx, &apigatewayv2.GetStagesInput{ApiId: in.ApiId, MaxResults: aws.String(v2Page), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		r.a.fail(arn+"/stages", "apigateway:GET", err)
	}
	for _, st := range stages {
		var dest, format string
		if als := st.AccessLogSettings; als != nil {
			dest, format = aws.ToString(als.DestinationArn), aws.ToString(als.Format)
		}
		r.addStage(api, "AWS::ApiGatewayV2::Stage", aws.ToString(st.StageName), st.StageVariables, dest, format, func(stage, f string) string {
			// JSON, not the shorthand: a JSON format is full of the commas
			// the shorthand splits on.
			settings, _ := json.Marshal(map[string]string{"DestinationArn": dest, "Format": f})
			return fmt.Sprintf("aws apigatewayv2 update-stage --region %s --api-id %s --stage-name %s --access-log-settings %s",
				r.c.region, id, shellQuote(stage), shellQuote(string(settings)))
		})
	}
	integrations, err := allPages(ctx, r, func(ctx context.Context, token *string) ([]types.Integration, *string, error) {
		out, err := r.c.v2.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: in.ApiId, MaxResults: aws.String(v2Page), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		r.a.fail(arn+"/integrations", "apigateway:GET", err)
	}
	byID := map[string]*model.Integration{}
	uris := map[*model.Integration]string{}
	for _, it := range integrations {
		iid := aws.ToString(it.IntegrationId)
		iarn := arn + "/integrations/" + iid
		res := resource(iarn, model.KindIntegration, "AWS::ApiGatewayV2::Integration", iarn)
		mi := &model.Integration{Resource: res, Loc: at(iarn)}
		uri := aws.ToString(it.IntegrationUri)
		mi.Kind, mi.Target = awsfacts.Classify(string(it.IntegrationType), aws.ToString(it.IntegrationSubtype), uri, invocationType(it.RequestParameters))
		cmd := func(n int64) []string {
			cmds := []string{fmt.Sprintf("aws apigatewayv2 update-integration --region %s --api-id %s --integration-id %s --timeout-in-millis %d", r.c.region, id, iid, n)}
			// A stage without automatic deployment serves what was last
			// deployed to it.
			for _, st := range stages {
				if !aws.ToBool(st.AutoDeploy) {
					cmds = append(cmds, fmt.Sprintf("aws apigatewayv2 create-deployment --region %s --api-id %s --stage-name %s", r.c.region, id, shellQuote(aws.ToString(st.StageName))))
				}
			}
			return cmds
		}
		mi.Timeout = model.Values{liveTimeout(int64(aws.ToInt32(it.TimeoutInMillis)), api.Type, iarn, cmd)}
		byID[iid] = mi
		uris[mi] = uri
	}
	routes, err := allPages(ctx, r, func(ctx context.Context, token *string) ([]types.Route, *string, error) {
		out, err := r.c.v2.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: in.ApiId, MaxResults: aws.String(v2Page), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		r.a.fail(arn+"/routes", "apigateway:GET", err)
	}
	for _, rt := range routes {
		target := aws.ToString(rt.Target)
		const prefix = "integrations/"
		if len(target) <= len(prefix) || target[:len(prefix)] != prefix {
			continue
		}
		mi := byID[target[len(prefix):]]
		if mi == nil {
			continue
		}
		rarn := arn + "/routes/" + aws.ToString(rt.RouteId)
		method, path := awsfacts.SplitRouteKey(aws.ToString(rt.RouteKey))
		if api.Type == model.WebSocket {
			method, path = "", aws.ToString(rt.RouteKey)
		}
		e := &model.Endpoint{Method: method, Path: path, Loc: at(rarn), Integration: mi,
			Resource: resource(rarn, model.KindRoute, "AWS::ApiGatewayV2::Route", rarn)}
		if api.Type == model.WebSocket {
			e.Waiting = awsfacts.WebSocketWaiting(path, aws.ToString(rt.RouteResponseSelectionExpression) != "")
		}
		r.b.Endpoint(api, e)
	}
	for _, it := range integrations {
		mi := byID[aws.ToString(it.IntegrationId)]
		if len(mi.Endpoints) > 0 {
			r.linkIntegration(api, mi, uris[mi])
		}
	}
	return api
}
