package emails

import (
	"bytes"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"
)

// atMarkers are the ways people write "@" to keep harvesters away. bare is true for the
// spaced word " at ", which is also ordinary English and so needs stronger evidence.
var atMarkers = []struct {
	pat  []byte
	bare bool
}{
	{[]byte("[at]"), false}, {[]byte("(at)"), false}, {[]byte("{at}"), false},
	{[]byte("[AT]"), false}, {[]byte("(AT)"), false}, {[]byte("{AT}"), false},
	{[]byte("&lt;at&gt;"), false}, {[]byte("[ at ]"), false}, {[]byte("( at )"), false},
	{[]byte(" at "), true}, {[]byte(" AT "), true},
}

// dotMarkers are the ways people write "." in an obfuscated address, longest first.
var dotMarkers = []string{
	" [dot] ", " (dot) ", " {dot} ", "[dot]", "(dot)", "{dot}", "[.]", "(.)",
	" [DOT] ", " (DOT) ", "[DOT]", "(DOT)", " dot ", " DOT ", ".",
}

// scanObfuscated rewrites "name [at] example [dot] com" and the like, keeping a result
// only when it is a valid address under a public suffix.
func (f *finder) scanObfuscated(doc []byte) {
	for _, m := range atMarkers {
		for i, n := 0, 0; i < len(doc) && n < maxCandidates; n++ {
			j := bytes.Index(doc[i:], m.pat)
			if j < 0 {
				break
			}
			at := i + j
			i = at + len(m.pat)
			f.obfuscatedAt(doc, at, i, m.bare)
		}
	}
}

func (f *finder) obfuscatedAt(doc []byte, at, after int, bare bool) {
	left := bytes.TrimRight(joinInvisible(doc[max(0, at-window):at]), " \t")
	local := localTail(left)
	if local == "" || strings.ContainsRune(local, '%') || glued(left[:len(left)-len(local)]) {
		return
	}
	domain, obfuscatedDot := readObfuscatedDomain(doc[after:min(len(doc), after+window)])
	if domain == "" || !strings.Contains(domain, ".") {
		return
	}
	if bare && !obfuscatedDot && !strings.ContainsAny(local, "._-+0123456789") {
		// "meet us at acme.com" is a sentence, not an address.
		return
	}
	f.add(local + "@" + domain)
}

// readObfuscatedDomain reads labels separated by real or written-out dots from the start
// of b. It reports whether any written-out dot was used.
func readObfuscatedDomain(b []byte) (string, bool) {
	s := string(bytes.TrimLeft(b, " \t"))
	var labels []string
	obf := false
	for len(labels) < 10 {
		n := 0
		for n < len(s) && (isDomainByte(s[n]) && s[n] != '.' && s[n] != '%') {
			n++
		}
		if n == 0 {
			break
		}
		labels = append(labels, s[:n])
		s = s[n:]
		sep := ""
		for _, d := range dotMarkers {
			if strings.HasPrefix(s, d) {
				sep = d
				break
			}
		}
		if sep == "" {
			break
		}
		if sep != "." {
			obf = true
		}
		s = s[len(sep):]
	}
	if len(labels) < 2 {
		return "", false
	}
	return trimNonLetterUnicode(strings.Join(labels, ".")), obf
}

var (
	cfAttr = []byte(`data-cfemail="`)
	cfPath = []byte("/cdn-cgi/l/email-protection#")
)

// scanCloudflare decodes addresses hidden by Cloudflare's email obfuscation, both the
// data-cfemail attribute and the /cdn-cgi/l/email-protection#… link.
func (f *finder) scanCloudflare(doc []byte) {
	for _, pat := range [][]byte{cfAttr, cfPath} {
		for i, n := 0, 0; i < len(doc) && n < maxCandidates; n++ {
			j := bytes.Index(doc[i:], pat)
			if j < 0 {
				break
			}
			start := i + j + len(pat)
			end := start
			for end < len(doc) && end-start < 1024 && isHex(doc[end]) {
				end++
			}
			if s, ok := DecodeCloudflare(string(doc[start:end])); ok {
				f.add(s)
			}
			i = end
		}
	}
}

// DecodeCloudflare decodes the hex string Cloudflare writes in place of an address: the
// first byte is a key XORed with every following byte.
func DecodeCloudflare(h string) (string, bool) {
	b, err := hex.DecodeString(h)
	if err != nil || len(b) < 2 {
		return "", false
	}
	key := b[0]
	out := make([]byte, len(b)-1)
	for i, c := range b[1:] {
		out[i] = c ^ key
	}
	if !utf8.Valid(out) {
		return "", false
	}
	return string(out), true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// isIDNRune reports whether r may appear in an internationalised domain label.
func isIDNRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
