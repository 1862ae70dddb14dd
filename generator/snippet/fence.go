package snippet

import "bytes"

// HasLive reports whether body may hold a live code block. Only such
// posts are parsed before rendering (to collect and run their snippets),
// so it must never say no to a post with one: it takes the text after
// every run of ``` or ~~~ (anywhere on a line, so fences in lists and
// block quotes count) up to the end of the line, and asks ParseFenceInfo,
// the one recogniser of live fences, what it is. An info string that does
// not parse counts too: the post is parsed and the error reported, never
// skipped. A byte scan finds the fences: a multi-line regexp over every
// post's body was 9% of a full build's CPU.
func HasLive(body []byte) bool {
	for off := 0; off < len(body); {
		i := indexFence(body[off:])
		if i < 0 {
			return false
		}
		i += off
		k := i
		for k < len(body) && body[k] == body[i] {
			k++
		}
		end := bytes.IndexByte(body[k:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += k
		}
		if liveInfo(body[k:end]) {
			return true
		}
		off = k
	}
	return false
}

// liveInfo reports whether a fence's info string makes it a live block (or
// is malformed), by ParseFenceInfo.
func liveInfo(info []byte) bool {
	info = bytes.TrimSpace(info)
	if len(info) == 0 {
		return false // a closing fence, or a plain one
	}
	fi, err := ParseFenceInfo(string(info))
	return err != nil || fi.Verb != ""
}

// indexFence is the index of the first "```" or "~~~" in b, or -1.
func indexFence(b []byte) int {
	i := bytes.Index(b, []byte("```"))
	limit := b
	if i >= 0 {
		limit = b[:i]
	}
	if j := bytes.Index(limit, []byte("~~~")); j >= 0 {
		return j
	}
	return i
}
