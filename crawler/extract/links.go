package extract

import (
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/clientele/clientele/lead"
)

// Link is an absolute http(s) link of a page with its visible text.
type Link struct {
	URL  string
	Text string
}

// Links returns the page's distinct http(s) links, absolute, without fragments, in order.
// A <base href> is honoured.
func Links(doc *goquery.Document, pageURL *url.URL) []Link {
	base := pageURL
	if h, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := url.Parse(h); err == nil && pageURL != nil {
			base = pageURL.ResolveReference(b)
		}
	}
	seen := map[string]bool{}
	var out []Link
	doc.Find("a[href], area[href]").Each(func(_ int, s *goquery.Selection) {
		u := resolve(base, s.AttrOr("href", ""))
		if u == "" || seen[u] || len(out) >= 10000 {
			return
		}
		seen[u] = true
		out = append(out, Link{URL: u, Text: cleanText(s.Text()) + " " + s.AttrOr("title", "")})
	})
	return out
}

// Phones returns the numbers of the page's tel: links.
func Phones(doc *goquery.Document) []string {
	var out []string
	doc.Find(`a[href^="tel:"], a[href^="TEL:"], a[href^="Tel:"]`).Each(func(_ int, s *goquery.Selection) {
		if p := cleanPhone(s.AttrOr("href", "")); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	})
	return out
}

// skipExt are link targets that are not HTML pages.
var skipExt = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".svg": true, ".webp": true,
	".pdf": true, ".zip": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true,
	".mp3": true, ".mp4": true, ".avi": true, ".mov": true, ".css": true, ".js": true,
	".ico": true, ".xml": true, ".rss": true, ".json": true, ".woff": true, ".woff2": true,
	".ttf": true, ".gz": true, ".dmg": true, ".exe": true, ".ics": true, ".vcf": true,
}

// IsPageURL reports whether a link probably leads to an HTML page (by its extension).
func IsPageURL(u *url.URL) bool {
	return !skipExt[strings.ToLower(path.Ext(u.Path))]
}

// OwnSite reports whether u is on the directory's own site: the page's registrable
// domain (profiles.dir.example belongs to www.dir.example).
func OwnSite(u, page *url.URL) bool {
	if page == nil || u == nil {
		return false
	}
	if SameSite(u.Hostname(), page.Hostname()) {
		return true
	}
	a, b := lead.RegistrableDomain(u.Hostname()), lead.RegistrableDomain(page.Hostname())
	return a != "" && a == b
}
