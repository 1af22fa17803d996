package driver

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/finding"
	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/report"
	"github.com/gatelint/gatelint/internal/source/accesslog"
	"github.com/gatelint/gatelint/internal/source/functionlog"
	"github.com/gatelint/gatelint/internal/source/logs"
)

// LogScan is what one scan of the logs read: access logs and function
// logs, from one pass of the log container over every input.
type LogScan struct {
	// Observations and Sources are the access logs'.
	Observations []*model.Observation
	Sources      []*model.LogSource
	// Functions and FunctionSources are the function logs'.
	Functions       []*model.FunctionLog
	FunctionSources []*model.LogSource
	Errors          []finding.InputError
}

// ScanLogs reads the logs cfg names, access logs and function logs alike:
// the log container offers each input to both kinds, function logs first
// (their records are told by a stricter test than access logs' JSON). waits are the
// integration timeouts of the configuration read, which function logs
// count exactly.
func ScanLogs(cfg Config, waits []time.Duration) *LogScan {
	inputs, named, nerrs := namedLogs(cfg.Logs)
	scan := &LogScan{Errors: nerrs}
	onSource := func(kind string) func(*model.LogSource) {
		if cfg.OnFile == nil {
			return nil
		}
		return func(s *model.LogSource) {
			outcome := kind + ": " + s.Shape
			if s.Gzip {
				outcome += ", gzip"
			}
			what := "records"
			if kind == "function log" {
				what = "invocations"
			}
			cfg.OnFile(s.File, fmt.Sprintf("%s, %d %s, %d malformed", outcome, s.Records, what, s.Malformed))
		}
	}
	ak, err := accesslog.NewKind(cfg.LogFormat, onSource("access log"))
	if err != nil {
		scan.Errors = append(scan.Errors, finding.InputError{File: "--log-format", Message: err.Error()})
	}
	fk := functionlog.NewKind(functionlog.Options{Thresholds: waits, Named: named, OnSource: onSource("function log")})
	res := logs.Scan(context.Background(), inputs, logs.Options{Kinds: []logs.Kind{fk, ak}, Stdin: cfg.Stdin, Progress: cfg.Progress,
		Status: func() string { return ak.Status() + fk.Status() }, OnSkip: cfg.OnFile})
	scan.Errors = append(scan.Errors, res.Errors...)
	scan.Observations, scan.Sources = ak.Result()
	var ferrs []finding.InputError
	scan.Functions, scan.FunctionSources, ferrs = fk.Result()
	scan.Errors = append(scan.Errors, ferrs...)
	return scan
}

// namedLogs splits --logs NAME=PATH values into the paths to read and
// the functions named. A value that is a path as it is (it exists, or
// holds a path separator before the "=") is read as a path.
func namedLogs(values []string) ([]string, []functionlog.Named, []finding.InputError) {
	var paths []string
	var named []functionlog.Named
	var errs []finding.InputError
	for _, v := range values {
		name, path, ok := strings.Cut(v, "=")
		if !ok || strings.ContainsAny(name, `/\*?[`) || name == "-" || exists(v) {
			paths = append(paths, v)
			continue
		}
		if name == "" || path == "" {
			errs = append(errs, finding.InputError{File: v, Message: "--logs NAME=PATH needs both: the function's name (or logical ID) and its log"})
			continue
		}
		paths = append(paths, path)
		named = append(named, functionlog.Named{Name: name, Path: path})
	}
	return paths, named, errs
}

// waits are the distinct integration timeouts in front of functions in m,
// shortest first.
func waits(m *model.Model) []time.Duration {
	var ws []time.Duration
	for _, fn := range m.Functions {
		for _, in := range fn.Integrations {
			for _, v := range in.Timeout {
				if v.Known && !slices.Contains(ws, v.D) {
					ws = append(ws, v.D)
				}
			}
		}
	}
	slices.Sort(ws)
	return ws
}

// addLogs puts the logs (read now, or before: cfg.LogScan) into m and
// the report's log views, and returns the scan.
func addLogs(cfg Config, m *model.Model, res *report.Result) *LogScan {
	lr := cfg.LogScan
	if lr == nil {
		lr = ScanLogs(cfg, waits(m))
	}
	m.Observations = append(m.Observations, lr.Observations...)
	m.LogSources = append(m.LogSources, lr.Sources...)
	m.FunctionLogs = append(m.FunctionLogs, lr.Functions...)
	res.Errors = append(res.Errors, lr.Errors...)
	res.Stats.LogFiles = len(lr.Sources)
	res.Stats.FunctionLogFiles = len(lr.FunctionSources)
	for _, s := range lr.Sources {
		res.Stats.LogRecords += s.Records
		logView(s, res, "access log")
	}
	for _, s := range lr.FunctionSources {
		res.Stats.Invocations += s.Records
		logView(s, res, "function log")
	}
	return lr
}

// logView adds an input's view to the report, and a note of its
// malformed lines.
func logView(s *model.LogSource, res *report.Result, kind string) {
	if s.Malformed > 0 {
		lines := make([]string, len(s.MalformedLines))
		for i, l := range s.MalformedLines {
			lines[i] = strconv.Itoa(l)
		}
		more := ""
		if int64(len(lines)) < s.Malformed {
			more = ", ..."
		}
		res.Notes = append(res.Notes, report.Note{Location: loc.Range{File: s.File},
			Message: fmt.Sprintf("%d malformed %s skipped (line %s%s)", s.Malformed, plural(s.Malformed, "record", "records"), strings.Join(lines, ", "), more)})
	}
	res.Logs = append(res.Logs, report.LogView{Kind: kind, File: s.File, Shape: s.Shape, Gzip: s.Gzip, Bytes: s.Bytes,
		Records: s.Records, Malformed: s.Malformed, MalformedLines: s.MalformedLines})
}

// unjoined reports the function logs no function claimed: one the user
// named is an input error (the name is wrong); one a log group named is a
// note (a log of another function, read along with the rest).
func unjoined(ls []*model.FunctionLog, res *report.Result) {
	for _, l := range ls {
		file := ""
		if len(l.Sources) > 0 {
			file = l.Sources[0]
		}
		if l.Named {
			res.Errors = append(res.Errors, finding.InputError{File: file, Message: fmt.Sprintf(
				"no function %s in the templates or account read: NAME in --logs NAME=PATH is the function's name (FunctionName) or its logical ID", l.Name)})
			continue
		}
		res.Notes = append(res.Notes, report.Note{Location: l.FirstAt, Message: fmt.Sprintf(
			"function log of %s (%d invocations): no function of that name in the templates or account read, so its invocations are not judged; name it with --logs FUNCTION=PATH", l.Name, l.Invocations)})
	}
}

// exists reports whether p names a file or directory as it is.
func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
