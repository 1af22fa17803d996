package report

import "testing"

func TestMDCode(t *testing.T) {
	tests := map[string]string{
		"POST /x":     "`POST /x`",
		"a`b":         "`` a`b ``",
		"a``b<img>":   "``` a``b<img> ```",
		"```":         "```` ``` ````",
		"/items/{id}": "`/items/{id}`",
	}
	for in, want := range tests {
		if got := mdCode(in); got != want {
			t.Errorf("mdCode(%q) = %q, want %q", in, got, want)
		}
	}
}
