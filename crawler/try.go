package crawler

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/clientele/clientele/config"
	"github.com/clientele/clientele/crawler/emails"
	"github.com/clientele/clientele/crawler/fetch"
	"github.com/clientele/clientele/lead"
)

// TryResult is what one page gives a crawl, read by Try.
type TryResult struct {
	URL        string        `json:"url"`          // the page asked for
	FinalURL   string        `json:"final_url"`    // after redirects; "" when not fetched
	Status     int           `json:"status"`       // HTTP status; 0 when not fetched
	Businesses []TryBusiness `json:"businesses"`   // what the crawl would store, in page order
	Next       []string      `json:"next_pages"`   // directory pages it would follow
	Details    []string      `json:"detail_pages"` // businesses' pages on the directory
	Websites   []string      `json:"websites"`     // businesses' own sites it would visit
	// Why says, when no business was read, what stood in the way.
	Why string `json:"why,omitempty"`
}

// TryBusiness is one business of a tried page and the reader that found it.
type TryBusiness struct {
	Name    string   `json:"name"`
	Email   string   `json:"email"`
	Emails  []string `json:"emails"`
	Phone   string   `json:"phone"`
	Website string   `json:"website"`
	Address string   `json:"address"`
	City    string   `json:"city,omitempty"`
	Profile string   `json:"profile,omitempty"` // a shared page (maps, social) it links to
	Via     string   `json:"via"`               // jsonld, microdata, microformat, pagestate, cards or selectors
}

// tryReport collects what a page read under Try gives.
type tryReport struct {
	mu    sync.Mutex
	leads []*lead.Lead
	via   []string
	res   TryResult
}

func (t *tryReport) add(from string, l *lead.Lead) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if slices.Contains(t.leads, l) {
		return
	}
	t.leads = append(t.leads, l)
	t.via = append(t.via, viaName(from))
}

func (t *tryReport) follow(tk *task) {
	t.mu.Lock()
	defer t.mu.Unlock()
	list := &t.res.Next
	switch tk.kind {
	case kindDetail:
		list = &t.res.Details
	case kindSite:
		list = &t.res.Websites
	case kindSitePage:
		return
	}
	if !slices.Contains(*list, tk.url) {
		*list = append(*list, tk.url)
	}
}

// viaName is the SPEC's name for the reader that found a business.
func viaName(from string) string {
	switch from {
	case "microformats":
		return "microformat"
	case "blocks", "rows", "single":
		return "cards"
	}
	return from
}

// Try fetches one page as a crawl of src would (robots.txt, the private-network guard,
// the configured User-Agent and delays, src's selectors) and reports the businesses it
// reads and the links it would follow. It stores nothing and needs no Store: it works
// while another process holds the database. A page that cannot be fetched is reported in
// Why, not as an error; the error is for ctx ending.
func (c *Crawler) Try(ctx context.Context, rawURL string, src config.Source) (TryResult, error) {
	if src.Name == "" {
		src.Name = "try"
	}
	fetcher := c.newFetcher(ctx, nil)
	r := &run{
		c: c, ctx: ctx, src: src, log: c.log.With("source", src.Name), sum: &Summary{},
		fetcher: fetcher, sched: newScheduler(fetcher.Gate()), kick: make(chan struct{}, 1),
		queued: map[string]bool{}, keys: map[string]bool{}, sites: map[string]bool{}, dirDoms: map[string]bool{},
		try: &tryReport{res: TryResult{URL: rawURL}},
	}
	t := &task{kind: kindListing, url: rawURL}
	for _, s := range append([]string{rawURL}, src.StartURLs...) {
		if h := hostOf(s); h != "" {
			r.addDirectoryHost(h)
		}
	}
	p, err := fetcher.Get(ctx, rawURL)
	if err != nil {
		if ctx.Err() != nil {
			return r.try.res, ctx.Err()
		}
		r.try.res.Why = whyNotFetched(err, c.cfg.AllowPrivateNetworks)
		return r.try.res, nil
	}
	r.try.res.FinalURL, r.try.res.Status = p.URL.String(), p.Status
	if !p.IsHTML() {
		r.try.res.Why = fmt.Sprintf("not HTML: the page is %q", p.ContentType)
		return r.try.res, nil
	}
	if c.cfg.VerifyMX {
		r.verifier = emails.NewVerifier(c.o.resolver, 5*time.Second)
	}
	r.readDirectoryPage(ctx, t, p)
	rep := r.try
	for i, l := range rep.leads {
		rep.res.Businesses = append(rep.res.Businesses, TryBusiness{
			Name: l.Name, Email: l.Email, Emails: l.Emails, Phone: l.Phone, Website: l.Website,
			Address: l.Address, City: l.City, Profile: l.Extra["profile"], Via: rep.via[i],
		})
	}
	if len(rep.res.Businesses) == 0 {
		switch {
		case src.Item != "" || src.Fields.Name != "":
			rep.res.Why = "the source's selectors matched no business, and the page has no structured data (JSON-LD, microdata, microformats, page state) and no repeated cards"
		default:
			rep.res.Why = "no structured data (JSON-LD, microdata, microformats, page state) and no repeated cards with a name and a way to reach the business"
		}
	}
	return rep.res, nil
}

// whyNotFetched says in a user's words why a page was not read.
func whyNotFetched(err error, allowPrivate bool) string {
	var he *fetch.HTTPError
	switch {
	case errors.Is(err, fetch.ErrRobotsDisallowed):
		return "robots.txt disallows this page for the crawler's user agent"
	case errors.Is(err, fetch.ErrRefusedAddress) && !allowPrivate:
		return "refused: the address is on a private, loopback or link-local network (crawl.allow_private_networks is false): " + err.Error()
	case errors.As(err, &he):
		return fmt.Sprintf("HTTP status %d", he.Status)
	}
	return "fetch failed: " + err.Error()
}
