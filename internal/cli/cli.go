// Package cli is gatelint's command line: flags and wiring. It turns the
// check command's flags into runner.Options and hands them to the runner;
// it holds no linting logic.
package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatelint/gatelint/internal/config"
	"github.com/gatelint/gatelint/internal/driver"
	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/fix"
	"github.com/gatelint/gatelint/internal/report"
	"github.com/gatelint/gatelint/internal/runner"
	"github.com/gatelint/gatelint/internal/scaffold"
	"github.com/gatelint/gatelint/internal/source/cfn"
	"github.com/gatelint/gatelint/internal/source/live"
	"github.com/gatelint/gatelint/internal/term"
	"github.com/gatelint/gatelint/rules"
)

// Version is set at build time with -ldflags "-X ...cli.Version=v1.2.3".
var Version = "dev"

// Exit codes.
const (
	exitOK    = runner.ExitOK
	exitError = runner.ExitError
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
	root.AddCommand(checkCmd(&code), rulesCmd(), explainCmd(), scaffoldCmd())
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
	configEnv, samConfigFile                       string
	params, logs                                   []string
	logFormat                                      string
	restMaxTimeout                                 int64
	noColor, quiet, verbose                        bool
	fix, diff, unsafeFixes, fixParameters          bool
	baseline, writeBaseline                        string
	live                                           liveFlags
}

// liveFlags ask for an audit of an AWS account.
type liveFlags struct {
	on, allRegions, logs bool
	profile              string
	regions, apis        []string
	since, timeout       time.Duration
}

func checkCmd(code *int) *cobra.Command {
	var fl checkFlags
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check templates (files or directories; default . unless only --logs is given), access logs and function logs",
		Example: `  gatelint check template.yaml
  gatelint check template.yaml --logs access-logs/ --logs 'export/*.gz'
  gatelint check template.yaml --logs logs/ --logs GenerateReportFunction=fn-export/
  aws logs filter-log-events --log-group-name G | gatelint check --logs -
  gatelint check . --format sarif --output gatelint.sarif
  gatelint check . --format html --output report.html
  gatelint check cdk.out --param Stage=prod --fail-on error
  gatelint check . --diff | git apply
  gatelint check . --baseline .gatelint-baseline.json`,
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
	f.StringVar(&fl.paramsFile, "params-file", "", "parameter values `FILE`: CloudFormation JSON ([\"K=V\"], [{ParameterKey, ParameterValue}], {Parameters: {..}}), a CloudFormation Git sync deployment file, or Key=Value lines")
	f.StringVar(&fl.configEnv, "config-env", "", "judge templates only in this samconfig environment `NAME` (default: every environment the samconfig file beside a template defines)")
	f.StringVar(&fl.samConfigFile, "config-file", "", "the SAM CLI config `FILE` that defines the environments (default: samconfig.toml, .yaml or .yml beside each template)")
	f.Int64Var(&fl.restMaxTimeout, "rest-max-timeout", 0, "raised REST integration timeout quota in `ms` (Regional and private APIs)")
	f.StringVar(&fl.configFile, "config", "", "config `FILE` (default ./"+config.DefaultName+" if present)")
	f.StringVar(&fl.failOn, "fail-on", "", "exit 1 on findings at or above `LEVEL`: error, warning, info, never (default warning)")
	f.StringArrayVar(&fl.logs, "logs", nil, "access or function log `LOG` to read: a file, directory, glob or - for standard input, in any shape CloudWatch Logs delivers, gzip or not; FUNCTION=LOG says whose function log it is (repeatable)")
	f.StringVar(&fl.logFormat, "log-format", "", "the stage's access-log `FORMAT` ($context variables), when the logs' keys or field order need it")
	f.BoolVar(&fl.noColor, "no-color", false, "no colour in text output")
	f.BoolVarP(&fl.quiet, "quiet", "q", false, "print only findings and errors")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "say what became of each file read (template, skipped and why, the shape of each access log)")
	f.BoolVar(&fl.fix, "fix", false, "apply the safe fixes in place, then report what is left")
	f.BoolVar(&fl.diff, "diff", false, "print the fixes as a unified diff instead of the report (unsafe ones included); change nothing")
	f.BoolVar(&fl.unsafeFixes, "unsafe-fixes", false, "with --fix, also apply fixes that change more than the flagged value")
	f.BoolVar(&fl.fixParameters, "fix-parameters", false, "fix a value that comes from a parameter by changing the parameter's Default")
	f.StringVar(&fl.baseline, "baseline", "", "report only findings not recorded in baseline `FILE`")
	f.StringVar(&fl.writeBaseline, "write-baseline", "", "record every current finding in baseline `FILE` and report none of them")
	f.BoolVar(&fl.live.on, "live", false, "audit the AWS account of the standard credential chain (read-only)")
	f.StringVar(&fl.live.profile, "profile", "", "shared config `PROFILE` for --live")
	f.StringArrayVar(&fl.live.regions, "region", nil, "`REGION` to audit with --live (repeatable; default the configured region)")
	f.BoolVar(&fl.live.allRegions, "all-regions", false, "audit every commercial region with --live")
	f.StringArrayVar(&fl.live.apis, "api", nil, "audit only the API with this `ID` (repeatable)")
	f.BoolVar(&fl.live.logs, "live-logs", false, "with --live, query each stage's access logs and each function's log with CloudWatch Logs Insights")
	f.DurationVar(&fl.live.since, "since", 24*time.Hour, "how far back --live-logs looks")
	f.DurationVar(&fl.live.timeout, "timeout", 5*time.Minute, "bound on the whole --live audit")
	return cmd
}

func runCheck(cmd *cobra.Command, args []string, fl checkFlags) (int, error) {
	o := runner.Options{
		Paths: args, Format: fl.format, Output: fl.output,
		Params: fl.params, ParamsFile: fl.paramsFile, ConfigFile: fl.configFile, FailOn: fl.failOn,
		ConfigEnv: fl.configEnv, SAMConfigFile: fl.samConfigFile,
		Logs: fl.logs, LogFormat: fl.logFormat,
		NoColor: fl.noColor, Quiet: fl.quiet, Verbose: fl.verbose,
		Fix: fl.fix, Diff: fl.diff, UnsafeFixes: fl.unsafeFixes, FixParameters: fl.fixParameters,
		Baseline: fl.baseline, WriteBaseline: fl.writeBaseline,
		Version: Version,
	}
	if cmd.Flags().Changed("rest-max-timeout") {
		o.RestMaxTimeout = &fl.restMaxTimeout
	}
	live, err := liveConfig(cmd, fl.live)
	if err != nil {
		return exitError, usageError{err}
	}
	o.Live = live
	code, err := runner.Check(o, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
	if u, ok := errors.AsType[runner.UsageError](err); ok {
		return code, usageError{u.Err}
	}
	return code, err
}

// liveConfig turns the --live flags into the audit to run; nil without
// --live.
func liveConfig(cmd *cobra.Command, fl liveFlags) (*driver.Live, error) {
	if !fl.on {
		for _, name := range []string{"profile", "region", "all-regions", "api", "live-logs", "since", "timeout"} {
			if cmd.Flags().Changed(name) {
				return nil, fmt.Errorf("--%s needs --live", name)
			}
		}
		return nil, nil
	}
	if fl.allRegions && len(fl.regions) > 0 {
		return nil, errors.New("--region and --all-regions exclude each other")
	}
	if fl.since <= 0 || fl.timeout <= 0 {
		return nil, errors.New("--since and --timeout must be positive")
	}
	o := live.Options{Profile: fl.profile, Regions: fl.regions, AllRegions: fl.allRegions, APIs: fl.apis, Logs: fl.logs, Since: fl.since}
	if term.IsTerminal(cmd.ErrOrStderr()) {
		o.Progress = cmd.ErrOrStderr()
	}
	return &driver.Live{Options: o, Timeout: fl.timeout}, nil
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

func scaffoldCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scaffold",
		Short: "Generate the resources that remedy a finding",
	}
	var endpoint, write string
	var diff bool
	async := &cobra.Command{
		Use:   "async TEMPLATE",
		Short: "The asynchronous path for one endpoint: queue, worker, job table, 202 response, status route",
		Long: `Prints the resources that turn a synchronous endpoint into "accept, queue, answer 202 with a
job ID, work in the background, poll a status route" (GL003's remedy), as YAML or JSON like the
template, SAM or plain CloudFormation as the template is. --diff prints the patch that adds them to
the template and points the endpoint at the new path.`,
		Example: `  gatelint scaffold async --endpoint 'POST /api/reports/generate' template.yaml
  gatelint scaffold async --endpoint 'POST /api/reports/generate' template.yaml --write async.yaml
  gatelint scaffold async --endpoint 'POST /reports' cdk.out/Stack.template.json --diff | git apply`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if endpoint == "" {
				return usageError{errors.New("--endpoint 'METHOD /path' is required")}
			}
			path := args[0]
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			res, err := scaffold.Async(path, data, endpoint, cfn.Options{})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			switch {
			case diff:
				plan := fix.Prepare([]finding.Finding{{Fixes: []finding.Fix{res.Fix}}}, map[string][]byte{path: data}, fix.Options{Unsafe: true, Reparse: cfn.Reader{}.Reparse})
				if len(plan.Refused) > 0 {
					return plan.Refused[0]
				}
				if err := fix.Diff(out, plan.Changes); err != nil {
					return err
				}
			case write != "":
				// A new file only: --write given the template's own name
				// would replace the template with the snippet.
				f, err := os.OpenFile(write, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
				if errors.Is(err, fs.ErrExist) {
					return usageError{fmt.Errorf("--write %s: the file exists; name a new file, or merge into the template with --diff | git apply", write)}
				}
				if err != nil {
					return err
				}
				if _, err := f.WriteString(res.Snippet); err != nil {
					f.Close()
					os.Remove(write)
					return err
				}
				if err := f.Close(); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "gatelint: wrote %s\n", write)
			default:
				fmt.Fprint(out, res.Snippet)
			}
			for _, n := range res.Notes {
				fmt.Fprintf(cmd.ErrOrStderr(), "note: %s\n", n)
			}
			return nil
		},
	}
	f := async.Flags()
	f.StringVar(&endpoint, "endpoint", "", "the endpoint, `'METHOD /path'` as gatelint names it")
	f.StringVar(&write, "write", "", "write the resources to `FILE` instead of standard output")
	f.BoolVar(&diff, "diff", false, "print the patch that adds the resources to the template and rewires the endpoint")
	cmd.AddCommand(async)
	return cmd
}
