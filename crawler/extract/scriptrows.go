package extract

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// scriptRows returns the rows of the positional arrays that inline scripts build a
// listing's buttons from (var hits = [["…","Acme GmbH","info@acme.de","http://acme.de"],
// …]): arrays of arrays of strings, without keys to say which value is what.
func scriptRows(doc *goquery.Document) [][]string {
	var rows [][]string
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		typ := strings.ToLower(s.AttrOr("type", ""))
		if typ != "" && !strings.Contains(typ, "javascript") || len(rows) > maxBusinesses {
			return
		}
		text := s.Text()
		for i, n := 0, 0; i < len(text) && n < 50; n++ {
			j := strings.Index(text[i:], "[[")
			if j < 0 {
				break
			}
			start := i + j
			i = start + 2
			var v [][]any
			dec := json.NewDecoder(strings.NewReader(text[start:]))
			if dec.Decode(&v) != nil {
				continue
			}
			i = start + int(dec.InputOffset())
			for _, r := range v {
				var row []string
				for _, c := range r {
					if s, ok := c.(string); ok && s != "" {
						row = append(row, s)
					}
				}
				if len(row) >= 2 {
					rows = append(rows, row)
				}
			}
		}
	})
	return rows
}

// withScriptRows fills the emails and websites of the businesses a page's positional
// script arrays describe. A row belongs to a business when one of its values is the
// business's name or its detail page, and to that business alone; its email is any value
// that is an address, its website the one value that is a URL off the directory's site.
func withScriptRows(bs []Business, doc *goquery.Document, base *url.URL) []Business {
	rows := scriptRows(doc)
	if len(rows) == 0 {
		return bs
	}
	owner := make([]int, len(rows))
	for r, row := range rows {
		owner[r] = -1
		for i, b := range bs {
			nk := NameKey(b.Name)
			hit := false
			for _, v := range row {
				if nk != "" && NameKey(v) == nk || b.DetailURL != "" && v == b.DetailURL {
					hit = true
					break
				}
			}
			if !hit {
				continue
			}
			if owner[r] >= 0 {
				owner[r] = -2 // two businesses: nobody's
				break
			}
			owner[r] = i
		}
	}
	used := map[int]bool{}
	for r, row := range rows {
		i := owner[r]
		if i < 0 || used[i] {
			continue
		}
		used[i] = true
		b := &bs[i]
		var sites []string
		for _, v := range row {
			if strings.Contains(v, "@") {
				if e := checkEmail(v); e != "" && !slices.Contains(b.Emails, e) {
					b.Emails = append(b.Emails, e)
				}
				continue
			}
			w := v
			if strings.HasPrefix(strings.ToLower(w), "www.") {
				w = "http://" + w
			}
			if !isAbsURL(w) {
				continue
			}
			if u, err := url.Parse(w); err == nil && u.Host != "" && !OwnSite(u, base) && !slices.Contains(sites, w) {
				sites = append(sites, w)
			}
		}
		if b.Website == "" && len(sites) == 1 {
			b.Website = sites[0]
		}
	}
	return bs
}
