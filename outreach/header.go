package outreach

import (
	"strings"
	"unicode"
)

// CleanHeader makes a value safe to place in a header: CR, LF, tabs and every other control
// character become spaces, invisible format characters are dropped, runs of white space collapse to one, and the ends are trimmed.
// Crawled text therefore never starts a new header line. Non-ASCII text is left as is:
// go-mail encodes it (RFC 2047) when the header is written.
func CleanHeader(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			space = true
			continue
		}
		if unicode.Is(unicode.Cf, r) { // zero-width and bidi controls: invisible, used to spoof
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
