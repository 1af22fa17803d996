package cfn

import (
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
)

// setting is a duration property as CloudFormation spells it.
type setting struct {
	name string
	unit model.Unit
}

var (
	fnTimeout          = setting{"Timeout", model.InSeconds}
	integrationTimeout = setting{"TimeoutInMillis", model.InMillis}
	openAPITimeout     = setting{"timeoutInMillis", model.InMillis}
	visibilityTimeout  = setting{"VisibilityTimeout", model.InSeconds}
)

// defaultValue is the value a setting takes when the template leaves it
// out: d, located at the resource's key, with the edit that writes it in.
func defaultValue(s setting, d time.Duration, at loc.Range, insert func(int64) []finding.TextEdit) model.Value {
	return model.Value{Known: true, D: d, Unit: s.unit, Setting: s.name, Origin: model.Default, Loc: at,
		Remedy: model.Remedy{Edit: inUnit(s.unit, insert)}}
}

// inUnit adapts a text edit of a number to a duration written in u.
func inUnit(u model.Unit, edit func(int64) []finding.TextEdit) func(time.Duration) []finding.TextEdit {
	if edit == nil {
		return nil
	}
	return func(d time.Duration) []finding.TextEdit { return edit(u.Count(d)) }
}

// logicalIDTag is the tag CloudFormation gives what it creates, which
// joins a live resource to the template line that defines it.
const logicalIDTag = "aws:cloudformation:logical-id"

// kinds maps the resource types the reader knows to gatelint's kinds.
var kinds = map[string]model.Kind{
	"AWS::Lambda::Function": model.KindFunction, "AWS::Serverless::Function": model.KindFunction,
	"AWS::Lambda::Alias": model.KindAlias, "AWS::Lambda::Version": model.KindAlias,
	"AWS::SQS::Queue":          model.KindQueue,
	"AWS::ApiGateway::RestApi": model.KindAPI, "AWS::Serverless::Api": model.KindAPI,
	"AWS::ApiGatewayV2::Api": model.KindAPI, "AWS::Serverless::HttpApi": model.KindAPI,
	"AWS::ApiGateway::Method":         model.KindMethod,
	"AWS::ApiGatewayV2::Route":        model.KindRoute,
	"AWS::ApiGatewayV2::Integration":  model.KindIntegration,
	"AWS::ApiGateway::Stage":          model.KindStage,
	"AWS::ApiGatewayV2::Stage":        model.KindStage,
	"AWS::ApiGateway::Deployment":     model.KindDeployment,
	"AWS::Lambda::EventSourceMapping": model.KindEventSource,
}

// resource makes the model's resource for a template resource: its
// logical ID is its address, and its CDK construct path (without the L2
// construct's "/Resource" child) what messages call it, since CDK users
// never see logical IDs.
func (r *reader) resource(id, typ string, key loc.Range, cdkPath string, ignore map[string]string) *model.Resource {
	res := &model.Resource{Address: id, Kind: kinds[typ], File: r.f.Path, Key: key, Ignore: ignore,
		LogicalID: id, Type: typ, CDKPath: cdkPath, Scenario: r.scenario}
	if res.Kind == model.KindAPI {
		// What a live API joins by (functions join by name).
		res.Tags = map[string]string{logicalIDTag: id}
	}
	if cdkPath != "" {
		res.Display = strings.TrimSuffix(cdkPath, "/Resource")
	}
	return res
}
