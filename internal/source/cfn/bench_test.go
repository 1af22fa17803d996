package cfn_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source/cfn"
)

// bigTemplate builds a REST API with n Lambda-backed methods, as JSON:
// minified (one line, what some generators write) or indented.
func bigTemplate(n int, minified bool, name string) []byte {
	res := map[string]any{"Api": map[string]any{"Type": "AWS::ApiGateway::RestApi", "Properties": map[string]any{"Name": name}}}
	for i := range n {
		res[fmt.Sprintf("Fn%d", i)] = map[string]any{"Type": "AWS::Lambda::Function", "Properties": map[string]any{"Timeout": 60, "Handler": "index.handler"}}
		res[fmt.Sprintf("R%d", i)] = map[string]any{"Type": "AWS::ApiGateway::Resource", "Properties": map[string]any{
			"RestApiId": map[string]any{"Ref": "Api"}, "ParentId": map[string]any{"Fn::GetAtt": []any{"Api", "RootResourceId"}}, "PathPart": fmt.Sprintf("p%d", i)}}
		res[fmt.Sprintf("M%d", i)] = map[string]any{"Type": "AWS::ApiGateway::Method", "Properties": map[string]any{
			"RestApiId": map[string]any{"Ref": "Api"}, "ResourceId": map[string]any{"Ref": fmt.Sprintf("R%d", i)}, "HttpMethod": "POST",
			"Integration": map[string]any{"Type": "AWS_PROXY", "TimeoutInMillis": 10000,
				"Uri": map[string]any{"Fn::Sub": fmt.Sprintf("arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn%d.Arn}/invocations", i)}}}}
	}
	doc := map[string]any{"Resources": res}
	if minified {
		b, _ := json.Marshal(doc)
		return b
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	return b
}

// BenchmarkLoad measures reading a 1,000-method template; the minified
// cases guard against work that grows with the length of a line (a
// position conversion that scans from the line start is quadratic there).
func BenchmarkLoad(b *testing.B) {
	for _, bc := range []struct {
		name     string
		minified bool
		apiName  string
	}{
		{"indented", false, "orders"},
		{"minified", true, "orders"},
		{"minified-non-ASCII", true, "Bestellungen für Köln"},
	} {
		data := bigTemplate(1000, bc.minified, bc.apiName)
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var m model.Model
				if ok, errs := cfnLoad(b, &m, "big.json", data, cfn.Options{}); !ok || len(errs) > 0 || len(m.Functions) != 1000 {
					b.Fatalf("not read: %v %v", ok, errs)
				}
				// Findings convert their positions and build their edits:
				// do what GL001 and GL002 would for every method.
				for _, fn := range m.Functions {
					editTo(fn.Timeout[0], 26)
					for _, in := range fn.Integrations {
						editTo(in.Timeout[0], 29000)
					}
				}
			}
		})
	}
}
