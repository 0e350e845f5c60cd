package extract

import (
	"net/url"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"github.com/clientele/clientele/config"
)

// Selectors reads businesses with the source's CSS selectors: one per item element when
// item is set, else one from the whole page (a detail page) when any field matches.
// Invalid selectors match nothing (config validation reports them).
func Selectors(doc *goquery.Document, base *url.URL, item string, f config.Fields) []Business {
	if f == (config.Fields{}) {
		return nil
	}
	var out []Business
	if item != "" {
		sel, err := cascadia.Compile(item)
		if err != nil {
			return nil
		}
		doc.FindMatcher(sel).Each(func(_ int, s *goquery.Selection) {
			if len(out) < maxBusinesses {
				if b := fields(s, base, f); b.Name != "" || b.HasContact() {
					out = append(out, b)
				}
			}
		})
		return out
	}
	if b := fields(doc.Selection, base, f); b.Name != "" || b.HasContact() {
		out = append(out, b)
	}
	return out
}

func fields(s *goquery.Selection, base *url.URL, f config.Fields) Business {
	b := Business{From: "selectors"}
	find := func(css string) *goquery.Selection {
		if css == "" {
			return nil
		}
		m, err := cascadia.Compile(css)
		if err != nil {
			return nil
		}
		r := s.FindMatcher(m)
		if r.Length() == 0 && s.Is(css) {
			r = s
		}
		if r.Length() == 0 {
			return nil
		}
		return r
	}
	if r := find(f.Name); r != nil {
		b.Name = cleanText(r.First().Text())
	}
	if r := find(f.Email); r != nil {
		r.Each(func(_ int, e *goquery.Selection) {
			for _, v := range []string{e.AttrOr("href", ""), e.AttrOr("content", ""), e.Text()} {
				if a := checkEmail(v); a != "" {
					if !slices.Contains(b.Emails, a) {
						b.Emails = append(b.Emails, a)
					}
					return
				}
			}
			// The field may hold an obfuscated address.
			if h, err := goquery.OuterHtml(e); err == nil {
				for _, a := range findEmails(h) {
					if !slices.Contains(b.Emails, a) {
						b.Emails = append(b.Emails, a)
					}
				}
			}
		})
	}
	if r := find(f.Phone); r != nil {
		e := r.First()
		if p := cleanPhone(e.AttrOr("href", "")); p != "" && strings.HasPrefix(strings.ToLower(e.AttrOr("href", "")), "tel:") {
			b.Phone = p
		} else {
			b.Phone = cleanPhone(e.Text())
		}
	}
	if r := find(f.Website); r != nil {
		e := r.First()
		if h, ok := e.Attr("href"); ok {
			b.Website = resolve(base, h)
		} else if t := cleanText(e.Text()); t != "" {
			b.Website = t
		}
	}
	if r := find(f.Address); r != nil {
		b.Address = cleanText(r.First().Text())
	}
	if r := find(f.City); r != nil {
		b.City = cleanText(r.First().Text())
	}
	return b
}
