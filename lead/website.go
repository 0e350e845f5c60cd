package lead

import (
	"net"
	"net/url"
	"strings"
)

// A website identifies a business only when the business owns it. Pages on maps, social
// networks, review and booking sites, link shorteners, marketplaces and the bare hosts of
// site builders are each shared by many unrelated businesses: taken for a website they
// would merge those businesses into one lead. This file is the one home of that rule; the
// crawler (which links are a business's own site) and the store (which leads are one) both
// ask it.

// sharedBrands are the first labels of registrable domains whose every host, under any
// country code, is a platform of many businesses ("google" covers google.de/maps,
// maps.google.co.uk, business.google.com ...).
var sharedBrands = map[string]bool{
	// maps and directions
	"google": true, "bing": true, "openstreetmap": true, "waze": true, "mapquest": true,
	"yandex": true, "2gis": true, "mapy": true, "citymapper": true, "what3words": true,
	"viamichelin": true,
	// social networks and messengers
	"facebook": true, "instagram": true, "twitter": true, "linkedin": true, "youtube": true,
	"tiktok": true, "pinterest": true, "snapchat": true, "tumblr": true, "reddit": true,
	"xing": true, "telegram": true, "whatsapp": true, "threads": true, "vimeo": true,
	"flickr": true, "weibo": true, "wechat": true, "discord": true, "messenger": true,
	"mastodon": true, "bsky": true, "behance": true, "dribbble": true, "soundcloud": true,
	"spotify": true, "medium": true, "substack": true, "patreon": true, "github": true,
	// review, rating and recommendation sites
	"yelp": true, "tripadvisor": true, "trustpilot": true, "foursquare": true, "houzz": true,
	"thumbtack": true, "nextdoor": true, "glassdoor": true, "kununu": true, "provenexpert": true,
	"trustedshops": true, "angi": true, "homeadvisor": true, "checkatrade": true,
	"zomato": true, "untappd": true, "wikipedia": true, "wikidata": true,
	"wikimedia": true,
	// booking, ordering and scheduling
	"booking": true, "airbnb": true, "expedia": true, "hotels": true, "agoda": true, "trivago": true,
	"opentable": true, "resy": true, "thefork": true, "quandoo": true, "sevenrooms": true,
	"treatwell": true, "fresha": true, "booksy": true, "calendly": true, "doctolib": true,
	"setmore": true, "acuityscheduling": true, "simplybook": true, "planity": true,
	"ubereats": true, "deliveroo": true, "doordash": true, "grubhub": true, "lieferando": true,
	"justeat": true, "glovoapp": true, "wolt": true, "eventbrite": true, "meetup": true,
	// marketplaces and stores
	"amazon": true, "ebay": true, "etsy": true, "aliexpress": true, "alibaba": true,
	"fiverr": true, "upwork": true, "rakuten": true, "mercadolibre": true, "olx": true,
	"craigslist": true, "kleinanzeigen": true, "leboncoin": true, "wallapop": true,
	"vinted": true, "apple": true,
	// link shorteners and link-in-bio pages
	"bitly": true, "tinyurl": true, "rebrandly": true, "cutt": true, "shorturl": true,
	"linktree": true, "googleusercontent": true, "feefo": true, "bark": true, "viber": true,
}

// sharedDomains are exact registrable domains of such platforms whose first label is too
// short or too common to stand for the brand under every country code.
var sharedDomains = map[string]bool{
	"x.com": true, "fb.com": true, "fb.me": true, "m.me": true, "wa.me": true, "t.me": true,
	"t.co": true, "t.ly": true, "vk.ru": true, "youtu.be": true, "goo.gl": true, "g.co": true, "g.page": true, "bit.ly": true,
	"ow.ly": true, "buff.ly": true, "is.gd": true, "tiny.cc": true, "lnkd.in": true, "s.id": true,
	"rb.gy": true, "shorturl.at": true, "osm.org": true, "vk.com": true, "ok.ru": true,
	"line.me": true, "wa.link": true, "bsky.app": true, "threads.net": true, "ig.me": true,
	"apple.co": true, "amzn.to": true, "amzn.eu": true, "a.co": true, "ebay.us": true,
	"maps.me": true, "ttvnw.net": true, "twitch.tv": true, "qr.ae": true, "quora.com": true,
	"bing.net": true, "msn.com": true, "live.com": true, "office.com": true,
	"reviews.io": true, "here.com": true,
}

// pathSites are hosts where one business's site is a path ("linktr.ee/name",
// "sites.google.com/view/name"), with how many path segments name it. The bare host is
// shared; the host with those segments is one business's own.
var pathSites = map[string]int{
	"sites.google.com": 2, "linktr.ee": 1, "beacons.ai": 1, "lnk.bio": 1, "linkin.bio": 1,
	"about.me": 1, "campsite.bio": 1, "solo.to": 1, "taplink.cc": 1, "bio.link": 1,
}

// pathSiteSuffixes are site builders whose account hosts hold sites as paths
// ("ana.wixsite.com/plumbing"): the host and its first segment name one business.
var pathSiteSuffixes = []string{".wixsite.com", ".wixstudio.io"}

// subdomainSites are site builders and hosting platforms whose sites are subdomains
// ("ana-plumbing.business.site"), but which the public suffix list does not list, so
// their registrable domain is the platform's: there the full host is the business's
// identity, and the bare platform host is shared.
var subdomainSites = map[string]bool{
	"business.site": true, "jimdosite.com": true, "jimdofree.com": true, "jimdo.com": true,
	"weebly.com": true, "wordpress.com": true, "squarespace.com": true, "godaddysites.com": true,
	"site123.me": true, "webnode.page": true, "webnode.com": true, "mystrikingly.com": true,
	"strikingly.com": true, "ueniweb.com": true, "hubspotpagebuilder.com": true,
	"webador.com": true, "one-website.com": true, "ionos.site": true, "webs.com": true,
	"wix.com": true, "wixsite.com": true, "tumblr.com": true, "blogspot.com": true,
	"ueni.com": true, "yolasite.com": true, "square.site": true, "carrd.co": true,
	"webflow.io": true, "myshopify.com": true, "netlify.app": true, "vercel.app": true,
	"pages.dev": true, "github.io": true, "gitlab.io": true, "web.app": true,
	"firebaseapp.com": true, "herokuapp.com": true, "azurewebsites.net": true,
	"framer.website": true, "canva.site": true, "notion.site": true, "webflow.com": true,
}

// parseWebsite parses a website as found (a scheme is optional) into its normalised host
// (without "www.") and the path segments, lower-cased. ok is false for what is not an
// http(s) URL with a host name.
func parseWebsite(raw string) (host string, segs []string, ok bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil, false
	}
	if !strings.Contains(raw, "://") {
		if u, err := url.Parse(raw); err == nil && u.Scheme != "" && !strings.Contains(u.Scheme, ".") {
			return "", nil, false // mailto:, tel:, javascript: ...
		}
		raw = "http://" + strings.TrimPrefix(raw, "//")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return "", nil, false
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil {
		// No business's website is an address; tests and private networks use them, and
		// there the port tells sites apart.
		return "ip:" + u.Host, nil, true
	}
	host = NormalizeDomain(u.Hostname())
	host = strings.TrimPrefix(host, "www.")
	if host == "" || !strings.Contains(host, ".") {
		return "", nil, false
	}
	for _, s := range strings.Split(u.EscapedPath(), "/") {
		if s != "" {
			segs = append(segs, strings.ToLower(s))
		}
	}
	return host, segs, true
}

// SharedHost reports whether rawURL is a page shared by many businesses, so it is never a
// business's own website: maps and directions, social networks, review and booking sites,
// link shorteners, marketplaces, and the bare hosts of site builders. A business's own site
// on a builder ("ana.business.site", "sites.google.com/view/ana") is not shared. Something
// that is not an http(s) URL with a host name counts as shared: it identifies no one.
func SharedHost(rawURL string) bool { return WebsiteKey(rawURL) == "" }

// WebsiteKey returns the identity of a website for telling businesses apart: its
// registrable domain ("https://www.shop.example.co.uk/x" → "example.co.uk"); the full host
// on a site builder whose sites are subdomains ("ana.business.site"); the host and the
// segments that name the site where sites are paths ("sites.google.com/view/ana"). It
// returns "" for a page shared by many businesses (see SharedHost) and for what is not a
// website, so such a page never makes two leads one.
func WebsiteKey(rawURL string) string {
	host, segs, ok := parseWebsite(rawURL)
	if !ok {
		return ""
	}
	if strings.HasPrefix(host, "ip:") {
		return host
	}
	if n, ok := pathSites[host]; ok {
		return pathKey(host, segs, n)
	}
	for _, suf := range pathSiteSuffixes {
		if strings.HasSuffix(host, suf) {
			return pathKey(host, segs, 1)
		}
	}
	reg := RegistrableDomain(host)
	if reg == "" {
		return ""
	}
	if sharedDomains[reg] || sharedBrands[reg[:strings.IndexByte(reg, '.')]] {
		return ""
	}
	if subdomainSites[host] {
		return ""
	}
	for rest := host; ; {
		i := strings.IndexByte(rest, '.')
		if i < 0 {
			break
		}
		rest = rest[i+1:]
		if subdomainSites[rest] {
			return host
		}
	}
	if sharedHosts[host] {
		return ""
	}
	return reg
}

// sharedHosts are single hosts of platforms whose registrable domain is otherwise a
// business's own (a map service run under a company's main domain).
var sharedHosts = map[string]bool{
	"maps.apple.com": true, "wego.here.com": true, "share.here.com": true,
}

// pathKey is host plus its first n path segments, or "" when the path has fewer: the bare
// host of a path site is shared.
func pathKey(host string, segs []string, n int) string {
	if len(segs) < n {
		return ""
	}
	return host + "/" + strings.Join(segs[:n], "/")
}

// OwnWebsiteKey is WebsiteKey for a lead listed on the directory page listedOn (its
// SourceURL): "" also when the website is on the directory's own site (the same key: its
// registrable domain, any subdomain of it included), since the directory's pages are never
// a business's website. It is the key by which two leads with the same website are one
// business.
func OwnWebsiteKey(website, listedOn string) string {
	k := WebsiteKey(website)
	if k == "" || listedOn == "" {
		return k
	}
	if k == WebsiteKey(listedOn) {
		return ""
	}
	return k
}
