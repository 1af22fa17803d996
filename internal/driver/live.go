package driver

import (
	"context"
	"time"

	"github.com/gatelint/gatelint/internal/correlate"
	"github.com/gatelint/gatelint/internal/model"
	"github.com/gatelint/gatelint/internal/report"
	"github.com/gatelint/gatelint/internal/source/live"
)

// Live asks for an audit of an AWS account beside (or instead of) the
// templates.
type Live struct {
	Options live.Options
	// Timeout bounds the whole audit; what was read by then is checked.
	Timeout time.Duration
}

// readLive audits the account into m; its resources that configuration
// given beside it defines point at the configuration's lines.
func readLive(l *Live, m *model.Model, res *report.Result) {
	ctx := context.Background()
	if l.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, l.Timeout)
		defer cancel()
	}
	lr := live.Read(ctx, l.Options)
	correlate.Live(m, lr.Model)
	m.Add(lr.Model)
	res.Errors = append(res.Errors, lr.Errors...)
	res.Live = &report.LiveView{Account: lr.Account, Regions: lr.Regions, APIs: lr.APIs, Calls: lr.Calls, Errors: len(lr.Errors), Unreadable: !lr.Read}
}
