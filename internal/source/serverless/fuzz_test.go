package serverless

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/source"
)

// FuzzRead feeds any bytes to the reader as a serverless.yml: reading must
// end in time, never panic, build a consistent model whose locations lie
// in the file, and offer edits inside it.
func FuzzRead(f *testing.F) {
	if b, err := os.ReadFile("../../../fixtures/serverless/demo/serverless.yml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(head + "functions:\n  a:\n    handler: h.a\n    events:\n      - http: GET a\n      - httpApi: '*'\n      - websocket: $connect\n      - sqs: !GetAtt Q.Arn\nresources:\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n"))
	f.Add([]byte(head + "  logs:\n    restApi: true\n    httpApi: {format: x}\nfunctions:\n  - a: {handler: h, events: [{http: {path: x, method: get}}]}\n"))
	f.Add([]byte(`{"service": "x", "provider": {"name": "aws", "timeout": 40}, "functions": {"a": {"handler": "h", "events": [{"httpApi": "GET /x"}]}}}`))
	f.Add([]byte("service: x\nprovider: {name: aws}\nfunctions: {a: &a {handler: h, events: [*a]}}\n"))
	f.Add([]byte("service: x\nprovider:\n  name: aws\nresources:\n  Resources: ${file(./r.yml)}\n  extensions:\n    X: {Properties: {TimeoutInMillis: y}}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "serverless.yml")
		b := model.NewBuilder()
		done := make(chan source.Outcome, 1)
		go func() {
			done <- Reader{}.Read(&source.File{Path: path, Data: src, Named: true, Include: func(string) ([]byte, error) { return nil, os.ErrNotExist }}, b)
		}()
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Fatal("reading did not end")
		}
		m := b.Model()
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		check := func(what string, r interface{ IsZero() bool }, file string, end int) {
			if !r.IsZero() && file != path {
				t.Errorf("%s located in %s", what, file)
			}
			if end > len(src) {
				t.Errorf("%s ends at %d, past the file's %d bytes", what, end, len(src))
			}
		}
		for _, fn := range m.Functions {
			for _, v := range fn.Timeout {
				check("timeout", v.Loc, v.Loc.File, v.Loc.End.Offset)
				if v.Remedy.Edit != nil {
					for _, e := range v.Remedy.Edit(26 * time.Second) {
						if e.Start < 0 || e.End > len(src) || e.Start > e.End || e.File != path {
							t.Errorf("edit %+v outside the file", e)
						}
					}
				}
			}
		}
		for _, api := range m.APIs {
			for _, st := range api.Stages {
				if st.AccessLog != nil && st.AccessLog.Edit != nil {
					for _, e := range st.AccessLog.Edit("$context.status") {
						if e.Start < 0 || e.End > len(src) || e.Start > e.End {
							t.Errorf("access-log edit %+v outside the file", e)
						}
					}
				}
			}
		}
	})
}
