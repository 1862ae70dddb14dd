package playground

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// decodeEntry decodes a stored entry in the shape put writes (the JSON of
// entry), several times faster than encoding/json: decoding was most of a
// warm build's lookup time. ok is false for anything else (an unknown or
// differently spelled key, a null, a value of another type), and the caller
// then decodes with encoding/json, which stays the definition of the format.
func decodeEntry(b []byte) (e entry, ok bool) {
	r := &entryReader{b: b}
	r.object(func(key []byte) {
		switch string(key) {
		case "id":
			e.ID = r.str()
		case "inputs":
			e.Inputs = r.inputs()
		case "result":
			r.result(&e.Result)
		default:
			r.bad = true
		}
	})
	r.space()
	return e, !r.bad && r.i == len(b)
}

// entryReader reads JSON values from b at i; any surprise sets bad, after
// which every read returns zero values.
type entryReader struct {
	b   []byte
	i   int
	bad bool
}

func (r *entryReader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// next skips blanks and consumes c, or marks the input bad.
func (r *entryReader) next(c byte) bool {
	r.space()
	if r.bad || r.i >= len(r.b) || r.b[r.i] != c {
		r.bad = true
		return false
	}
	r.i++
	return true
}

// peek skips blanks and reports whether c comes next, without consuming it.
func (r *entryReader) peek(c byte) bool {
	r.space()
	return !r.bad && r.i < len(r.b) && r.b[r.i] == c
}

// object reads {"key": value, ...}, calling field to read each value.
func (r *entryReader) object(field func(key []byte)) {
	if !r.next('{') {
		return
	}
	if r.peek('}') {
		r.i++
		return
	}
	for !r.bad {
		key := r.key()
		if !r.next(':') {
			return
		}
		field(key)
		if r.peek(',') {
			r.i++
			continue
		}
		r.next('}')
		return
	}
}

// array reads [value, ...], calling elem to read each value.
func (r *entryReader) array(elem func()) {
	if !r.next('[') {
		return
	}
	if r.peek(']') {
		r.i++
		return
	}
	for !r.bad {
		elem()
		if r.peek(',') {
			r.i++
			continue
		}
		r.next(']')
		return
	}
}

// key reads an object key, which is compared, never kept: it stays in b.
func (r *entryReader) key() []byte {
	if !r.next('"') {
		return nil
	}
	start := r.i
	for r.i < len(r.b) && r.b[r.i] != '"' && r.b[r.i] != '\\' && r.b[r.i] >= 0x20 {
		r.i++
	}
	if r.i >= len(r.b) || r.b[r.i] != '"' {
		// An escaped key is not one of ours; a control character is not
		// JSON at all (FuzzDecodeEntry found one accepted).
		r.bad = true
		return nil
	}
	r.i++
	key := r.b[start : r.i-1]
	if !utf8.Valid(key) {
		r.bad = true // encoding/json makes U+FFFD of it
		return nil
	}
	return key
}

// str reads a string. One without escapes is sliced out as is, one with
// only one-letter escapes (\n, \", ...) is unescaped here; \u sequences
// and invalid UTF-8 go through encoding/json (surrogate pairs, U+FFFD).
func (r *entryReader) str() string {
	if !r.next('"') {
		return ""
	}
	start := r.i
	escaped, unicode := false, false
	for r.i < len(r.b) {
		switch c := r.b[r.i]; {
		case c == '"':
			r.i++
			raw := r.b[start : r.i-1]
			switch {
			case !utf8.Valid(raw) || unicode:
				var s string
				if err := json.Unmarshal(r.b[start-1:r.i], &s); err != nil {
					r.bad = true
				}
				return s
			case escaped:
				return unescape(raw)
			}
			return string(raw)
		case c == '\\':
			if r.i+1 < len(r.b) {
				switch r.b[r.i+1] {
				case 'u':
					unicode = true
				case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				default:
					r.bad = true
					return ""
				}
			}
			escaped = true
			r.i += 2
		case c < 0x20:
			r.bad = true
			return ""
		default:
			r.i++
		}
	}
	r.bad = true
	return ""
}

// unescape decodes a string body holding one-letter escapes only.
func unescape(raw []byte) string {
	b := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			b = append(b, c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			c = '\b'
		case 'f':
			c = '\f'
		case 'n':
			c = '\n'
		case 'r':
			c = '\r'
		case 't':
			c = '\t'
		default: // " \ /
			c = raw[i]
		}
		b = append(b, c)
	}
	return string(b)
}

// int reads an integer: an optional minus and at most 18 digits.
func (r *entryReader) int() int {
	r.space()
	neg := r.i < len(r.b) && r.b[r.i] == '-'
	if neg {
		r.i++
	}
	n, digits := 0, 0
	for ; r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9'; r.i++ {
		n = n*10 + int(r.b[r.i]-'0')
		digits++
	}
	leadingZero := digits > 1 && r.b[r.i-digits] == '0'
	if digits == 0 || digits > 18 || leadingZero || r.i < len(r.b) && (r.b[r.i] == '.' || r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.bad = true // encoding/json says what such a number means
	}
	if neg {
		n = -n
	}
	return n
}

// float reads a number; encoding/json checks its syntax (one an entry).
func (r *entryReader) float() float64 {
	r.space()
	start := r.i
	for r.i < len(r.b) && strings.IndexByte("0123456789+-.eE", r.b[r.i]) >= 0 {
		r.i++
	}
	var f float64
	if r.bad || json.Unmarshal(r.b[start:r.i], &f) != nil {
		r.bad = true
	}
	return f
}

func (r *entryReader) bool() bool {
	r.space()
	switch {
	case r.bad:
	case len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "true":
		r.i += 4
		return true
	case len(r.b)-r.i >= 5 && string(r.b[r.i:r.i+5]) == "false":
		r.i += 5
	default:
		r.bad = true
	}
	return false
}

func (r *entryReader) strings() []string {
	out := []string{} // as encoding/json decodes []
	r.array(func() { out = append(out, r.str()) })
	return out
}

func (r *entryReader) inputs() *Inputs {
	in := &Inputs{}
	r.object(func(key []byte) {
		switch string(key) {
		case "files":
			in.Files = map[string]string{}
			r.object(func(name []byte) { in.Files[string(name)] = r.str() })
		case "mode":
			in.Mode = Mode(r.str())
		case "args":
			in.Args = r.strings()
		case "stdin":
			in.Stdin = r.str()
		case "measure":
			in.Measure = r.str()
		case "bench":
			b := &BenchOptions{}
			r.object(func(key []byte) {
				switch string(key) {
				case "Count":
					b.Count = r.int()
				case "CPU":
					b.CPU = []int{}
					r.array(func() { b.CPU = append(b.CPU, r.int()) })
				case "Benchtime":
					b.Benchtime = r.str()
				case "Filter":
					b.Filter = r.str()
				case "Round":
					b.Round = r.int()
				default:
					r.bad = true
				}
			})
			in.Bench = b
		case "modules":
			in.Modules = r.str()
		case "go":
			in.Go = r.str()
		case "platform":
			in.Platform = r.str()
		case "limits":
			in.Limits = r.str()
		case "sandbox":
			in.Sandbox = r.str()
		case "runner":
			in.Runner = r.str()
		default:
			r.bad = true
		}
	})
	return in
}

func (r *entryReader) result(s *storedResult) {
	r.object(func(key []byte) {
		switch string(key) {
		case "status":
			s.Status = Status(r.str())
		case "exitCode":
			s.ExitCode = r.int()
		case "events":
			s.Events = []storedEvt{}
			r.array(func() { s.Events = append(s.Events, r.event()) })
		case "diagnostics":
			s.Diagnostics = []Diagnostic{}
			r.array(func() { s.Diagnostics = append(s.Diagnostics, r.diagnostic()) })
		case "truncated":
			s.Truncated = r.bool()
		case "durationMs":
			s.DurationMS = r.float()
		case "env":
			r.env(&s.Env)
		default:
			r.bad = true
		}
	})
}

func (r *entryReader) event() storedEvt {
	var ev storedEvt
	r.object(func(key []byte) {
		switch string(key) {
		case "stream":
			ev.Stream = Stream(r.str())
		case "data":
			ev.Data = r.str()
		default:
			r.bad = true
		}
	})
	return ev
}

func (r *entryReader) diagnostic() Diagnostic {
	var d Diagnostic
	r.object(func(key []byte) {
		switch string(key) {
		case "File":
			d.File = r.str()
		case "Line":
			d.Line = r.int()
		case "Col":
			d.Col = r.int()
		case "Msg":
			d.Msg = r.str()
		default:
			r.bad = true
		}
	})
	return d
}

func (r *entryReader) env(e *Env) {
	r.object(func(key []byte) {
		switch string(key) {
		case "GoVersion":
			e.GoVersion = r.str()
		case "GOOS":
			e.GOOS = r.str()
		case "GOARCH":
			e.GOARCH = r.str()
		case "CPU":
			e.CPU = r.str()
		case "NumCPU":
			e.NumCPU = r.int()
		case "Machine":
			e.Machine = r.str()
		case "Load":
			e.Load = r.load()
		case "RanAt":
			if err := e.RanAt.UnmarshalText([]byte(r.str())); err != nil {
				r.bad = true
			}
		default:
			r.bad = true
		}
	})
}

func (r *entryReader) load() *Load {
	l := &Load{}
	r.object(func(key []byte) {
		switch string(key) {
		case "Avg":
			l.Avg = r.float()
		case "Others":
			l.Others = r.float()
		case "Steal":
			l.Steal = r.float()
		case "CPUs":
			l.CPUs = r.int()
		default:
			r.bad = true
		}
	})
	return l
}
