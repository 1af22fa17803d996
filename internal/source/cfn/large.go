package cfn

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gatelint/gatelint/internal/source"
	"github.com/gatelint/gatelint/internal/source/yamlpos"
)

// A large JSON template (a CDK app's, hundreds of resources) is read
// with the Properties of the resources no part of the reader looks at
// (IAM, S3, Lambda permissions, custom resources, CDK's metadata) checked
// but not built: nodes cost a hundred bytes and more each, and those
// resources are most
// of such a template. The reader reads the properties of these types
// only: API Gateway's, SAM's, nested stacks, and of Lambda and SQS those
// in kinds (values.go).
var readPrefixes = []string{"AWS::Serverless::", "AWS::ApiGateway::", "AWS::ApiGatewayV2::", "AWS::CloudFormation::"}

func readsType(typ string) bool {
	if _, ok := kinds[typ]; ok {
		return true
	}
	for _, p := range readPrefixes {
		if strings.HasPrefix(typ, p) {
			return true
		}
	}
	return false
}

// unread are bulky properties of the types read that no part of the
// reader reads (a function's role and layers; a method's responses). A
// function's Code and Environment are read: they locate its handler code
// and the variables its timeouts may be read from (code.go).
var unread = map[string]bool{
	"Policies": true, "Layers": true,
	"VpcConfig": true, "Tags": true, "Role": true, "MethodResponses": true, "RequestModels": true,
}

// parseTemplate parses a template, pruning a large JSON one.
func parseTemplate(path string, data []byte) (*yamlpos.File, error) {
	if len(data) <= source.LargeFile || !looksJSONText(data) {
		return yamlpos.Parse(path, data)
	}
	// First the resources' types alone (everything else skipped), then
	// the template without the properties of the types not read.
	skim, err := yamlpos.ParseWith(path, data, yamlpos.Options{Skip: func(p []string) bool {
		return len(p) == 1 && p[0] != "Resources" || len(p) == 3 && p[2] != "Type"
	}})
	if err != nil {
		return yamlpos.Parse(path, data) // the error, as every template gets it
	}
	types := map[string]string{}
	pairs(get(skim.Root, "Resources"), func(k, v *yaml.Node) { types[k.Value] = scalar(get(v, "Type")) })
	skim = nil
	return yamlpos.ParseWith(path, data, yamlpos.Options{Skip: func(p []string) bool {
		return p[0] == "Resources" && (len(p) == 3 && p[2] == "Properties" && !readsType(types[p[1]]) ||
			len(p) == 4 && p[2] == "Properties" && unread[p[3]])
	}})
}
