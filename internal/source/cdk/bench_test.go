package cdk

import (
	"os"
	"testing"
)

// BenchmarkLocate tokenizes the fixture's TypeScript stack and locates a
// construct call's timeout, as the reader does for each traced position.
func BenchmarkLocate(b *testing.B) {
	src, err := os.ReadFile("../../../fixtures/cdk-apps/ts-node/lib/api-stack.ts")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		s := parseSource("api-stack.ts", src, false)
		off, _ := s.offsetOf(18, 20)
		c, err := s.callAt(off)
		if err != nil {
			b.Fatal(err)
		}
		ms, _ := s.props(c)
		if _, found, _ := lookupMember(ms, "timeout"); !found {
			b.Fatal("no timeout")
		}
	}
}
