package extract

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// furnitureAncestor reports whether n lies in the page's own furniture: header,
// navigation, footer, breadcrumbs, menus, or an advert.
func furnitureAncestor(n *html.Node) bool {
	for p := n; p != nil && p.Type == html.ElementNode && p.Data != "body"; p = p.Parent {
		switch p.Data {
		case "header", "nav", "footer", "aside":
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
