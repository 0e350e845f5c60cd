package extract

import (
	"encoding/json"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// stateMarkers name the globals and script ids in which single-page front ends ship the
// data a page was rendered from.
var stateMarkers = []string{
	"__INITIAL_STATE__", "__PRELOADED_STATE__", "__NEXT_DATA__", "__NUXT_DATA__", "__NUXT__", "__APOLLO_STATE__",
	"__DATA__", "__INITIAL_DATA__", "__SERVER_DATA__", "__REDUX_STATE__", "__APP_STATE__", "__STATE__",
}

// PageState reads listings held in embedded page state (window.__INITIAL_STATE__ = {…},
// <script id="__NEXT_DATA__" type="application/json">, other application/json scripts):
// it walks the JSON for objects that carry a name and an email, website or phone.
func PageState(doc *goquery.Document) []Business {
	out, _ := pageState(doc)
	return out
}

// pageState returns the businesses of the page state and, apart, those it holds under
// advert keys: a page may render its adverts as cards like the results'.
func pageState(doc *goquery.Document) (out, ads []Business) {
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		typ := strings.ToLower(s.AttrOr("type", ""))
		id := s.AttrOr("id", "")
		text := s.Text()
		var blobs []string
		switch {
		case typ == "application/json" || id == "__NEXT_DATA__":
			blobs = append(blobs, text)
		case typ == "" || strings.Contains(typ, "javascript"):
			for _, m := range stateMarkers {
				blobs = append(blobs, assignedJSON(text, m)...)
			}
			if len(blobs) == 0 {
				// Arrays inside a known state are read with it, where their keys
				// (adverts, results) say what they are.
				blobs = objectArrays(text)
			}
		}
		for _, b := range blobs {
			var v any
			dec := json.NewDecoder(strings.NewReader(b))
			if dec.Decode(&v) != nil {
				continue
			}
			walkState(v, 0, &out, &ads)
		}
	})
	return MergeSame(out), ads
}

// assignedJSON returns the JSON text assigned to a global named marker
// ("window.__INITIAL_STATE__ = {…};" or "__DATA__ = JSON.parse('…')" is not handled: that
// is a string, not an object). The decoder stops at the object's end.
func assignedJSON(script, marker string) []string {
	var out []string
	for i := 0; i < len(script) && len(out) < 4; {
		j := strings.Index(script[i:], marker)
		if j < 0 {
			break
		}
		k := i + j + len(marker)
		rest := strings.TrimLeft(script[k:], " \t\r\n\"']")
		i = k
		if !strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, ":") {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\r\n")
		if strings.HasPrefix(rest, "{") || strings.HasPrefix(rest, "[") {
			out = append(out, rest)
		}
	}
	return out
}

func walkState(v any, depth int, out, ads *[]Business) {
	if depth > maxDepth || len(*out) >= maxBusinesses {
		return
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			walkState(e, depth+1, out, ads)
		}
	case map[string]any:
		if looksLikeBusiness(t) {
			b := objectBusiness(t, false)
			// A name with only a link is as often a menu entry as a business: it must also
			// have an address to count.
			if b.Name != "" && (len(b.Emails) > 0 || b.Phone != "" || isAbsURL(b.Website) && (b.Address != "" || b.City != "")) {
				b.From = "pagestate"
				*out = append(*out, b)
				return
			}
		}
		for k, e := range t {
			if adKey(k) {
				walkState(e, depth+1, ads, ads)
			} else {
				walkState(e, depth+1, out, ads)
			}
		}
	}
}

// adKey reports a state key that holds adverts rather than the listing's own results
// (ads, adSlots, sponsoredResults, targetMediaView, promotedListings).
func adKey(k string) bool {
	l := strings.ToLower(k)
	if l == "ad" || l == "ads" || strings.HasSuffix(l, "ads") && !strings.HasSuffix(l, "leads") && !strings.HasSuffix(l, "threads") && !strings.HasSuffix(l, "downloads") && !strings.HasSuffix(l, "uploads") {
		return true
	}
	if len(k) > 2 && strings.HasPrefix(k, "ad") && k[2] >= 'A' && k[2] <= 'Z' {
		return true
	}
	for _, w := range []string{"advert", "sponsor", "promoted", "promotion", "targetmedia", "banner"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// looksLikeBusiness is a cheap test before mapping: a name key and a contact key.
func looksLikeBusiness(m map[string]any) bool {
	has := func(keys []string) bool {
		for _, k := range keys {
			if _, ok := m[k]; ok {
				return true
			}
		}
		return false
	}
	if t := types(m); len(t) > 0 && !isBusinessType(t) {
		return false
	}
	return has(nameKeys) && (has(emailKeys) || has(phoneKeys) || has(websiteKeys))
}

func isAbsURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "www.")
}

// objectArrays returns the JSON arrays of objects an inline script assigns or passes
// (var hits = [{"name": …, "email": …}, …]) that no known global names: the data behind a
// listing's "E-Mail" and "Website" buttons. Script code that is not JSON does not decode
// and is skipped.
func objectArrays(script string) []string {
	var out []string
	for i := 0; i < len(script) && len(out) < 20; {
		j := strings.Index(script[i:], "[{")
		if j < 0 {
			break
		}
		start := i + j
		if before := strings.TrimRight(script[:start], " \t\r\n"); !strings.HasSuffix(before, "=") && !strings.HasSuffix(before, "(") {
			i = start + 2 // inside a larger value, whose keys are not known here
			continue
		}
		var v []map[string]any
		dec := json.NewDecoder(strings.NewReader(script[start:]))
		if dec.Decode(&v) != nil {
			i = start + 2
			continue
		}
		end := start + int(dec.InputOffset())
		out = append(out, script[start:end])
		i = end
	}
	return out
}
