package logs

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatelint/gatelint/internal/term"
)

// progressMin is the input size below which no bar is drawn: a scan that
// short is over before a bar would help.
const progressMin = 256 << 20

// progress draws "bytes read" and what the kinds found so far on a
// terminal. Its counter is always kept (cheaply); drawing happens only
// when the writer is a terminal, CI is not set and the input is large.
type progress struct {
	done   atomic.Int64
	total  int64
	status func() string
	w      io.Writer
	stopc  chan struct{}
	wg     sync.WaitGroup
}

func newProgress(w io.Writer, ins []input, status func() string) *progress {
	p := &progress{status: status}
	if w == nil || !term.IsTerminal(w) || os.Getenv("CI") != "" {
		return p
	}
	for _, in := range ins {
		if in.stdin {
			continue
		}
		if info, err := os.Stat(in.path); err == nil {
			p.total += info.Size()
		}
	}
	if p.total < progressMin {
		return p
	}
	p.w = w
	p.stopc = make(chan struct{})
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				p.draw()
			case <-p.stopc:
				fmt.Fprint(p.w, "\r\033[K")
				return
			}
		}
	}()
	return p
}

func (p *progress) draw() {
	done := p.done.Load()
	pct := 100 * float64(done) / float64(p.total)
	s := ""
	if p.status != nil {
		s = p.status()
	}
	fmt.Fprintf(p.w, "\r\033[Kreading logs: %d / %d MB (%.0f%%)%s", done>>20, p.total>>20, min(pct, 100), s)
}

func (p *progress) stop() {
	if p.stopc != nil {
		close(p.stopc)
		p.wg.Wait()
	}
}
