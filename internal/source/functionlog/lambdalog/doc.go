// Package lambdalog reads AWS Lambda function logs (/aws/lambda/<fn>) one
// message at a time: it recognizes the platform records Lambda writes
// around each invocation (START, END, REPORT, "Task timed out", runtime
// exits, INIT_START, INIT_REPORT..., or their JSON forms platform.start,
// platform.runtimeDone, platform.report...), skips application lines
// after a look at their first bytes, stitches the records of one request
// ID into an Invocation, and aggregates invocations per function (log
// group) in bounded memory.
//
// It knows nothing of containers. The caller (gatelint's log container)
// splits S3 exports, filter-log-events output, Firehose envelopes and so
// on into messages and hands each over with where it was:
//
//	agg := lambdalog.NewAggregator(lambdalog.AggOptions{Thresholds: []time.Duration{29 * time.Second}})
//	st := lambdalog.NewStitcher(lambdalog.Options{OnInvocation: agg.Add})
//	for each message m at line l, offset o, time t, in group g:
//		st.Message(m, lambdalog.At{Line: l, Offset: o, When: t, Group: g})
//	st.Flush()
//	for _, f := range agg.Functions() { f.Over(29 * time.Second) ... }
//
// A large input read in chunks takes a Stitcher and an Aggregator per
// chunk; after the chunk, Shift both by the lines and bytes before it,
// then, in input order, first.Merge(stitcher) (invocations cut by the
// chunk boundary are joined and go to the first chunk's callback) and
// firstAgg.Merge(agg); Flush the first Stitcher at the end of the input
// (or of the inputs, to join invocations split between files).
//
// Sources for every format handled are in docs/function-log-samples.md.
package lambdalog
