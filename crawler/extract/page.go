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
	// A row of a listing may show several addresses, each of which the block reader
	// takes for a business of its own: the row, which names the business, holds them.
	rows := Rows(doc, base)
	inRow := map[string]bool{}
	for _, b := range rows {
		for _, e := range b.Emails {
			inRow[e] = true
		}
	}
	var blocks []Business
	for _, b := range extra {
		all := len(b.Emails) > 0
		for _, e := range b.Emails {
			all = all && inRow[e]
		}
		if !all {
			blocks = append(blocks, b)
		}
	}
	return MergeByName(found, blocks, rows)
}
