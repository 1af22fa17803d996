// Command gatelint finds API Gateway and Lambda timeout misconfigurations
// in CloudFormation, SAM and CDK templates.
package main

import (
	"os"

	"github.com/gatelint/gatelint/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
