package samconfig

import (
	"fmt"
	"strings"
)

// A reader of the TOML that samconfig files are written in: tables,
// dotted and quoted keys, strings of every kind, arrays, and the other
// values skipped over. It keeps where each string stands, which no TOML
// library gives.

type tomlParser struct {
	path string
	data []byte
	i    int
}

func (p *tomlParser) line() int {
	return 1 + strings.Count(string(p.data[:min(p.i, len(p.data))]), "\n")
}

func (p *tomlParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.path, p.line(), fmt.Sprintf(format, args...))
}

func (p *tomlParser) eof() bool { return p.i >= len(p.data) }

func (p *tomlParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.data[p.i]
}

// blank skips spaces and tabs, and with lines also newlines and comments.
func (p *tomlParser) blank(lines bool) {
	for !p.eof() {
		switch c := p.data[p.i]; {
		case c == ' ' || c == '\t':
			p.i++
		case c == '#':
			for !p.eof() && p.data[p.i] != '\n' {
				p.i++
			}
		case lines && (c == '\n' || c == '\r'):
			p.i++
		default:
			return
		}
	}
}

func parseTOML(path string, data []byte) ([]table, error) {
	p := &tomlParser{path: path, data: data}
	if len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf" {
		p.i = 3
	}
	var tables []table
	cur := -1
	for {
		p.blank(true)
		if p.eof() {
			return tables, nil
		}
		start := p.i
		if p.peek() == '[' {
			p.i++
			array := p.peek() == '['
			if array {
				p.i++
			}
			keys, err := p.keys()
			if err != nil {
				return nil, err
			}
			if p.peek() != ']' {
				return nil, p.errorf("a table header must end with ]")
			}
			p.i++
			if array {
				if p.peek() != ']' {
					return nil, p.errorf("an array of tables must end with ]]")
				}
				p.i++
			}
			t := table{env: keys[0], start: start, line: p.line(), keys: map[string]value{}}
			if len(keys) == 3 && keys[2] == "parameters" && !array {
				t.command = keys[1]
			}
			tables = append(tables, t)
			cur = len(tables) - 1
		} else {
			keys, err := p.keys()
			if err != nil {
				return nil, err
			}
			if p.peek() != '=' {
				return nil, p.errorf("expected = after the key %s", strings.Join(keys, "."))
			}
			p.i++
			p.blank(false)
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			if cur >= 0 && len(keys) == 1 {
				tables[cur].keys[keys[0]] = v
			}
		}
		p.blank(false)
		if !p.eof() && p.peek() != '\n' && p.peek() != '\r' {
			return nil, p.errorf("unexpected %q after a value", p.peek())
		}
	}
}

// keys reads a dotted key: bare parts or quoted ones.
func (p *tomlParser) keys() ([]string, error) {
	var out []string
	for {
		p.blank(false)
		switch c := p.peek(); {
		case c == '"' || c == '\'':
			s, err := p.str()
			if err != nil {
				return nil, err
			}
			out = append(out, s.s)
		case isBare(c):
			start := p.i
			for !p.eof() && isBare(p.peek()) {
				p.i++
			}
			out = append(out, string(p.data[start:p.i]))
		default:
			return nil, p.errorf("expected a key")
		}
		p.blank(false)
		if p.peek() != '.' {
			return out, nil
		}
		p.i++
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value reads a value: strings and arrays of them are kept, anything
// else (numbers, booleans, dates, inline tables) is skipped.
func (p *tomlParser) value() (value, error) {
	switch p.peek() {
	case '"', '\'':
		s, err := p.str()
		return value{strs: []str{s}}, err
	case '[':
		p.i++
		var v value
		for {
			p.blank(true)
			switch p.peek() {
			case 0:
				return v, p.errorf("an array is not closed")
			case ']':
				p.i++
				return v, nil
			case ',':
				p.i++
				continue
			}
			item, err := p.value()
			if err != nil {
				return v, err
			}
			v.strs = append(v.strs, item.strs...)
		}
	case '{':
		depth := 0
		for !p.eof() {
			switch p.peek() {
			case '"', '\'':
				if _, err := p.str(); err != nil {
					return value{}, err
				}
				continue
			case '{':
				depth++
			case '}':
				depth--
			}
			p.i++
			if depth == 0 {
				return value{}, nil
			}
		}
		return value{}, p.errorf("an inline table is not closed")
	}
	start := p.i
	for !p.eof() && !strings.ContainsRune(",]#\r\n", rune(p.peek())) {
		p.i++
	}
	if strings.TrimSpace(string(p.data[start:p.i])) == "" {
		return value{}, p.errorf("expected a value")
	}
	return value{}, nil
}

// str reads a basic, literal or multi-line string.
func (p *tomlParser) str() (str, error) {
	at := p.i
	q := p.data[p.i]
	multi := p.i+2 < len(p.data) && p.data[p.i+1] == q && p.data[p.i+2] == q
	if multi {
		p.i += 3
		if p.peek() == '\n' {
			p.i++
		} else if p.peek() == '\r' && p.i+1 < len(p.data) && p.data[p.i+1] == '\n' {
			p.i += 2
		}
	} else {
		p.i++
	}
	var b strings.Builder
	var raw []int
	put := func(c byte, at int) { b.WriteByte(c); raw = append(raw, at) }
	for {
		if p.eof() {
			return str{}, p.errorf("a string is not closed")
		}
		c := p.data[p.i]
		if c == q && (!multi || p.i+2 < len(p.data) && p.data[p.i+1] == q && p.data[p.i+2] == q) {
			raw = append(raw, p.i)
			if multi {
				p.i += 3
			} else {
				p.i++
			}
			return str{s: b.String(), raw: raw, at: at, end: p.i}, nil
		}
		if c == '\n' && !multi {
			return str{}, p.errorf("a string is not closed on its line")
		}
		if c == '\\' && q == '"' {
			if p.i+1 >= len(p.data) {
				return str{}, p.errorf("a string is not closed")
			}
			at := p.i
			p.i++
			switch e := p.data[p.i]; e {
			case 'n':
				put('\n', at)
			case 't':
				put('\t', at)
			case 'r':
				put('\r', at)
			case '"', '\\':
				put(e, at)
			case '\n':
				// A line-ending backslash in a multi-line string joins lines.
				for !p.eof() && strings.ContainsRune(" \t\r\n", rune(p.peek())) {
					p.i++
				}
				continue
			default:
				put('\\', at)
				put(e, at+1)
			}
			p.i++
			continue
		}
		put(c, p.i)
		p.i++
	}
}
