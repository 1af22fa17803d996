package cfn

// Parameter values given on the command line: --params-file in the forms
// people keep them in (CloudFormation's JSON list, or Key=Value lines).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// ParseParamsFile reads a parameters file in the forms `aws
// cloudformation deploy --parameter-overrides file://` takes: a list of
// "Key=Value" strings, `[{"ParameterKey": .., "ParameterValue": ..}]`
// (also what create-stack --parameters takes), or a `{"Parameters":
// {..}}` object (CodePipeline's template configuration); a CloudFormation
// Git sync deployment file (YAML: template-file-path, parameters); or
// Key=Value lines with # comments.
func ParseParamsFile(name string, data []byte) (map[string]string, error) {
	out := map[string]string{}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{') {
		if trimmed[0] == '[' {
			var list []json.RawMessage
			if err := json.Unmarshal(trimmed, &list); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			for _, item := range list {
				var kv string
				if json.Unmarshal(item, &kv) == nil {
					k, v, ok := strings.Cut(kv, "=")
					if !ok || strings.TrimSpace(k) == "" {
						return nil, fmt.Errorf("%s: %q: want Key=Value", name, kv)
					}
					out[strings.TrimSpace(k)] = v
					continue
				}
				var p struct {
					ParameterKey   string
					ParameterValue any
				}
				if err := json.Unmarshal(item, &p); err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				out[p.ParameterKey] = fmt.Sprint(p.ParameterValue)
			}
			return out, nil
		}
		var obj struct{ Parameters map[string]any }
		if err := json.Unmarshal(trimmed, &obj); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for k, v := range obj.Parameters {
			out[k] = fmt.Sprint(v)
		}
		return out, nil
	}
	if ps, ok := deploymentFile(data); ok {
		return ps, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		k, v, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("%s:%d: want Key=Value, got %q", name, line, s)
		}
		out[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return out, sc.Err()
}

// deploymentFile reads a CloudFormation Git sync deployment file's
// parameters: a YAML mapping with template-file-path or parameters.
func deploymentFile(data []byte) (map[string]string, bool) {
	var doc struct {
		TemplateFilePath string         `yaml:"template-file-path"`
		Parameters       map[string]any `yaml:"parameters"`
	}
	var probe map[string]any
	if yaml.Unmarshal(data, &probe) != nil || probe == nil {
		return nil, false
	}
	if _, ok := probe["template-file-path"]; !ok {
		if _, ok := probe["parameters"]; !ok {
			return nil, false
		}
	}
	if yaml.Unmarshal(data, &doc) != nil {
		return nil, false
	}
	out := map[string]string{}
	for k, v := range doc.Parameters {
		out[k] = fmt.Sprint(v)
	}
	return out, true
}

// DeploymentTemplate is the template a Git sync deployment file deploys
// (template-file-path, relative to the repository's root), or "".
func DeploymentTemplate(data []byte) string {
	var doc struct {
		TemplateFilePath string `yaml:"template-file-path"`
	}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) || yaml.Unmarshal(data, &doc) != nil {
		return ""
	}
	return doc.TemplateFilePath
}

// ParamsFile reads a --params-file in CloudFormation's formats: a JSON
// list, {"Parameters": ...} or a Git sync deployment file is surely
// CloudFormation's; Key=Value lines may be another source's too; any other
// JSON object is not CloudFormation's.
func (Reader) ParamsFile(path string, data []byte) (map[string]string, bool, int, error) {
	ps, err := ParseParamsFile(path, data)
	if err != nil {
		return nil, false, 0, err
	}
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) > 0 && trimmed[0] == '[', bytes.Contains(trimmed, []byte(`"Parameters"`)):
		return ps, false, 2, nil
	case len(trimmed) > 0 && trimmed[0] == '{':
		return ps, false, 0, nil
	}
	if _, ok := deploymentFile(data); ok {
		return ps, false, 2, nil
	}
	return ps, false, 1, nil
}
