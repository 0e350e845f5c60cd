package extract

import (
	"net/url"

	"github.com/PuerkitoBio/goquery"
	"github.com/clientele/clientele/config"
)

// Businesses reads every business a page shows: structured data first (JSON-LD,
// microdata, microformats, page state), the block layout when there is none, and the
// source's selectors on top, filling what the others missed.
func Businesses(doc *goquery.Document, base *url.URL, item string, f config.Fields) []Business {
	found := MergeByName(JSONLD(doc), Microdata(doc), Microformats(doc), PageState(doc))
	sel := Selectors(doc, base, item, f)
	if len(found) == 0 && len(sel) == 0 {
		found = Blocks(doc, base)
	}
	if len(sel) == 0 {
		return found
	}
	if item == "" && len(found) == 1 && len(sel) == 1 {
		// A detail page: the selectors describe the one business the page is about.
		found[0].Merge(sel[0])
		return found
	}
	return MergeByName(found, sel)
}
