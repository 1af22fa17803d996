package lambdalog

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// msg is one message as a container hands it over.
type msg struct {
	b  []byte
	at At
}

// sample reads testdata/samples/name as the messages a container would
// deliver: one per line for .log/.jsonl; for .txt and single-record .json
// files, messages separated by "%%" lines (pretty-printed JSON); for
// get-log-events output, its events (with their timestamps).
func sample(t testing.TB, name string) []msg {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case strings.HasSuffix(name, "get-log-events.json"):
		var out struct {
			Events []struct {
				Timestamp int64  `json:"timestamp"`
				Message   string `json:"message"`
			} `json:"events"`
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatal(err)
		}
		var ms []msg
		for i, e := range out.Events {
			ms = append(ms, msg{[]byte(e.Message), At{Line: i + 1, When: time.UnixMilli(e.Timestamp).UTC(),
				Group: "/aws/lambda/my-function", Stream: "2019/06/05/[$LATEST]x"}})
		}
		return ms
	case strings.HasSuffix(name, ".txt") || strings.HasSuffix(name, ".json"):
		var ms []msg
		line := 1
		for _, part := range bytes.Split(raw, []byte("\n%%\n")) {
			ms = append(ms, msg{bytes.TrimSpace(part), At{Line: line}})
			line += bytes.Count(part, []byte("\n")) + 2
		}
		return ms
	}
	return lines(raw)
}

// lines splits b at newlines as the container does (a "\r" before the
// newline is kept here: the parser must not mind it).
func lines(b []byte) []msg {
	var ms []msg
	off := 0
	for i := 1; off < len(b); i++ {
		end := bytes.IndexByte(b[off:], '\n')
		if end < 0 {
			end = len(b) - off
		}
		ms = append(ms, msg{b[off : off+end], At{Line: i, Offset: int64(off)}})
		off += end + 1
	}
	return ms
}

// stitch runs messages through a Stitcher and returns the invocations.
func stitch(ms []msg, opt Options) ([]Invocation, *Stitcher) {
	var out []Invocation
	opt.OnInvocation = func(inv *Invocation) { out = append(out, *inv) }
	s := NewStitcher(opt)
	for _, m := range ms {
		s.Message(m.b, m.at)
	}
	s.Flush()
	return out, s
}

func ms(v float64) time.Duration { return msDuration(v) }

func byID(invs []Invocation) map[string]Invocation {
	m := map[string]Invocation{}
	for _, inv := range invs {
		m[inv.RequestID] = inv
	}
	return m
}
