package functionlog_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/gatelint/gatelint/internal/source/accesslog"
	"github.com/gatelint/gatelint/internal/source/functionlog"
	"github.com/gatelint/gatelint/internal/source/logs"
)

// FuzzKind: any bytes, in any shape the container finds, read with both
// kinds: nothing panics, and what is counted adds up.
func FuzzKind(f *testing.F) {
	f.Add([]byte("START RequestId: 1 Version: $LATEST\nREPORT RequestId: 1\tDuration: 30000.5 ms\tBilled Duration: 30001 ms\n"))
	f.Add([]byte("2026-11-20T09:16:06.405Z START RequestId: 1 Version: $LATEST\nnot prefixed\n2026-11-20T09:16:40.405Z REPORT RequestId: 1\tDuration: 30000.5 ms\n"))
	f.Add([]byte(`{"messageType":"DATA_MESSAGE","logGroup":"/aws/lambda/fn","logEvents":[{"timestamp":1,"message":"hello"},{"timestamp":2,"message":"START RequestId: 2 Version: 1"}]}`))
	f.Add([]byte(`{"results":[[{"field":"@type","value":"REPORT"},{"field":"@requestId","value":"x"},{"field":"@duration","value":"31000"}]]}`))
	f.Add([]byte("@timestamp,@message\n2026-11-20 09:16:06.405,START RequestId: 3 Version: $LATEST\n"))
	f.Add([]byte(`{"time":"2026-11-20T09:16:06.405Z","type":"platform.start","record":{"requestId":"4"}}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ak, _ := accesslog.NewKind("", nil)
		fk := functionlog.NewKind(functionlog.Options{Thresholds: []time.Duration{29 * time.Second}, Named: []functionlog.Named{{Name: "fn", Path: "-"}}})
		logs.Scan(context.Background(), []string{"-"}, logs.Options{Kinds: []logs.Kind{fk, ak}, Stdin: bytes.NewReader(data)})
		fls, _, _ := fk.Result()
		for _, l := range fls {
			o := l.Over(29 * time.Second)
			if o.Over > l.Invocations || o.Succeeded+o.TimedOut+o.Failed > o.Over || l.Succeeded+l.Failed+l.TimedOut > l.Invocations || int64(len(l.Runs)) > l.Invocations {
				t.Fatalf("counts do not add up: %+v, over %+v", l, o)
			}
		}
	})
}
