package check

import (
	"context"
	"time"

	"github.com/gatelint/gatelint/internal/live"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/report"
)

// Live asks for an audit of an AWS account beside (or instead of) the
// templates.
type Live struct {
	Options live.Options
	// Timeout bounds the whole audit; what was read by then is checked.
	Timeout time.Duration
}

// readLive audits the account into m; its resources that a template
// given beside it defines point at the template's lines.
func readLive(l *Live, m *model.Model, res *report.Result) {
	ctx := context.Background()
	if l.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, l.Timeout)
		defer cancel()
	}
	lr := live.Read(ctx, l.Options)
	joinTemplates(m, lr)
	lm := lr.Model
	m.APIs = append(m.APIs, lm.APIs...)
	m.Functions = append(m.Functions, lm.Functions...)
	m.Queues = append(m.Queues, lm.Queues...)
	m.EventSources = append(m.EventSources, lm.EventSources...)
	m.Observations = append(m.Observations, lm.Observations...)
	m.Unresolved = append(m.Unresolved, lm.Unresolved...)
	res.Errors = append(res.Errors, lr.Errors...)
	res.Live = &report.LiveView{Account: lr.Account, Regions: lr.Regions, APIs: lr.APIs, Calls: lr.Calls, Errors: len(lr.Errors), Unreadable: !lr.Read}
}
