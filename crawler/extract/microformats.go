package extract

import (
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// Microformats reads businesses from classic hCard (class "vcard": fn, org, email, tel,
// url, adr) and microformats2 h-card (p-name, p-org, u-email, p-tel, u-url, p-adr/h-adr).
func Microformats(doc *goquery.Document) []Business {
	var out []Business
	doc.Find(".h-card, .vcard").Each(func(_ int, s *goquery.Selection) {
		if len(out) >= maxBusinesses || s.ParentsFiltered(".h-card, .vcard").Length() > 0 && !s.Is(".p-org, .org") {
			return
		}
		b := Business{From: "microformat"}
		first := func(sel string) *goquery.Selection {
			return s.Find(sel).FilterFunction(func(_ int, f *goquery.Selection) bool {
				// properties of a nested card belong to it, not to this one
				return f.ParentsFiltered(".h-card, .vcard").First().Get(0) == s.Get(0)
			}).First()
		}
		if org := first(".p-org, .org"); org.Length() > 0 {
			b.Name = cleanText(org.Text())
		}
		if b.Name == "" {
			b.Name = cleanText(first(".p-name, .fn").Text())
		}
		s.Find(".u-email, .email").Each(func(_ int, e *goquery.Selection) {
			v := e.AttrOr("href", "")
			if v == "" || !strings.Contains(v, "@") {
				v = e.Text()
			}
			if a := checkEmail(v); a != "" && !slices.Contains(b.Emails, a) {
				b.Emails = append(b.Emails, a)
			}
		})
		if t := first(".p-tel, .tel"); t.Length() > 0 {
			if v := cleanPhone(t.AttrOr("href", "")); v != "" {
				b.Phone = v
			} else {
				b.Phone = cleanPhone(propText(t))
			}
		}
		if u := first(".u-url, .url"); u.Length() > 0 {
			b.Website = u.AttrOr("href", cleanText(u.Text()))
		}
		if a := first(".p-adr, .h-adr, .adr"); a.Length() > 0 {
			var parts []string
			for _, sel := range []string{".p-street-address, .street-address", ".p-postal-code, .postal-code", ".p-locality, .locality", ".p-region, .region", ".p-country-name, .country-name"} {
				if t := cleanText(a.Find(sel).First().Text()); t != "" {
					parts = append(parts, t)
				}
			}
			b.Address = strings.Join(parts, ", ")
			if b.Address == "" {
				b.Address = cleanText(a.Text())
			}
			b.City = cleanText(a.Find(".p-locality, .locality").First().Text())
		} else if l := first(".p-locality, .locality"); l.Length() > 0 {
			b.City = cleanText(l.Text())
		}
		if b.Name != "" || b.HasContact() {
			out = append(out, b)
		}
	})
	return MergeSame(out)
}

// propText is a microformat property's value: a value-class child, a title, else text.
func propText(s *goquery.Selection) string {
	if v := s.Find(".value").First(); v.Length() > 0 {
		return v.Text()
	}
	if t, ok := s.Attr("title"); ok {
		return t
	}
	return s.Text()
}
