package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryLeavesOutTemplates guards the binary's size: html/template's
// executor reaches methods by name through reflection, and once it is
// linked the linker keeps every exported method of every type (8.7 MB
// with the AWS SDK). cobra imports text/template but never executes a
// template unless asked to, so only our own packages are checked for it.
// The test lives here because this package's test binary depends on every
// package of the binary, so a cached pass cannot outlive a new import.
func TestBinaryLeavesOutTemplates(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		for _, imp := range strings.Fields(imports) {
			switch {
			case imp == "html/template":
				t.Errorf("%s imports html/template, linked into the gatelint binary", pkg)
			case imp == "text/template" && strings.HasPrefix(pkg, "github.com/gatelint/"):
				t.Errorf("%s imports text/template", pkg)
			}
		}
	}
}
