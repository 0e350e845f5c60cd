// Package emails finds email addresses in web pages and judges whether they are worth
// keeping: it reads plain text, mailto: links, HTML entities, percent-encoding, the common
// "[at]"/"(dot)" obfuscations and Cloudflare's email protection, rejects what only looks
// like an address (asset names, package versions, error-tracker DSNs, placeholders,
// disposable domains), optionally checks that the domain accepts mail (MX, else A), and
// picks the address a lead should be written to.
//
// It works on raw page bytes and knows nothing of crawling, storage or leads beyond
// lead's address normalisation. It never talks SMTP.
package emails

import (
	"bytes"
	"html"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxCandidates bounds the places one document is examined at, per kind of marker, so
// hostile input (a megabyte of "@") costs linear time with a small constant.
const maxCandidates = 20000

// window bounds how far around an '@' the finder looks for the local part and the domain.
// An entity-encoded character takes up to 8 bytes, a local part at most 64 characters.
const window = 512

// Find returns the valid addresses in an HTML or text document, normalised, without
// duplicates, in order of first appearance. It never returns an address that Check rejects.
func Find(doc []byte) []string {
	f := finder{seen: map[string]bool{}}
	f.scanAt(doc)
	f.scanEncodedAt(doc)
	f.scanCloudflare(doc)
	f.scanObfuscated(doc)
	return f.out
}

type finder struct {
	seen map[string]bool
	out  []string
}

func (f *finder) add(candidate string) {
	addr, ok := Check(candidate)
	if !ok || f.seen[addr] {
		return
	}
	f.seen[addr] = true
	f.out = append(f.out, addr)
}

// scanAt finds every literal '@' and reads the address around it.
func (f *finder) scanAt(doc []byte) {
	for i, n := 0, 0; i < len(doc) && n < maxCandidates; n++ {
		j := bytes.IndexByte(doc[i:], '@')
		if j < 0 {
			return
		}
		at := i + j
		f.extract(doc, at, at+1)
		i = at + 1
	}
}

// encodedAts are the spellings of '@' that hide it from a plain scan.
var encodedAts = [][]byte{
	[]byte("&#64;"), []byte("&#064;"), []byte("&#x40;"), []byte("&#X40;"),
	[]byte("&commat;"), []byte("%40"), []byte(`\u0040`),
}

func (f *finder) scanEncodedAt(doc []byte) {
	for _, pat := range encodedAts {
		for i, n := 0, 0; i < len(doc) && n < maxCandidates; n++ {
			j := bytes.Index(doc[i:], pat)
			if j < 0 {
				break
			}
			at := i + j
			f.extract(doc, at, at+len(pat))
			i = at + len(pat)
		}
	}
}

// extract reads the local part that ends at doc[at] and the domain that starts at
// doc[after], decoding entities and percent-escapes near the '@' where present.
func (f *finder) extract(doc []byte, at, after int) {
	lo := max(0, at-window)
	hi := min(len(doc), after+window)
	left, right := doc[lo:at], doc[after:hi]
	// The "://" in front of a local part marks URL user info (an error-tracker DSN, a
	// proxy login), not an address.
	dl := joinInvisible(decodeNear(left))
	local := localTail(dl)
	domain := domainHead(joinInvisible(decodeNear(right)))
	if local == "" && endsWithTag(left) || domain == "" && startsWithTag(right) {
		// "info<span>@</span>acme<span>.</span>de", "info<!-- -->@<!-- -->acme.de": read
		// the address as the page shows it, without inline tags and comments.
		dl = joinInvisible(decodeNear(renderInline(left)))
		local = localTail(dl)
		domain = domainHead(joinInvisible(decodeNear(renderInline(right))))
	}
	local = dropEscape(dl, local)
	if local == "" || domain == "" || glued(dl[:len(dl)-len(local)]) {
		return
	}
	if strings.ContainsRune(local, '%') {
		// The whole local part, unescaped, or nothing: "user%x@…" and "o%27brien@…" are
		// not addresses whose tail may be kept.
		u, err := url.PathUnescape(local)
		if err != nil {
			return
		}
		ub := []byte(u)
		local = localTail(ub)
		if local == "" || glued(ub[:len(ub)-len(local)]) {
			return
		}
	}
	if isUserInfo(dl) {
		return
	}
	f.add(local + "@" + domain)
}

// glueRunes are characters an address may contain (RFC 5322 atext, and the typographic
// apostrophe of names such as O’Brien) that the finder does not accept. One of them
// between letters joins what stands before it to the address: the local part of
// "o'brien@acme.com" is "o'brien", so "brien@acme.com", an address the page never showed,
// must not be taken. Characters that delimit an address in URLs and scripts (= / ? & # :
// quotes after a delimiter) are not glue.
const glueRunes = "'’!$*^`{}|~%"

// glued reports whether the text before a candidate local part ends in a glue character
// that itself follows a letter or digit, so that the candidate is the tail of a longer
// local part.
func glued(before []byte) bool {
	r, n := utf8.DecodeLastRune(before)
	if n == 0 || !strings.ContainsRune(glueRunes, r) {
		return false
	}
	p, _ := utf8.DecodeLastRune(before[:len(before)-n])
	return unicode.IsLetter(p) || unicode.IsDigit(p)
}

// invisibleRunes are format characters that take no room on screen: inside an address
// they split it for a harvester, not for a reader, who sees one address.
var invisibleRunes = []string{"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"}

// joinInvisible removes zero-width characters, so an address split by one is read whole
// (as a reader sees it) rather than cut at it.
func joinInvisible(b []byte) []byte {
	if !bytes.ContainsAny(b, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e") {
		return b
	}
	out := b
	for _, r := range invisibleRunes {
		out = bytes.ReplaceAll(out, []byte(r), nil)
	}
	return out
}

// dropEscape removes from the front of local the letters of a backslash escape that
// precedes it in JSON or JavaScript text ("\u003einfo@…", "\ninfo@…"): they are not part
// of the address.
func dropEscape(left []byte, local string) string {
	i := len(left) - len(local)
	for i > 0 && (left[i-1] == '.' || left[i-1] == '-') {
		i-- // localTail trimmed leading dots and hyphens
	}
	if i <= 0 || left[i-1] != '\\' || local == "" {
		return local
	}
	switch {
	case len(local) >= 5 && (local[0] == 'u' || local[0] == 'U') && isHexString(local[1:5]):
		return strings.TrimLeft(local[5:], ".-")
	case len(local) >= 3 && local[0] == 'x' && isHexString(local[1:3]):
		return strings.TrimLeft(local[3:], ".-")
	case strings.IndexByte("ntrbf", local[0]) >= 0:
		return strings.TrimLeft(local[1:], ".-")
	}
	return local
}

func isHexString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// decodeNear decodes the HTML entities of a window around an '@' when there are any.
func decodeNear(b []byte) []byte {
	if bytes.IndexByte(b, '&') < 0 {
		return b
	}
	return []byte(html.UnescapeString(string(b)))
}

// isUserInfo reports whether the local part at the end of left is preceded by "//", which
// makes it the user info of a URL (an error-tracker DSN, a proxy login), not an address.
func isUserInfo(left []byte) bool {
	i := len(left)
	for i > 0 && isLocalByte(left[i-1]) {
		i--
	}
	return bytes.HasSuffix(left[:i], []byte("//"))
}

func isLocalByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '.', '_', '%', '+', '-':
		return true
	}
	return false
}

func isDomainByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	case c == '.' || c == '-' || c == '%':
		return true
	case c >= 0x80: // UTF-8 of an internationalised domain
		return true
	}
	return false
}

// localTail returns the run of local-part bytes at the end of b, without leading dots.
func localTail(b []byte) string {
	i := len(b)
	for i > 0 && isLocalByte(b[i-1]) && len(b)-i < 128 {
		i--
	}
	return strings.TrimLeft(string(b[i:]), ".-")
}

// domainHead returns the run of domain bytes at the start of b, without trailing dots or
// hyphens and without non-letter Unicode such as punctuation written in UTF-8.
func domainHead(b []byte) string {
	i := 0
	for i < len(b) && isDomainByte(b[i]) && i < 300 {
		i++
	}
	s := strings.TrimRight(string(b[:i]), ".-")
	if strings.ContainsRune(s, '%') {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		} else {
			s = s[:strings.IndexByte(s, '%')]
		}
	}
	return trimNonLetterUnicode(s)
}

// trimNonLetterUnicode cuts a domain at the first non-ASCII rune that cannot be part of a
// host name (a typographic quote or dash right after an address in running text).
func trimNonLetterUnicode(s string) string {
	for i, r := range s {
		if r >= 0x80 && !isIDNRune(r) {
			return strings.TrimRight(s[:i], ".-")
		}
	}
	return s
}
