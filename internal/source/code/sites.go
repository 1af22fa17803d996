package code

import (
	"strings"

	"github.com/gatelint/gatelint/internal/source/srctok"
)

// Site is one call as the scanner's tokenizer sees it: the line of its
// callee's first token, the dotted callee as written, the number of
// arguments and, in Python, the keywords given. The parser measurement
// (tools/parsermeasure, docs/handler-code-parsing.md) compares these with
// a real parser's.
type Site struct {
	Line     int
	Callee   string
	Args     int
	Keywords []string
}

// keywords are words a bracket may follow that are not callees.
var keywords = map[string]bool{"if": true, "elif": true, "for": true, "while": true, "switch": true, "catch": true, "with": true,
	"return": true, "typeof": true, "void": true, "delete": true, "in": true, "of": true, "else": true, "do": true, "not": true,
	"and": true, "or": true, "assert": true, "yield": true, "lambda": true, "is": true, "del": true, "except": true, "raise": true,
	"await": true, "synchronized": true, "instanceof": true, "case": true, "from": true, "import": true, "print": false, "exec": false,
	"super": false, "this": false, "throw": true, "new": true, "async": true, "as": true, "satisfies": true}

// CallSites lists the calls of a Python, JavaScript, TypeScript or Java
// file whose callee is a dotted name (f(...), a.b.c(...), a.b(...).c(...)
// counts its last link), declarations (def, function, class, new of a
// type in Java) aside.
func CallSites(lang string, data []byte) []Site {
	py := lang == Python
	t := newTK("", data, py, nil)
	var out []Site
	for p := 1; p < len(t.Toks); p++ {
		if !t.Is(p, "(") || t.Toks[p].Kind != srctok.Punct {
			continue
		}
		end := p
		if !py {
			end = (&jsScan{tk: t}).typeArgsStart(p)
		}
		cs := t.calleeStart(end)
		if cs < 0 || t.Is(cs-1, "def") || t.Is(cs-1, "class") || t.Is(cs-1, "function") {
			continue
		}
		if cs == end-1 && keywords[t.Text(cs)] || lang == Java && (t.Is(cs-1, "@") || t.Is(cs-1, "new")) {
			continue
		}
		if cl := t.close(p); !py && cl > 0 && (t.Is(cl+1, "{") || t.Is(cl+1, "throws")) {
			continue // a method or constructor declaration
		}
		// The last link of a chain is the call; its callee starts at the
		// identifier after the last bracket before it.
		first := cs
		for k := end - 1; k > cs; k-- {
			if t.Is(k, ")") || t.Is(k, "]") {
				first = k + 2
				break
			}
		}
		callee := strings.ReplaceAll(string(t.Src[t.Toks[first].Start:t.Toks[end-1].End]), "?.", ".")
		callee = strings.Join(strings.Fields(callee), "")
		site := Site{Line: t.Pos(t.Toks[first].Start).Line, Callee: callee}
		for _, a := range t.args(p, py) {
			site.Args++
			if a.name != "" {
				site.Keywords = append(site.Keywords, a.name)
			}
		}
		out = append(out, site)
	}
	return out
}
