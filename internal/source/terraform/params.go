package terraform

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/gatelint/gatelint/internal/source/terraform/hclconfig"
)

// ParamsFile reads a --params-file that is a Terraform variables file: a
// .tfvars or .tfvars.json file, or a JSON object of values that is not
// CloudFormation's {"Parameters": ...}. The reader reads it itself (as
// -var-file), so a fix with --fix-parameters edits its line.
func (Reader) ParamsFile(path string, data []byte) (map[string]string, bool, int, error) {
	base := strings.ToLower(path)
	if strings.HasSuffix(base, ".tfvars") || strings.HasSuffix(base, ".tfvars.json") {
		if d := hclconfig.ParseVarsFile(path, data); d.HasErrors() {
			return nil, false, 0, d
		}
		return nil, true, 2, nil
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' && !bytes.Contains(trimmed, []byte(`"Parameters"`)) {
		var obj map[string]any
		if json.Unmarshal(trimmed, &obj) == nil {
			return nil, true, 2, nil
		}
	}
	return nil, false, 0, nil
}
