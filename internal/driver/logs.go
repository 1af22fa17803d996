package driver

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gatelint/gatelint/internal/loc"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/report"
	"github.com/gatelint/gatelint/internal/source/accesslog"
)

// ScanLogs reads the access logs cfg names.
func ScanLogs(cfg Config) *accesslog.Result {
	opt := accesslog.Options{Stdin: cfg.Stdin, Format: cfg.LogFormat, Progress: cfg.Progress}
	if cfg.OnFile != nil {
		opt.OnSource = func(s *model.LogSource) {
			outcome := "access log: " + s.Shape
			if s.Gzip {
				outcome += ", gzip"
			}
			cfg.OnFile(s.File, fmt.Sprintf("%s, %d records, %d malformed", outcome, s.Records, s.Malformed))
		}
		opt.OnSkip = cfg.OnFile
	}
	lr := accesslog.Scan(context.Background(), cfg.Logs, opt)
	return &lr
}

// addLogs puts the access logs (read now, or before: cfg.LogScan) into m
// and the report's log views.
func addLogs(cfg Config, m *model.Model, res *report.Result) {
	lr := cfg.LogScan
	if lr == nil {
		lr = ScanLogs(cfg)
	}
	m.Observations = append(m.Observations, lr.Observations...)
	m.LogSources = append(m.LogSources, lr.Sources...)
	res.Errors = append(res.Errors, lr.Errors...)
	res.Stats.LogFiles = len(lr.Sources)
	for _, s := range lr.Sources {
		res.Stats.LogRecords += s.Records
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
		res.Logs = append(res.Logs, report.LogView{File: s.File, Shape: s.Shape, Gzip: s.Gzip, Bytes: s.Bytes,
			Records: s.Records, Malformed: s.Malformed, MalformedLines: s.MalformedLines})
	}
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
