package driver

import (
	"fmt"
	"io"
	"os"

	"github.com/gatelint/gatelint/internal/source"
)

// sniffLarge decides whether a large walked file can be any source's
// from a bounded prefix, so a walk's memory does not grow with the data
// sets and fixtures that sit beside templates. It returns why the file is
// skipped, or "" when some source may read it (and then it is read
// whole).
func sniffLarge(in source.Input) string {
	if in.Named {
		return ""
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return ""
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() <= source.LargeFile {
		return ""
	}
	head := make([]byte, source.SniffSize)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return ""
	}
	head = head[:n]
	why := ""
	for _, r := range Readers {
		if !r.Wants(in.Path) {
			continue
		}
		s, ok := r.(source.Sniffer)
		if !ok {
			return "" // it must see the whole file to tell
		}
		maybe, w := s.Sniff(head, info.Size())
		if maybe {
			return ""
		}
		if why == "" {
			why = w
		}
	}
	if why == "" {
		return ""
	}
	return fmt.Sprintf("skipped: %s; %s, decided from its first %d KB", why, size(info.Size()), len(head)>>10)
}

// size words a file size: "317 MB".
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}
