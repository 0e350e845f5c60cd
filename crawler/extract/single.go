package extract

import (
	"net/url"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// websiteWords mark the link to a business's own website on a directory's page.
var websiteWords = []string{"website", "webseite", "homepage", "web site", "site web", "site", "sito", "página", "pagina", "www", "visit", "besuchen", "internet", "url", "kotisivu", "verkkosivu"}

// Single reads the one business a directory's detail page is about when no reader found
// it: the page's only h1 is its name; its phone is the page's only tel: link or only
// element marked as a phone; its website the only link leaving the directory (or going
// through its redirect), else the only such link labelled as a website. Links in the
// page's header, navigation and footer are the directory's own and are ignored. A page
// with several phones or several candidate websites is a listing, not a business: ok is
// false, as it is without a name or without any contact.
func Single(doc *goquery.Document, base *url.URL) (Business, bool) {
	b := Business{From: "cards"}
	h1 := doc.Find("h1")
	if h1.Length() != 1 || base == nil {
		return b, false
	}
	b.Name = cleanText(h1.Text())
	if b.Name == "" || len(b.Name) > 120 {
		return b, false
	}
	content := doc.Find("body")
	own := func(s *goquery.Selection) bool {
		return s.Closest("header, nav, footer").Length() > 0
	}
	phones := map[string]bool{}
	content.Find(`a[href^="tel:"], a[href^="TEL:"], a[href^="Tel:"]`).Each(func(_ int, s *goquery.Selection) {
		if p := cleanPhone(s.AttrOr("href", "")); p != "" && !own(s) {
			phones[p] = true
		}
	})
	if len(phones) == 0 {
		content.Find(`[itemprop=telephone], [class*=phone], [class*=Phone], [class*=tel], [class*=Tel]`).Each(func(_ int, s *goquery.Selection) {
			if s.Find("*").Length() > 3 || own(s) {
				return
			}
			if p := cleanPhone(s.Text()); p != "" && len(p) <= 25 {
				phones[p] = true
			}
		})
	}
	if len(phones) > 1 {
		return b, false
	}
	for p := range phones {
		b.Phone = p
	}
	var all, labelled []string
	content.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		if own(s) {
			return
		}
		u := resolve(base, s.AttrOr("href", ""))
		pu, err := url.Parse(u)
		if u == "" || err != nil {
			return
		}
		if SameSite(pu.Hostname(), base.Hostname()) {
			if t, ok := RedirectTarget(pu); ok {
				u = t
			} else if !LooksLikeRedirect(pu) {
				return
			}
		}
		if !slices.Contains(all, u) {
			all = append(all, u)
		}
		label := strings.ToLower(s.Text() + " " + s.AttrOr("title", "") + " " + s.AttrOr("class", "") + " " + s.AttrOr("aria-label", "") + " " + s.AttrOr("itemprop", ""))
		for _, w := range websiteWords {
			if strings.Contains(label, w) {
				if !slices.Contains(labelled, u) {
					labelled = append(labelled, u)
				}
				break
			}
		}
	})
	switch {
	case len(all) == 1:
		b.Website = all[0]
	case len(labelled) == 1:
		b.Website = labelled[0]
	case len(labelled) > 1:
		return b, false
	}
	return b, b.Phone != "" || b.Website != ""
}
