package crawler

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/clientele/clientele/lead"
)

// kind is what a queued page is to the crawl.
type kind byte

const (
	kindListing  kind = 'd' // a directory page: businesses and links to follow
	kindDetail   kind = 'p' // a directory page about one business
	kindSite     kind = 's' // the home page of a business's own website
	kindSitePage kind = 'c' // a contact-like page of that website (never persisted)
)

// task is one page to fetch. Listing, detail and site tasks are saved in the store's
// frontier as text, so an interrupted crawl resumes where it stopped.
type task struct {
	kind   kind
	url    string
	barren int        // listing: consecutive pages on the way here that brought no business
	tries  int        // failed attempts so far (5xx answers, timeouts)
	from   string     // listing: the shape of the page that linked here (not persisted)
	lead   *lead.Lead // site: what the directory said about the business; detail: the card's lead
	ref    string     // detail: the listing page that linked here
	site   *siteState // site page: the website it belongs to
	r      *run       // the source's crawl it belongs to
	u      *url.URL
}

func (t *task) host() string {
	if t.u == nil {
		t.u, _ = url.Parse(t.url)
		if t.u == nil {
			t.u = &url.URL{}
		}
	}
	return t.u.Host
}

// encode writes a task as a frontier entry: kind, tab, URL, tab, extra.
func (t *task) encode() string {
	extra := ""
	switch t.kind {
	case kindListing:
		extra = strconv.Itoa(t.barren)
	case kindSite:
		if t.lead != nil {
			b, _ := json.Marshal(t.lead)
			extra = string(b)
		}
	case kindDetail:
		if t.lead != nil || t.ref != "" {
			b, _ := json.Marshal(detailExtra{Ref: t.ref, Lead: t.lead})
			extra = string(b)
		}
	}
	return string(t.kind) + "\t" + t.url + "\t" + extra
}

func decodeTask(s string) (*task, bool) {
	parts := strings.SplitN(s, "\t", 3)
	if len(parts) != 3 || len(parts[0]) != 1 {
		return nil, false
	}
	t := &task{kind: kind(parts[0][0]), url: parts[1]}
	switch t.kind {
	case kindListing:
		t.barren, _ = strconv.Atoi(parts[2])
	case kindDetail:
		if parts[2] != "" {
			var d detailExtra
			if json.Unmarshal([]byte(parts[2]), &d) != nil {
				return nil, false
			}
			t.ref, t.lead = d.Ref, d.Lead
		}
	case kindSite:
		if parts[2] != "" {
			var l lead.Lead
			if json.Unmarshal([]byte(parts[2]), &l) != nil {
				return nil, false
			}
			t.lead = &l
		}
	default:
		return nil, false
	}
	return t, true
}

// detailExtra is what a detail page task keeps in the frontier beside its URL.
type detailExtra struct {
	Ref  string     `json:"ref,omitempty"`
	Lead *lead.Lead `json:"lead,omitempty"`
}
