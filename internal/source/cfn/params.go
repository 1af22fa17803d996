package cfn

// Parameter values given on the command line: --params-file in the forms
// people keep them in (CloudFormation's JSON list, or Key=Value lines).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// ParseParamsFile reads a parameters file: `[{"ParameterKey": .., "ParameterValue": ..}]`
// (what `aws cloudformation create-stack --parameters file://` takes), a
// `{"Parameters": {..}}` object (CodePipeline's template configuration),
// or Key=Value lines with # comments.
func ParseParamsFile(name string, data []byte) (map[string]string, error) {
	out := map[string]string{}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{') {
		if trimmed[0] == '[' {
			var list []struct {
				ParameterKey   string
				ParameterValue any
			}
			if err := json.Unmarshal(trimmed, &list); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			for _, p := range list {
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
