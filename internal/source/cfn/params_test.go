package cfn

import (
	"maps"
	"strings"
	"testing"
)

func TestParseParamsFile(t *testing.T) {
	tests := []struct {
		name, src string
		want      map[string]string
		err       string
	}{
		{name: "CloudFormation JSON list", src: `[{"ParameterKey": "Stage", "ParameterValue": "prod"}, {"ParameterKey": "Timeout", "ParameterValue": 30}]`,
			want: map[string]string{"Stage": "prod", "Timeout": "30"}},
		{name: "template configuration object", src: `{"Parameters": {"Stage": "dev"}}`, want: map[string]string{"Stage": "dev"}},
		{name: "cloudformation deploy Key=Value list", src: `["Stage=prod", "Timeout=30", "Greeting=hello world"]`,
			want: map[string]string{"Stage": "prod", "Timeout": "30", "Greeting": "hello world"}},
		{name: "Git sync deployment file", src: "template-file-path: ./template.yaml\nparameters:\n  Stage: prod\n  Timeout: 30\ntags:\n  team: data\n",
			want: map[string]string{"Stage": "prod", "Timeout": "30"}},
		{name: "bad Key=Value in a list", src: `["Stage"]`, err: `p.env: "Stage": want Key=Value`},
		{name: "Key=Value lines", src: "# comment\n\nStage=prod\nTimeout = \"30\"\n", want: map[string]string{"Stage": "prod", "Timeout": "30"}},
		{name: "bad line names the line", src: "Stage=prod\noops\n", err: "p.env:2: want Key=Value"},
		{name: "bad JSON", src: `[{"ParameterKey": }]`, err: "p.env: invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseParamsFile("p.env", []byte(tt.src))
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
func FuzzParseParamsFile(f *testing.F) {
	for _, s := range []string{`[{"ParameterKey":"A","ParameterValue":"1"}]`, `{"Parameters":{"A":1}}`, "A=1\n# c\n", "[", "{", "=\n",
		`["A=1", "B=\u0032"]`, "template-file-path: t.yaml\nparameters:\n  A: 1\n", " A = 7 \r\nB='x'\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := ParseParamsFile("p", data)
		// Where each value is written: an edit stays inside the file, and
		// a value both readings give is the same value.
		for k, ep := range LocateParams("p", data) {
			if err == nil && ps[k] != "" && ep.Value != ps[k] && strings.TrimSpace(ep.Value) == ps[k] {
				continue
			}
			if ep.Edit == nil {
				continue
			}
			for _, e := range ep.Edit("26") {
				if e.Start < 0 || e.End > len(data) || e.Start > e.End {
					t.Fatalf("%s: edit %d..%d outside %d bytes", k, e.Start, e.End, len(data))
				}
			}
		}
	})
}
