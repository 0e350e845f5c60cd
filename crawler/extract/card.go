package extract

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// readCard reads one card around its name element.
func readCard(card, name *html.Node, base *url.URL) Business {
	b := Business{From: "cards", Name: cleanName(nodeText(name))}
	s := goquery.NewDocumentFromNode(card).Selection
	var labelled, other []string
	addSite := func(u string, label bool) {
		if label {
			if !slices.Contains(labelled, u) {
				labelled = append(labelled, u)
			}
		} else if !slices.Contains(other, u) {
			other = append(other, u)
		}
	}
	nameLink := ""
	if a := goquery.NewDocumentFromNode(name).Selection; a.Is("a[href]") {
		nameLink = a.AttrOr("href", "")
	} else if h, ok := a.Find("a[href]").First().Attr("href"); ok {
		nameLink = h
	} else if h, ok := a.Closest("a[href]").Attr("href"); ok && contains(card, a.Closest("a[href]").Get(0)) {
		nameLink = h
	}
	var detail []string
	s.Find("a[href], [data-href]").AddBackFiltered("[data-href]").Each(func(_ int, a *goquery.Selection) {
		if inAd(a.Get(0), card) {
			return
		}
		h := a.AttrOr("href", a.AttrOr("data-href", ""))
		lh := strings.ToLower(strings.TrimSpace(h))
		switch {
		case strings.HasPrefix(lh, "tel:"):
			if b.Phone == "" {
				b.Phone = cleanPhone(h)
			}
			return
		case strings.HasPrefix(lh, "mailto:"):
			if e := checkEmail(h); e != "" && !slices.Contains(b.Emails, e) {
				b.Emails = append(b.Emails, e)
			}
			return
		}
		u := resolve(base, h)
		pu, err := url.Parse(u)
		if u == "" || err != nil {
			return
		}
		if OwnSite(pu, base) {
			if t, ok := RedirectTarget(pu); ok {
				if tu, err := url.Parse(t); err == nil && !OwnSite(tu, base) {
					addSite(t, true)
				}
			} else if LooksLikeRedirect(pu) {
				addSite(u, true)
			} else if IsPageURL(pu) && (base == nil || strings.TrimSuffix(pu.Path, "/") != strings.TrimSuffix(base.Path, "/")) {
				if h == nameLink {
					detail = append([]string{u}, detail...)
				} else {
					detail = append(detail, u)
				}
			}
			return
		}
		if opaqueRedirect(pu) {
			return // a tracking redirect whose target only a request would tell
		}
		addSite(u, websiteLabel(a.Get(0)))
	})
	// Websites, emails and phones held in data attributes: plain, base64, or JSON.
	s.Find("*").AddBack().Each(func(_ int, e *goquery.Selection) {
		n := e.Get(0)
		if inAd(n, card) {
			return
		}
		for _, at := range n.Attr {
			if !strings.HasPrefix(at.Key, "data-") || at.Key == "data-href" {
				continue
			}
			v := strings.TrimSpace(at.Val)
			if strings.HasPrefix(v, "{") {
				var m map[string]any
				if decodeLoose(v, &m) == nil {
					o := objectBusiness(m, false)
					if b.Phone == "" {
						b.Phone = o.Phone
					}
					for _, x := range o.Emails {
						if !slices.Contains(b.Emails, x) {
							b.Emails = append(b.Emails, x)
						}
					}
				}
				continue
			}
			if x := checkEmail(v); x != "" && strings.Contains(v, "@") {
				if !slices.Contains(b.Emails, x) {
					b.Emails = append(b.Emails, x)
				}
				continue
			}
			if phoneValue(v) && b.Phone == "" && callAction(n) {
				b.Phone = cleanPhone(v)
				continue
			}
			t, ok := absoluteTarget(v)
			if !ok {
				continue
			}
			tu, err := url.Parse(t)
			if err != nil || OwnSite(tu, base) {
				continue
			}
			// A URL in a data attribute counts only where it says it is the website: such
			// attributes also hold maps, tracking and share links.
			if websiteLabel(n) || strings.Contains(at.Key, "web") || strings.Contains(at.Key, "site") || strings.Contains(at.Key, "homepage") {
				addSite(t, true)
			}
		}
	})
	b.sites = append(labelled, other...)
	if len(detail) > 0 {
		b.DetailURL = detail[0]
	}
	if b.Phone == "" {
		s.Find(`[itemprop=telephone], [class*=phone], [class*=Phone], [class*=telefon], [class*=Telefon], [class*=tel], [class*=Tel]`).EachWithBreak(func(_ int, e *goquery.Selection) bool {
			if inAd(e.Get(0), card) || !phoneClass(e.Get(0)) || e.Find("*").Length() > 4 {
				return true
			}
			b.Phone = cleanPhone(e.Text())
			return b.Phone == "" || len(b.Phone) > 25
		})
		if len(b.Phone) > 25 {
			b.Phone = ""
		}
	}
	if b.Phone == "" {
		b.Phone = phoneInText(nodeText(card))
	}
	if b.Phone == "" || len(labelled)+len(other) == 0 {
		phone, site := bareText(card, base)
		if b.Phone == "" {
			b.Phone = phone
		}
		if site != "" && len(labelled)+len(other) == 0 {
			b.sites = []string{site}
		}
	}
	s.Find(`address, [itemprop=address], [class*=address], [class*=Address], [class*=adresse], [class*=Adresse], .adr, [class*=street]`).EachWithBreak(func(_ int, a *goquery.Selection) bool {
		if t := withoutDistance(cleanText(nodeText(a.Get(0)))); t != "" && len(t) <= 200 && !inAd(a.Get(0), card) {
			b.Address = t
			return false
		}
		return true
	})
	if c := s.Find(`[itemprop=addressLocality], .locality, [class*=city]`).First(); c.Length() > 0 {
		if t := cleanText(c.Text()); len(t) <= 80 {
			b.City = t
		}
	}
	for _, e := range findEmails(visibleMarkup(card)) {
		if !slices.Contains(b.Emails, e) {
			b.Emails = append(b.Emails, e)
		}
	}
	return b
}

// phoneClass reports whether an element's class names a phone number.
func phoneClass(n *html.Node) bool {
	if attr(n, "itemprop") == "telephone" {
		return true
	}
	c := strings.ToLower(attr(n, "class"))
	if strings.Contains(c, "phone") || strings.Contains(c, "telefon") {
		return true
	}
	for _, t := range markTokens(n) {
		if t == "tel" || t == "tel." {
			return true
		}
	}
	return false
}

// websiteLabel reports whether a link or element says it leads to a website.
func websiteLabel(n *html.Node) bool {
	label := strings.ToLower(cleanText(nodeText(n)) + " " + attr(n, "title") + " " + attr(n, "class") + " " + attr(n, "aria-label") + " " + attr(n, "itemprop"))
	for _, w := range websiteWords {
		if strings.Contains(label, w) {
			return true
		}
	}
	return false
}

// inAd reports whether n lies in an advert nested inside card (inside the page's body,
// for a nil card).
func inAd(n, card *html.Node) bool {
	for p := n; p != nil && p != card && p.Type == html.ElementNode && p.Data != "body"; p = p.Parent {
		if adMarked(p) {
			return true
		}
	}
	return false
}

// visibleMarkup renders a card for the email finder: its text and attribute values,
// without scripts, styles and adverts nested in it.
func visibleMarkup(card *html.Node) string {
	var sb strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if sb.Len() > 64<<10 {
			return
		}
		switch n.Type {
		case html.TextNode:
			sb.WriteString(n.Data)
			return
		case html.ElementNode:
			if n.Data == "script" || n.Data == "style" || n != card && adMarked(n) {
				return
			}
			sb.WriteString(" <")
			sb.WriteString(n.Data)
			for _, a := range n.Attr {
				sb.WriteString(" " + a.Key + `="` + html.EscapeString(a.Val) + `"`)
			}
			sb.WriteString("> ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode {
			sb.WriteString(" </" + n.Data + "> ")
		}
	}
	walk(card)
	return sb.String()
}

// opaqueRedirect reports a third party's tracking redirect (redirect.example.net/?id=…)
// that does not carry its target: it is no business's website.
func opaqueRedirect(u *url.URL) bool {
	if _, ok := RedirectTarget(u); ok {
		return false
	}
	first, _, _ := strings.Cut(strings.ToLower(u.Hostname()), ".")
	switch first {
	case "redirect", "redir", "track", "tracking", "click", "clicks", "clk", "out", "go", "link", "links", "r":
		return true
	}
	return false
}

var phoneValueRE = regexp.MustCompile(`^\+?[0-9][0-9 ()./-]{5,24}$`)

// phoneValue reports whether an attribute value is written like a phone number.
func phoneValue(v string) bool { return phoneValueRE.MatchString(v) }

// callAction reports whether an element is a button or link to call: its attributes or
// class say call, phone or tel.
func callAction(n *html.Node) bool {
	if phoneClass(n) {
		return true
	}
	for _, a := range n.Attr {
		v := strings.ToLower(a.Val)
		if strings.HasPrefix(a.Key, "data-") && (v == "call" || v == "phone" || v == "tel" || strings.HasPrefix(v, "call")) {
			return true
		}
	}
	return false
}

var (
	barePhoneRE = regexp.MustCompile(`^(?:\+|00|0|\()[0-9 ()/.\-]{6,22}$|^[0-9]{3}[ .\-][0-9]{3}[ .\-][0-9]{4}$`)
	dateRE      = regexp.MustCompile(`^[0-9]{1,4}[./\-][0-9]{1,2}[./\-][0-9]{1,4}$`)
	bareSiteRE  = regexp.MustCompile(`^(?i)(?:https?://)?www\.[a-z0-9\-]+(?:\.[a-z0-9\-]+)+(?:/\S*)?$`)
)

// bareText finds, in a card's own text, a phone number or a website written out without a
// link: a text that is nothing but a number as phones are written (a date is not one), or
// nothing but a www. address.
func bareText(card *html.Node, base *url.URL) (phone, site string) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n != card && adMarked(n)) {
			return
		}
		if n.Type == html.TextNode {
			t := strings.TrimRight(cleanText(n.Data), ".,;")
			switch {
			case phone == "" && barePhoneRE.MatchString(t) && !dateRE.MatchString(t):
				if d := len(phoneKey(t)); d > 0 && digitCount(t) >= 7 && digitCount(t) <= 15 {
					phone = cleanPhone(t)
				}
			case site == "" && bareSiteRE.MatchString(t):
				w := t
				if !strings.HasPrefix(strings.ToLower(w), "http") {
					w = "http://" + w
				}
				if u, err := url.Parse(w); err == nil && !OwnSite(u, base) {
					site = w
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(card)
	return phone, site
}

func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// distanceTail is the distance from the searched place that listings print after an
// address ("… 78052 Villingen 2,7 km", "… CA 94103 · 1.2 mi"): not part of the address.
var distanceTail = regexp.MustCompile(`(?i)[\s·|,(-]+\d+(?:[.,]\d+)?\s?(?:km|mi|miles)\)?$`)

// withoutDistance drops a trailing distance from an address.
func withoutDistance(addr string) string {
	return strings.TrimSpace(distanceTail.ReplaceAllString(addr, ""))
}
