package code

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// The scanners take time about linear in the file: a large generated
// file of many functions, calls and variables, and one of deep
// brackets, each in well under the time a run may spend on a file.
func TestNoHang(t *testing.T) {
	var js, py strings.Builder
	for i := 0; i < 4000; i++ {
		js.WriteString("const v" + itoa(i) + " = v" + itoa(max(i-1, 0)) + " * 2;\nfunction f" + itoa(i) + "(u, t = v" + itoa(i) + ") { return axios.get(u, { timeout: t }); }\n")
		py.WriteString("v" + itoa(i) + " = v" + itoa(max(i-1, 0)) + " * 2\ndef f" + itoa(i) + "(u, t=v" + itoa(i) + "):\n    return requests.get(u, timeout=t)\n")
	}
	deep := strings.Repeat("f(", 20000) + strings.Repeat(")", 20000)
	cases := []struct {
		lang string
		src  string
	}{{JavaScript, "import axios from 'axios';\n" + js.String()}, {Python, "import requests\n" + py.String()}, {JavaScript, deep}, {Python, deep}, {Go, "package main\nfunc f() {" + deep + "}\n"}}
	for _, c := range cases {
		start := time.Now()
		fs := scanFile("f", []byte(c.src), c.lang, nil)
		if el := time.Since(start); el > 10*time.Second {
			t.Errorf("%s, %d bytes: %v, %d calls", c.lang, len(c.src), el, len(fs.calls))
		} else {
			t.Logf("%s, %d bytes: %v, %d calls", c.lang, len(c.src), el, len(fs.calls))
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
