package extract

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/clientele/clientele/lead"
	"golang.org/x/net/html"
)

// Cards reads the repeated cards of a listing page, the layout most directories use
// without structured data: a name element (a heading, a link or text whose class or
// itemprop says "name" or "title") repeated with one signature (tag and classes, numbers
// dropped) is the anchor of each card, and a card is the largest element around one
// anchor that holds no other. A card counts when it names a business and gives a phone,
// an address, a website or an email. What is no business is left out: the page's header,
// navigation and footer, adverts, furniture headings ("Contact", "Join"), groups whose
// cards all share one contact (the sections of a single business's page), and links or
// numbers that every card shares (a maps service, the directory's call centre).
func Cards(doc *goquery.Document, base *url.URL) []Business {
	groups := map[string][]*html.Node{}
	var order []string
	n := 0
	doc.Find("body h1, body h2, body h3, body h4, body h5, body h6, body a, body span, body div, body p, body strong").Each(func(_ int, s *goquery.Selection) {
		if n > 200000 {
			return
		}
		n++
		node := s.Get(0)
		if !nameElement(node) || furnitureAncestor(node) {
			return
		}
		sig := signature(node)
		if _, ok := groups[sig]; !ok {
			order = append(order, sig)
		}
		groups[sig] = append(groups[sig], node)
	})
	type card struct {
		node *html.Node
		b    Business
	}
	var picked [][]card
	for _, sig := range order {
		members := groups[sig]
		if len(members) < 2 {
			continue
		}
		// A member inside another member of its group is part of that one's name.
		isMember := map[*html.Node]bool{}
		for _, m := range members {
			isMember[m] = true
		}
		var tops []*html.Node
		for _, m := range members {
			inner := false
			for p := m.Parent; p != nil && !inner; p = p.Parent {
				inner = isMember[p]
			}
			if !inner {
				tops = append(tops, m)
			}
		}
		count := map[*html.Node]int{}
		for _, m := range tops {
			for p := m; p != nil; p = p.Parent {
				count[p]++
			}
		}
		var cs []card
		contacts := map[string]bool{}
		for _, m := range tops {
			c := m
			for p := m.Parent; p != nil && p.Type == html.ElementNode && p.Data != "body" && p.Data != "html" && count[p] == 1; p = p.Parent {
				c = p
			}
			if adMarked(c) {
				continue
			}
			b := readCard(c, m, base)
			if b.Name == "" || furnitureName(b.Name) || len(b.Emails) == 0 && b.Phone == "" && len(b.sites) == 0 && b.Address == "" {
				continue
			}
			for _, k := range append(append(slices.Clone(b.Emails), phoneKey(b.Phone)), b.sites...) {
				if k != "" {
					contacts[k] = true
				}
			}
			cs = append(cs, card{c, b})
		}
		if len(cs) < 2 || len(contacts) < 2 {
			continue
		}
		picked = append(picked, cs)
	}
	// Groups of more cards first; a card already read through another anchor (the name
	// link inside the name heading), or nested in one, is the same business.
	slices.SortStableFunc(picked, func(a, b []card) int { return len(b) - len(a) })
	// claimed marks each claimed card and its ancestors; a card overlaps a claimed one when
	// it or an ancestor is claimed, or it is the ancestor of one.
	claimed := map[*html.Node]bool{}
	above := map[*html.Node]bool{}
	overlaps := func(n *html.Node) bool {
		if above[n] {
			return true
		}
		for p := n; p != nil; p = p.Parent {
			if claimed[p] {
				return true
			}
		}
		return false
	}
	var out []Business
	for _, cs := range picked {
		var bs []Business
		for _, c := range cs {
			if !overlaps(c.node) {
				bs = append(bs, c.b)
			}
		}
		if len(bs) < 2 {
			continue
		}
		for _, c := range cs {
			claimed[c.node] = true
			for p := c.node.Parent; p != nil && !above[p]; p = p.Parent {
				above[p] = true
			}
		}
		out = append(out, bs...)
	}
	return MergeSame(withoutShared(chooseSites(out)))
}

// contains reports whether n is a or lies inside it.
func contains(a, n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

// chooseSites sets each card's website to its first candidate whose registrable domain
// no more than two differently named cards of the page link to (a maps service linked
// from many cards is nobody's website).
func chooseSites(bs []Business) []Business {
	// Distinct names per domain: the branches of a chain share their website, different
	// businesses do not share one.
	names := map[string]map[string]bool{}
	for _, b := range bs {
		for _, s := range b.sites {
			d := lead.RegistrableDomain(s)
			if names[d] == nil {
				names[d] = map[string]bool{}
			}
			names[d][NameKey(b.Name)] = true
		}
	}
	for i := range bs {
		for _, s := range bs[i].sites {
			if len(names[lead.RegistrableDomain(s)]) < 3 {
				bs[i].Website = s
				break
			}
		}
		bs[i].sites = nil
	}
	return bs
}

// withoutShared clears the websites (by registrable domain) and phones that most cards of
// one listing share: a maps or booking service, the directory's own number.
func withoutShared(bs []Business) []Business {
	if len(bs) < 3 {
		return bs
	}
	sites, phones := map[string]int{}, map[string]int{}
	for _, b := range bs {
		if b.Website != "" {
			sites[lead.RegistrableDomain(b.Website)]++
		}
		if p := phoneKey(b.Phone); p != "" {
			phones[p]++
		}
	}
	shared := func(n int) bool { return n >= 3 && n*2 >= len(bs) }
	for i := range bs {
		if bs[i].Website != "" && shared(sites[lead.RegistrableDomain(bs[i].Website)]) {
			bs[i].Website = ""
		}
		if shared(phones[phoneKey(bs[i].Phone)]) {
			bs[i].Phone = ""
		}
	}
	return bs
}

// nameElement reports whether n may carry a business's name: a heading, or an element
// whose class, itemprop or data attribute says name or title, with short text.
func nameElement(n *html.Node) bool {
	switch n.Data {
	case "h1", "h2", "h3", "h4", "h5", "h6":
	default:
		cls := strings.ToLower(attr(n, "class") + " " + attr(n, "itemprop"))
		if !strings.Contains(cls, "name") && !strings.Contains(cls, "title") {
			return false
		}
		if strings.Contains(cls, "subtitle") || strings.Contains(cls, "username") {
			return false
		}
	}
	t := cleanText(nodeText(n))
	return t != "" && len(t) <= 120 && !strings.Contains(t, "@")
}

var digitsRE = regexp.MustCompile(`[0-9]`)

// signature is what repeats between the name elements of one listing: the tag, the
// classes without those carrying numbers (poi-3, item-17), the itemprop.
func signature(n *html.Node) string {
	var cls []string
	for _, c := range strings.Fields(attr(n, "class")) {
		if !digitsRE.MatchString(c) && !strings.Contains(c, "active") && !strings.Contains(c, "paid") && !strings.Contains(c, "premium") {
			cls = append(cls, c)
		}
	}
	return n.Data + "." + strings.Join(cls, ".") + "[" + attr(n, "itemprop") + "]"
}

// furnitureAncestor reports whether n lies in the page's own furniture: header,
// navigation, footer, breadcrumbs, menus, or an advert.
func furnitureAncestor(n *html.Node) bool {
	for p := n; p != nil && p.Type == html.ElementNode && p.Data != "body"; p = p.Parent {
		switch p.Data {
		case "header", "nav", "footer", "aside", "form":
			return true
		}
		if r := attr(p, "role"); r == "navigation" || r == "banner" || r == "contentinfo" {
			return true
		}
		for _, t := range markTokens(p) {
			switch t {
			case "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "footer", "header", "cookie", "modal":
				return true
			}
		}
		if adMarked(p) {
			return true
		}
	}
	return false
}

// markTokens are the words of an element's class and id, split at - _ and spaces.
func markTokens(n *html.Node) []string {
	return strings.FieldsFunc(strings.ToLower(attr(n, "class")+" "+attr(n, "id")), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t' || r == '\n'
	})
}

// adMarked reports whether an element is marked as an advert by its class or id.
func adMarked(n *html.Node) bool {
	for _, t := range markTokens(n) {
		switch {
		case t == "ad", t == "ads", t == "adv", t == "advert", t == "advertisement", t == "adsense", t == "adslot",
			t == "adunit", t == "adsbygoogle", t == "sponsored", t == "anzeige", t == "werbung", t == "promo", t == "promoted":
			return true
		}
	}
	return false
}

// furnitureWords are headings and labels of pages that are no business's name.
var furnitureWords = map[string]bool{
	"join": true, "joinnow": true, "signup": true, "signin": true, "login": true, "register": true, "home": true,
	"menu": true, "search": true, "results": true, "searchresults": true, "more": true, "next": true, "previous": true,
	"contact": true, "contactus": true, "kontakt": true, "impressum": true, "imprint": true, "about": true,
	"aboutus": true, "ueberuns": true, "überuns": true, "website": true, "webseite": true, "email": true,
	"phone": true, "telefon": true, "call": true, "directions": true, "map": true, "reviews": true, "bewertungen": true,
	"details": true, "viewprofile": true, "profile": true, "mehr": true, "weiter": true, "openinghours": true,
	"öffnungszeiten": true, "address": true, "adresse": true, "services": true, "leistungen": true,
	"netzwerke": true, "socialmedia": true, "followus": true, "share": true, "faq": true, "help": true,
	"hilfe": true, "datenschutz": true, "privacy": true, "nearbylocations": true, "relatedsearches": true,
}

// furnitureName reports names that are page furniture rather than a business.
func furnitureName(name string) bool {
	k := NameKey(name)
	if furnitureWords[k] {
		return true
	}
	l := strings.ToLower(name)
	return strings.HasPrefix(l, "our ") || strings.HasPrefix(l, "unsere ") || strings.HasPrefix(l, "unser ")
}

var enumerationRE = regexp.MustCompile(`^\(?[0-9]{1,4}[.)]\s+`)

// cleanName trims a name as a listing shows it, without its position ("3. Acme").
func cleanName(s string) string {
	return enumerationRE.ReplaceAllString(cleanText(s), "")
}

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
		if t := cleanText(nodeText(a.Get(0))); t != "" && len(t) <= 200 && !inAd(a.Get(0), card) {
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
