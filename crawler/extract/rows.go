package extract

import (
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// rowTags are the elements a listing repeats, one per business.
var rowTags = map[string]bool{"tr": true, "li": true, "article": true, "section": true, "div": true, "dl": true}

// Rows reads listings by their layout: runs of at least two sibling elements of one tag
// and class (table rows, list items, cards), each read like a block, with every address
// inside the row. A row counts when it names a business and gives an address, a phone,
// or a website whose link text is not the name itself (a menu of links is no listing). Rows inside the page's header, navigation
// and footer are the site's own.
func Rows(doc *goquery.Document, base *url.URL) []Business {
	type key struct {
		parent *html.Node
		tag    string
		class  string
	}
	groups := map[key][]*html.Node{}
	var order []key
	doc.Find("body *").Each(func(_ int, s *goquery.Selection) {
		n := s.Get(0)
		if !rowTags[n.Data] || n.Parent == nil || len(order) > 5000 {
			return
		}
		k := key{n.Parent, n.Data, attr(n, "class")}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], n)
	})
	var out []Business
	for _, k := range order {
		rows := groups[k]
		if len(rows) < 2 {
			continue
		}
		if goquery.NewDocumentFromNode(k.parent).Selection.Closest("header, nav, footer").Length() > 0 {
			continue
		}
		for _, n := range rows {
			s := goquery.NewDocumentFromNode(n).Selection
			if s.Find("a[href]").Length() > 20 {
				continue // a container of many entries, not one
			}
			b := blockBusiness(s, base)
			b.From = "cards"
			var sb strings.Builder
			if html.Render(&sb, n) == nil && sb.Len() < 64<<10 {
				b.Emails = findEmails(sb.String())
			}
			if b.Name == "" {
				continue
			}
			linkText := ""
			s.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
				if resolve(base, a.AttrOr("href", "")) == b.Website {
					linkText = cleanText(a.Text())
					return false
				}
				return true
			})
			if len(b.Emails) > 0 || b.Phone != "" || b.Website != "" && !strings.EqualFold(linkText, b.Name) {
				out = append(out, b)
			}
		}
	}
	return MergeSame(out)
}
