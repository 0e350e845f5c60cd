package extract

import (
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/clientele/clientele/config"
)

// Businesses reads every business a page shows: structured data first (JSON-LD,
// microdata, microformats, page state), the source's selectors on top, filling what the
// others missed, then the listing's cards and the blocks around addresses none of them
// covered (a page's structured data often describes only the directory itself, or only
// some of its businesses). One business read by several readers is one entry. A URL on
// the directory's own site is never a business's website: it becomes its DetailURL.
func Businesses(doc *goquery.Document, base *url.URL, item string, f config.Fields) []Business {
	state, ads := pageState(doc)
	found := MergeSame(onSite(JSONLD(doc), base), onSite(Microdata(doc), base), onSite(Microformats(doc), base), onSite(state, base))
	if sel := Selectors(doc, base, item, f); len(sel) > 0 {
		sel = onSite(sel, base)
		if item == "" && len(found) == 1 && len(sel) == 1 {
			// A detail page: the selectors describe the one business the page is about.
			found[0].Merge(sel[0])
		} else {
			found = MergeSame(found, sel)
		}
	}
	if item != "" {
		return withoutDirectory(found, doc, base)
	}
	cards := onSite(Cards(doc, base), base)
	// A row of a listing may show several addresses, each of which the block reader
	// takes for a business of its own: the row, which names the business, holds them.
	rows := onSite(Rows(doc, base), base)
	covered := map[string]bool{}
	for _, l := range [][]Business{found, cards, rows} {
		for _, b := range l {
			for _, e := range b.Emails {
				covered[e] = true
			}
		}
	}
	var blocks []Business
	for _, b := range onSite(Blocks(doc, base), base) {
		fresh := false
		for _, e := range b.Emails {
			fresh = fresh || !covered[e]
		}
		if fresh {
			blocks = append(blocks, b)
		}
	}
	known := MergeSame(found, cards)
	all := MergeSame(known, onlyNew(known, blocks), onlyNew(known, rows))
	all = withScriptRows(all, doc, base)
	return withoutAdverts(withoutDirectory(all, doc, base), state, ads)
}

// onSite moves a website on the directory's own site to the business's DetailURL (the
// directory's page about it), unless it is the directory's redirect to the real site,
// whose target is then the website.
func onSite(bs []Business, base *url.URL) []Business {
	if base == nil {
		return bs
	}
	for i := range bs {
		b := &bs[i]
		if b.Website == "" {
			continue
		}
		w := b.Website
		if strings.HasPrefix(strings.ToLower(w), "www.") {
			w = "http://" + w
		}
		u, err := base.Parse(w)
		if err != nil || u.Scheme != "http" && u.Scheme != "https" {
			continue
		}
		if !OwnSite(u, base) {
			continue
		}
		switch t, ok := RedirectTarget(u); {
		case ok:
			if tu, err := url.Parse(t); err == nil && !OwnSite(tu, base) {
				b.Website = t
			} else {
				b.Website = ""
			}
		case LooksLikeRedirect(u):
			b.Website = u.String() // the crawler follows it to see where it leads
		default:
			if b.DetailURL == "" {
				u.Fragment = ""
				b.DetailURL = u.String()
			}
			b.Website = ""
		}
	}
	return bs
}

// withoutDirectory drops what a page says about the directory itself (its Organization
// block, its name as a heading) and entries without a name that carry nothing.
func withoutDirectory(bs []Business, doc *goquery.Document, base *url.URL) []Business {
	own := map[string]bool{}
	if base != nil {
		if d := strings.Split(strings.TrimPrefix(base.Hostname(), "www."), "."); len(d) > 1 {
			own[NameKey(d[len(d)-2])] = true
		}
	}
	doc.Find(`meta[property="og:site_name"], meta[name="application-name"]`).Each(func(_ int, m *goquery.Selection) {
		if k := NameKey(m.AttrOr("content", "")); k != "" {
			own[k] = true
		}
	})
	out := bs[:0]
	for _, b := range bs {
		if k := NameKey(b.Name); k != "" && own[k] {
			continue
		}
		if b.From == "cards" && (b.Name == "" || furnitureName(b.Name) || len(b.Emails) == 0 && b.Phone == "" && b.Website == "" && b.Address == "") {
			continue // no name, a heading, or a name whose only link is the directory's own page
		}
		out = append(out, b)
	}
	return out
}

// onlyNew keeps the entries of a looser reader that name a business the others did not
// find: the looser reader's view of a known business (its first link taken for the
// website) would only add noise to it.
func onlyNew(known, bs []Business) []Business {
	names, phones := map[string]bool{}, map[string]bool{}
	for _, b := range known {
		names[NameKey(b.Name)] = true
		phones[phoneKey(b.Phone)] = true
	}
	var out []Business
	for _, b := range bs {
		if !names[NameKey(b.Name)] && (b.Phone == "" || !phones[phoneKey(b.Phone)]) {
			out = append(out, b)
		}
	}
	return out
}

// withoutAdverts drops the businesses that the page's own state lists only as adverts.
func withoutAdverts(bs, state, ads []Business) []Business {
	if len(ads) == 0 {
		return bs
	}
	advert := map[string]bool{}
	for _, a := range ads {
		advert[NameKey(a.Name)] = true
	}
	for _, b := range state {
		delete(advert, NameKey(b.Name))
	}
	out := bs[:0]
	for _, b := range bs {
		if !advert[NameKey(b.Name)] {
			out = append(out, b)
		}
	}
	return out
}
