package lead

import (
	"strings"
)

// CleanText is the one normalisation of a text field that came from outside (a crawled
// page, an imported file) before it is stored: tabs, line breaks and other white space
// become a plain space, control characters (NUL, escape, ...) and the invisible marks that
// reorder or hide text (bidirectional overrides, zero-width spaces, a byte-order mark) are
// dropped, and the ends are trimmed. Such characters carry no meaning in a name or an
// address; kept, they break terminals, spreadsheets and mail headers, or make one name
// look like another.
func CleanText(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r >= 0x80 && needsCleaning(r) {
			clean = false
			break
		}
	}
	if clean {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029:
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f || needsCleaning(r):
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// needsCleaning reports the characters above ASCII that CleanText drops or replaces: C1
// controls, line and paragraph separators, bidirectional controls, zero-width spaces and
// the byte-order mark. Joiners (U+200C, U+200D) stay: scripts and emoji need them.
func needsCleaning(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0x200b, r == 0x2060, r == 0xfeff, r == 0xfffe:
		return true
	}
	return false
}
