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
