package code

import "sort"

// sortCalls puts calls in source order.
func sortCalls(cs []rawCall) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].at.Start.Offset < cs[j].at.Start.Offset })
}

func scanJava(path string, data []byte) *fileScan { return &fileScan{path: path, lang: Java} }
