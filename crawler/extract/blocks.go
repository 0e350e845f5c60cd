package extract

import (
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/clientele/clientele/crawler/emails"
	"golang.org/x/net/html"
)

// Blocks reads businesses from pages without structured data, by the most common layout
// of a listing: a repeated block (card, row, list item) holding one business's email.
// Every mailto: link and every text with an address is an anchor; its block is the
// largest ancestor that holds no other address. In the block the name is the first
// heading (else strong text, else the first link text), the phone a tel: link, the
// website the first link leaving the page's host.
func Blocks(doc *goquery.Document, base *url.URL) []Business {
	type anchor struct {
		n     *html.Node
		email string
	}
	var anchors []anchor
	doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		if h := s.AttrOr("href", ""); len(h) > 7 && strings.EqualFold(h[:7], "mailto:") {
			if a := checkEmail(h); a != "" {
				anchors = append(anchors, anchor{s.Get(0), a})
			}
		}
	})
	// Addresses hidden by Cloudflare's email protection.
	doc.Find(`[data-cfemail], a[href*="/cdn-cgi/l/email-protection#"]`).Each(func(_ int, s *goquery.Selection) {
		h := s.AttrOr("data-cfemail", "")
		if h == "" {
			h = s.AttrOr("href", "")
			h = h[strings.IndexByte(h, '#')+1:]
		}
		if d, ok := emails.DecodeCloudflare(h); ok {
			if a, ok := emails.Check(d); ok {
				anchors = append(anchors, anchor{s.Get(0), a})
			}
		}
	})
	// Addresses written as text (or obfuscated) in leaf elements.
	doc.Find("body *").Each(func(_ int, s *goquery.Selection) {
		n := s.Get(0)
		if len(anchors) > 2000 || n.Data == "script" || n.Data == "style" || n.Data == "a" {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode && (strings.Contains(c.Data, "@") || strings.Contains(c.Data, "at")) {
				found := findEmails(c.Data)
				at := n
				if len(found) == 0 && strings.Contains(c.Data, "@") {
					// An address split by inline tags or comments: read the enclosing
					// element's markup.
					at, found = splitAddress(n)
				}
				for _, a := range found {
					anchors = append(anchors, anchor{at, a})
				}
			}
		}
	})
	// An address inside an advert is the advertiser's, never a listed business's.
	kept := anchors[:0]
	for _, a := range anchors {
		if !inAd(a.n, nil) {
			kept = append(kept, a)
		}
	}
	anchors = kept
	if len(anchors) == 0 {
		return nil
	}
	// Distinct addresses under each ancestor.
	under := map[*html.Node]map[string]bool{}
	for _, a := range anchors {
		for p := a.n; p != nil; p = p.Parent {
			m := under[p]
			if m == nil {
				m = map[string]bool{}
				under[p] = m
			}
			m[a.email] = true
		}
	}
	var out []Business
	seenBlock := map[*html.Node]bool{}
	for _, a := range anchors {
		block := a.n
		for p := a.n.Parent; p != nil && p.Type == html.ElementNode && p.Data != "body" && p.Data != "html" && len(under[p]) == 1; p = p.Parent {
			block = p
		}
		if seenBlock[block] {
			continue
		}
		seenBlock[block] = true
		b := blockBusiness(goquery.NewDocumentFromNode(block).Selection, base)
		for e := range under[block] {
			b.Emails = append(b.Emails, e)
		}
		out = append(out, b)
	}
	return MergeSame(out)
}

// splitAddress reads an address whose parts lie in several inline elements or around
// comments, from the markup of n or of up to three inline ancestors. It returns the
// element that holds the whole address.
func splitAddress(n *html.Node) (*html.Node, []string) {
	for i := 0; i < 4 && n != nil && n.Type == html.ElementNode; i++ {
		var sb strings.Builder
		if html.Render(&sb, n) != nil || sb.Len() > 8192 {
			return nil, nil
		}
		if found := findEmails(sb.String()); len(found) > 0 {
			return n, found
		}
		if !inlineElements[n.Data] {
			break
		}
		n = n.Parent
	}
	return nil, nil
}

// inlineElements are elements rendered within a line of text.
var inlineElements = map[string]bool{
	"span": true, "b": true, "i": true, "em": true, "strong": true, "font": true, "small": true,
	"u": true, "abbr": true, "code": true, "mark": true, "s": true, "sub": true, "sup": true,
}

func blockBusiness(s *goquery.Selection, base *url.URL) Business {
	b := Business{From: "cards"}
	for _, sel := range []string{"h1, h2, h3, h4, h5, h6", "[class*=name], [class*=title]", "strong, b"} {
		if t := cleanText(s.Find(sel).First().Text()); t != "" && len(t) < 120 && !strings.Contains(t, "@") {
			b.Name = cleanName(t)
			break
		}
	}
	s.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		h := a.AttrOr("href", "")
		switch {
		case strings.HasPrefix(strings.ToLower(h), "tel:"):
			if b.Phone == "" {
				b.Phone = cleanPhone(h)
			}
		case strings.HasPrefix(strings.ToLower(h), "mailto:"):
		default:
			u := resolve(base, h)
			if u == "" {
				break
			}
			if pu, err := url.Parse(u); err == nil && base != nil && b.Website == "" {
				switch {
				case !OwnSite(pu, base):
					b.Website = u
				case LooksLikeRedirect(pu):
					b.Website = u // the directory's outbound link; the crawler resolves it
				default:
					if t, ok := RedirectTarget(pu); ok {
						b.Website = t
					}
				}
			}
			if b.Name == "" {
				if t := cleanName(a.Text()); t != "" && len(t) < 120 {
					b.Name = t
				}
			}
		}
		return true
	})
	if b.Phone == "" {
		b.Phone = phoneInText(nodeText(s.Get(0)))
	}
	return b
}

// phoneInText finds a phone number written in text after a label or a plus sign.
func phoneInText(t string) string {
	lt := asciiLower(t) // same length as t, so its indexes hold in t
	for _, label := range []string{"tel", "phone", "telefon", "téléphone", "telefone", "teléfono", "telefono", "fon", "+"} {
		i := strings.Index(lt, label)
		if i < 0 {
			continue
		}
		rest := t[i:]
		if label != "+" {
			rest = rest[len(label):]
		}
		start := strings.IndexAny(rest, "+0123456789(")
		if start < 0 || start > 6 {
			continue
		}
		end := start
		for end < len(rest) && strings.IndexByte("+0123456789 ()-./", rest[end]) >= 0 {
			end++
		}
		if p := cleanPhone(strings.TrimRight(rest[start:end], " -./")); p != "" {
			return p
		}
	}
	return ""
}

// SameSite reports whether two host names are one site: equal once a leading "www." is
// dropped from each.
func SameSite(a, b string) bool {
	a = strings.TrimPrefix(strings.ToLower(a), "www.")
	b = strings.TrimPrefix(strings.ToLower(b), "www.")
	return a == b
}

// asciiLower lower-cases the ASCII letters of s and leaves every other byte alone, so the
// result has the length of s (strings.ToLower may not: "İ" grows).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
