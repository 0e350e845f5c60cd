package emails

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"plain text", `<p>Write to Anna.Silva@Acme-Plumbing.com today.</p>`, []string{"anna.silva@acme-plumbing.com"}},
		{"mailto", `<a href="mailto:info@acme.co.uk">mail</a>`, []string{"info@acme.co.uk"}},
		{"mailto with space", `<a href="mailto: sales@acme.de">x</a>`, []string{"sales@acme.de"}},
		{"mailto subject", `<a href="mailto:bob@acme.com?subject=Hello%20there&body=x">x</a>`, []string{"bob@acme.com"}},
		{"mailto percent", `<a href="mailto:info%40acme.com">x</a>`, []string{"info@acme.com"}},
		{"mailto percent local", `<a href="mailto:%6Dax@acme.com">x</a>`, []string{"max@acme.com"}},
		{"decimal entities", `<a>&#105;&#110;&#102;&#111;&#64;&#97;&#99;&#109;&#101;&#46;&#99;&#111;&#109;</a>`, []string{"info@acme.com"}},
		{"hex entity at", `<span>jo&#x40;acme.com</span>`, []string{"jo@acme.com"}},
		{"named entity", `<span>jo&commat;acme&period;com</span>`, []string{"jo@acme.com"}},
		{"bracket at dot", `<p>maria [at] fado-bar [dot] pt</p>`, []string{"maria@fado-bar.pt"}},
		{"paren at dot", `<p>maria(at)fado-bar(dot)pt</p>`, []string{"maria@fado-bar.pt"}},
		{"curly at", `<p>kontakt{at}baecker.de</p>`, []string{"kontakt@baecker.de"}},
		{"spaced at dot", `<p>Email: jan at kowalski dot pl</p>`, []string{"jan@kowalski.pl"}},
		{"sentence at", `<p>Meet us at acme.com or call us at home.</p>`, nil},
		{"at not under suffix", `<p>foo [at] bar [dot] notatld</p>`, nil},
		{"cloudflare attr", `<a class="__cf_email__" data-cfemail="543d3a323b14353739317a373b39">[email&#160;protected]</a>`, []string{"info@acme.com"}},
		{"cloudflare link", `<a href="/cdn-cgi/l/email-protection#543d3a323b14353739317a373b39">x</a>`, []string{"info@acme.com"}},
		{"retina asset", `<img src="/img/logo@2x.png"><img srcset="hero@3x.webp 3x">`, nil},
		{"package version", `<script src="https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js"></script>`, nil},
		{"scoped package", `<script src="https://unpkg.com/@popperjs/core@2.11.8"></script>`, nil},
		{"sentry dsn", `<script>Sentry.init({dsn:"https://9f8e7d6c5b4a39281726354453627181@o123456.ingest.sentry.io/42"})</script>`, nil},
		{"wix sentry", `"dsn":"abc@sentry-next.wixpress.com"`, nil},
		{"placeholders", `you@example.com name@domain.com user@yourdomain.com test@test.de a@example.co.uk`, nil},
		{"no reply", `noreply@acme.com no-reply@acme.com`, nil},
		{"split by spans", `<p>Mail: <span class="u">anja</span><span>@</span><span>gmx</span><span>.</span><span>de</span></p>`, []string{"anja@gmx.de"}},
		{"split by comments", `<p>E-Mail: buero<!-- spam -->@<!-- -->mueller-bau.de</p>`, []string{"buero@mueller-bau.de"}},
		{"split across blocks", `<li>Kontakt</li><li>@mueller-bau.de</li>`, nil},
		{"json unicode escape", `{"html":"\u003cp\u003eservice@wagner.de\u003c/p\u003e"}`, []string{"service@wagner.de"}},
		{"json newline escape", `{"t":"Mail:\ninfo@wagner.de"}`, []string{"info@wagner.de"}},
		{"json escaped at", `{"t":"info\u0040wagner.de"}`, []string{"info@wagner.de"}},
		{"reversed text", `<span style="unicode-bidi:bidi-override;direction:rtl">ed.rengaw@ofni</span>`, nil},
		{"disposable", `x@mailinator.com`, nil},
		{"idn", `<p>info@bäckerei-müller.de</p>`, []string{"info@xn--bckerei-mller-bfb28a.de"}},
		{"trailing dot", `Mail bob@acme.com. Thanks`, []string{"bob@acme.com"}},
		{"duplicates", `a@acme.com A@ACME.com <a href="mailto:a@acme.com">`, []string{"a@acme.com"}},
		{"url user info", `<a href="ftp://bob@files.acme.com/">`, nil},
		{"typographic quote", "“maria@acme.pt”", []string{"maria@acme.pt"}},
		{"fake tld", `x@acme.notarealtld`, nil},
		{"numeric tld", `lib@1.2.3`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Find([]byte(tt.doc))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Find(%q) = %q, want %q", tt.doc, got, tt.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"Info@Acme.com", "info@acme.com", true},
		{"o.k+tag@sub.acme.co.uk", "o.k+tag@sub.acme.co.uk", true},
		{".a@acme.com", "", false},
		{"a..b@acme.com", "", false},
		{"a@acme", "", false},
		{"a@-acme.com", "", false},
		{strings.Repeat("a", 65) + "@acme.com", "", false},
		{"icon@2x.zip", "", false},
		{"max.mustermann@firma.de", "", false},
	}
	for _, tt := range tests {
		got, ok := Check(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Check(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDecodeCloudflare(t *testing.T) {
	if got, ok := DecodeCloudflare("543d3a323b14353739317a373b39"); !ok || got != "info@acme.com" {
		t.Fatalf("got %q %v", got, ok)
	}
	for _, bad := range []string{"", "5", "zz", "54"} {
		if _, ok := DecodeCloudflare(bad); ok {
			t.Errorf("DecodeCloudflare(%q) accepted", bad)
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"a@b.com", "x [at] y [dot] com", `data-cfemail="543d3a"`, "&#64;&#x40;%40", "mailto:%40@", "@@@..", "a@b.c@d.e", "o'brien@acme.ie", "u%x@acme.ie", "a\u200bb@acme.ie", "x&#8203;y [at] z [dot] de"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		for _, a := range Find(doc) {
			if got, ok := Check(a); !ok || got != a {
				t.Fatalf("Find returned %q which Check gives %q %v", a, got, ok)
			}
		}
	})
}

// BenchmarkFind measures the finder's throughput on a typical business home page.
func BenchmarkFind(b *testing.B) {
	page, err := os.ReadFile("testdata/page.html")
	if err != nil {
		b.Fatal(err)
	}
	doc := bytes.Repeat(page, 4)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		Find(doc)
	}
}

// TestFindWholeOrNothing: an address is taken whole or not at all. A local part that
// carries a character the finder does not accept, or is split by an invisible character,
// must never yield its tail, an address the page does not show.
func TestFindWholeOrNothing(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"apostrophe", `<p>Write to o'brien@harbour-law.ie</p>`, nil},
		{"typographic apostrophe", `<p>Write to o’brien@harbour-law.ie</p>`, nil},
		{"apostrophe entity", `<p>o&#39;brien@harbour-law.ie</p>`, nil},
		{"apostrophe percent", `<a href="mailto:o%27brien@harbour-law.ie">x</a>`, nil},
		{"bad percent", `<p>user%x@harbour-law.ie</p>`, nil},
		{"percent literal", `<a href="mailto:user%25x@harbour-law.ie">x</a>`, nil},
		{"other atext", `<p>a!b@harbour-law.ie c$d@harbour-law.ie e~f@harbour-law.ie g|h@harbour-law.ie</p>`, nil},
		{"obfuscated apostrophe", `<p>o'brien [at] harbour-law [dot] ie</p>`, nil},
		{"zero-width space", "<p>ro\u200bsa@harbour-law.ie</p>", []string{"rosa@harbour-law.ie"}},
		{"zero-width entity", `<p>an&#8203;na@harbour-law.ie</p>`, []string{"anna@harbour-law.ie"}},
		{"zero-width joiner", "<p>an\u200dna@harbour-law.ie</p>", []string{"anna@harbour-law.ie"}},
		{"word joiner in domain", "<p>anna@harbour\u2060-law.ie</p>", []string{"anna@harbour-law.ie"}},
		{"soft hyphen", "<p>in\u00adfo@harbour-law.ie</p>", []string{"info@harbour-law.ie"}},
		{"zero-width obfuscated", "<p>ma\u200bria [at] fado-bar [dot] pt</p>", []string{"maria@fado-bar.pt"}},
		// Delimiters stay delimiters.
		{"quoted in script", `<script>var email='info@harbour-law.ie';</script>`, []string{"info@harbour-law.ie"}},
		{"query parameter", `<a href="/contact?email=info@harbour-law.ie&x=1">x</a>`, []string{"info@harbour-law.ie"}},
		{"after a colon", `<p>E-Mail:info@harbour-law.ie</p>`, []string{"info@harbour-law.ie"}},
		{"encoded space", `<a href="mailto:%20info@harbour-law.ie">x</a>`, []string{"info@harbour-law.ie"}},
		{"quote after space", `<p>Mail 'info@harbour-law.ie'</p>`, []string{"info@harbour-law.ie"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Find([]byte(tt.doc)); !slices.Equal(got, tt.want) {
				t.Errorf("Find = %q, want %q", got, tt.want)
			}
		})
	}
}
