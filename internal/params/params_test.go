package params

import (
	"maps"
	"strings"
	"testing"
)

func TestParseArg(t *testing.T) {
	tests := []struct {
		in, k, v, err string
	}{
		{in: "Stage=prod", k: "Stage", v: "prod"},
		{in: "Url=https://x/?a=b", k: "Url", v: "https://x/?a=b"},
		{in: " Empty=", k: "Empty", v: ""},
		{in: "novalue", err: "want Key=Value"},
		{in: "=x", err: "want Key=Value"},
	}
	for _, tt := range tests {
		k, v, err := ParseArg(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseArg(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || k != tt.k || v != tt.v {
			t.Errorf("ParseArg(%q) = %q, %q, %v", tt.in, k, v, err)
		}
	}
}

func TestParseFile(t *testing.T) {
	tests := []struct {
		name, src string
		want      map[string]string
		err       string
	}{
		{name: "CloudFormation JSON list", src: `[{"ParameterKey": "Stage", "ParameterValue": "prod"}, {"ParameterKey": "Timeout", "ParameterValue": 30}]`,
			want: map[string]string{"Stage": "prod", "Timeout": "30"}},
		{name: "template configuration object", src: `{"Parameters": {"Stage": "dev"}}`, want: map[string]string{"Stage": "dev"}},
		{name: "Key=Value lines", src: "# comment\n\nStage=prod\nTimeout = \"30\"\n", want: map[string]string{"Stage": "prod", "Timeout": "30"}},
		{name: "bad line names the line", src: "Stage=prod\noops\n", err: "p.env:2: want Key=Value"},
		{name: "bad JSON", src: `[{"ParameterKey": }]`, err: "p.env: invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFile("p.env", []byte(tt.src))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !maps.Equal(got, tt.want) {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// FuzzParseFile: a parameters file, however broken, gets an error, never
// a panic.
func FuzzParseFile(f *testing.F) {
	for _, s := range []string{`[{"ParameterKey":"A","ParameterValue":"1"}]`, `{"Parameters":{"A":1}}`, "A=1\n# c\n", "[", "{", "=\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParseFile("p", data)
	})
}
