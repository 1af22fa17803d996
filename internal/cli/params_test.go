package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParamValues: --param values CloudFormation would refuse are input
// errors (exit 2), named at the parameter; a name no template declares
// is one too, naming those declared; a good value is used.
func TestParamValues(t *testing.T) {
	const template = `Parameters:
  FnTimeout:
    Type: Number
    Default: 30
    MaxValue: 120
  Env:
    Type: String
    AllowedValues: [dev, prod]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !Ref FnTimeout
      Events:
        Get: {Type: Api, Properties: {Path: /x, Method: get}}
`
	p := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(p, []byte(template), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--param", "FnTimout=60"}, 2, "--param: error: no template read declares a parameter FnTimout (declared: Env, FnTimeout)"},
		{[]string{"--param", "FnTimeout=sixty"}, 2, `template.yaml:2: error: the value given for parameter FnTimeout, "sixty", is not a number (the parameter is Type: Number)`},
		{[]string{"--param", "FnTimeout=600"}, 2, "is above its MaxValue of 120"},
		{[]string{"--param", "Env=test"}, 2, `template.yaml:6: error: the value given for parameter Env, "test", is not one of its AllowedValues (dev, prod)`},
		{[]string{"--param", "FnTimeout=60", "--param", "Env=prod"}, 1, "has Timeout 60 s"},
	}
	for _, tt := range tests {
		code, out, stderr := run(t, append([]string{"check", p, "--no-color"}, tt.args...)...)
		if code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("%v: exit %d, want %d; output lacks %q:\n%s%s", tt.args, code, tt.code, tt.want, out, stderr)
		}
	}
}
