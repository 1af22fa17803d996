package report

import (
	"strconv"

	"github.com/gatelint/gatelint/internal/htmlesc"
)

// pageWriter builds the HTML report in memory. Markup comes only from the
// constant format strings of put; every value goes through a verb that
// escapes it, so a value cannot become markup by being passed the wrong
// way. The page is built whole, then written once, so a failing writer is
// one error.
type pageWriter struct {
	buf []byte
}

// put appends format with each verb replaced by the next argument:
//
//	%s  a string, escaped for a text node or a double-quoted attribute
//	%d  an int or int64
//	%n  a float64 SVG coordinate, to a tenth of a unit
//	%u  a string as a whole URL (href): unsafe schemes refused,
//	    percent-encoded, then escaped for the attribute
//	%f  a string as the part of a URL after '#', percent-encoded
//	%%  a '%'
//
// A verb that does not match its argument writes a visible marker, as
// fmt does, rather than stopping the report.
func (w *pageWriter) put(format string, args ...any) {
	arg := 0
	next := func() any {
		if arg >= len(args) {
			return nil
		}
		arg++
		return args[arg-1]
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			w.buf = append(w.buf, c)
			continue
		}
		i++
		verb := format[i]
		if verb == '%' {
			w.buf = append(w.buf, '%')
			continue
		}
		v := next()
		switch x := v.(type) {
		case string:
			switch verb {
			case 's':
				w.buf = htmlesc.AppendText(w.buf, x)
			case 'u':
				w.buf = htmlesc.AppendText(w.buf, htmlesc.URL(x))
			case 'f':
				w.buf = htmlesc.AppendText(w.buf, htmlesc.URLPart(x))
			default:
				w.bad(verb)
			}
		case int:
			w.integer(verb, int64(x))
		case int64:
			w.integer(verb, x)
		case float64:
			if verb != 'n' {
				w.bad(verb)
				break
			}
			w.buf = append(w.buf, svgNumber(x)...)
		default:
			w.bad(verb)
		}
	}
}

func (w *pageWriter) integer(verb byte, n int64) {
	if verb != 'd' {
		w.bad(verb)
		return
	}
	w.buf = strconv.AppendInt(w.buf, n, 10)
}

func (w *pageWriter) bad(verb byte) {
	w.buf = append(w.buf, "%!"...)
	w.buf = append(w.buf, verb)
}

// trusted appends s as is. Only the page's own embedded style sheet,
// script and policy go through here, never a value from the input.
func (w *pageWriter) trusted(s string) {
	w.buf = append(w.buf, s...)
}
