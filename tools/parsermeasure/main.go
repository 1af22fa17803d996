// Command parsermeasure compares the handler-code scanner's view of a
// file (package code's CallSites, on the shared tokenizer) with
// tree-sitter's concrete syntax trees (cgo; this module is apart from
// gatelint's so gatelint never needs a C compiler), and times both, plus
// tdewolff/parse's JavaScript parser and go/parser. Usage:
//
//	go run . ../../../shared/corpus-code
//
// docs/handler-code-parsing.md holds the results.
package main

import (
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"bytes"

	gpyparser "github.com/go-python/gpython/parser"
	"github.com/go-python/gpython/py"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
	sitter "github.com/tree-sitter/go-tree-sitter"
	tsjava "github.com/tree-sitter/tree-sitter-java/bindings/go"
	tsjs "github.com/tree-sitter/tree-sitter-javascript/bindings/go"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
	tsts "github.com/tree-sitter/tree-sitter-typescript/bindings/go"

	"github.com/gatelint/gatelint/internal/source/code"
	"github.com/gatelint/gatelint/internal/source/srctok"
)

type stats struct {
	files, bytes    int
	same, diff      int // files whose call sites agree
	sites, tsSites  int
	common          int
	tokTime, tsTime time.Duration
	tsErrors        int // files tree-sitter parsed with ERROR nodes
	tdwOK, tdwFail  int
	tdwTime         time.Duration
	goOK, goFail    int
	goTime          time.Duration
	examples        []string
	// tree-sitter's calls the tokenizer does not look for: inside a
	// string (an f-string's or template literal's substitution), or with
	// a literal's method as callee ("".join, "{}".format).
	inString, onLiteral int
}

func langOf(p string) string {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".py":
		return code.Python
	case ".js", ".mjs", ".cjs":
		return code.JavaScript
	case ".ts", ".mts", ".cts":
		return code.TypeScript
	case ".go":
		return code.Go
	case ".java":
		return code.Java
	}
	return ""
}

func key(s code.Site) string {
	return fmt.Sprintf("%d %s %d %s", s.Line, s.Callee, s.Args, strings.Join(s.Keywords, ","))
}

// lastLink is a callee's text after its last call or index (a.b(x).c → c).
func lastLink(t string) string {
	t = strings.Join(strings.Fields(t), "")
	t = strings.ReplaceAll(t, "?.", ".")
	if i := strings.LastIndexAny(t, ")]"); i >= 0 && i+2 <= len(t) {
		return t[i+2:]
	}
	return t
}

func treeSites(lang string, src []byte, st *stats) ([]code.Site, bool) {
	toks := srctok.Parse("", src, lang == code.Python)
	inString := func(off uint) bool {
		i := toks.TokenAt(int(off))
		return i >= 0 && toks.Toks[i].Kind == srctok.String && toks.Toks[i].Start < int(off)
	}
	p := sitter.NewParser()
	defer p.Close()
	var l *sitter.Language
	switch lang {
	case code.Python:
		l = sitter.NewLanguage(tspython.Language())
	case code.JavaScript:
		l = sitter.NewLanguage(tsjs.Language())
	case code.TypeScript:
		l = sitter.NewLanguage(tsts.LanguageTypescript())
	case code.Java:
		l = sitter.NewLanguage(tsjava.Language())
	}
	_ = p.SetLanguage(l)
	tree := p.Parse(src, nil)
	defer tree.Close()
	root := tree.RootNode()
	var out []code.Site
	text := func(n *sitter.Node) string { return string(src[n.StartByte():n.EndByte()]) }
	var walk func(n *sitter.Node)
	walk = func(n *sitter.Node) {
		var fn, args *sitter.Node
		switch n.Kind() {
		case "call": // Python
			fn, args = n.ChildByFieldName("function"), n.ChildByFieldName("arguments")
		case "call_expression", "new_expression": // JavaScript, TypeScript
			fn, args = n.ChildByFieldName("function"), n.ChildByFieldName("arguments")
			if n.Kind() == "new_expression" {
				fn = n.ChildByFieldName("constructor")
			}
			if args != nil && args.Kind() == "template_string" {
				args = nil
			}
		case "method_invocation": // Java
			name, obj := n.ChildByFieldName("name"), n.ChildByFieldName("object")
			args = n.ChildByFieldName("arguments")
			if obj != nil && (obj.Kind() == "string_literal" || obj.Kind() == "parenthesized_expression") {
				st.onLiteral++
				name = nil
			} else if inString(n.StartByte()) {
				st.inString++
				name = nil
			}
			if name != nil && args != nil {
				callee := text(name)
				if obj != nil {
					callee = text(obj) + "." + callee
				}
				out = append(out, site(lang, callee, name, args, src))
			}
		}
		if fn != nil && args != nil {
			if inString(n.StartByte()) {
				st.inString++
				fn = nil
			} else if obj := fn.ChildByFieldName("object"); obj != nil {
				switch obj.Kind() {
				case "string", "concatenated_string", "template_string", "array", "list", "dictionary", "object", "parenthesized_expression", "call", "call_expression", "subscript", "subscript_expression", "integer", "number":
					if !strings.ContainsAny(text(obj), ")]") || obj.Kind() != "call" && obj.Kind() != "call_expression" && obj.Kind() != "subscript" && obj.Kind() != "subscript_expression" {
						st.onLiteral++
						fn = nil
					}
				}
			}
		}
		if fn != nil && args != nil {
			switch fn.Kind() {
			case "identifier", "attribute", "member_expression", "property_identifier", "import", "super":
				out = append(out, site(lang, text(fn), fn, args, src))
			}
		}
		for i := uint(0); i < n.ChildCount(); i++ {
			walk(n.Child(i))
		}
	}
	walk(root)
	return out, root.HasError()
}

func site(lang, callee string, fn, args *sitter.Node, src []byte) code.Site {
	c := lastLink(callee)
	start := fn.StartPosition()
	line := int(start.Row) + 1
	if i := strings.LastIndexAny(strings.Join(strings.Fields(callee), ""), ")]"); i >= 0 {
		// the last link starts after the bracket: find its row
		tail := "." + c
		if j := strings.LastIndex(string(src[fn.StartByte():fn.EndByte()]), c); j >= 0 && tail != "" {
			line += strings.Count(string(src[fn.StartByte():fn.StartByte()+uint(j)]), "\n")
		}
	}
	s := code.Site{Line: line, Callee: c}
	if args.Kind() == "generator_expression" {
		s.Args = 1
		return s
	}
	for i := uint(0); i < args.NamedChildCount(); i++ {
		a := args.NamedChild(i)
		if a.Kind() == "comment" {
			continue
		}
		s.Args++
		if a.Kind() == "keyword_argument" {
			if k := a.ChildByFieldName("name"); k != nil {
				s.Keywords = append(s.Keywords, string(src[k.StartByte():k.EndByte()]))
			}
		}
	}
	return s
}

func main() {
	root := os.Args[1]
	by := map[string]*stats{}
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		lang := langOf(p)
		if lang == "" {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		st := by[lang]
		if st == nil {
			st = &stats{}
			by[lang] = st
		}
		st.files++
		st.bytes += len(src)
		if lang == code.Go {
			t := time.Now()
			_, err := parser.ParseFile(token.NewFileSet(), p, src, parser.ParseComments)
			st.goTime += time.Since(t)
			if err != nil {
				st.goFail++
			} else {
				st.goOK++
			}
			return nil
		}
		t := time.Now()
		mine := code.CallSites(lang, src)
		st.tokTime += time.Since(t)
		t = time.Now()
		theirs, hasErr := treeSites(lang, src, st)
		st.tsTime += time.Since(t)
		if hasErr {
			st.tsErrors++
		}
		if lang == code.Python {
			t = time.Now()
			ok := func() (ok bool) {
				defer func() {
					if recover() != nil {
						ok = false
					}
				}()
				_, err := gpyparser.Parse(bytes.NewReader(src), p, py.ExecMode)
				return err == nil
			}()
			st.tdwTime += time.Since(t)
			if ok {
				st.tdwOK++
			} else {
				st.tdwFail++
			}
		}
		if lang == code.JavaScript || lang == code.TypeScript {
			t = time.Now()
			_, err := js.Parse(parse.NewInputBytes(src), js.Options{})
			st.tdwTime += time.Since(t)
			if err != nil {
				st.tdwFail++
			} else {
				st.tdwOK++
			}
		}
		a, b := map[string]int{}, map[string]int{}
		for _, s := range mine {
			a[key(s)]++
		}
		for _, s := range theirs {
			b[key(s)]++
		}
		st.sites += len(mine)
		st.tsSites += len(theirs)
		common := 0
		var only []string
		for k, n := range a {
			common += min(n, b[k])
			if n > b[k] {
				only = append(only, "tokens only: "+k)
			}
		}
		for k, n := range b {
			if n > a[k] {
				only = append(only, "tree-sitter only: "+k)
			}
		}
		st.common += common
		if len(only) == 0 {
			st.same++
		} else {
			st.diff++
			sort.Strings(only)
			rel, _ := filepath.Rel(root, p)
			for _, o := range only {
				st.examples = append(st.examples, rel+": "+o)
			}
		}
		return nil
	})
	langs := []string{code.Python, code.JavaScript, code.TypeScript, code.Java, code.Go}
	fmt.Printf("| language | files | KB | files agreeing | call sites (tokens / tree-sitter / both) | tree-sitter's not looked for (in strings / on literals) | tokens ms | tree-sitter ms | tree-sitter files with ERROR | tdewolff js.Parse (JS/TS) or gpython (Python) ok/fail, ms | go/parser ok/fail, ms |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, l := range langs {
		st := by[l]
		if st == nil {
			continue
		}
		fmt.Printf("| %s | %d | %d | %d/%d | %d / %d / %d | %d / %d | %.1f | %.1f | %d | %d/%d, %.1f | %d/%d, %.1f |\n", l, st.files, st.bytes/1024,
			st.same, st.same+st.diff, st.sites, st.tsSites, st.common, st.inString, st.onLiteral, ms(st.tokTime), ms(st.tsTime), st.tsErrors,
			st.tdwOK, st.tdwFail, ms(st.tdwTime), st.goOK, st.goFail, ms(st.goTime))
	}
	for _, l := range langs {
		if st := by[l]; st != nil {
			for _, e := range st.examples {
				fmt.Fprintln(os.Stderr, l+"\t"+e)
			}
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
