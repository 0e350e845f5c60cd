package emails

import "bytes"

// inlineTags are the elements a browser renders inside a line of text, so text split by
// them reads as one word ("info<span>@</span>acme.de").
var inlineTags = map[string]bool{
	"span": true, "b": true, "i": true, "em": true, "strong": true, "font": true, "small": true,
	"u": true, "a": true, "abbr": true, "bdi": true, "bdo": true, "code": true, "mark": true,
	"s": true, "sub": true, "sup": true, "tt": true, "wbr": true, "var": true, "kbd": true, "samp": true,
}

func endsWithTag(b []byte) bool   { return len(b) > 0 && b[len(b)-1] == '>' }
func startsWithTag(b []byte) bool { return len(b) > 0 && b[0] == '<' }

// renderInline returns an HTML fragment as text the way it reads on screen: comments
// and inline tags removed, other tags (block elements, line breaks) turned into spaces.
// A tag cut at either end of the fragment is treated like a whole one.
func renderInline(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c == '>' && i == 0 {
			i++
			continue
		}
		if c != '<' {
			out = append(out, c)
			i++
			continue
		}
		if bytes.HasPrefix(b[i:], []byte("<!--")) {
			end := bytes.Index(b[i+4:], []byte("-->"))
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		end := bytes.IndexByte(b[i:], '>')
		if end < 0 {
			break
		}
		tag := b[i+1 : i+end]
		tag = bytes.TrimPrefix(tag, []byte("/"))
		n := 0
		for n < len(tag) && (tag[n] >= 'a' && tag[n] <= 'z' || tag[n] >= 'A' && tag[n] <= 'Z' || tag[n] >= '0' && tag[n] <= '9') {
			n++
		}
		if !inlineTags[string(bytes.ToLower(tag[:n]))] {
			out = append(out, ' ')
		}
		i += end + 1
	}
	// A comment or tag whose start lies before the fragment: drop what precedes its end.
	if j := bytes.Index(out, []byte("-->")); j >= 0 && bytes.LastIndex(out[:j], []byte("<!--")) < 0 {
		out = out[j+3:]
	}
	return out
}
