package extract

import (
	"net/url"

	"github.com/PuerkitoBio/goquery"
	"github.com/clientele/clientele/config"
)

// Businesses reads every business a page shows: structured data first (JSON-LD,
// microdata, microformats, page state), the source's selectors on top, filling what the
// others missed, and the block layout for addresses none of them covered (a page's
// structured data often describes only the directory itself).
func Businesses(doc *goquery.Document, base *url.URL, item string, f config.Fields) []Business {
	found := MergeByName(JSONLD(doc), Microdata(doc), Microformats(doc), PageState(doc))
	if sel := Selectors(doc, base, item, f); len(sel) > 0 {
		if item == "" && len(found) == 1 && len(sel) == 1 {
			// A detail page: the selectors describe the one business the page is about.
			found[0].Merge(sel[0])
		} else {
			found = MergeByName(found, sel)
		}
	}
	if item != "" {
		return found
	}
	covered := map[string]bool{}
	for _, b := range found {
		for _, e := range b.Emails {
			covered[e] = true
		}
	}
	var extra []Business
	for _, b := range Blocks(doc, base) {
		fresh := false
		for _, e := range b.Emails {
			fresh = fresh || !covered[e]
		}
		if fresh {
			extra = append(extra, b)
		}
	}
	return MergeByName(found, extra)
}
