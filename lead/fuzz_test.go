package lead

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzWebsiteKey feeds crawled-looking URLs to the website rules: they never panic, a key
// holds no space or control character (it is an index key), and SharedHost agrees.
func FuzzWebsiteKey(f *testing.F) {
	for _, s := range []string{"https://www.acme.example/x", "sites.google.com/view/a", "https://a.wixsite.com/b",
		"http://127.0.0.1:80/", "https://maps.google.de/?q=x", "mailto:a@b.c", "//x.business.site", "https://x.com/%00"} {
		f.Add(s, "https://dir.example/c")
	}
	f.Fuzz(func(t *testing.T, raw, listedOn string) {
		k := WebsiteKey(raw)
		if strings.ContainsFunc(k, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
			t.Fatalf("WebsiteKey(%q) = %q holds a space or control character", raw, k)
		}
		if SharedHost(raw) != (k == "") {
			t.Fatalf("SharedHost(%q) disagrees with key %q", raw, k)
		}
		if o := OwnWebsiteKey(raw, listedOn); o != "" && o != k {
			t.Fatalf("OwnWebsiteKey(%q, %q) = %q, not %q", raw, listedOn, o, k)
		}
	})
}

// FuzzCleanText checks that cleaning is idempotent and leaves no control character.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"Acme\x00", "a\r\nb", "\u202eabc", "João 👩‍🔧", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := CleanText(s)
		if CleanText(c) != c {
			t.Fatalf("CleanText(%q) = %q is not clean", s, c)
		}
		if utf8.ValidString(s) && strings.ContainsFunc(c, unicode.IsControl) {
			t.Fatalf("CleanText(%q) = %q holds a control character", s, c)
		}
	})
}
