package extract

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Microdata reads businesses described with schema.org microdata: itemscope/itemtype
// (http or https type URLs), nested items such as a PostalAddress, and itemref.
func Microdata(doc *goquery.Document) []Business {
	byID := map[string]*html.Node{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		if id, _ := s.Attr("id"); id != "" {
			byID[id] = s.Get(0)
		}
	})
	var out []Business
	doc.Find("[itemscope]").Each(func(_ int, s *goquery.Selection) {
		if _, isProp := s.Attr("itemprop"); isProp || len(out) >= maxBusinesses {
			return // nested items are read as properties of their parent
		}
		budget := 20000 // elements read for one item, itemref cycles included
		item := readItem(s.Get(0), byID, 0, &budget)
		walkSchema(item, 0, &out)
	})
	for i := range out {
		out[i].From = "microdata"
	}
	return MergeSame(out)
}

// readItem turns an itemscope element into a JSON-like object with @type and its
// properties, the way JSONLD's walker expects.
func readItem(n *html.Node, byID map[string]*html.Node, depth int, budget *int) map[string]any {
	m := map[string]any{}
	if t := attr(n, "itemtype"); t != "" {
		var ts []any
		for _, f := range strings.Fields(t) {
			f = f[strings.LastIndexByte(f, '/')+1:]
			ts = append(ts, f)
		}
		m["@type"] = ts
	}
	if depth > 8 {
		return m
	}
	roots := []*html.Node{}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		roots = append(roots, c)
	}
	for _, id := range strings.Fields(attr(n, "itemref")) {
		if r, ok := byID[id]; ok && r != n {
			roots = append(roots, r)
		}
	}
	var visit func(c *html.Node)
	visit = func(c *html.Node) {
		if *budget--; *budget < 0 || c.Type != html.ElementNode {
			return
		}
		_, scoped := attrOK(c, "itemscope")
		if props := strings.Fields(attr(c, "itemprop")); len(props) > 0 {
			var v any
			if scoped {
				v = readItem(c, byID, depth+1, budget)
			} else {
				v = propValue(c)
			}
			for _, p := range props {
				addProp(m, p, v)
			}
		}
		if scoped {
			return
		}
		for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
			visit(cc)
		}
	}
	for _, r := range roots {
		visit(r)
	}
	return m
}

func addProp(m map[string]any, p string, v any) {
	switch old := m[p].(type) {
	case nil:
		m[p] = v
	case []any:
		m[p] = append(old, v)
	default:
		m[p] = []any{old, v}
	}
}

// propValue is the value of a microdata property element, per the HTML spec.
func propValue(n *html.Node) string {
	switch n.Data {
	case "meta":
		return attr(n, "content")
	case "a", "link", "area":
		return attr(n, "href")
	case "img", "audio", "video", "source", "iframe", "embed":
		return attr(n, "src")
	case "time":
		if v := attr(n, "datetime"); v != "" {
			return v
		}
	case "data", "meter":
		return attr(n, "value")
	}
	if v := attr(n, "content"); v != "" {
		return v
	}
	return cleanText(nodeText(n))
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// nodeText is the text of a subtree without script and style content.
func nodeText(n *html.Node) string {
	var sb strings.Builder
	var f func(*html.Node)
	f = func(c *html.Node) {
		if sb.Len() > 4096 {
			return
		}
		switch c.Type {
		case html.TextNode:
			sb.WriteString(c.Data)
		case html.ElementNode:
			if c.Data == "script" || c.Data == "style" {
				return
			}
			if c.Data == "br" || c.Data == "p" || c.Data == "div" || c.Data == "li" {
				sb.WriteByte(' ')
			}
		}
		for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
			f(cc)
		}
	}
	f(n)
	return sb.String()
}
