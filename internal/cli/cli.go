// Package cli is gatelint's command line: it turns flags and the config
// file into a check.Config, runs it, renders the result and decides the
// exit code. It holds no linting logic.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gatelint/gatelint/internal/check"
	"github.com/gatelint/gatelint/internal/config"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/params"
	"github.com/gatelint/gatelint/internal/report"
	"github.com/gatelint/gatelint/internal/term"
	"github.com/gatelint/gatelint/rules"
)

// Version is set at build time with -ldflags "-X ...cli.Version=v1.2.3".
var Version = "dev"

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

// usageError marks errors in how gatelint was called (exit 2).
type usageError struct{ error }

// Run executes gatelint with args and returns the exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	code := exitOK
	root := &cobra.Command{
		Use:           "gatelint",
		Short:         "Find API Gateway and Lambda timeout misconfigurations",
		Long:          "gatelint checks CloudFormation, SAM and CDK templates for integration timeouts that cut backends off,\nLambda functions that outlive their integrations, and long work behind synchronous endpoints.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(checkCmd(&code), rulesCmd(), explainCmd())
	if err := root.Execute(); err != nil {
		fmt.Fprintf(stderr, "gatelint: %v\n", err)
		if _, ok := errors.AsType[usageError](err); ok || strings.HasPrefix(err.Error(), "unknown command") {
			fmt.Fprintln(stderr, "Run 'gatelint --help' for usage.")
		}
		return exitError
	}
	return code
}

type checkFlags struct {
	format, output, paramsFile, configFile, failOn string
	params, logs                                   []string
	logFormat                                      string
	restMaxTimeout                                 int64
	noColor, quiet, verbose                        bool
}

func checkCmd(code *int) *cobra.Command {
	var fl checkFlags
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check templates (files or directories; default . unless only --logs is given) and access logs",
		Example: `  gatelint check template.yaml
  gatelint check template.yaml --logs access-logs/ --logs 'export/*.gz'
  aws logs filter-log-events --log-group-name G | gatelint check --logs -
  gatelint check . --format sarif --output gatelint.sarif
  gatelint check cdk.out --param Stage=prod --fail-on error`,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := runCheck(cmd, args, fl)
			*code = c
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "text", "output format: "+strings.Join(report.Formats, ", "))
	f.StringVarP(&fl.output, "output", "o", "", "write the report to `FILE` instead of standard output")
	f.StringArrayVar(&fl.params, "param", nil, "template parameter value `Key=Value` (repeatable)")
	f.StringVar(&fl.paramsFile, "params-file", "", "parameter values `FILE`: CloudFormation JSON [{ParameterKey, ParameterValue}] or Key=Value lines")
	f.Int64Var(&fl.restMaxTimeout, "rest-max-timeout", 0, "raised REST integration timeout quota in `ms` (Regional and private APIs)")
	f.StringVar(&fl.configFile, "config", "", "config `FILE` (default ./"+config.DefaultName+" if present)")
	f.StringVar(&fl.failOn, "fail-on", "", "exit 1 on findings at or above `LEVEL`: error, warning, info, never (default warning)")
	f.StringArrayVar(&fl.logs, "logs", nil, "access log `LOG` to read: a file, directory, glob or - for standard input, in any shape API Gateway logs reach you, gzip or not (repeatable)")
	f.StringVar(&fl.logFormat, "log-format", "", "the stage's access-log `FORMAT` ($context variables), when the logs' keys or field order need it")
	f.BoolVar(&fl.noColor, "no-color", false, "no colour in text output")
	f.BoolVarP(&fl.quiet, "quiet", "q", false, "print only findings and errors")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "say what became of each file read (template, skipped and why, the shape of each access log)")
	return cmd
}

func runCheck(cmd *cobra.Command, args []string, fl checkFlags) (int, error) {
	stderr := cmd.ErrOrStderr()
	cfgPath, named := fl.configFile, fl.configFile != ""
	if !named {
		cfgPath = config.DefaultName
	}
	file, err := config.Load(cfgPath, named)
	if err != nil {
		return exitError, err
	}
	cfg := check.Config{
		Paths:     args,
		Params:    map[string]string{},
		Rules:     rules.DefaultConfig(),
		Disabled:  map[string]bool{},
		Severity:  map[string]finding.Severity{},
		Exclude:   file.Exclude,
		Logs:      fl.logs,
		LogFormat: fl.logFormat,
		Stdin:     cmd.InOrStdin(),
		Progress:  stderr,
	}
	if len(cfg.Paths) == 0 && len(cfg.Logs) == 0 {
		cfg.Paths = []string{"."}
	}
	for k, s := range file.Rules {
		r := rules.Lookup(k)
		if s.Enabled != nil && !*s.Enabled {
			cfg.Disabled[r.ID] = true
		}
		if s.Severity != nil {
			cfg.Severity[r.ID] = *s.Severity
		}
	}
	if file.Margin != nil {
		cfg.Rules.MarginMillis = *file.Margin
	}
	if file.RestMaxTimeout != nil {
		cfg.Rules.RestMaxTimeout = *file.RestMaxTimeout
	}
	if cmd.Flags().Changed("rest-max-timeout") {
		cfg.Rules.RestMaxTimeout = fl.restMaxTimeout
	}
	failOn := file.FailOn
	if fl.failOn != "" {
		failOn = fl.failOn
	}
	threshold, err := parseFailOn(failOn)
	if err != nil {
		return exitError, usageError{err}
	}
	if fl.paramsFile != "" {
		data, err := os.ReadFile(fl.paramsFile)
		if err != nil {
			return exitError, err
		}
		ps, err := params.ParseFile(fl.paramsFile, data)
		if err != nil {
			return exitError, err
		}
		for k, v := range ps {
			cfg.Params[k] = v
		}
	}
	for _, p := range fl.params {
		k, v, err := params.ParseArg(p)
		if err != nil {
			return exitError, usageError{err}
		}
		cfg.Params[k] = v
	}
	if fl.verbose {
		cfg.OnFile = func(path, outcome string) { fmt.Fprintf(stderr, "%s: %s\n", path, outcome) }
	}
	switch fl.format {
	case "text", "json", "sarif":
	default:
		return exitError, usageError{fmt.Errorf("unknown --format %q (want %s)", fl.format, strings.Join(report.Formats, ", "))}
	}

	res, _ := check.Run(cfg)

	out := cmd.OutOrStdout()
	var outFile *os.File
	if fl.output != "" {
		outFile, err = os.Create(fl.output)
		if err != nil {
			return exitError, err
		}
		out = outFile
	}
	opts := report.Options{
		Color:   !fl.noColor && fl.output == "" && term.IsTerminal(out) && os.Getenv("NO_COLOR") == "",
		Quiet:   fl.quiet,
		Rules:   rules.All(),
		Version: Version,
	}
	if err := report.Write(out, fl.format, res, opts); err != nil {
		return exitError, err
	}
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			return exitError, err
		}
	}
	if len(res.Errors) > 0 && res.Stats.Templates == 0 && len(res.Logs) == 0 {
		// Nothing at all could be read.
		return exitError, nil
	}
	code := exitOK
	for _, f := range res.Findings {
		if threshold > 0 && f.Severity >= threshold {
			code = exitFindings
		}
	}
	if len(res.Errors) > 0 {
		code = exitError
	}
	return code, nil
}

// parseFailOn reads --fail-on; 0 means never.
func parseFailOn(s string) (finding.Severity, error) {
	switch strings.ToLower(s) {
	case "":
		return finding.Warning, nil
	case "never", "none":
		return 0, nil
	}
	sev, err := finding.ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("--fail-on: %w", err)
	}
	return sev, nil
}

func rulesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List the rules",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			w := cmd.OutOrStdout()
			for _, r := range rules.All() {
				fmt.Fprintf(w, "%s  %-36s %-8s %s\n", r.ID, r.Name, r.Severity, r.Summary)
			}
		},
	}
}

func explainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Print a rule's documentation (by ID or name)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r := rules.Lookup(args[0])
			if r == nil {
				return usageError{fmt.Errorf("unknown rule %q; 'gatelint rules' lists them", args[0])}
			}
			fmt.Fprint(cmd.OutOrStdout(), r.Doc())
			return nil
		},
	}
}
