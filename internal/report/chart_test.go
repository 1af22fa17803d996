package report

import (
	"strings"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/latency"
)

func TestTimelineSpan(t *testing.T) {
	base := time.Date(2026, 11, 19, 23, 47, 0, 0, time.UTC) // a Thursday
	tests := []struct {
		name   string
		length time.Duration
		bucket time.Duration
		from   string
		n      int
	}{
		{"one minute", 0, time.Minute, "2026-11-19 23:47", 1},
		{"an hour", time.Hour, time.Minute, "2026-11-19 23:47", 61},
		{"three hours", 3 * time.Hour, 5 * time.Minute, "2026-11-19 23:45", 37},
		{"a day", 24 * time.Hour, time.Hour, "2026-11-19 23:00", 25},
		{"two weeks", 14 * 24 * time.Hour, 6 * time.Hour, "2026-11-19 18:00", 57},
		{"two months", 60 * 24 * time.Hour, 24 * time.Hour, "2026-11-19 00:00", 61},
		{"twenty weeks, weeks start on Monday", 140 * 24 * time.Hour, 7 * 24 * time.Hour, "2026-11-16 00:00", 21},
		// Four-week buckets start on a Monday a multiple of four weeks after
		// 1970-01-05.
		{"three years", 3 * 365 * 24 * time.Hour, 28 * 24 * time.Hour, "2026-10-26 00:00", 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := timelineSpan(minute(base), minute(base.Add(tt.length)))
			if s.bucket != tt.bucket || s.from.Format("2006-01-02 15:04") != tt.from || s.n != tt.n {
				t.Errorf("span = %v from %s × %d, want %v from %s × %d", s.bucket, s.from.Format("2006-01-02 15:04"), s.n, tt.bucket, tt.from, tt.n)
			}
			if end := s.from.Add(time.Duration(s.n) * s.bucket); !end.After(base.Add(tt.length)) || s.n > maxBuckets {
				t.Errorf("%d buckets end at %s, before the last timeout", s.n, end)
			}
		})
	}
}

func TestLatencyChart(t *testing.T) {
	h := spread(1000, 100, 27000)
	tests := []struct {
		name                  string
		h                     *latency.Histogram
		integration, function int64
		lines, offAxis        []string
		desc                  string
	}{
		{"both limits on the axis", h, 29000, 30000, []string{"limit-integration", "limit-function"}, nil,
			"integration timeout 29 s; function timeout 30 s."},
		{"function far beyond", h, 29000, 900000, []string{"limit-integration"}, []string{"function timeout 900 s →"},
			"function timeout 900 s, beyond the axis."},
		{"limits unknown", h, 0, 0, nil, nil, "integration timeout unknown; function timeout unknown."},
		{"no traffic", &latency.Histogram{}, 29000, 30000, nil, nil, ""},
		{"no histogram", nil, 29000, 30000, nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := latencyChart("x", tt.h, tt.integration, tt.function)
			if tt.desc == "" {
				if c != nil {
					t.Fatalf("chart drawn with nothing to draw: %+v", c)
				}
				return
			}
			var lines, labels []string
			for _, l := range c.Lines {
				if strings.HasPrefix(l.Class, "limit-") {
					lines = append(lines, l.Class)
				}
			}
			for _, l := range c.Labels {
				if strings.HasSuffix(l.Text, "→") {
					labels = append(labels, l.Text)
				}
			}
			if strings.Join(lines, " ") != strings.Join(tt.lines, " ") || strings.Join(labels, " ") != strings.Join(tt.offAxis, " ") {
				t.Errorf("limit lines %q, off-axis labels %q; want %q, %q", lines, labels, tt.lines, tt.offAxis)
			}
			if !strings.HasSuffix(c.Desc, tt.desc) {
				t.Errorf("desc %q, want it to end %q", c.Desc, tt.desc)
			}
			var total int64
			for _, row := range c.TableRows {
				var n int64
				for _, ch := range row[1] {
					n = n*10 + int64(ch-'0')
				}
				total += n
			}
			if total != tt.h.Count() {
				t.Errorf("the data table counts %d requests, the histogram %d", total, tt.h.Count())
			}
			for _, b := range c.Bars {
				if b.X < padLeft || b.X+b.W > padLeft+plotW || b.Y < padTop || b.Y+b.H > plotBottom+0.01 || b.H <= 0 {
					t.Errorf("bar %+v outside the plot", b)
				}
			}
		})
	}
}

// TestSeconds: the report writes durations exactly as findings do.
func TestSeconds(t *testing.T) {
	for ms, want := range map[int64]string{0: "0 ms", 999: "999 ms", 1000: "1 s", 2500: "2.5 s", 2050: "2.05 s", 29000: "29 s", 27412: "27.412 s", 900000: "900 s"} {
		if got := seconds(ms); got != want {
			t.Errorf("seconds(%d) = %q, want %q", ms, got, want)
		}
	}
}

func TestTick(t *testing.T) {
	tests := []struct {
		v, step float64
		want    string
	}{
		{0, 5000, "0 s"},
		{35000, 5000, "35 s"},
		{3 * 0.05 * 1000, 0.05 * 1000, "150 ms"},
		{7 * 0.2 * 1000, 0.2 * 1000, "1400 ms"},
		{3 * 2500, 2500, "7.5 s"},
	}
	for _, tt := range tests {
		if got := tick(tt.v, tt.step); got != tt.want {
			t.Errorf("tick(%v, %v) = %q, want %q", tt.v, tt.step, got, tt.want)
		}
	}
}
