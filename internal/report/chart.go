package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatelint/gatelint/internal/latency"
	"github.com/gatelint/gatelint/internal/model"
)

// Charts are laid out here in Go and drawn by htmlpage.go as inline SVG: no
// script and no library, so they print, survive a strict Content Security
// Policy and can be checked as text. Every chart carries its numbers as a
// table too, for screen readers and for anyone who wants the figures.

const (
	chartW     = 640.0
	chartH     = 190.0
	padLeft    = 44.0
	padRight   = 14.0
	padTop     = 46.0 // three rows of labels above the plot
	padBottom  = 26.0
	plotW      = chartW - padLeft - padRight
	plotH      = chartH - padTop - padBottom
	plotBottom = padTop + plotH
	latencyBin = 64 // bars across a latency chart
	maxBuckets = 72 // bars across a timeline at most
)

type svgRect struct {
	X, Y, W, H float64
	Title      string
}

type svgLine struct {
	X1, Y1, X2, Y2 float64
	Class          string
	Title          string
}

type svgText struct {
	X, Y   float64
	Anchor string // start, middle, end
	Class  string
	Text   string
}

// chart is one SVG figure and the table that says the same.
type chart struct {
	ID          string
	Title, Desc string
	Bars        []svgRect
	Lines       []svgLine
	Labels      []svgText
	TableHead   []string
	TableRows   [][]string
	// W, H, PlotLeft... are the fixed geometry, passed so the page writer
	// has no numbers of its own.
	W, H, PlotLeft, PlotRight, PlotTop, PlotBottom float64
}

func newChart(id, title string) *chart {
	return &chart{ID: id, Title: title, W: chartW, H: chartH,
		PlotLeft: padLeft, PlotRight: padLeft + plotW, PlotTop: padTop, PlotBottom: plotBottom}
}

// latencyChart draws the integration-latency histogram of one endpoint on
// a linear millisecond axis with the integration and function timeouts as
// vertical lines, so how close the tail runs to the wall shows at a
// glance. A function timeout far beyond the axis (900 s against 29 s) is
// marked at the right edge rather than squashing the chart. It returns nil
// when there is nothing to draw.
func latencyChart(id string, h *latency.Histogram, integrationMs, functionMs int64) *chart {
	return histChart(id, h, integrationMs, functionMs, histWords{"Integration latency", "integration latency", "request", "requests", "completed"})
}

// histWords are what a histogram chart calls its values and their units.
type histWords struct {
	title, value, one, many, done string
}

// durationChart draws a function's duration histogram, as its own log
// gave it, with the integration timeout in front of it and its Timeout.
func durationChart(id string, h *latency.Histogram, integrationMs, functionMs int64) *chart {
	return histChart(id, h, integrationMs, functionMs, histWords{"Duration", "duration", "invocation", "invocations", "reported"})
}

// histChart draws a histogram of milliseconds with the two timeouts.
func histChart(id string, h *latency.Histogram, integrationMs, functionMs int64, words histWords) *chart {
	if h == nil || h.Count() == 0 {
		return nil
	}
	top := max(h.Max(), integrationMs)
	if functionMs > 0 && float64(functionMs) <= 2.5*float64(top) {
		top = max(top, functionMs)
	}
	step := niceStep(float64(top)/1000, 6) * 1000
	axisMax := math.Ceil(float64(top)*1.04/step) * step
	x := func(ms float64) float64 { return padLeft + ms/axisMax*plotW }

	c := newChart(id, words.title)
	bins := make([]int64, latencyBin)
	for _, b := range h.Buckets() {
		mid := float64(b.Low+b.High) / 2
		i := min(int(mid/axisMax*latencyBin), latencyBin-1)
		bins[i] += b.Count
	}
	var most int64
	for _, n := range bins {
		most = max(most, n)
	}
	binW := plotW / latencyBin
	for i, n := range bins {
		if n == 0 {
			continue
		}
		// A bar of one request among millions still shows: the tail is
		// what matters here.
		ht := max(float64(n)/float64(most)*plotH, 1.5)
		lo, hi := int64(float64(i)*axisMax/latencyBin), int64(float64(i+1)*axisMax/latencyBin)
		span := seconds(lo) + "–" + seconds(hi)
		c.Bars = append(c.Bars, svgRect{X: padLeft + float64(i)*binW + 0.5, Y: plotBottom - ht, W: binW - 1, H: ht,
			Title: span + ": " + countOf(n, words.one, words.many)})
		c.TableRows = append(c.TableRows, []string{span, fmt.Sprint(n)})
	}
	for i := 0.0; i*step <= axisMax+step/2; i++ {
		v := i * step
		c.Labels = append(c.Labels, svgText{X: x(v), Y: plotBottom + 16, Anchor: "middle", Class: "tick", Text: tick(v, step)})
		c.Lines = append(c.Lines, svgLine{X1: x(v), Y1: plotBottom, X2: x(v), Y2: plotBottom + 4, Class: "axis"})
	}
	c.Labels = append(c.Labels, svgText{X: padLeft - 6, Y: padTop + 4, Anchor: "end", Class: "tick", Text: fmt.Sprint(most)},
		svgText{X: padLeft - 6, Y: plotBottom, Anchor: "end", Class: "tick", Text: "0"})

	marks := []struct {
		ms         int64
		class, who string
		row        float64
	}{
		{integrationMs, "limit-integration", "integration timeout", 12},
		{functionMs, "limit-function", "function timeout", 26},
	}
	var desc []string
	desc = append(desc, fmt.Sprintf("%s %s; p50 %s, p95 %s, p99 %s, max %s",
		countOf(h.Count(), words.one, words.many), words.done, seconds(h.Quantile(0.5)), seconds(h.Quantile(0.95)), seconds(h.Quantile(0.99)), seconds(h.Max())))
	for _, m := range marks {
		switch {
		case m.ms <= 0:
			desc = append(desc, m.who+" unknown")
		case float64(m.ms) > axisMax:
			c.Labels = append(c.Labels, svgText{X: padLeft + plotW, Y: m.row, Anchor: "end", Class: m.class,
				Text: fmt.Sprintf("%s %s →", m.who, seconds(m.ms))})
			desc = append(desc, fmt.Sprintf("%s %s, beyond the axis", m.who, seconds(m.ms)))
		default:
			c.Lines = append(c.Lines, svgLine{X1: x(float64(m.ms)), Y1: m.row + 4, X2: x(float64(m.ms)), Y2: plotBottom, Class: m.class,
				Title: m.who + " " + seconds(m.ms)})
			c.Labels = append(c.Labels, svgText{X: x(float64(m.ms)), Y: m.row, Anchor: anchorFor(x(float64(m.ms))), Class: m.class,
				Text: m.who + " " + seconds(m.ms)})
			desc = append(desc, m.who+" "+seconds(m.ms))
		}
	}
	// Percentile marks share the third label row. p99 is labelled first,
	// being the one that meets the wall; a mark too close to a labelled
	// one keeps its line and drops its label.
	var placed []float64
	for _, p := range []struct {
		q    float64
		name string
	}{{0.99, "p99"}, {0.95, "p95"}, {0.5, "p50"}} {
		v := h.Quantile(p.q)
		px := x(float64(v))
		c.Lines = append(c.Lines, svgLine{X1: px, Y1: padTop - 2, X2: px, Y2: plotBottom, Class: "pct", Title: p.name + " " + seconds(v)})
		if !slices.ContainsFunc(placed, func(o float64) bool { return math.Abs(o-px) < 26 }) {
			c.Labels = append(c.Labels, svgText{X: px, Y: padTop - 6, Anchor: "middle", Class: "pct", Text: p.name})
			placed = append(placed, px)
		}
	}
	c.Desc = strings.Join(desc, "; ") + "."

	c.TableHead = []string{words.value, words.many}
	return c
}

// anchorFor keeps a label near either edge inside the chart.
func anchorFor(px float64) string {
	switch {
	case px < padLeft+60:
		return "start"
	case px > padLeft+plotW-60:
		return "end"
	}
	return "middle"
}

// timeSpan is the common time axis of every timeline in a report, so
// endpoints compare at a glance.
type timeSpan struct {
	from   time.Time // start of the first bucket
	bucket time.Duration
	n      int // buckets
}

// bucketSizes are the bucket widths a timeline may use, smallest first:
// minutes of logs get minutes, months of logs get weeks.
var bucketSizes = []time.Duration{
	time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	24 * time.Hour, 7 * 24 * time.Hour, 28 * 24 * time.Hour,
}

// timelineSpan picks the smallest bucket that covers first..last (Unix
// minutes, inclusive) in at most maxBuckets bars.
func timelineSpan(first, last int64) timeSpan {
	lo, hi := time.Unix(first*60, 0).UTC(), time.Unix(last*60, 0).UTC()
	var s timeSpan
	for _, b := range bucketSizes {
		from := alignDown(lo, b)
		s = timeSpan{from: from, bucket: b, n: int(hi.Sub(from)/b) + 1}
		if s.n <= maxBuckets {
			break
		}
	}
	return s
}

// alignDown starts buckets on round times in UTC: the minute, the hour,
// midnight, and Monday for weeks.
func alignDown(t time.Time, b time.Duration) time.Time {
	const week = 7 * 24 * time.Hour
	if b%week == 0 {
		monday := time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC)
		return monday.Add(t.Sub(monday) / b * b)
	}
	return t.Truncate(b)
}

// timelineChart draws timeouts per bucket of one endpoint.
func timelineChart(id string, byMinute map[int64]int64, s timeSpan) *chart {
	counts := make([]int64, s.n)
	var total, most int64
	for m, n := range byMinute {
		i := int(time.Unix(m*60, 0).Sub(s.from) / s.bucket)
		if i < 0 || i >= s.n || n <= 0 {
			continue
		}
		counts[i] += n
		total += n
	}
	if total == 0 {
		return nil
	}
	c := newChart(id, "Timeouts over time")
	barW := plotW / float64(s.n)
	var busiest int
	for i, n := range counts {
		if n > most {
			most, busiest = n, i
		}
	}
	for i, n := range counts {
		if n == 0 {
			continue
		}
		ht := max(float64(n)/float64(most)*plotH, 1.5)
		start := s.from.Add(time.Duration(i) * s.bucket)
		c.Bars = append(c.Bars, svgRect{X: padLeft + float64(i)*barW + barW*0.1, Y: plotBottom - ht, W: barW * 0.8, H: ht,
			Title: fmt.Sprintf("%s: %s", bucketLabel(start, s.bucket), count(n, "timeout"))})
		c.TableRows = append(c.TableRows, []string{bucketLabel(start, s.bucket), fmt.Sprint(n)})
	}
	end := s.from.Add(time.Duration(s.n) * s.bucket)
	c.Labels = append(c.Labels,
		svgText{X: padLeft, Y: plotBottom + 16, Anchor: "start", Class: "tick", Text: stamp(s.from, s.bucket)},
		svgText{X: padLeft + plotW, Y: plotBottom + 16, Anchor: "end", Class: "tick", Text: stamp(end, s.bucket)},
		svgText{X: padLeft + plotW/2, Y: plotBottom + 16, Anchor: "middle", Class: "tick", Text: perBar(s.bucket)},
		svgText{X: padLeft - 6, Y: padTop + 4, Anchor: "end", Class: "tick", Text: fmt.Sprint(most)},
		svgText{X: padLeft - 6, Y: plotBottom, Anchor: "end", Class: "tick", Text: "0"})
	c.Lines = append(c.Lines, svgLine{X1: padLeft, Y1: plotBottom, X2: padLeft + plotW, Y2: plotBottom, Class: "axis"})
	c.Desc = fmt.Sprintf("%s from %s to %s UTC, %s; most in one bar: %d (%s).",
		count(total, "timeout"), stamp(s.from, s.bucket), stamp(end, s.bucket), perBar(s.bucket), most,
		bucketLabel(s.from.Add(time.Duration(busiest)*s.bucket), s.bucket))
	c.TableHead = []string{durationWord(s.bucket) + " from (UTC)", "timeouts"}
	return c
}

// stamp formats a time as precisely as its bucket needs.
func stamp(t time.Time, bucket time.Duration) string {
	if bucket >= 24*time.Hour {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04")
}

func bucketLabel(start time.Time, bucket time.Duration) string {
	switch {
	case bucket == 7*24*time.Hour:
		return "week of " + stamp(start, bucket)
	case bucket >= 24*time.Hour:
		return durationWord(bucket) + " from " + stamp(start, bucket)
	}
	return stamp(start, bucket) + " UTC"
}

// perBar says what one bar of a timeline covers: "per minute", "per 5
// minutes".
func perBar(d time.Duration) string {
	w := durationWord(d)
	return "one bar per " + strings.TrimPrefix(w, "1 ")
}

func durationWord(d time.Duration) string {
	switch {
	case d%(7*24*time.Hour) == 0:
		return plural(int(d/(7*24*time.Hour)), "week", "weeks")
	case d%(24*time.Hour) == 0:
		return plural(int(d/(24*time.Hour)), "day", "days")
	case d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour", "hours")
	}
	return plural(int(d/time.Minute), "minute", "minutes")
}

// niceStep is a 1, 2 or 5 × 10^k step that divides span into at most n
// parts.
func niceStep(span float64, n int) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// tick labels an axis position v (ms) on an axis stepping by step (ms),
// in the unit of the step.
func tick(v, step float64) string {
	ms := math.Round(v) // steps like 0.05 s are not exact in binary
	if step >= 1000 {
		return strconv.FormatFloat(ms/1000, 'f', -1, 64) + " s"
	}
	return strconv.FormatFloat(ms, 'f', -1, 64) + " ms"
}

// seconds prints milliseconds as people speak of API timeouts, the way
// findings do: "29 s", "2.5 s", "180 ms".
func seconds(ms int64) string { return model.Seconds(time.Duration(ms) * time.Millisecond) }

func count(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// countOf is "1 invocation", "12 invocations".
func countOf(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
