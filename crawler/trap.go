package crawler

import (
	"hash/fnv"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// sessionParams are query keys that carry a visitor's session, not a page: the same page
// reached with another value is the same page.
var sessionParams = map[string]bool{
	"sid": true, "sessionid": true, "session_id": true, "session": true, "sessid": true, "jsessionid": true,
	"phpsessid": true, "aspsessionid": true, "cfid": true, "cftoken": true, "zenid": true, "osCsid": true,
	"oscsid": true, "sessie": true, "s_id": true, "_sid": true,
}

// withoutSession returns u without session parameters in its query and without a
// ";jsessionid=…" path parameter.
func withoutSession(u *url.URL) string {
	c := *u
	if i := strings.Index(strings.ToLower(c.Path), ";jsessionid="); i >= 0 {
		c.Path, c.RawPath = c.Path[:i], ""
	}
	if c.RawQuery != "" {
		q := c.Query()
		changed := false
		for k := range q {
			if sessionParams[strings.ToLower(k)] {
				q.Del(k)
				changed = true
			}
		}
		if changed {
			c.RawQuery = q.Encode()
		}
	}
	return c.String()
}

// repeated reports whether a directory page shows the same text as a page read before,
// digits aside: the next month of an empty calendar, a page reached again under another
// session. Such a page brings nothing and its links lead to more of the same.
func (r *run) repeated(doc *goquery.Document) bool {
	h := fnv.New64a()
	for _, n := range doc.Find("body").Nodes {
		textHash(n, h)
	}
	sum := h.Sum64()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.texts == nil {
		r.texts = map[uint64]bool{}
	}
	if r.texts[sum] {
		return true
	}
	r.texts[sum] = true
	return false
}

// textHash feeds the visible text of a subtree, without digits, into h.
func textHash(n *html.Node, h interface{ Write([]byte) (int, error) }) {
	switch n.Type {
	case html.TextNode:
		b := make([]byte, 0, len(n.Data))
		for i := 0; i < len(n.Data); i++ {
			if c := n.Data[i]; c < '0' || c > '9' {
				b = append(b, c)
			}
		}
		h.Write(b)
		return
	case html.ElementNode:
		if n.Data == "script" || n.Data == "style" {
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		textHash(c, h)
	}
}

// shapeStat counts the directory pages of one URL shape read in a crawl and the new
// businesses they (or the pages they linked to) brought.
type shapeStat struct{ pages, businesses int }

// hopelessAfter is how many pages of one shape are read, without a single business from
// them or their links, before links of that shape are no longer followed.
const hopelessAfter = 25

// credit records a directory page of shape own that brought fresh businesses, crediting
// them also to the shape of the page that linked to it (a listing whose businesses live
// on their detail pages).
func (r *run) credit(own, from string, fresh int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.shapes == nil {
		r.shapes = map[string]*shapeStat{}
	}
	st := r.shapes[own]
	if st == nil {
		st = &shapeStat{}
		r.shapes[own] = st
	}
	st.pages++
	st.businesses += fresh
	if p := r.shapes[from]; from != "" && p != nil {
		p.businesses += fresh
	}
}

// hopeless reports whether links of a shape lead nowhere: many pages of it were read
// (a calendar's days, a trap's endless variants) and none brought a business. The
// caller holds r.mu.
func (r *run) hopeless(shape string) bool {
	st := r.shapes[shape]
	return st != nil && st.pages >= hopelessAfter && st.businesses == 0
}
