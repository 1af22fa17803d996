package report

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFileHref(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file, reportDir, want string
	}{
		{"templates/api.yaml", "", "templates/api.yaml"},
		{"templates/api.yaml", "out", "../templates/api.yaml"},
		// An absolute path is linked relative to the report too: a file://
		// link is what the escaping refuses.
		{filepath.Join(wd, "templates", "api.yaml"), "", "templates/api.yaml"},
		{filepath.Join(wd, "templates", "api.yaml"), "out", "../templates/api.yaml"},
		{"stacks/café/a b.yaml", "", "stacks/caf%C3%A9/a%20b.yaml"},
		{"arn:aws:lambda:us-east-1:123456789012:function:orders", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := fileHref(tt.file, tt.reportDir); got != tt.want {
			t.Errorf("fileHref(%q, %q) = %q, want %q", tt.file, tt.reportDir, got, tt.want)
		}
	}
}
